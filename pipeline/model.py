"""The plain data model every stage passes on: sources -> Article -> Brief.

Everything here is a frozen dataclass. Readers build them, :mod:`pipeline.emphasis` turns an
Article into a Brief, and renderers only read them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

BlockKind = Literal["paragraph", "heading", "item", "quote", "code", "table", "note", "figure"]


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with one set of styles."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    #: Link target, already checked to be http, https or mailto; None when not a link.
    href: str | None = None
    #: For a footnote reference: the note's number (from 1); its text is "", so the marker is
    #: never part of a sentence. 0 for any other run.
    note: int = 0
    #: Which reference to that note this is, from 0 (a note may be referred to more than once).
    note_ref: int = 0


#: A table cell: its inline runs.
Cell = tuple[Run, ...]


@dataclass(frozen=True)
class Table:
    """A GFM pipe table: one header row, then the body rows, every cell inline runs."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: Each column's alignment: "left", "center", "right" or "" (the default).
    align: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """An image of the article's own, from ``![alt](path "caption")`` on a line of its own."""

    #: The image file's path in the project, as a POSIX path ("sources/figures/dam.png").
    source: str
    #: What the image shows, for a reader who cannot see it (never empty).
    alt: str
    #: The caption shown under it ("" for none).
    caption: str
    #: "image/png" or "image/jpeg".
    media_type: str
    #: Its size in pixels.
    width: int
    height: int
    #: The file's bytes, exactly as read (what both formats embed).
    data: bytes = field(repr=False)
    #: SHA-256 of ``data``: what the article's briefs are keyed on, with the article's own bytes.
    sha256: str = ""


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of an article: the unit that is never dropped from a brief."""

    kind: BlockKind
    runs: tuple[Run, ...]
    #: 1-based line in the source file where the block starts.
    line: int
    #: Heading level (3-6) for headings, nesting depth (0-based) for list items, the note's
    #: number (from 1) for a footnote (kind ``note``).
    level: int = 0
    #: The list marker as a reader sees it ("•", "1.", "a.", "(b)", "iv.") for list items;
    #: empty for an item's further paragraph, which is part of the item before it.
    marker: str = ""
    #: Whether the marker is a Roman numeral: "i." and "v." are letters too, and only the
    #: whole list the source writes tells which ("h. i. j." is lettered, "i. ii. iii." not).
    roman: bool = False
    #: Whether a ``quote`` is part of the list item at ``level`` (it is indented under the
    #: item's text), rather than a quotation of its own.
    in_item: bool = False
    #: The cells of a ``table`` block (whose own runs are empty: a table has no sentences).
    table: Table | None = None
    #: The image of a ``figure`` block (whose runs are empty too: a figure has no sentences).
    figure: Figure | None = None

    @cached_property
    def text(self) -> str:
        """The block's plain text, as sentences are split and scored (worked out once: every
        edition and format of a brief asks for it)."""
        return "".join(run.text for run in self.runs)


#: A lettered list's marker: the letter, with a full stop or closing bracket after it, or in
#: brackets.
_LETTERED = re.compile(r"(?P<open>\(?)(?P<letter>[a-zA-Z])(?P<close>[.)])")


def list_style(marker: str, roman: bool = False) -> tuple[str, int]:
    """The kind of list an item's ``marker`` belongs to, and the item's place in it (from 1):
    ``("•", 1)`` for a bullet, ``("1.", 3)`` for "3.", ``("a.", 2)`` for "b.", ``("(A)", 1)``
    for "(A)", and with ``roman`` (:attr:`Block.roman`) ``("i.", 4)`` for "iv." or
    ``("I.", 1)`` for "I.". Items of one kind side by side are one list; a marker of another
    kind starts a new one. An empty marker (an item's further paragraph) is ``("", 1)``."""
    value = roman_value(marker[:-1]) if roman and marker.endswith(".") else None
    if value is not None:
        return ("i." if marker.islower() else "I."), value
    if marker[:-1].isdigit():
        return "1.", int(marker[:-1])
    lettered = _LETTERED.fullmatch(marker)
    if lettered is None or (lettered["open"] and lettered["close"] != ")"):
        return marker, 1
    letter = lettered["letter"]
    first = "a" if letter.islower() else "A"
    return f"{lettered['open']}{first}{lettered['close']}", ord(letter) - ord(first) + 1


#: A Roman numeral in one case, as lists count with them (1 to 3999): thousands, hundreds, tens
#: and units, each with its subtracting pair ("cm", "xl", "iv").
_ROMAN = re.compile(r"(?P<m>m{0,3})(?P<c>cm|cd|d?c{0,3})(?P<x>xc|xl|l?x{0,3})(?P<i>ix|iv|v?i{0,3})")
_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman_value(numeral: str) -> int | None:
    """The number ``numeral`` writes ("iv" 4, "XII" 12), if it is one as lists write them, in
    one case; else None ("iiii", "IIx", "vx")."""
    lower = numeral.lower()
    if not numeral or numeral not in (lower, numeral.upper()) or not _ROMAN.fullmatch(lower):
        return None
    values = [_ROMAN_DIGITS[char] for char in lower]
    # A digit before a larger one subtracts ("iv"); the pattern allows only the usual pairs.
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


#: Each Roman numeral's digits and their value, largest first, with the pairs that subtract.
_NUMERALS = tuple(
    zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        "m cm d cd c xc l xl x ix v iv i".split(),
        strict=True,
    )
)


def roman_numeral(number: int, capitals: bool = False) -> str:
    """``number`` (1 to 3999) in Roman numerals, "iv" or with ``capitals`` "IV"."""
    text = ""
    for value, digits in _NUMERALS:
        while number >= value:
            text, number = text + digits, number - value
    return text.upper() if capitals else text


@dataclass(frozen=True)
class Section:
    """A level-2 heading and every block up to the next one."""

    title: str
    blocks: tuple[Block, ...]
    line: int
    #: Position in the article, 0-based; the general edition keeps this order.
    index: int


@dataclass(frozen=True)
class Author:
    """An author bio from ``sources/authors/<id>.md``."""

    id: str
    name: str
    bio: tuple[Block, ...]
    path: Path
    role: str = ""
    url: str = ""
    #: SHA-256 of exactly the bytes the author file was read from ("" when not read from one).
    source_sha256: str = field(default="", compare=False)


@dataclass(frozen=True)
class Tailoring:
    """An analyst's overrides of one focus's tailoring, from an article's front matter."""

    focus: str
    #: Sentences, verbatim, that must be key takeaways of the focus's brief.
    pin: tuple[str, ...] = ()
    #: Sentences, verbatim, that must never be key takeaways of it.
    exclude: tuple[str, ...] = ()
    #: Section titles that must never be "In focus" for it.
    exclude_sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """An article from ``sources/articles/<slug>.md``."""

    slug: str
    path: Path
    title: str
    author: Author
    sections: tuple[Section, ...]
    #: Paragraphs before the first section.
    lede: tuple[Block, ...] = ()
    date: dt.date | None = None
    summary: str = ""
    source_url: str = ""
    license: str = ""
    #: BCP 47 language tag of the article's text.
    lang: str = "en"
    #: The analyst's overrides of the tailoring, one per focus they name.
    tailoring: tuple[Tailoring, ...] = ()
    #: The footnotes, in the order they are first referred to (block kind ``note``, level is
    #: the number): every edition shows them all, after the sections.
    notes: tuple[Block, ...] = ()
    #: SHA-256 of exactly the bytes the article was parsed from ("" when not read from a file):
    #: what its briefs are keyed on.
    source_sha256: str = field(default="", compare=False)

    def tailoring_for(self, focus_id: str) -> Tailoring | None:
        """The overrides the article's front matter gives for ``focus_id``, if any."""
        return next((t for t in self.tailoring if t.focus == focus_id), None)

    def blocks(self) -> tuple[Block, ...]:
        """Every block of the article, lede first, in source order."""
        return self.lede + tuple(block for section in self.sections for block in section.blocks)

    def figures(self) -> tuple[Figure, ...]:
        """The article's images, in source order."""
        return tuple(b.figure for b in self.blocks() if b.figure is not None)


@dataclass(frozen=True)
class Focus:
    """An emphasis a brief can take, from ``sources/focuses.yaml``."""

    id: str
    title: str
    description: str
    keywords: tuple[str, ...]
    color: str
    #: Which source file defined it, for error messages.
    path: Path | None = field(default=None, compare=False)
    #: Weight of each keyword, in the order of ``keywords``; empty means every one weighs 1.
    weights: tuple[float, ...] = ()
    #: Phrases inside which a keyword does not count ("Human Rights Watch" for human rights).
    exclude: tuple[str, ...] = ()
    #: Sentences typical of the focus, for the semantic relevance model.
    examples: tuple[str, ...] = ()
    #: Weight of a sentence naming two or more countries, as of one keyword; 0: not a sign.
    countries: float = 0.0
    #: The title in other languages, as (language tag, title) pairs; ``title`` is the default.
    titles: tuple[tuple[str, str], ...] = ()
    #: The description in other languages, as (language tag, description) pairs.
    descriptions: tuple[tuple[str, str], ...] = ()
    #: How many key takeaways a brief of this focus gives at most; None: tailoring's default.
    takeaways: int | None = None

    def title_in(self, lang: str) -> str:
        """The title for a brief in ``lang``: its own tag's (``fr-CA``), its language's
        (``fr``), else the default ``title``."""
        return _in_language(self.titles, lang) or self.title

    def description_in(self, lang: str) -> str:
        """The description for a brief in ``lang``, found as :meth:`title_in` finds a title."""
        return _in_language(self.descriptions, lang) or self.description


def _in_language(texts: tuple[tuple[str, str], ...], lang: str) -> str | None:
    """The text for ``lang`` among (tag, text) pairs: its own tag's, else its language's."""
    by_tag = {tag.lower(): text for tag, text in texts}
    lang = lang.lower()
    return by_tag.get(lang) or by_tag.get(lang.split("-")[0])


@dataclass(frozen=True)
class Edition:
    """What a brief is tailored to: no focus (the general edition), one focus, or several."""

    #: The id used in file names: "general", "security" or "security+human-rights".
    id: str
    #: The focuses weighed together; empty for the general edition.
    focuses: tuple[Focus, ...]

    @property
    def is_general(self) -> bool:
        return not self.focuses

    @property
    def title(self) -> str:
        """The edition's title: "General edition", or its focuses' titles joined with " + "."""
        if self.is_general:
            return "General edition"
        return " + ".join(focus.title for focus in self.focuses)

    def title_in(self, lang: str) -> str:
        """The title for a brief in ``lang``: each focus's title in that language, else its
        default (see :meth:`Focus.title_in`); "General edition" is the labels' to translate."""
        if self.is_general:
            return self.title
        return " + ".join(focus.title_in(lang) for focus in self.focuses)

    @property
    def color(self) -> str | None:
        """The accent colour: the first focus's, or None for the theme's own."""
        return self.focuses[0].color if self.focuses else None

    @property
    def keywords(self) -> tuple[str, ...]:
        """Every keyword of every focus, in order, without repeats."""
        return tuple(dict.fromkeys(k for focus in self.focuses for k in focus.keywords))


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of a block's plain text, as character offsets [start, end)."""

    start: int
    end: int


@dataclass(frozen=True)
class BriefBlock:
    """A block of the article with the parts that the brief highlights."""

    block: Block
    highlights: tuple[Span, ...] = ()


@dataclass(frozen=True)
class BriefSection:
    """A section as a brief shows it."""

    title: str
    blocks: tuple[BriefBlock, ...]
    #: Relevance to the edition's focus; 0 for the general edition.
    score: float
    #: Position of the section in the article.
    index: int


@dataclass(frozen=True)
class Organisation:
    """Who publishes the briefs, from ``sources/project.yaml``: shown on every first page."""

    name: str
    #: The logo's bytes (PNG or JPEG), already checked; empty when the project has none.
    logo: bytes = field(default=b"", repr=False)
    #: "png" or "jpeg": the logo's format ("" without a logo).
    logo_format: str = ""
    #: The logo file, for messages (None without a logo).
    logo_path: Path | None = field(default=None, compare=False)


#: In :attr:`Brief.takeaway_sections`, a takeaway that stands in the lede, before any section.
LEDE = -1


@dataclass(frozen=True)
class Brief:
    """One article tailored to one edition: everything a renderer needs, nothing it must compute."""

    article: Article
    edition: Edition
    #: The date shown on the brief, already resolved (article date, else SOURCE_DATE_EPOCH).
    date: dt.date
    #: Verbatim sentences of the article, in the article's order.
    takeaways: tuple[str, ...]
    lede: tuple[BriefBlock, ...]
    #: Sections relevant to the focus, most relevant first (empty for the general edition).
    in_focus: tuple[BriefSection, ...]
    #: The remaining sections, in the article's order (all of them for the general edition).
    context: tuple[BriefSection, ...]
    #: True when the article says too little about the focus for a tailored brief: then there
    #: are no takeaways and nothing is in focus, and the brief says so in one line.
    sparse: bool = False
    #: For each takeaway, in order, the index of the section it stands in (:data:`LEDE` for the
    #: lede): the brief's cue to where it comes from.
    takeaway_sections: tuple[int, ...] = ()

    @property
    def author(self) -> Author:
        return self.article.author

    @property
    def build_dated(self) -> bool:
        """Whether :attr:`date` is the build's date, the article having none of its own."""
        return self.article.date is None

    @property
    def highlighted(self) -> int:
        """How many sentences the brief highlights in its body."""
        blocks = self.lede + tuple(b for s in self.sections for b in s.blocks)
        return sum(len(b.highlights) for b in blocks)

    def takeaway_section(self, number: int) -> BriefSection | None:
        """The section takeaway ``number`` (from 0) stands in, or None (the lede, or unknown)."""
        if number >= len(self.takeaway_sections):
            return None
        index = self.takeaway_sections[number]
        return next((s for s in self.sections if s.index == index), None)

    @property
    def sparse_note(self) -> str:
        """The line a sparse brief shows instead of takeaways, or "" when it has its own."""
        if not self.sparse:
            return ""
        return (
            f"This article says little about {self.edition.title}: "
            "it follows in full, in its own order."
        )

    @property
    def sections(self) -> tuple[BriefSection, ...]:
        """Every section in the order the brief shows them."""
        return self.in_focus + self.context


#: Languages written right to left (BCP 47 primary subtags).
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "syr", "ug", "ur", "yi"}
)


def direction(lang: str) -> str:
    """``rtl`` for a language written right to left (``ar``, ``he-IL``), else ``ltr``."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"
