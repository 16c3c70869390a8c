"""The data the importer's stages pass: units of the input, dropped lines, and a read page.

A reader (:mod:`.plain`, :mod:`.webpage`) turns the input into a :class:`Page` of units; the
structure finder sorts the units into an article and records every :class:`Drop`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["line", "heading", "paragraph", "item", "quote", "table", "figure", "notes"]


@dataclass(frozen=True)
class Unit:
    """One piece of the input: a line of a text file, or a block of a web page."""

    text: str
    #: 1-based line of the input where it starts.
    line: int
    #: "line" is plain text still to be classified; the other kinds are what a web page (or a
    #: Markdown ``#`` line) states explicitly. "notes" (with no text) marks where a page's
    #: footnotes were, which the article gives as notes: a heading over nothing else is theirs.
    kind: UnitKind = "line"
    #: Heading level (1-6) of an explicit heading.
    level: int = 0
    #: The list marker of an item: "-" or "3."; "" for an item's second paragraph, which
    #: continues the item before it.
    marker: str = ""
    #: How many lists an item is inside, less one: 0 for an item of a list in the text, 1 for
    #: an item of a list inside that list's item, and so on.
    depth: int = 0
    #: Whether an item is the first of its list (a list right after another is a list of its
    #: own, not more items of the one before).
    starts_list: bool = False
    #: Whether the unit is the text of a table cell: a cell's text is kept whatever it says,
    #: since the rules for web furniture are about whole lines of a page ("x" is a share button
    #: on a line of its own, and a mark in a cell).
    cell: bool = False
    #: The blank-line separated block of a text file the line is in: heading-like lines that
    #: follow each other in one block are a list, not headings.
    block: int = 0
    #: A table's rows, the header row first, each cell's text on one line ("text" is the
    #: rows joined, for reports).
    rows: tuple[tuple[str, ...], ...] = ()
    #: A figure's image as the page names it (its ``src``), and its caption ("text" is the
    #: alt text); once the image is found, ``src`` is the file's resolved path.
    src: str = ""
    caption: str = ""

    @property
    def is_text(self) -> bool:
        """Whether the unit is running text (not a table, a figure or the place of notes)."""
        return self.kind not in ("table", "figure", "notes")


#: A reference to a page's footnote inside a unit's text: the note's number (from 1) between
#: two U+FDD0, a noncharacter, which Unicode keeps out of interchanged text (:mod:`.webpage`
#: removes any a page holds) and which no whitespace rule strips or splits on.
NOTE_REF = re.compile("\ufdd0([0-9]+)\ufdd0")
#: The characters a reference is written with, which a page's own text must not hold.
NOTE_REF_CHARS = "\ufdd0"


def note_ref(number: int) -> str:
    """A reference to note ``number``, as it stands in a unit's text."""
    return f"\ufdd0{number}\ufdd0"


def shown_text(text: str) -> str:
    """A unit's text as a report shows it: each note reference as its number in brackets."""
    return NOTE_REF.sub(r"[\1]", text)


@dataclass(frozen=True)
class Note:
    """A footnote of a page: the text a reference in the article points to."""

    #: Its number, from 1, in the order the article first refers to it.
    number: int
    #: Its paragraphs, in order; a line break within one is "\n".
    paragraphs: tuple[str, ...]
    #: 1-based line of the page where the note starts.
    line: int
    #: Its mark as the page's first reference to it shows it ("3", "b"); "" when unknown.
    mark: str = ""


@dataclass(frozen=True)
class Drop:
    """An input line the sources leave out, and why."""

    text: str
    line: int
    reason: str


@dataclass(frozen=True)
class Page:
    """What a reader found: the units of the article, and what the page says about it."""

    units: tuple[Unit, ...]
    #: Lines the reader itself left out (a web page's navigation, text outside the article).
    drops: tuple[Drop, ...] = ()
    #: A title the page declares apart from its text (<title>, og:title).
    title: str = ""
    #: An author name the page declares (<meta name="author">).
    author_name: str = ""
    #: The page's canonical address (<link rel="canonical">, og:url).
    source_url: str = ""
    #: The language the page declares for the article (its ``lang``); "" when it declares none.
    lang: str = ""
    #: The footnotes the article's units refer to (:data:`NOTE_REF`), in number order.
    notes: tuple[Note, ...] = ()
