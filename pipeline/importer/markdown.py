"""Markdown that renders verbatim: the article and author files' text.

Everything CommonMark would read as markup is escaped, so each sentence shows exactly as the
page wrote it, and the front matter is dumped by YAML, which quotes whatever it would misread.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..sources.markdown import MAX_NESTING
from ..sources.pyyaml import yaml
from .units import NOTE_REF, Note, Unit, shown_text

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
    """Escape a line that starts a paragraph, so it is not read as a heading, list or quote.

    A reference to a note in it (:data:`.units.NOTE_REF`) becomes ``[^1]``; a colon after one
    is escaped, as ``[^1]:`` at the start of a line would define the note instead."""
    escaped = escape_inline(text)
    escaped = _BLOCK_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped
    )
    return _note_refs(escaped)


#: A reference as the Markdown has it, and a character after it to escape.
_AFTER_REF = re.compile(r"(\[\^[0-9]+\])([:(])")


def _note_refs(escaped: str) -> str:
    """Escaped text with each reference to a note (:data:`.units.NOTE_REF`) as ``[^1]``.

    What follows one is escaped where it would make the reference something else: a colon
    (``[^1]:`` at the start of a line defines the note), a "(" (``[^1](url)`` is a link)."""
    return _AFTER_REF.sub(r"\1\\\2", NOTE_REF.sub(r"[^\1]", escaped))


def _lines(text: str, lead: str, indent: str) -> str:
    """A block's lines after ``lead``, a line break within it a hard break, the next lines
    indented by ``indent`` (what keeps them in their list item or quotation)."""
    return lead + f"\\\n{indent}".join(escape_line(line) for line in text.split("\n"))


def _paragraph_markdown(unit: Unit) -> str:
    """A paragraph or quotation as a Markdown block; line breaks within it stay line breaks."""
    lead = "> " if unit.kind == "quote" else ""
    return _lines(unit.text, lead, lead)


@dataclass
class _OpenItem:
    """A list item the next items may nest in or continue."""

    #: The column its text starts at, where what is inside it is indented to.
    column: int
    #: Its marker's style: "-" or "*" for a bullet, "." or ")" after a number.
    style: str


#: The deepest an item is written: the source format refuses lists nested more than
#: MAX_NESTING deep, so the items below that level are kept at the deepest one.
_MAX_DEPTH = MAX_NESTING - 1


def _item_markdown(unit: Unit, open_items: list[_OpenItem]) -> str:
    """A list item (or an item's next paragraph), indented under the items it is inside.

    ``open_items`` holds the items open at each depth and is brought up to date. An item is
    never deeper than one below the items open before it, so each nests under the one before;
    a list right after another at the same depth takes the other marker (``-`` and ``*``,
    ``1.`` and ``1)``), since CommonMark would read the same marker as the same list.
    """
    if not unit.marker:
        depth = min(unit.depth, _MAX_DEPTH)
        if depth >= len(open_items):
            # No item to continue: the paragraph stands on its own.
            open_items.clear()
            return _lines(unit.text, "", "")
        del open_items[depth + 1 :]
        indent = " " * open_items[depth].column
        return _lines(unit.text, indent, indent)
    depth = min(unit.depth, len(open_items), _MAX_DEPTH)
    ordered = unit.marker[:-1].isdigit()
    styles = (".", ")") if ordered else ("-", "*")
    previous = open_items[depth].style if depth < len(open_items) else ""
    if previous in styles and not unit.starts_list:
        style = previous
    else:
        style = styles[1] if previous == styles[0] else styles[0]
    marker = f"{unit.marker[:-1]}{style}" if ordered else style
    column = open_items[depth - 1].column if depth else 0
    del open_items[depth:]
    open_items.append(_OpenItem(column + len(marker) + 1, style))
    return _lines(unit.text, " " * column + marker + " ", " " * (column + len(marker) + 1))


def _cell(text: str) -> str:
    """A table cell's text, its "|" escaped so it stays one cell, a reference ``[^1]``."""
    return _note_refs(escape_inline(text).replace("|", "\\|"))


def _table_markdown(unit: Unit) -> str:
    """A GFM table, its first row the header; a cell's "|" is escaped so it stays one cell."""

    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(_cell(c) for c in cells) + " |"

    header, *rows = unit.rows
    rule = "| " + " | ".join("---" for _ in header) + " |"
    return "\n".join([row(header), rule, *(row(r) for r in rows)])


def _figure_markdown(unit: Unit, path: str) -> str:
    """``![alt](path "caption")``; the path is relative to ``sources/``."""
    alt = escape_inline(shown_text(unit.text))
    caption = shown_text(unit.caption).replace("\\", "\\\\").replace('"', '\\"')
    return f"![{alt}]({path}" + (f' "{caption}")' if caption else ")")


def _heading_markdown(text: str, depth: int) -> str:
    # Every "#" is escaped so a trailing one is not taken as a closing sequence.
    return "#" * depth + " " + escape_inline(shown_text(text)).replace("#", "\\#")


def _note_markdown(note: Note) -> str:
    """A note's definition, ``[^1]: text``, its later paragraphs indented to stay in it."""
    first, *rest = note.paragraphs
    return "\n\n".join(
        [_lines(first, f"[^{note.number}]: ", "    "), *(_lines(p, "    ", "    ") for p in rest)]
    )


@dataclass(frozen=True)
class Body:
    """The article body's Markdown, and what the dry run says about it."""

    text: str
    #: Each section's heading with its number of paragraphs, in order.
    sections: tuple[tuple[str, int], ...]
    #: Paragraphs before the first section.
    lede: int
    #: The notes the body refers to, whose definitions end it.
    notes: tuple[Note, ...]
    #: The notes nothing in the body refers to any more (their reference was in a line
    #: dropped as boilerplate, a byline, the bio): a build would not show them.
    unreferenced: tuple[Note, ...]


def _as_marks(text: str, marks: Mapping[int, str]) -> str:
    """``text`` with each reference to one of the notes ``marks`` holds (by number) as that
    note's mark in brackets."""
    return NOTE_REF.sub(
        lambda m: f"[{marks[int(m.group(1))]}]" if int(m.group(1)) in marks else m.group(0),
        text,
    )


def _without_refs(unit: Unit, marks: Mapping[int, str]) -> Unit:
    rows = tuple(tuple(_as_marks(c, marks) for c in row) for row in unit.rows)
    return replace(unit, text=_as_marks(unit.text, marks), rows=rows)


def body_markdown(
    body: Sequence[Unit],
    figures: Mapping[str, str] | None = None,
    notes: Sequence[Note] = (),
) -> Body:
    """The article body, with each section's paragraph count and the lede's.

    ``figures`` maps a figure unit's image file to its path relative to ``sources/``;
    ``notes`` are the page's footnotes, whose definitions follow the last section.
    """
    empty = {n.number: n.mark or str(n.number) for n in notes if not n.paragraphs}
    if empty:
        # A note with no text (only its link back) has no definition: a reference to it is
        # its mark in brackets, as the page showed it ("[b]", "[8]"), not a "[^3]" that
        # renders raw, nor the number it would have had here.
        body = [_without_refs(u, empty) for u in body]
        notes = [
            replace(n, paragraphs=tuple(_as_marks(p, empty) for p in n.paragraphs)) for n in notes
        ]
    headings = [u.level for u in body if u.kind == "heading"]
    top = min(headings, default=2)
    blocks: list[str] = []
    sections: list[tuple[str, int]] = []
    lede = 0
    open_items: list[_OpenItem] = []
    for unit in body:
        if unit.kind != "item":
            open_items.clear()
        if unit.kind == "heading" and unit.level == top:
            sections.append((shown_text(unit.text), 0))
            blocks.append(_heading_markdown(unit.text, 2))
        elif unit.kind == "heading":
            blocks.append(_heading_markdown(unit.text, min(6, 2 + unit.level - top)))
        else:
            if unit.kind == "table":
                blocks.append(_table_markdown(unit))
            elif unit.kind == "figure":
                blocks.append(_figure_markdown(unit, (figures or {})[unit.src]))
            elif unit.kind == "item":
                blocks.append(_item_markdown(unit, open_items))
            else:
                blocks.append(_paragraph_markdown(unit))
            if sections:
                sections[-1] = (sections[-1][0], sections[-1][1] + 1)
            else:
                lede += 1
    referred = {
        int(number)
        for unit in body
        if unit.kind != "heading"
        for text in (unit.text, *(cell for row in unit.rows for cell in row))
        for number in NOTE_REF.findall(text)
    }
    # A note the body refers to may refer to another ("see also note 2"), which is shown too,
    # however long the chain.
    by_number = {n.number: n for n in notes}
    todo = sorted(referred)
    while todo:
        note = by_number.get(todo.pop())
        for paragraph in note.paragraphs if note is not None else ():
            for number in map(int, NOTE_REF.findall(paragraph)):
                if number not in referred:
                    referred.add(number)
                    todo.append(number)
    shown = tuple(n for n in notes if n.number in referred and n.paragraphs)
    blocks += [_note_markdown(note) for note in shown]
    numbers = {n.number for n in shown}
    unreferenced = tuple(n for n in notes if n.number not in numbers)
    return Body("\n\n".join(blocks), tuple(sections), lede, shown, unreferenced)


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
    # A bio is a file of its own, where the article's notes are not: a reference in it is
    # its number in brackets.
    paragraphs = "\n\n".join(
        _paragraph_markdown(replace(u, kind="paragraph", text=shown_text(u.text))) for u in bio
    )
    return _front_matter({"name": name}) + paragraphs + "\n"
