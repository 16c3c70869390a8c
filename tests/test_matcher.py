"""Keyword matching: the factored, lowercased patterns find exactly what the plain rule says.

The plain rule, written the obvious way below, is one case-insensitive alternation of every
keyword, longest first, between word boundaries. :func:`pipeline.emphasis.matcher` builds a
faster pattern (shared beginnings factored out, text lowercased instead of ``re.IGNORECASE``);
these tests hold it to the plain rule on the seed article and on generated text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.emphasis import matcher
from pipeline.sources import Project, read_project

from .read import REPO


def pattern(keyword: str) -> str:
    """One keyword's pattern as the rule was first written: its words with gaps, an ending."""
    stem, wildcard = (keyword[:-1], True) if keyword.endswith("*") else (keyword, False)
    body = r"[\s\-]+".join(re.escape(word) for word in stem.split())
    return body + (r"\w*" if wildcard else r"(?:e?s)?(?:['\u2019]s?)?")


def acronym(keyword: str) -> bool:
    """A keyword in capitals, which matches only in capitals."""
    letters = keyword.replace(" ", "")
    return len(letters) > 1 and letters.isupper()


def longest_first(keywords: tuple[str, ...]) -> list[str]:
    """Longest stem first, and a word before a wildcard of its length ("war" before "war*")."""
    return sorted(set(keywords), key=lambda k: (-len(k.rstrip("*")), k.endswith("*"), k))


def plain_score(keywords: tuple[str, ...], text: str) -> float:
    """The matching rule as first written: one alternation per case rule, longest first."""
    ordered = longest_first(keywords)
    total = 0.0
    for group, flags in (
        ([k for k in ordered if not acronym(k)], re.IGNORECASE),
        ([k for k in ordered if acronym(k)], 0),
    ):
        if group:
            regex = re.compile(
                r"(?<!\w)(?:" + "|".join(pattern(k) for k in group) + r")(?!\w)", flags
            )
            total += sum(len(m.group().split()) for m in regex.finditer(text))
    return total


def test_seed_focuses_score_every_sentence_as_the_plain_rule() -> None:
    sources = read_project(Project.at(REPO), [])
    texts = [block.text for article in sources.articles for block in article.blocks()]
    for focus in sources.focuses.values():
        for text in texts:
            assert matcher(focus.keywords).score(text) == plain_score(focus.keywords, text), (
                focus.id,
                text,
            )


def test_phrase_wins_over_its_first_word() -> None:
    keywords = ("human", "human rights", "rights abuses")
    assert (
        matcher(keywords).score("Human rights abuses")
        == plain_score(keywords, "Human rights abuses")
        == 2
    )


# Few, overlapping words, so keywords share beginnings, nest in phrases and collide in text.
WORDS = [
    "war",
    "wars",
    "warfare",
    "human",
    "humans",
    "rights",
    "right",
    "un",
    "UN",
    "UNSC",
    "nuclear",
    "nuc",
]
keyword = st.builds(
    lambda words, star: " ".join(words) + ("*" if star else ""),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    st.booleans(),
)
piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(str.upper),
    st.sampled_from(WORDS).map(str.title),
    st.sampled_from(["'s", "\u2019s", "es", "s", "ing"]),
    st.sampled_from([" ", "  ", "-", ", ", ". ", "\n", "(", ")", "_", "é", "İ"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(keyword, min_size=1, max_size=8), st.lists(piece, max_size=40))
def test_generated_keywords_and_text_score_as_the_plain_rule(
    keywords: list[str], pieces: list[str]
) -> None:
    text = "".join(pieces)
    assert matcher(tuple(keywords)).score(text) == plain_score(tuple(keywords), text)


def plain_keyword_of(keywords: tuple[str, ...], found: str) -> str:
    """Which keyword a match is, as first written: the first, longest first, whose own pattern
    matches it whole."""
    for keyword in longest_first(keywords):
        if re.fullmatch(pattern(keyword), found, 0 if acronym(keyword) else re.IGNORECASE):
            return keyword
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(keyword, min_size=1, max_size=8), st.lists(piece, max_size=40))
def test_each_match_is_told_the_keyword_the_plain_rule_tells(
    keywords: list[str], pieces: list[str]
) -> None:
    text = "".join(pieces)
    for hit in matcher(tuple(keywords)).hits(text):
        assert hit.keyword == plain_keyword_of(tuple(keywords), text[hit.start : hit.end])


def test_seed_focuses_tell_each_match_its_keyword_as_the_plain_rule() -> None:
    sources = read_project(Project.at(REPO), [])
    texts = [block.text for article in sources.articles for block in article.blocks()]
    for focus in sources.focuses.values():
        for text in texts:
            for hit in matcher(focus.keywords, focus.exclude).hits(text):
                found = text[hit.start : hit.end]
                assert hit.keyword == plain_keyword_of(focus.keywords, found), (focus.id, found)


def test_a_word_the_focus_writes_out_counts_as_itself_beside_its_wildcard() -> None:
    """A focus listing "militar*" and "military: 2" means "military" to weigh 2: the word it
    wrote out wins over the wildcard that also covers it, whatever their order in the file."""
    for keywords in (("militar*", "military"), ("military", "militar*")):
        hits = matcher(keywords).hits("Military spending and militarism rose.")
        assert [(h.keyword, h.start) for h in hits] == [("military", 0), ("militar*", 22)]


def plain_spans(keywords: list[str], flags: int, text: str) -> list[tuple[int, int]]:
    regex = re.compile(r"(?<!\w)(?:" + "|".join(pattern(k) for k in keywords) + r")(?!\w)", flags)
    return [m.span() for m in regex.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.lists(keyword, min_size=1, max_size=8), st.lists(piece, max_size=40))
def test_generated_keywords_match_the_very_spans_of_the_plain_rule(
    keywords: list[str], pieces: list[str]
) -> None:
    """The factored pattern (shared beginnings, and one ending written after every branch whose
    keywords end alike) finds each match where the plain alternation does, of the same length."""
    text = "".join(pieces)
    ordered = longest_first(tuple(keywords))
    built = matcher(tuple(keywords))
    for compiled, group, flags in (
        (built.folded, [k for k in ordered if not acronym(k)], re.IGNORECASE),
        (built.exact, [k for k in ordered if acronym(k)], 0),
    ):
        found = [m.span() for m in compiled.finditer(text)] if compiled is not None else []
        assert found == (plain_spans(group, flags, text) if group else [])


def test_seed_focuses_match_the_very_spans_of_the_plain_rule() -> None:
    sources = read_project(Project.at(REPO), [])
    texts = [block.text for article in sources.articles for block in article.blocks()]
    for focus in sources.focuses.values():
        ordered = longest_first(focus.keywords)
        built = matcher(focus.keywords, focus.exclude)
        folded = [k for k in ordered if not acronym(k)]
        assert built.folded is not None
        for text in texts:
            found = [m.span() for m in built.folded.finditer(text)]
            assert found == plain_spans(folded, re.IGNORECASE, text), (focus.id, text)
