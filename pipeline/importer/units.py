"""The data the importer's stages pass: units of the input, dropped lines, and a read page.

A reader (:mod:`.plain`, :mod:`.webpage`) turns the input into a :class:`Page` of units; the
structure finder sorts the units into an article and records every :class:`Drop`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["line", "heading", "paragraph", "item", "quote", "table", "figure"]


@dataclass(frozen=True)
class Unit:
    """One piece of the input: a line of a text file, or a block of a web page."""

    text: str
    #: 1-based line of the input where it starts.
    line: int
    #: "line" is plain text still to be classified; the other kinds are what a web page (or a
    #: Markdown ``#`` line) states explicitly.
    kind: UnitKind = "line"
    #: Heading level (1-6) of an explicit heading.
    level: int = 0
    #: The list marker of an item: "-" or "3.".
    marker: str = ""
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
        """Whether the unit is running text (not a table or a figure)."""
        return self.kind not in ("table", "figure")


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
