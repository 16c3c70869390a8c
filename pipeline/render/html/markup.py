"""A brief's blocks as HTML: inline markup, heading levels, and lists gathered from items."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from markupsafe import Markup, escape

from ...model import Article, Block, BriefBlock, Figure, Run, list_style
from .. import pieces

#: Characters a URL may not hold as they are (RFC 3986), besides controls, spaces and non-ASCII.
_NOT_IN_URLS = frozenset('"<>\\^`{|}')


def href(url: str) -> str:
    """A link target as a valid URL: the characters a URL may not hold are percent-encoded.

    Sources may give ``https://example.org/?q="x"``; browsers encode the quotes themselves, but
    the HTML would not be valid with them. Letters beyond ASCII stay as they are (an IRI).
    """
    return "".join(
        quote(c) if c in _NOT_IN_URLS or ord(c) <= 32 or ord(c) == 127 else c for c in url
    )


def inline_html(item: BriefBlock | Block) -> Markup:
    """A block's text with its inline styles, highlights as ``<mark>``, everything escaped.

    Python rather than a template macro: a brief has thousands of runs, and a macro call per
    run made them most of the time an HTML brief takes.
    """
    if not isinstance(item, BriefBlock):
        item = BriefBlock(item)
    parts = []
    for piece in pieces(item):
        markup = "".join(_run_html(run) for run in piece.runs)
        parts.append(f"<mark>{markup}</mark>" if piece.highlighted else markup)
    return Markup("".join(parts))


def cell_html(cell: Sequence[Run]) -> Markup:
    """A table cell's runs as inline HTML, like a block's."""
    return inline_html(Block("paragraph", tuple(cell), 0))


def image_src(figure: Figure) -> str:
    """A figure's image as a ``data:`` URL, so the page stays one file that fetches nothing."""
    return f"data:{figure.media_type};base64,{base64.b64encode(figure.data).decode('ascii')}"


def referenced_notes(article: Article) -> frozenset[int]:
    """The footnotes some text of the brief refers to: only those get a link back to it (a
    reference in a ``##`` heading, which is plain text, is not shown)."""
    runs = [run for block in (*article.blocks(), *article.notes) for run in block.runs]
    for block in article.blocks():
        if block.table is not None:
            for row in (block.table.header, *block.table.rows):
                runs.extend(run for cell in row for run in cell)
    return frozenset(run.note for run in runs if run.note)


def note_ref_id(number: int, ref: int = 0) -> str:
    """The id of a footnote reference in the page (the note's own id is ``fn-<number>``)."""
    return f"fnref-{number}" if ref == 0 else f"fnref-{number}-{ref + 1}"


def _run_html(run: Run) -> str:
    if run.note:
        # A reference to a footnote: its number, linking to the note, which links back here.
        ref = note_ref_id(run.note, run.note_ref)
        return (
            f'<sup class="note-ref"><a href="#fn-{run.note}" id="{ref}" class="bare"'
            f' role="doc-noteref">{run.note}</a></sup>'
        )
    text = "<br>".join(escape(line) for line in run.text.split("\n"))
    if run.code:
        text = f"<code>{text}</code>"
    if run.italic:
        text = f"<em>{text}</em>"
    if run.bold:
        text = f"<strong>{text}</strong>"
    if run.href:
        # A link that shows its own address is styled apart (it may break anywhere).
        bare = ' class="bare"' if run.href in (run.text, f"mailto:{run.text}") else ""
        text = f'<a href="{escape(href(run.href))}"{bare}>{text}</a>'
    return text


def heading_levels(items: Sequence[BriefBlock | Block], base: int) -> list[int]:
    """The HTML heading level of each item (0 for a block that is not a heading).

    Levels follow how the Markdown headings nest, not their numbers, so that ``##`` followed by
    ``####`` still gives consecutive levels: the page never skips a level (WCAG 1.3.1, and
    the Nu Html Checker's "skipping a heading level"). ``base`` is the level of a top heading.
    """
    levels: list[int] = []
    open_headings: list[tuple[int, int]] = []  # (Markdown level, HTML level), outermost first
    for item in items:
        block = item.block if isinstance(item, BriefBlock) else item
        if block.kind != "heading":
            levels.append(0)
            continue
        while open_headings and open_headings[-1][0] >= block.level:
            open_headings.pop()
        level = open_headings[-1][1] + 1 if open_headings else base
        open_headings.append((block.level, level))
        levels.append(min(level, 6))
    return levels


@dataclass
class ListEntry:
    """One list item: its paragraphs (and quotations) and the lists nested in it."""

    blocks: list[BriefBlock] = field(default_factory=list)
    nested: list[ListNode] = field(default_factory=list)
    #: Both, in the order the source has them: a paragraph after a nested list stays after it.
    parts: list[BriefBlock | ListNode] = field(default_factory=list)


@dataclass
class ListNode:
    """A list as HTML has it (``<ul>`` or ``<ol start>``), built from the model's flat items."""

    ordered: bool
    start: int
    entries: list[ListEntry] = field(default_factory=list)
    #: The kind of its markers, as :func:`pipeline.model.list_style` names it ("•", "1.",
    #: "a.", "(A)"...).
    kind: str = "•"

    @property
    def type(self) -> str:
        """The ``<ol type>`` its markers count in: "1", "a", "A", "i" or "I"."""
        return next((char for char in self.kind if char.isalnum()), "1")

    @property
    def marker_class(self) -> str:
        """brief.css's class for letters in brackets, "(a)" or "a)", which HTML's own lettered
        lists write "a."; empty for any other list."""
        if not self.type.isalpha():
            return ""
        case = "lower" if self.type == "a" else "upper"
        if self.kind.startswith("("):
            return f"marker-parens-{case}"
        return f"marker-close-{case}" if self.kind.endswith(")") else ""


@dataclass(frozen=True)
class Leaf:
    """A block outside any list, with the heading level it gets (0 if it is no heading)."""

    item: BriefBlock
    level: int


def block_tree(items: Sequence[BriefBlock | Block], base: int) -> list[Leaf | ListNode]:
    """A run of blocks as the page shows them: list items gathered into nested lists.

    The model keeps list items flat, each with its depth and marker, so every paragraph stays a
    block of its own; screen readers need real lists to announce them as lists (WCAG 1.3.1).
    A list item's second paragraph has no marker and joins the item before it, as does a
    quotation in it (``in_item``), which may also open it.
    """
    levels = heading_levels(items, base)
    tree: list[Leaf | ListNode] = []
    open_lists: list[ListNode] = []  # the lists being filled, outermost first
    for raw, level in zip(items, levels, strict=True):
        item = raw if isinstance(raw, BriefBlock) else BriefBlock(raw)
        block = item.block
        if block.kind != "item" and not block.in_item:
            open_lists.clear()
            tree.append(Leaf(item, level))
            continue
        depth = min(block.level, len(open_lists))
        kind, place = list_style(block.marker, block.roman)
        del open_lists[depth + 1 :]
        if depth < len(open_lists) and block.marker and open_lists[depth].kind != kind:
            del open_lists[depth:]  # a bullet list right after a numbered one: a new list
        if depth == len(open_lists):
            node = ListNode(kind not in ("•", ""), place, kind=kind or "•")
            if open_lists and open_lists[-1].entries:
                open_lists[-1].entries[-1].nested.append(node)
                open_lists[-1].entries[-1].parts.append(node)
            else:
                tree.append(node)
            open_lists.append(node)
        node = open_lists[depth]
        if block.marker or not node.entries:
            node.entries.append(ListEntry())
        node.entries[-1].blocks.append(item)
        node.entries[-1].parts.append(item)
    return tree
