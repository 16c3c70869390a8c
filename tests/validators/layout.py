"""Reading a PDF's text as positioned lines (pdfminer.six), for the layout checks."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTPage, LTTextContainer, LTTextLine


def letters(text: str) -> str:
    """Only the letters and digits of ``text``, lower-cased, in NFKC.

    What extractors agree on: shaped Arabic comes back as presentation forms (NFKC maps them
    back), and right-to-left lines come back in pieces cut at neutral punctuation, so
    punctuation and spacing are left out of comparisons.
    """
    return "".join(re.findall(r"\w", unicodedata.normalize("NFKC", text).lower()))


def is_rtl(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters (Hebrew, Arabic and the like)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


_PUNCTUATION = re.compile(r"[.,;:!?\u060c\u061b'\"\u201c\u201d\u2018\u2019()\[\]]")


def clauses(text: str) -> list[str]:
    """``text`` cut at punctuation, the units a right-to-left line is extracted in order by."""
    return [c for c in _PUNCTUATION.split(text) if letters(c)]


def same_letters(shown: str, expected: str) -> bool:
    """Whether the letters of ``shown`` (one drawn line, as pdfminer reads it: right-to-left text
    in visual order) all come from ``expected``, the start of it for left-to-right text."""
    if is_rtl(shown):
        return not Counter(letters(shown)) - Counter(letters(expected))
    return letters(expected).startswith(letters(shown))


@dataclass(frozen=True)
class Line:
    """One line of text on a page, with its box in points from the page's bottom left."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    #: The boxes of its glyphs (white space excluded): the line box can be wider than its ink.
    chars: tuple[tuple[float, float, float, float], ...]
    #: The fonts its glyphs are drawn in, without the subset prefix.
    fonts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]


def _lines(item: object) -> list[Line]:
    if isinstance(item, LTTextLine):
        chars = tuple(
            (c.x0, c.y0, c.x1, c.y1) for c in item if isinstance(c, LTChar) and c.get_text().strip()
        )
        fonts = frozenset(
            c.fontname.split("+")[-1]
            for c in item
            if isinstance(c, LTChar) and c.get_text().strip()
        )
        text = item.get_text().strip()
        return [Line(text, item.x0, item.y0, item.x1, item.y1, chars, fonts)] if text else []
    if isinstance(item, LTTextContainer | LTPage):
        return [line for child in item for line in _lines(child)]
    return []


@functools.cache
def pages(pdf: Path) -> tuple[Page, ...]:
    """Every page's text lines, top of the page first."""
    result = []
    for number, page in enumerate(extract_pages(pdf, laparams=LAParams()), start=1):
        lines = sorted(_lines(page), key=lambda line: (-line.y1, line.x0))
        result.append(Page(number, page.width, page.height, tuple(lines)))
    return tuple(result)
