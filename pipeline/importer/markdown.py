"""Markdown that renders verbatim: the article and author files' text.

Everything CommonMark would read as markup is escaped, so each sentence shows exactly as the
page wrote it, and the front matter is dumped by YAML, which quotes whatever it would misread.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import yaml

from .units import Unit

#: Characters that start inline Markdown anywhere in a line: emphasis, code, links, autolinks.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
#: An ampersand that would start an entity ("&amp;" must stay five characters).
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What starts a block at the beginning of a line: headings, quotes, lists, breaks, fences.
_BLOCK_START = re.compile(r"^(?:([#>=~+-])|(\d+)([.)])(?=\s|$))")


def escape_inline(text: str) -> str:
    """Escape a line of text so CommonMark shows it as written, inline markup included."""
    return _ENTITY_START.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", text))


def escape_line(text: str) -> str:
    """Escape a line that starts a paragraph, so it is not read as a heading, list or quote."""
    escaped = escape_inline(text)
    return _BLOCK_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped
    )


def _paragraph_markdown(unit: Unit) -> str:
    """A unit as a Markdown block; line breaks within it stay line breaks."""
    lead = {"item": f"{unit.marker or '-'} ", "quote": "> "}.get(unit.kind, "")
    indent = " " * len(lead) if unit.kind == "item" else lead
    lines = [escape_line(line) for line in unit.text.split("\n")]
    return lead + f"\\\n{indent}".join(lines)


def _table_markdown(unit: Unit) -> str:
    """A GFM table, its first row the header; a cell's "|" is escaped so it stays one cell."""

    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(escape_inline(c).replace("|", "\\|") for c in cells) + " |"

    header, *rows = unit.rows
    rule = "| " + " | ".join("---" for _ in header) + " |"
    return "\n".join([row(header), rule, *(row(r) for r in rows)])


def _figure_markdown(unit: Unit, path: str) -> str:
    """``![alt](path "caption")``; the path is relative to ``sources/``."""
    alt = escape_inline(unit.text)
    caption = unit.caption.replace("\\", "\\\\").replace('"', '\\"')
    return f"![{alt}]({path}" + (f' "{caption}")' if caption else ")")


def _heading_markdown(text: str, depth: int) -> str:
    # Every "#" is escaped so a trailing one is not taken as a closing sequence.
    return "#" * depth + " " + escape_inline(text).replace("#", "\\#")


def body_markdown(
    body: Sequence[Unit], figures: Mapping[str, str] | None = None
) -> tuple[str, tuple[tuple[str, int], ...], int]:
    """The article body, with each section's paragraph count and the lede's.

    ``figures`` maps a figure unit's image file to its path relative to ``sources/``.
    """
    headings = [u.level for u in body if u.kind == "heading"]
    top = min(headings, default=2)
    blocks: list[str] = []
    sections: list[tuple[str, int]] = []
    lede = 0
    for unit in body:
        if unit.kind == "heading" and unit.level == top:
            sections.append((unit.text, 0))
            blocks.append(_heading_markdown(unit.text, 2))
        elif unit.kind == "heading":
            blocks.append(_heading_markdown(unit.text, min(6, 2 + unit.level - top)))
        else:
            if unit.kind == "table":
                blocks.append(_table_markdown(unit))
            elif unit.kind == "figure":
                blocks.append(_figure_markdown(unit, (figures or {})[unit.src]))
            else:
                blocks.append(_paragraph_markdown(unit))
            if sections:
                sections[-1] = (sections[-1][0], sections[-1][1] + 1)
            else:
                lede += 1
    return "\n\n".join(blocks), tuple(sections), lede


def _front_matter(fields: dict[str, object]) -> str:
    # safe_dump quotes whatever YAML would misread (a colon, a leading quote, "yes", "2023").
    dumped = yaml.safe_dump(
        {k: v for k, v in fields.items() if v not in (None, "")},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    return f"---\n{dumped}---\n"


def article_markdown(
    title: str, author_id: str, date: dt.date | None, source_url: str, body: str, lang: str = ""
) -> str:
    """The article file: its front matter (empty fields left out), then the body's Markdown."""
    fields: dict[str, object] = {
        "title": title,
        "author": author_id,
        "date": date,
        "source_url": source_url,
        "lang": lang,
    }
    return f"{_front_matter(fields)}\n{body}\n"


def author_markdown(name: str, bio: Sequence[Unit]) -> str:
    """The author file: the name in the front matter, then the bio's paragraphs."""
    paragraphs = "\n\n".join(_paragraph_markdown(replace(u, kind="paragraph")) for u in bio)
    return _front_matter({"name": name}) + paragraphs + "\n"
