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
from functools import cache, lru_cache

from ..model import Article, Block, Brief, BriefBlock, BriefSection, Edition, Focus, Section, Span
from .units import Sentence, split_sentences, word_count

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


_Trie = dict[str, "_Trie"]


def _keyword_atoms(keyword: str) -> list[str]:
    """A keyword as a sequence of regex pieces: its characters, the gaps of a phrase, an ending."""
    stem, wildcard = (keyword[:-1], True) if keyword.endswith("*") else (keyword, False)
    atoms: list[str] = []
    for word in stem.split():
        if atoms:
            atoms.append(r"[\s\-]+")
        atoms.extend(re.escape(char) for char in word)
    # Plurals and possessives are the same idea: "sanction" finds "sanctions" and "sanction's".
    atoms.append(r"\w*" if wildcard else r"(?:e?s)?(?:['\u2019]s?)?")
    return atoms


def _alternation(keywords: list[list[str]]) -> str:
    """One regex trying ``keywords`` in order, with shared beginnings factored out (a trie).

    A plain alternation makes the regex engine try every keyword at every word; factored, it
    tries "h" once for "human", "human rights" and "humanitarian". A keyword that ends where a
    longer one goes on is still tried after it, so the longest keyword wins as before.
    """
    root: _Trie = {}
    for atoms in keywords:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        options = [atom + emit(child) if atom else "" for atom, child in node.items()]
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return emit(root)


def _is_acronym(keyword: str) -> bool:
    letters = keyword.replace(" ", "")
    return len(letters) > 1 and letters.isupper()


@cache
def matcher(keywords: tuple[str, ...]) -> Matcher:
    """One pattern per case rule, longest keywords first so phrases win over their words."""
    ordered = sorted(set(keywords), key=lambda k: (-len(k), k))

    def compile_(chosen: list[str], flags: int) -> re.Pattern[str] | None:
        if not chosen:
            return None
        trie = _alternation([_keyword_atoms(k) for k in chosen])
        return re.compile(r"(?<!\w)(?:" + trie + r")(?!\w)", flags)

    return Matcher(
        compile_([k for k in ordered if not _is_acronym(k)], re.IGNORECASE),
        compile_([k for k in ordered if _is_acronym(k)], 0),
    )


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


#: Articles whose sentences and weights are kept. A build renders an article's briefs one after
#: another (every edition, every format), so the last few are what is asked for again; keeping
#: no more holds a worker's memory flat however many articles the build has.
ARTICLES_KEPT = 4


@dataclass(frozen=True)
class _Sentences:
    """An article's sentences, as every edition of it weighs them."""

    #: (index of the block in Article.blocks(), sentence, its word count), code blocks left out.
    items: tuple[tuple[int, Sentence, int], ...]
    #: Word count of each section (its title counted TITLE_WEIGHT times), in article order.
    section_words: tuple[int, ...]


@lru_cache(maxsize=ARTICLES_KEPT)
def _sentences(article: Article) -> _Sentences:
    blocks = article.blocks()
    items = tuple(
        (block_id, sentence, word_count(sentence.text))
        for block_id, block in enumerate(blocks)
        if block.kind != "code"
        for sentence in split_sentences(block.text)
    )
    words_in_block = [0] * len(blocks)
    for block_id, _, words in items:
        words_in_block[block_id] += words
    section_words = []
    first = len(article.lede)
    for section in article.sections:
        body = sum(words_in_block[first : first + len(section.blocks)])
        section_words.append(TITLE_WEIGHT * word_count(section.title) + body)
        first += len(section.blocks)
    return _Sentences(items, tuple(section_words))


#: Focuses per article whose weights are kept: a project defines a few, and any beyond this
#: are weighed again, not lost.
FOCUSES_KEPT = 16


# Worked out once per article and focus: the general edition weighs every sentence for every
# focus, then each focus's edition weighs them again, once per format. Sections are weighed
# only for focused editions, which alone order them.
@lru_cache(maxsize=ARTICLES_KEPT * FOCUSES_KEPT)
def _sentence_weights(article: Article, keywords: tuple[str, ...]) -> tuple[float, ...]:
    """One focus's keyword weight of each sentence of ``article``, per word (smoothed)."""
    match = matcher(keywords)
    return tuple(
        match.score(s.text) / (words + SENTENCE_SMOOTHING)
        for _, s, words in _sentences(article).items
    )


@lru_cache(maxsize=ARTICLES_KEPT * FOCUSES_KEPT)
def _section_weights(article: Article, keywords: tuple[str, ...]) -> tuple[float, ...]:
    """One focus's keyword weight of each section (title counted TITLE_WEIGHT times), per word."""
    match = matcher(keywords)
    return tuple(
        match.score(" ".join([section.title] * TITLE_WEIGHT + _texts(section)))
        / (words + SECTION_SMOOTHING)
        for section, words in zip(article.sections, _sentences(article).section_words, strict=True)
    )


def _texts(section: Section) -> list[str]:
    return [b.text for b in section.blocks if b.kind != "code"]


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
    sentence_scores = _scaled([list(_sentence_weights(article, f.keywords)) for f in weighing])
    scored = [
        _Scored(s, b, score)
        for (b, s, _), score in zip(_sentences(article).items, sentence_scores, strict=True)
    ]
    takeaways = _takeaways(scored)
    highlights = {} if edition.is_general else _highlights(scored)

    def brief_blocks(items: tuple[Block, ...]) -> tuple[BriefBlock, ...]:
        return tuple(BriefBlock(b, highlights.get(id_of[id(b)], ())) for b in items)

    id_of = {id(block): i for i, block in enumerate(blocks)}
    section_scores = (
        [0.0] * len(article.sections)
        if edition.is_general
        else _scaled([list(_section_weights(article, f.keywords)) for f in weighing])
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
