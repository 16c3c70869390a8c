"""Reading plain text: one unit a line, Markdown headings, and hard-wrapped paragraphs joined.

Text copied from a web page has one paragraph a line, and each line stays a unit. A file
wrapped at a fixed width breaks its paragraphs mid-sentence, so its lines are joined back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from ..sources import decode_text
from .boilerplate import is_boilerplate
from .headings import BULLET, CLOSING_QUOTES, MAX_HEADING_WORDS
from .units import Page, Unit

#: A Markdown ATX heading line, as a page copied from a Markdown source may have.
_MARKDOWN_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
#: Text files whose lines are all no longer than this may be hard-wrapped.
_WRAP_WIDTH = 100
#: In a hard-wrapped file, a line shorter than this share of the longest ends its paragraph.
_WRAP_SHORT = 0.6


def read_plain(data: bytes, name: str) -> Page:
    """A text file: every non-blank line is a unit; hard-wrapped paragraphs are joined."""
    units: list[Unit] = []
    block = 0
    for number, raw in enumerate(decode_text(data, name).split("\n"), start=1):
        text = raw.strip()
        if not text:
            block += 1
            continue
        heading = _MARKDOWN_HEADING.fullmatch(text)
        if heading and _markdown_heading(heading.group(2)):
            units.append(
                Unit(heading.group(2), number, "heading", len(heading.group(1)), "", block)
            )
        else:
            units.append(Unit(text, number, block=block))
    return Page(tuple(_unwrap(units)))


def _markdown_heading(text: str) -> bool:
    """Whether the text after a line's leading "#" is a heading and not a sentence ("# is...")."""
    words = text.split()
    return 0 < len(words) <= MAX_HEADING_WORDS and not text.endswith((".", ";", ","))


def _is_hard_wrapped(units: Sequence[Unit]) -> bool:
    """Whether a text file breaks its paragraphs into lines of a fixed width.

    Such a file fits a narrow width, and most lines that another line follows in their block
    stop mid-sentence. Scraped text has one paragraph per line: its lines end sentences.
    """
    lines = [u for u in units if u.kind == "line"]
    if not lines or max(len(u.text) for u in lines) > _WRAP_WIDTH:
        return False
    followed = [a for a, b in pairwise(lines) if a.block == b.block]
    mid_sentence = [u for u in followed if u.text.rstrip(CLOSING_QUOTES)[-1:] not in ".!?:;"]
    return len(followed) >= 2 and len(mid_sentence) * 2 > len(followed)


def _unwrap(units: list[Unit]) -> list[Unit]:
    """Join the lines of hard-wrapped paragraphs; scraped text is left as it is."""
    if not _is_hard_wrapped(units):
        return units
    short = _WRAP_SHORT * max(len(u.text) for u in units if u.kind == "line")
    out: list[Unit] = []
    last_width = 0
    for unit in units:
        prev = out[-1] if out else None
        joins = (
            prev is not None
            and prev.kind == unit.kind == "line"
            and prev.block == unit.block
            and last_width >= short
            and not BULLET.match(unit.text)
            and not is_boilerplate(unit.text)
        )
        if prev is not None and joins:
            out[-1] = replace(prev, text=f"{prev.text} {unit.text}")
        else:
            out.append(unit)
        last_width = len(unit.text)
    return out
