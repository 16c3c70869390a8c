"""How relevant each sentence and section of an article is to one focus, on an absolute scale.

A sentence's score adds up its keywords, each counted once it is found outside a name and an
excluded phrase:

    score = sum over keywords k of  weight(k) * rarity(k) * saturated(tf(k)) / length_norm

- ``weight`` is the focus's own weight for the keyword (1 unless ``focuses.yaml`` says), and a
  phrase of several words weighs more than a single word: it is more specific.
- ``rarity`` is learnt from the article itself: a keyword found in nearly every paragraph (the
  "war" of an article about a war) tells little about which sentences matter, so it weighs up to
  half as much as one found in a few.
- ``saturated`` counts repeats less and less (BM25's tf * (k1 + 1) / (tf + k1)): three mentions of
  "war" are not three times as telling as one, so a sentence naming several different aspects of
  the focus beats one repeating a word.
- ``length_norm`` evens out a little for long sentences, which find more by size alone.

A keyword that names the body an article is about ("NATO" in an article on NATO, "GCC" in one
on the Gulf Cooperation Council) does not count there: it stands in nearly every sentence, so
it says nothing of which ones matter, and it made every procedural line of the body's own
history look like regional impact. A topic word in the title ("famine" in "Great Famine")
still counts: the article is about the focus, not named after it.

A section's score comes from its best sentences and from how many of its sentences are on the
focus, never from keyword density alone: a one-line section with one hit must not outrank a long
section that is plainly about the focus. Its title counts too ("Human rights abuses").

Scores are absolute, not scaled to the article's best, so that an article that says little about
a focus is seen to: see :mod:`pipeline.emphasis.brief` for the thresholds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..model import Article, Focus
from .matching import Hit, Matcher, matcher
from .places import countries_named
from .units import (
    CUT_OFF,
    Sentence,
    leans_on_previous,
    split_sentences,
    unfit_for_takeaway,
    word_count,
)

#: BM25's saturation constant: how fast repeats of a keyword stop adding.
SATURATION = 1.2
#: BM25's length normalisation, kept mild: sentences vary less in length than documents.
LENGTH_NORM = 0.25
#: The term a sentence naming two or more countries counts as, for a focus that sets
#: ``countries:`` ("Turkey is Azerbaijan's main supporter" relates states to one another).
COUNTRIES = "two or more countries"
#: Each extra word of a phrase adds this share of a single word's weight.
PHRASE_BONUS = 0.5
#: A keyword in every paragraph weighs this share of one found in few.
COMMON_FLOOR = 0.5
#: How many paragraphs an article needs before a word's frequency in it counts in full.
RARITY_EVIDENCE = 20
#: Up to this share of paragraphs, a keyword counts as rare and weighs in full.
RARE_SHARE = 0.1
#: A section title's keywords count this many times a sentence's.
TITLE_WEIGHT = 1.0
#: A sentence scoring at least this much is on the focus (one plain keyword, at full weight).
ON_FOCUS = 0.75
#: How many of a section's best sentences make its strength.
BEST_SENTENCES = 3
#: How many on-focus sentences make a section plainly about the focus (coverage 1).
FULL_COVERAGE = 3

#: What an on-focus list entry adds to a section's coverage, against a sentence's 1; a
#: section's entries together add at most ``FULL_COVERAGE``.
ITEM_COVERAGE = 0.5
#: What share of an entry's score counts toward its section's strength.
ITEM_STRENGTH = 0.5

#: How much the share of a section's sentences that are on the focus counts, beside their number.
SHARE_WEIGHT = 0.7

#: Articles whose units and weights are kept. A build renders an article's briefs one after
#: another (every edition, every format), so the last few are what is asked for again; keeping
#: no more holds a worker's memory flat however many articles the build has.
ARTICLES_KEPT = 4
#: Focuses per article whose weights are kept: a project defines a few, and any beyond this
#: are weighed again, not lost.
FOCUSES_KEPT = 16


@dataclass(frozen=True)
class Unit:
    """A sentence of the article as tailoring sees it."""

    #: Index of its block in ``Article.blocks()``.
    block_id: int
    #: Index of its section, or -1 in the lede.
    section: int
    sentence: Sentence
    words: int
    #: Why it cannot be a takeaway on its own, or "" when it can.
    unfit: str
    #: How much it reads like a key point, whatever the focus (about 1): see :func:`salience`.
    salience: float = 1.0
    #: Whether it is an entry of a list rather than a sentence of a paragraph.
    item: bool = False

    @property
    def highlightable(self) -> bool:
        """Whether a brief may highlight it: a sentence, a list entry or a quotation, not a
        heading, nor a line cut off mid-sentence (a paragraph's last words before a quotation
        block), which would show the reader half a thought as a key point."""
        return self.unfit not in _NOT_HIGHLIGHTED


@dataclass(frozen=True)
class Units:
    """An article's sentences, as every edition of it weighs them."""

    items: tuple[Unit, ...]
    #: How many paragraph-like blocks the article has (for a keyword's rarity).
    blocks: int
    #: Mean words per sentence.
    mean_words: float
    #: The countries the article's title names: they stand in every one of its sentences.
    title_countries: frozenset[str] = frozenset()


_HEADING = "a heading"
_NOT_HIGHLIGHTED = frozenset({_HEADING, CUT_OFF})


def _block_unfit(kind: str) -> str:
    return {
        "paragraph": "",
        "item": "a list item",
        "quote": "part of a quotation",
        "heading": _HEADING,
    }.get(kind, f"a {kind} block")


# What makes a sentence read as a key point rather than a detail, whatever the focus: it gives
# a magnitude ("one million people", "40%"), states a consequence or a judgement, opens the
# article or a paragraph (a paragraph's first sentence is usually the one that says what it is
# about), or names what the article is about. What makes it read as less: it carries a long
# quotation, someone else's words that the brief would quote out of their context.
_NUMBER_WORD = (
    r"(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"(?:thir|four|fif|six|seven|eigh|nine)teen|half\s+a|several|a\s+few|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]\w+)?)"
)
# A count of people, money or goods: not a span of time ("a thousand years", "thousands of
# years", "a thousand-year history"), a distance or an area, nor the odds of "one in a
# million". A figure is read from its first digit only: starting again at every digit of a
# long run of them would cost the square of its length.
_MAGNITUDE = re.compile(
    r"(?<!\bone\sin\s)(?<!\b1\sin\s)(?:"
    r"(?<![\d,.])\d[\d,.]*\s*(?:%|per\s?cent|million|billion|thousand|hundred)|"
    r"\b(?:millions|thousands|hundreds|tens of thousands)\b|"
    rf"\b{_NUMBER_WORD}\s+(?:hundred\s+)?(?:million|billion|thousand)\b"
    r")(?!(?:\s+of)?[\s-]+(?:years?|centuries|decades|months|weeks|days|hours|miles?|"
    r"kilomet(?:re|er)s?|km|square|acres|hectares)\b)",
    re.IGNORECASE,
)
_CONSEQUENCE = re.compile(
    r"\b(?:largest|worst|deadliest|biggest|greatest|highest|lowest|most|first|major|"
    r"significant|lasting|led to|leading to|resulted in|resulting in|caused|causing|"
    r"remains?|widespread|estimated|estimates?|accused|condemned)\b",
    re.IGNORECASE,
)
# A quotation of five words or more, in straight or curly quotes.
_LONG_QUOTATION = re.compile(r"[\"“«„][^\"”»]{25,}[\"”»]")
# One named person's view: "According to Jane Roe, ...", "John Doe argued that ...". A view is
# one commentator's, where a brief wants what happened; a body's finding ("Amnesty International
# asserted that ...") is not one person's view, so a name ending in a body's word does not count.
_BODY_WORDS = (
    r"International|Organi[sz]ation|Council|Committee|Commission|Watch|Ministry|Government|"
    r"Agency|Bank|Fund|Union|Nations|Office|Institute|Group|Court|Network|Observatory|Department|"
    r"Centre|Center|Board|League|Parliament|Assembly|Authority|Service|Foundation|Association|"
    r"Party|Forces|Army|Police|Report|University|Times|News|Press|Post"
)
_UPPER = "A-ZÀ-ÖØ-Þ"
# A person's name: up to four capitalised words, the last with a small letter (not "UNHCR").
_NAME = (
    rf"(?:[{_UPPER}][\w.’'-]*\s+){{0,3}}(?!(?:{_BODY_WORDS})\b)[{_UPPER}][\w’'-]*[a-zà-ÿ][\w’'-]*"
)
_ONE_VIEW = re.compile(
    rf"^(?:According\s+to\s+(?:[a-z]+\s+)*{_NAME}(?:,\s+Jr\.)?,"
    rf"|(?:[{_UPPER}][a-z]+\s+)?(?:[a-z]+\s+)*{_NAME}\s+(?:wrote|argued|argues|disagreed|disagrees|"
    r"believed|believes|contended|contends|suggested|suggests|maintained|opined|posited)\b)"
)
_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")
_SMALL_WORDS = frozenset(
    "about after against also among between during from into over that their there these "
    "they this those through under what when where which while with within without".split()
)
SALIENCE = {
    "magnitude": 0.25,
    "consequence": 0.1,
    "lede": 0.35,
    "opening": 0.3,
    "subject": 0.15,
    "quotation": -0.2,
    "view": -0.5,
}


def salience(text: str, lede: bool, opening: bool, subject: frozenset[str]) -> float:
    """1 plus a share for each sign that ``text`` states a key point, less one for a sign that
    it does not (see ``SALIENCE``)."""
    words = {w.lower() for w in _TITLE_WORD.findall(text)}
    return round(
        1.0
        + SALIENCE["magnitude"] * bool(_MAGNITUDE.search(text))
        + SALIENCE["consequence"] * bool(_CONSEQUENCE.search(text))
        + SALIENCE["lede"] * lede
        + SALIENCE["opening"] * opening
        + SALIENCE["subject"] * bool(words & subject)
        + SALIENCE["quotation"] * bool(_LONG_QUOTATION.search(text))
        + SALIENCE["view"] * bool(_ONE_VIEW.match(text)),
        6,
    )


@lru_cache(maxsize=ARTICLES_KEPT)
def units_of(article: Article) -> Units:
    """Every sentence of ``article`` with where it sits and whether it can be a takeaway."""
    block_section: list[int] = [-1] * len(article.lede)
    for section in article.sections:
        block_section.extend([section.index] * len(section.blocks))
    subject = frozenset(w.lower() for w in _TITLE_WORD.findall(article.title)) - _SMALL_WORDS
    home = countries_named(article.title, article.lang, title=True)
    items = []
    scored_blocks = 0
    # The heading a sentence stands under, and the countries it names that the title does not.
    heading, place, current = "", frozenset[str](), -2
    for block_id, block in enumerate(article.blocks()):
        if block_section[block_id] != current or block.kind == "heading":
            current = block_section[block_id]
            if block.kind == "heading":
                heading = block.text
            else:
                heading = article.sections[current].title if current >= 0 else ""
            place = countries_named(heading, article.lang, title=True) - home
        if block.kind in ("code", "table", "figure"):
            continue
        scored_blocks += 1
        sentences = split_sentences(block.text)
        for number, sentence in enumerate(sentences):
            unfit = _block_unfit(block.kind) or unfit_for_takeaway(sentence.text) or ""
            if not unfit:
                leaning = leans_on_previous(sentence.text, article.lang)
                unfit = f"leans on the sentence before ('{leaning}')" if leaning else ""
            if not unfit and place and _needs_heading(sentence.text, article.lang):
                # "14.8 million people have acute food insecurity", under "Afghanistan": quoted
                # as a takeaway, it says nothing of where.
                unfit = f"leans on its heading ('{heading}'): it names no country"
            lede, opening = block_section[block_id] < 0, number == 0
            items.append(
                Unit(
                    block_id,
                    block_section[block_id],
                    sentence,
                    word_count(sentence.text),
                    unfit,
                    salience(sentence.text, lede, opening, subject),
                    block.kind == "item",
                )
            )
    mean = sum(u.words for u in items) / len(items) if items else 1.0
    return Units(tuple(items), max(scored_blocks, 1), max(mean, 1.0), home)


# A place a sentence takes from its heading: "the country", "the government" under "Ghana".
_UNNAMED_PLACE = re.compile(
    r"\bthe\s+(?:country|country's|nation|nation's|government|capital|territory)\b", re.I
)
# A name in a sentence past its first word: "Srebrenica", "ECOWAS", "the Sahel region".
_NAME_PAST_FIRST = re.compile(r"\s[\"'“‘(]?(?-i:[A-Z])[\w'’-]")


def _needs_heading(text: str, lang: str) -> bool:
    """Whether a sentence under a heading naming a country says where only by that heading: it
    names no country, and either names nothing else or speaks of the country unnamed."""
    if countries_named(text, lang):
        return False
    return not _NAME_PAST_FIRST.search(text) or bool(_UNNAMED_PLACE.search(text))


#: A word of a name that its initials leave out ("Economic Community of West African States"
#: is ECOWAS or ECWAS, as a body writes it); both forms are tried.
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: How far into an article its opening sentence names its subject's short form: "The Economic
#: Community of West African States (ECOWAS; ...)".
_OPENING = 300


def subject_names(article: Article, focus: Focus, match: Matcher) -> frozenset[str]:
    """The keywords of ``focus`` that name what ``article`` is about: a name (a keyword with a
    capital) its title holds, or a short form made of the title's initials or given in
    brackets in the article's opening words."""
    named = {h.keyword for h in match.hits(article.title, article.lang, names=False)}
    words = _NAME_WORD.findall(article.title)
    initials = {
        "".join(w[0] for w in words if w[0].isupper()).upper(),
        "".join(w[0] for w in words).upper(),
    }
    blocks = article.blocks()
    opening = blocks[0].text[:_OPENING] if blocks else ""
    for keyword in focus.keywords:
        short = keyword.isupper() and len(keyword) >= 2
        if short and (keyword in initials or re.search(rf"\({re.escape(keyword)}\b", opening)):
            named.add(keyword)
    return frozenset(k for k in named if any(c.isupper() for c in k))


@dataclass(frozen=True)
class SentenceWeight:
    """One sentence's relevance to one focus."""

    score: float
    #: The keywords that counted, each with how often.
    terms: tuple[tuple[str, int], ...]
    #: Keywords found that did not count, each with why.
    ignored: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SectionWeight:
    """One section's relevance to one focus."""

    score: float
    #: Sentences of the section on the focus, and all its sentences.
    on_focus: int
    sentences: int
    #: The keywords of its title that counted.
    title_terms: tuple[str, ...]
    #: The mean of its best sentences' scores.
    strength: float
    #: Its best sentence's score.
    best: float = 0.0


@dataclass(frozen=True)
class Weighing:
    """An article weighed for one focus."""

    sentences: tuple[SentenceWeight, ...]
    sections: tuple[SectionWeight, ...]
    #: Each counted keyword's rarity factor in this article.
    rarity: tuple[tuple[str, float], ...]


@lru_cache(maxsize=ARTICLES_KEPT * FOCUSES_KEPT)
def _keyword_weights(focus: Focus) -> dict[str, float]:
    """Each keyword's weight: the focus's own (1 unless it says), more for a phrase."""
    weights = dict(zip(focus.keywords, focus.weights, strict=False))
    return {
        k: weights.get(k, 1.0) * (1 + PHRASE_BONUS * (len(k.rstrip("*").split()) - 1))
        for k in focus.keywords
    }


def _rarity(documents: int, total: int) -> float:
    """``COMMON_FLOOR``..1: 1 for a keyword in few paragraphs, the floor for one in all.

    A short article proves little about a word by repeating it, so the floor rises back towards
    1 below ``RARITY_EVIDENCE`` paragraphs.
    """
    if total <= 1 or documents <= max(1, RARE_SHARE * total):
        return 1.0
    common = (documents - RARE_SHARE * total) / ((1 - RARE_SHARE) * total)
    floor = 1.0 - (1.0 - COMMON_FLOOR) * min(1.0, total / RARITY_EVIDENCE)
    return 1.0 - (1.0 - floor) * min(1.0, common)


def _saturated(count: int) -> float:
    return count * (SATURATION + 1) / (count + SATURATION)


#: The relevance models: keywords alone, or keywords with the meaning of each sentence.
MODELS = ("keyword", "semantic")
#: Most a sentence's meaning adds to its score (about one keyword at full weight).
SEMANTIC_WEIGHT = 1.0


def _meaning(article: Article, focus: Focus, units: Units) -> list[float]:
    """0..1 for each sentence: how much closer in meaning it is to the focus than is usual in
    this article (its description and examples are the queries). Similarities to a one-line
    description are small and vary by article, so only the rise above the article's median
    counts, scaled to the article's best."""
    from . import semantic

    queries = (focus.description or focus.title, *focus.examples)
    found = semantic.similarities([u.sentence.text for u in units.items], queries)
    if not found:
        return []
    median = sorted(found)[len(found) // 2]
    top = max(found)
    if top <= median:
        return [0.0] * len(found)
    return [round(max(0.0, value - median) / (top - median), 4) for value in found]


@lru_cache(maxsize=ARTICLES_KEPT * FOCUSES_KEPT)
def weigh(article: Article, focus: Focus, model: str = "keyword") -> Weighing:
    """How relevant each sentence and section of ``article`` is to ``focus``, by ``model``."""
    units = units_of(article)
    meaning = _meaning(article, focus, units) if model == "semantic" else [0.0] * len(units.items)
    match = matcher(focus.keywords, focus.exclude)
    own = subject_names(article, focus, match)
    hits: list[list[Hit]] = [
        [
            replace(h, ignored="names the article's own subject")
            if h.keyword in own and not h.ignored
            else h
            for h in match.hits(u.sentence.text, article.lang)
        ]
        if u.words
        else []
        for u in units.items
    ]
    terms: list[dict[str, int]] = []
    home = units.title_countries if focus.countries else frozenset()
    for unit, found in zip(units.items, hits, strict=True):
        counts: dict[str, int] = {}
        for hit in found:
            if not hit.ignored:
                counts[hit.keyword] = counts.get(hit.keyword, 0) + 1
        if focus.countries:
            text = unit.sentence.text
            named = countries_named(text, article.lang, match.excluded_spans(text))
            # The countries an article is about stand in every one of its sentences: naming
            # one other relates it to them ("Relations with Egypt soured", in a history of a
            # Syrian coup), while naming only them says no more than the title does (every
            # sentence of "Turkey and Azerbaijan" relates the two; naming them is no sign).
            if named - home and len(named | home) >= 2:
                counts[COUNTRIES] = 1
        terms.append(counts)
    # A term's rarity: in how many blocks it counts.
    blocks_with: dict[str, set[int]] = {}
    for unit, counts in zip(units.items, terms, strict=True):
        for term in counts:
            blocks_with.setdefault(term, set()).add(unit.block_id)
    rarity = {k: _rarity(len(b), units.blocks) for k, b in blocks_with.items()}
    weights = {**_keyword_weights(focus), COUNTRIES: focus.countries}

    sentences = []
    for unit, found, counts, close in zip(units.items, hits, terms, meaning, strict=True):
        raw = sum(weights[k] * rarity[k] * _saturated(n) for k, n in counts.items())
        norm = 1 - LENGTH_NORM + LENGTH_NORM * unit.words / units.mean_words
        sentences.append(
            SentenceWeight(
                round(raw / norm + SEMANTIC_WEIGHT * close, 6),
                tuple(sorted(counts.items())),
                tuple((h.keyword, h.ignored) for h in found if h.ignored),
            )
        )
    return Weighing(
        tuple(sentences),
        tuple(
            _section(article, focus, i, units, sentences, own) for i in range(len(article.sections))
        ),
        tuple(sorted(rarity.items())),
    )


def _section(
    article: Article,
    focus: Focus,
    index: int,
    units: Units,
    sentences: list[SentenceWeight],
    own: frozenset[str],
) -> SectionWeight:
    section = article.sections[index]
    scores = sorted(
        (w.score for u, w in zip(units.items, sentences, strict=True) if u.section == index),
        reverse=True,
    )
    on_focus = sum(1 for s in scores if s >= ON_FOCUS)
    # A list's entries count for less than sentences, in strength and in coverage: a timeline
    # of two hundred attacks is a record of the fighting, each entry a line of it, and the
    # prose that explains it is what to read first.
    mine = [
        (u.item, w.score)
        for u, w in zip(units.items, sentences, strict=True)
        if u.section == index and w.score >= ON_FOCUS
    ]
    best = sorted((score * ITEM_STRENGTH if item else score for item, score in mine), reverse=True)
    strength = sum(best[:BEST_SENTENCES]) / BEST_SENTENCES
    # Grows with every sentence on the focus, ever more slowly: substance, not density, but a
    # long section plainly about the focus outweighs a short one that touches it.
    entries = sum(1 for item, _ in mine if item)
    covered = (len(mine) - entries) + min(entries * ITEM_COVERAGE, FULL_COVERAGE)
    coverage = math.log1p(covered) / math.log1p(FULL_COVERAGE)
    share = on_focus / len(scores) if scores else 0.0
    title_hits = [
        h
        for h in matcher(focus.keywords, focus.exclude).hits(
            section.title, article.lang, names=False
        )
        if not h.ignored and h.keyword not in own
    ]
    title = sum(_keyword_weights(focus)[h.keyword] for h in title_hits)
    score = strength * coverage * (1 - SHARE_WEIGHT + SHARE_WEIGHT * share) + TITLE_WEIGHT * min(
        title, 1.0
    )
    return SectionWeight(
        round(score, 6),
        on_focus,
        len(scores),
        tuple(dict.fromkeys(h.keyword for h in title_hits)),
        round(strength, 6),
        scores[0] if scores else 0.0,
    )
