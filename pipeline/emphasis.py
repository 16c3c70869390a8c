"""Relevance scoring and (Article, Edition) -> Brief. Pure functions, no I/O.

A focus is a list of keywords and phrases. A piece of text scores by the keywords it contains
(whole words, case-insensitive, plural and possessive forms included, phrases weighted by their
number of words), divided by its length so a long section does not win by size alone. With
several focuses, each focus's scores are scaled to its own best so that one focus with a long
keyword list does not drown the others.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .model import Article, Block, Brief, BriefBlock, BriefSection, Edition, Focus, Span
from .text import Sentence, split_sentences, word_count

#: Smoothing added to a section's word count: keeps a one-line section with one hit from
#: outranking a long section that is plainly about the focus.
SECTION_SMOOTHING = 30
SENTENCE_SMOOTHING = 8
#: A section is "in focus" when it scores at least this share of the best section.
IN_FOCUS_SHARE = 0.5
#: A sentence is highlighted when it scores at least this share of the best sentence...
HIGHLIGHT_SHARE = 0.5
#: ...and at most this share of an article's sentences is highlighted.
HIGHLIGHT_MAX_SHARE = 0.3
TAKEAWAYS_MIN, TAKEAWAYS_MAX = 3, 5
#: Sentences scoring at least this share of the best one are takeaways (between min and max).
TAKEAWAY_SHARE = 0.4
#: A heading's words count this many times: a section titled "Human Rights" is about them.
TITLE_WEIGHT = 2


@dataclass(frozen=True)
class Matcher:
    """Compiled keyword patterns of one focus."""

    folded: re.Pattern[str] | None
    exact: re.Pattern[str] | None

    def score(self, text: str) -> float:
        """Sum of the weights of keyword hits in ``text`` (a phrase of n words weighs n)."""
        total = 0.0
        for pattern in (self.folded, self.exact):
            if pattern is not None:
                total += sum(len(m.group().split()) for m in pattern.finditer(text))
        return total


def _keyword_pattern(keyword: str) -> str:
    stem, wildcard = (keyword[:-1], True) if keyword.endswith("*") else (keyword, False)
    words = [re.escape(word) for word in stem.split()]
    body = r"[\s\-]+".join(words)
    if wildcard:
        return body + r"\w*"
    # Plurals and possessives are the same idea: "sanction" finds "sanctions" and "sanction's".
    return body + r"(?:e?s)?(?:['’]s?)?"


def _is_acronym(keyword: str) -> bool:
    letters = keyword.replace(" ", "")
    return len(letters) > 1 and letters.isupper()


@cache
def matcher(keywords: tuple[str, ...]) -> Matcher:
    """One alternation per case rule, longest keywords first so phrases win over their words."""
    ordered = sorted(set(keywords), key=lambda k: (-len(k), k))
    folded = [_keyword_pattern(k) for k in ordered if not _is_acronym(k)]
    exact = [_keyword_pattern(k) for k in ordered if _is_acronym(k)]

    def compile_(parts: list[str], flags: int) -> re.Pattern[str] | None:
        if not parts:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", flags)

    return Matcher(compile_(folded, re.IGNORECASE), compile_(exact, 0))


def text_score(text: str, focus: Focus, smoothing: int = SENTENCE_SMOOTHING) -> float:
    """How much ``text`` is about ``focus``: keyword weight per word, smoothed."""
    return matcher(focus.keywords).score(text) / (word_count(text) + smoothing)


def _scaled(scores: list[list[float]]) -> list[float]:
    """Sum per-focus scores after scaling each focus to its own best (0..1 each)."""
    if not scores:
        return []
    totals = [0.0] * len(scores[0])
    for per_focus in scores:
        best = max(per_focus, default=0.0)
        if best > 0:
            for i, value in enumerate(per_focus):
                totals[i] += value / best
    return totals


@dataclass(frozen=True)
class _Scored:
    sentence: Sentence
    block_id: int
    score: float


def emphasise(
    article: Article, edition: Edition, all_focuses: Sequence[Focus], date: dt.date
) -> Brief:
    """Tailor ``article`` to ``edition``.

    ``all_focuses`` is every focus of the project: the general edition takes its key takeaways
    from what any of them finds notable. ``date`` is the date the brief shows.
    """
    weighing = edition.focuses or tuple(all_focuses)
    blocks = article.blocks()
    sentences = [
        (block_id, sentence)
        for block_id, block in enumerate(blocks)
        if block.kind != "code"
        for sentence in split_sentences(block.text)
    ]
    sentence_scores = _scaled(
        [[text_score(s.text, focus) for _, s in sentences] for focus in weighing]
    )
    scored = [_Scored(s, b, score) for (b, s), score in zip(sentences, sentence_scores, strict=True)]
    takeaways = _takeaways(scored)
    highlights = {} if edition.is_general else _highlights(scored)

    def brief_blocks(items: tuple[Block, ...]) -> tuple[BriefBlock, ...]:
        return tuple(BriefBlock(b, highlights.get(id_of[id(b)], ())) for b in items)

    id_of = {id(block): i for i, block in enumerate(blocks)}
    section_scores = (
        [0.0] * len(article.sections)
        if edition.is_general
        else _scaled([[_section_score(s.title, s.blocks, f) for s in article.sections] for f in weighing])
    )
    sections = [
        BriefSection(s.title, brief_blocks(s.blocks), score, s.index)
        for s, score in zip(article.sections, section_scores, strict=True)
    ]
    in_focus, context = _arrange(sections)
    return Brief(
        article=article,
        edition=edition,
        date=date,
        takeaways=takeaways,
        lede=brief_blocks(article.lede),
        in_focus=in_focus,
        context=context,
    )


def _section_score(title: str, blocks: tuple[Block, ...], focus: Focus) -> float:
    text = " ".join([title] * TITLE_WEIGHT + [b.text for b in blocks if b.kind != "code"])
    return text_score(text, focus, SECTION_SMOOTHING)


def _arrange(
    sections: list[BriefSection],
) -> tuple[tuple[BriefSection, ...], tuple[BriefSection, ...]]:
    best = max((s.score for s in sections), default=0.0)
    if best <= 0:
        return (), tuple(sections)
    relevant = [s for s in sections if s.score > 0 and s.score >= IN_FOCUS_SHARE * best]
    in_focus = sorted(relevant, key=lambda s: (-s.score, s.index))
    chosen = {s.index for s in in_focus}
    return tuple(in_focus), tuple(s for s in sections if s.index not in chosen)


def _ranked(scored: list[_Scored]) -> list[_Scored]:
    """Relevant sentences, best first; ties keep the article's order."""
    relevant = [s for s in scored if s.score > 0]
    return sorted(relevant, key=lambda s: -s.score)


def _takeaways(scored: list[_Scored]) -> tuple[str, ...]:
    ranked = _ranked(scored)
    if not ranked:
        return ()
    strong = [s for s in ranked if s.score >= TAKEAWAY_SHARE * ranked[0].score]
    count = min(max(len(strong), TAKEAWAYS_MIN), TAKEAWAYS_MAX, len(ranked))
    chosen = {id(s) for s in ranked[:count]}
    return tuple(s.sentence.text for s in scored if id(s) in chosen)


def _highlights(scored: list[_Scored]) -> dict[int, tuple[Span, ...]]:
    ranked = _ranked(scored)
    if not ranked:
        return {}
    limit = max(1, int(len(scored) * HIGHLIGHT_MAX_SHARE))
    chosen = [s for s in ranked if s.score >= HIGHLIGHT_SHARE * ranked[0].score][:limit]
    spans: dict[int, list[Span]] = {}
    for item in sorted(chosen, key=lambda s: (s.block_id, s.sentence.start)):
        spans.setdefault(item.block_id, []).append(Span(item.sentence.start, item.sentence.end))
    return {block_id: tuple(items) for block_id, items in spans.items()}
