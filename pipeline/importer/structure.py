"""Finding an article's structure in its units: title, byline and date, sections, bio.

Boilerplate goes first, then the title (restoring its acronyms), the byline and date lines
right under it, and the author bio at the end; what is left becomes the lede and sections,
with plain lines classified as headings or paragraphs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..emphasis.units import split_sentences
from ..errors import SourceError
from .boilerplate import BIO_LABEL, bare_line, drop_boilerplate
from .bylines import read_meta_line
from .headings import heading_like
from .units import Drop, Note, Page, Unit


@dataclass(frozen=True)
class Draft:
    """The article as the importer understood it, before it becomes files."""

    #: The title, its acronyms restored.
    title: str
    #: Lede and section content units, headings included, in order.
    body: tuple[Unit, ...]
    #: The bio's paragraphs.
    bio: tuple[Unit, ...]
    #: The author's name as found in the bio, byline or page; "" when unknown.
    author_name: str
    #: The date a byline or date line gives; None when there is none.
    date: dt.date | None
    #: The page's canonical address; "" when it gives none.
    source_url: str
    #: Every input line left out of the sources, in input order.
    drops: tuple[Drop, ...]
    #: What the user should check, such as a date that could not be read for sure.
    notes: tuple[str, ...] = ()
    #: The language the page declares; "" when it declares none.
    lang: str = ""
    #: The page's footnotes, which the body's units refer to (:data:`.units.NOTE_REF`).
    footnotes: tuple[Note, ...] = ()


def find_structure(page: Page, name: str) -> Draft:
    """Sort a page's units into title, byline, sections and bio, dropping web boilerplate.

    ``name`` is the input's name, for errors: a page without a title raises
    :class:`SourceError`.
    """
    units, drops = drop_boilerplate(page.units)
    units = _without_notes(units, drops)
    drops += page.drops
    title, units, at = _take_title(units, page, name)
    # The byline is under the title, which a page may put below a line of its own (a
    # report's "Report" or a section name above its <h1>).
    byline_name, date, under, meta_drops, notes = _take_byline(units[at:])
    units = units[:at] + under
    bio, bio_name, units, bio_drops = _take_bio(units, byline_name or page.author_name)
    body = _classify(units)
    return Draft(
        title=restore_acronyms(title),
        body=tuple(body),
        bio=tuple(bio),
        author_name=bio_name or byline_name or page.author_name,
        date=date,
        source_url=page.source_url,
        drops=tuple(sorted(drops + meta_drops + bio_drops, key=lambda d: d.line)),
        notes=notes,
        lang=page.lang,
        footnotes=page.notes,
    )


def _without_notes(units: list[Unit], drops: list[Drop]) -> list[Unit]:
    """The units without the marks of where the notes were, and without the headings over
    nothing but notes ("Notes", "References"): the brief shows the notes after its last
    section, under a heading of its own, and the heading would be an empty section."""
    # Read from the end: for each heading level, whether what is kept between here and the
    # next heading of that level or above is notes, and nothing else.
    levels = range(1, 7)
    only_notes = dict.fromkeys(levels, True)
    has_notes = dict.fromkeys(levels, False)
    kept: list[Unit] = []
    for unit in reversed(units):
        if unit.kind != "heading":
            for level in levels:
                only_notes[level] = only_notes[level] and unit.kind == "notes"
                has_notes[level] = has_notes[level] or unit.kind == "notes"
            kept.append(unit)
            continue
        level = min(max(unit.level, 1), 6)
        dropped = only_notes[level] and has_notes[level]
        if dropped:
            drops.append(Drop(unit.text, unit.line, "heading of the notes"))
        else:
            kept.append(unit)
            for above in range(1, level):
                only_notes[above] = False
        for below in range(level, 7):
            only_notes[below], has_notes[below] = True, False
    return [u for u in reversed(kept) if u.kind != "notes"]


# --- the title and its acronyms ---------------------------------------------------------------


def _take_title(units: list[Unit], page: Page, name: str) -> tuple[str, list[Unit], int]:
    """The article's title: the first line of a text file, a page's first <h1>, or its
    <title>; the units without it, and where in them it was."""
    first = units[0] if units else None
    if first is not None and first.kind == "line" and (why := _not_a_title(first.text)):
        raise SourceError(
            f"the first line is {why}, not a title: put the article's title on a line of its "
            "own above it",
            name,
            first.line,
        )
    if first is not None and (
        first.kind == "line" or (first.kind == "heading" and first.level == 1)
    ):
        return first.text, units[1:], 0
    for i, unit in enumerate(units):
        if unit.kind == "heading" and unit.level == 1:
            return unit.text, units[:i] + units[i + 1 :], i
    if page.title:
        return page.title, units, 0
    raise SourceError("no title found: the first line should be the article's title", name, 1)


#: A title is a phrase or a sentence or two; a first line longer than ``_TITLE_WORDS``, or of
#: several sentences and ``_TITLE_SENTENCES_WORDS`` words, is the article's first paragraph, as
#: in a text copied without its title.
_TITLE_WORDS = 40
_TITLE_SENTENCES_WORDS = 15


def _not_a_title(line: str) -> str:
    """What a text file's first line is instead of a title ("a paragraph of 58 words"), or ""."""
    words = len(line.split())
    if words > _TITLE_WORDS:
        return f"a paragraph of {words} words"
    # The brief's own sentence splitter, which knows "Dr. Ana Pérez" and "the U.S. Senate".
    if words >= _TITLE_SENTENCES_WORDS and len(split_sentences(line)) > 1:
        return "a paragraph of more than one sentence"
    return ""


#: Acronyms that title case turns into ordinary-looking words ("Nato", "Eu").
_ACRONYMS = {
    word.capitalize(): word
    for word in "EU UN UK USA UAE NATO DPRK PRC ROK IMF WTO IAEA ASEAN OPEC ICBM".split()
}


def restore_acronyms(title: str) -> str:
    """Undo title case on known acronyms: "Between The Us And North Korea" -> "The US And...".

    "Us" is also a pronoun, so it is restored only where a pronoun cannot stand: after an
    article, at the start before another word, or joined by a hyphen ("Us-Led").
    """

    def other(match: re.Match[str]) -> str:
        word = match.group(0)
        # "Un-American" is a prefix, not the United Nations.
        if word == "Un" and title[match.end() : match.end() + 1] == "-":
            return word
        return _ACRONYMS[word]

    names = "|".join(_ACRONYMS)
    title = re.sub(rf"(?<![\w-])(?:{names})(?![\w])", other, title)
    title = re.sub(r"(?:(?<=\b[Tt]he )|(?<=\b[Aa]n )|(?<=\b[Aa] ))Us(?![\w])", "US", title)
    title = re.sub(r"^Us(?=\s+\w|-\w)", "US", title)
    return re.sub(r"(?<![\w-])Us(?=-[A-Z])", "US", title)


# --- byline and date --------------------------------------------------------------------------

#: Byline and date lines sit right under the title, and are short.
_META_WORDS = 14


def _take_byline(
    units: list[Unit],
) -> tuple[str, dt.date | None, list[Unit], list[Drop], tuple[str, ...]]:
    """Byline and date lines right under the title, or under a standfirst right under it
    (a news page's dek): their facts go to the front matter."""
    name, date = "", None
    drops: list[Drop] = []
    notes: list[str] = []
    if (
        len(units) > 1
        and units[0].kind == "paragraph"
        and read_meta_line(units[0].text) is None
        and units[1].is_text
        and units[1].kind != "heading"
        and len(units[1].text.split()) <= _META_WORDS
        and read_meta_line(units[1].text) is not None
    ):
        found = _take_byline(units[1:])
        return found[0], found[1], [units[0], *found[2]], found[3], found[4]
    while (
        units
        and units[0].kind not in ("heading", "table", "figure")
        and len(units[0].text.split()) <= _META_WORDS
    ):
        meta = read_meta_line(units[0].text)
        if meta is None:
            break
        name = meta.name or name
        date = meta.date or date
        if meta.ambiguous:
            notes.append(
                f"line {units[0].line}: the date {meta.ambiguous} reads day first and month "
                "first alike, so it was not taken: pass --date YYYY-MM-DD"
            )
        drops.append(Drop(units[0].text, units[0].line, "byline" if meta.name else "date line"))
        units = units[1:]
    return name, date, units, drops, tuple(notes)


# --- author bio -------------------------------------------------------------------------------

#: Lowercase words that may stand inside a name ("Ludwig van Beethoven").
_NAME_PARTICLES = frozenset("van von de da del der di du la le bin al el ibn".split())
#: Titles before a name, which are not part of it.
_HONORIFICS = frozenset("dr dr. prof prof. professor mr mr. mrs mrs. ms ms. sir dame".split())
#: The same titles at the start of a name ("Dr. Ana Pérez"), to take them off.
HONORIFIC_PREFIX = re.compile(
    r"^(?:(?:dr|prof|professor|mr|mrs|ms|sir|dame)\.?\s+)+", re.IGNORECASE
)
#: Capitalised words that start sentences, not names.
_NOT_NAMES = frozenset(
    """the this that these those it he she they we our his her their a an in on at for as
    its there here what when why how""".split()
)
#: A name followed by a verb a bio starts with ("Cassie Grissom is...").
_BIO_START = re.compile(
    r"((?:\S+\s+){1,5}?\S+?),?\s+(?:is|was|has|holds|writes|works|serves|teaches|covers|studies|"
    r"researches|specializes|specialises|leads|directs|reports|joined|lives)\b"
)
#: Words a bio has and an article's closing paragraph about a country or leader does not.
_BIO_CUES = re.compile(
    r"\b(?:authors?|journalist|writer|reporter|correspondent|editor|columnist|researcher|"
    r"fellow|professor|lecturer|analyst|scholar|expert|director|founder|contributor|ph\.?d|"
    r"graduate|degree|novelist|blogger|commentator|(?:her|his|their)\s+work|has\s+written|"
    r"writes\s+about)\b",
    re.IGNORECASE,
)
#: A bio without a label is one of the last few paragraphs.
_BIO_WINDOW = 3


def _is_name(words: Sequence[str]) -> bool:
    core = [w for w in words if w.lower() not in _HONORIFICS]
    return (
        1 <= len(core) <= 5
        and core[0].lower() not in _NOT_NAMES | _NAME_PARTICLES
        and all(
            w.lower() in _NAME_PARTICLES or (w[0].isupper() and any(c.isalpha() for c in w))
            for w in core
        )
    )


def _bio_name(text: str, known: str) -> str:
    """The name a bio starts with ("Cassie Grissom is a journalist..."), or ""."""
    if known:
        # A bio may call its author by first name: "Jane has covered Asia since 2010."
        first = re.escape(known.split()[0])
        if re.match(rf"(?:{re.escape(known)}|{first})\b(?!['\u2019])", text):
            return known
    match = _BIO_START.match(text)
    if not (match and _is_name(match.group(1).split()) and len(match.group(1).split()) >= 2):
        return ""
    # "Dr. Ana Pérez is..." under a byline "Ana Pérez": the byline's form is the name.
    return known if known and HONORIFIC_PREFIX.sub("", match.group(1)) == known else match.group(1)


def _take_bio(units: list[Unit], known: str) -> tuple[list[Unit], str, list[Unit], list[Drop]]:
    """The author bio: what follows an "About the author" line, else a closing paragraph that
    starts with a person's name and reads like a bio."""
    for i in range(len(units) - 1, 0, -1):
        if BIO_LABEL.fullmatch(bare_line(units[i].text)) and i + 1 < len(units):
            label = Drop(units[i].text, units[i].line, "bio label")
            bio = units[i + 1 :]
            first_words = bio[0].text.split()
            if (
                len(bio) > 1
                and _is_name(first_words)
                and len(first_words) >= 2
                and heading_like(bio[0].text)
            ):
                return bio[1:], bio[0].text, units[:i], [label]
            return bio, _bio_name(bio[0].text, known) or known, units[:i], [label]
    for i in range(len(units) - 1, max(len(units) - 1 - _BIO_WINDOW, 0), -1):
        unit = units[i]
        name = _bio_name(unit.text, known) if unit.is_text and unit.kind != "heading" else ""
        if name and _BIO_CUES.search(unit.text):
            return [unit], name, units[:i] + units[i + 1 :], []
    return [], "", units, []


# --- sections and headings --------------------------------------------------------------------


def _classify(units: list[Unit]) -> list[Unit]:
    """Plain lines -> headings or paragraphs; explicit headings without text become paragraphs.

    A heading-like line is a heading when what follows it is content: a paragraph, a list (a
    block of lines of its own, with bullets or without), or another heading in a block of its
    own. It is not one when it follows another heading-like line in the same block (a run of
    short lines is a list). A heading followed straight by another is a parent: it is a
    ``##`` heading, and the headings after it are its ``###`` subheadings until the next parent.
    """
    heading = [False] * len(units)
    for i in range(len(units) - 1, -1, -1):
        unit = units[i]
        if unit.kind != "line" or not heading_like(unit.text):
            continue
        prev = units[i - 1] if i > 0 else None
        if (
            prev is not None
            and prev.kind == "line"
            and prev.block == unit.block
            and heading_like(prev.text)
        ):
            continue
        nxt = units[i + 1] if i + 1 < len(units) else None
        if nxt is None:
            continue
        # A line alone in its block, after some text (not a standfirst under the title),
        # followed by a block of its own.
        alone = prev is not None and prev.block != unit.block
        apart = alone and nxt.kind == "line" and nxt.block != unit.block
        heading[i] = (
            _is_content(nxt)
            or (apart and i + 2 < len(units) and units[i + 2].block == nxt.block)
            or (apart and heading[i + 1])
        )
    out: list[Unit] = []
    nested = False
    for i, unit in enumerate(units):
        if heading[i]:
            parent = i + 1 < len(units) and heading[i + 1]
            nested = nested or parent
            level = 3 if nested and not parent else 2
            out.append(replace(unit, kind="heading", level=level))
        elif unit.kind == "line":
            out.append(replace(unit, kind="paragraph"))
        else:
            out.append(unit)
    return _demote_empty_headings(out)


def _is_content(unit: Unit) -> bool:
    if unit.kind == "line":
        return not heading_like(unit.text)
    return unit.kind != "heading"


def _demote_empty_headings(units: list[Unit]) -> list[Unit]:
    """A heading with no text before the next heading of its rank (or the end) is a paragraph:
    as a section it would be empty and left out of every brief."""
    out = list(units)
    for i, unit in enumerate(out):
        if unit.kind != "heading":
            continue
        rest = out[i + 1 :]
        has_text = False
        for later in rest:
            if later.kind == "heading" and later.level <= unit.level:
                break
            if later.kind != "heading":
                has_text = True
                break
        if not has_text:
            out[i] = replace(unit, kind="paragraph", level=0)
    return out
