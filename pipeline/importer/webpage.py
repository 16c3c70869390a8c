"""Reading a saved web page: its charset, its content root, its meta tags, tables and images.

The page is decoded as browsers decode it (:mod:`.charset`) and parsed by html5lib as the HTML
standard says (:mod:`.tree`), each node keeping its line. Units come from the ``<article>``
element (else ``<main>``, else the body): one for each paragraph, list item, quote, heading,
data table and image. Navigation, asides and forms inside it, the page's footer, skip links,
what the markup marks as site furniture, hidden elements and reader comments (:mod:`.hidden`),
and all text outside it, are reported as dropped.

Nesting is only as deep as the page makes it, so every walk of the tree keeps its own stack
instead of recursing: a page of a thousand nested ``<div>`` reads like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..sources.patterns import LANG_PATTERN
from .boilerplate import is_skip_link
from .charset import decode_page
from .hidden import left_out
from .tree import Element as _Element
from .tree import Text as _Text
from .tree import parse_page
from .units import Drop, Page, Unit, UnitKind

#: Elements whose content is not article text at all (code, media, form controls, the head).
_SKIP = frozenset(
    """script style noscript template svg math iframe canvas button select option textarea
    head title object video audio picture map #comment #doctype""".split()
)
#: Site chrome inside the content: left out, and reported line by line.
_CHROME = frozenset({"nav", "aside", "form", "dialog"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements that start a block of their own: their text is never joined to the text around them.
_BLOCKS = frozenset(
    """address article aside blockquote body center dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p
    pre section summary table tbody td tfoot th thead tr ul caption""".split()
)
#: Stands for <br> while whitespace is collapsed (a character no web page text contains).
_BREAK = "\x1e"


def _iter(element: _Element) -> Iterator[_Element]:
    """The elements inside ``element``, in document order."""
    todo = [c for c in reversed(element.children) if isinstance(c, _Element)]
    while todo:
        current = todo.pop()
        yield current
        todo.extend(c for c in reversed(current.children) if isinstance(c, _Element))


def _mark_blocks(tree: _Element) -> None:
    """Set ``has_block`` on every element, children before parents, in one pass."""
    for element in reversed([tree, *_iter(tree)]):
        element.has_block = any(
            isinstance(c, _Element) and (c.tag in _BLOCKS or c.tag in _CHROME or c.has_block)
            for c in element.children
        )


def _raw_text(
    node: _Element | _Text,
    dropped: list[Drop] | None = None,
    images: list[_Element] | None = None,
) -> str:
    """The text of a node, ``<br>`` as a break; without scripts, styles and the like.

    With ``dropped``, hidden elements and reader comments inside are left out and each is
    added to it; without, their text is kept (it is the text of something already dropped).
    With ``images``, the ``<img>`` elements inside are added to it.
    """
    parts: list[str] = []
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, _Text):
            parts.append(current.text)
        elif current.tag == "br":
            parts.append(_BREAK)
        elif current.tag in _SKIP:
            continue
        elif current.tag == "img" and images is not None:
            images.append(current)
        elif dropped is not None and (reason := _left_out(current)):
            _drop_inline(current, dropped, reason)
        else:
            todo.extend(reversed(current.children))
    return "".join(parts)


#: Elements whose footer is theirs, not the page's (the HTML-AAM mapping of ``contentinfo``).
_SCOPES_A_FOOTER = frozenset({"article", "aside", "main", "nav", "section"})


def _left_out(element: _Element) -> str:
    """Why an element is not the article's text, by its own markup ("" when it is)."""
    if reason := left_out(element.attrs):
        return reason
    if element.tag == "a" and element.attrs.get("href", "").startswith("#"):
        # "Jump to navigation": a link to a place on the same page is a skip link.
        return "web boilerplate" if is_skip_link(_clean(_raw_text(element))) else ""
    return ""


def _is_page_footer(element: _Element) -> bool:
    """Whether a ``<footer>`` is the page's (the site's), not an article's or a section's."""
    if element.tag != "footer":
        return False
    parent = element.parent
    while parent is not None and parent.tag not in _SCOPES_A_FOOTER:
        parent = parent.parent
    return parent is None


def _clean(raw: str) -> str:
    """HTML whitespace rules: runs of spaces and newlines are one space; <br> is a line break."""
    text = re.sub(r"[ \t\n\r\f]+", " ", raw)
    lines = (line.strip() for line in text.split(_BREAK))
    return "\n".join(line for line in lines if line)


@dataclass
class _Collector:
    """Gathers a page's units in order, joining loose inline text into one unit."""

    units: list[Unit] = field(default_factory=list)
    #: Lines left out of the units (site chrome, hidden elements, reader comments), and why.
    dropped: list[Drop] = field(default_factory=list)
    #: Collect chrome as ordinary units, in document order (for text that is all left out).
    chrome_is_text: bool = False
    #: Collect everything as ordinary units: the content of an element that is itself dropped.
    everything: bool = False
    pending: list[str] = field(default_factory=list)
    pending_line: int = 0
    #: Images met in the pending text: they become figures after it.
    images: list[_Element] = field(default_factory=list)

    @property
    def sink(self) -> list[Drop] | None:
        """Where inline text that is left out goes; None when everything is collected."""
        return None if self.everything else self.dropped

    def inline(self, raw: str, line: int) -> None:
        # A unit starts on the line of its first visible text, not of the whitespace before it.
        if raw.strip() and not "".join(self.pending).strip():
            self.pending_line = line
        self.pending.append(raw)

    def flush(self, kind: UnitKind, marker: str = "") -> None:
        text = _clean("".join(self.pending))
        if text:
            self.units.append(Unit(text, self.pending_line, kind, marker=marker))
        self.pending.clear()
        self.units.extend(_figure(image) for image in self.images)
        self.images.clear()


def _figure(image: _Element, caption: str = "") -> Unit:
    """A figure unit for an ``<img>``: its alt text (else its caption), source and caption."""
    alt = _clean(image.attrs.get("alt", "")).replace("\n", " ")
    src = image.attrs.get("src", "").strip()
    return Unit(alt or caption, image.line, "figure", src=src, caption=caption)


#: A walk of part of the tree: each step it yields is a walk of a part inside, which
#: :func:`_run` finishes before resuming it. The walks nest as deep as the page, not the stack.
_Walk = Iterator["_Walk"]


def _run(walk: _Walk) -> None:
    """Run a walk and every walk it yields, depth first, on a stack of our own."""
    stack = [walk]
    while stack:
        inner = next(stack[-1], None)
        if inner is None:
            stack.pop()
        else:
            stack.append(inner)


def _walk(
    element: _Element,
    out: _Collector,
    kind: UnitKind = "paragraph",
    marker: str = "",
    skip: _Element | None = None,
) -> _Walk:
    """Units of an element's content, in document order; ``skip`` is a subtree left out."""
    for child in element.children:
        if isinstance(child, _Text):
            out.inline(child.text, child.line)
        elif child is skip or child.tag in _SKIP:
            continue
        elif reason := _reason_to_drop(child, out):
            if child.tag in _BLOCKS or child.has_block:
                out.flush(kind, marker)
                yield _drop(child, out, reason, skip)
            else:
                # Hidden words inside a sentence: the sentence goes on around them.
                _drop_inline(child, out.dropped, reason)
        elif child.tag in _HEADINGS:
            out.flush(kind, marker)
            text = _clean(_raw_text(child, out.sink, out.images)).replace("\n", " ")
            if text:
                out.units.append(Unit(text, child.line, "heading", int(child.tag[1])))
            out.flush(kind, marker)
        elif child.tag == "img":
            out.images.append(child)
        elif child.tag == "figure" and (images := [e for e in _iter(child) if e.tag == "img"]):
            out.flush(kind, marker)
            captions = [e for e in _iter(child) if e.tag == "figcaption"]
            caption = (
                _clean(_raw_text(captions[0], out.sink)).replace("\n", " ") if captions else ""
            )
            out.units.extend(_figure(image, caption) for image in images)
        elif child.tag == "table" and _is_data_table(child):
            out.flush(kind, marker)
            yield from _table(child, out)
            out.flush(kind, marker)
        elif child.tag in ("ul", "ol"):
            out.flush(kind, marker)
            yield _walk_list(child, out, skip)
        elif child.tag in _BLOCKS or child.has_block:
            out.flush(kind, marker)
            inner_kind: UnitKind = "quote" if child.tag == "blockquote" else kind
            yield _walk(child, out, inner_kind, marker if inner_kind == kind else "", skip)
            out.flush(inner_kind, marker if inner_kind == kind else "")
        else:
            out.inline(_raw_text(child, out.sink, out.images), child.line)


def _rows(table: _Element) -> list[_Element]:
    """A table's rows in order: its own ``<tr>`` and those of its row groups."""
    rows: list[_Element] = []
    for child in table.children:
        if isinstance(child, _Element) and child.tag == "tr":
            rows.append(child)
        elif isinstance(child, _Element) and child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child.children if isinstance(c, _Element) and c.tag == "tr")
    return rows


def _cells(row: _Element) -> list[_Element]:
    return [c for c in row.children if isinstance(c, _Element) and c.tag in ("th", "td")]


def _is_data_table(table: _Element) -> bool:
    """Whether a table holds data (rows and columns) rather than laying out a page.

    A layout table says so (``role="presentation"``), holds another table, or is a single
    row or column: its content is read as blocks.
    """
    if table.attrs.get("role", "").strip().lower() in ("presentation", "none"):
        return False
    if any(e.tag == "table" for e in _iter(table)):
        return False
    rows = _rows(table)
    return len(rows) >= 2 and max(len(_cells(row)) for row in rows) >= 2


#: The most columns or rows one cell may span (colspan="1000" is not a thousand columns).
_MAX_SPAN = 50


def _span(cell: _Element, attribute: str) -> int:
    """How many columns (``colspan``) or rows (``rowspan``) a cell covers, at most _MAX_SPAN."""
    value = cell.attrs.get(attribute, "").strip()
    return min(int(value), _MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


def _fill_covered(cells: list[str], covered: dict[int, int]) -> None:
    """Add an empty cell for each column from the end of ``cells`` a cell above covers."""
    while covered.get(len(cells), 0) > 0:
        covered[len(cells)] -= 1
        cells.append("")


def _table(table: _Element, out: _Collector) -> _Walk:
    """A data table as a table unit, the header row first; its caption before it."""
    for child in table.children:
        if isinstance(child, _Element) and child.tag == "caption":
            yield _walk(child, out)
            out.flush("paragraph")
    rows: list[list[str]] = []
    # Columns still covered by a cell of a row above (rowspan): column -> rows left to cover.
    covered: dict[int, int] = {}
    for row in _rows(table):
        if _reason_to_drop(row, out):
            continue
        cells: list[str] = []
        for cell in _cells(row):
            _fill_covered(cells, covered)
            text = _clean(_raw_text(cell, out.sink, out.images)).replace("\n", " ")
            across = _span(cell, "colspan")
            down = _span(cell, "rowspan")
            for column in range(len(cells), len(cells) + across):
                if down > 1:
                    covered[column] = down - 1
            cells += [text] + [""] * (across - 1)
        _fill_covered(cells, covered)
        for column in range(len(cells), max(covered, default=-1) + 1):
            covered[column] = max(0, covered.get(column, 0) - 1)
        if any(cells):
            rows.append(cells)
    if not rows:
        return
    width = max(len(row) for row in rows)
    padded = tuple(tuple(row + [""] * (width - len(row))) for row in rows)
    text = "\n".join(" | ".join(row) for row in padded)
    out.units.append(Unit(text, table.line, "table", rows=padded))


def _reason_to_drop(element: _Element, out: _Collector) -> str:
    """Why ``element`` is left out of what ``out`` collects ("" when it is not)."""
    if out.everything:
        return ""
    if reason := _left_out(element):
        return reason
    if not out.chrome_is_text and _is_page_footer(element):
        return "site footer"
    return "site navigation" if element.tag in _CHROME and not out.chrome_is_text else ""


def _drop(element: _Element, out: _Collector, reason: str, skip: _Element | None) -> _Walk:
    """Record each unit of a dropped element's content in ``out.dropped``, with ``reason``."""
    inner = _Collector(chrome_is_text=True, everything=True)
    yield _walk(element, inner, skip=skip)
    inner.flush("paragraph")
    out.dropped.extend(Drop(u.text.replace("\n", " "), u.line, reason) for u in inner.units)


def _drop_inline(element: _Element, dropped: list[Drop], reason: str) -> None:
    """Record the text of a dropped inline element as one dropped line."""
    text = _clean(_raw_text(element)).replace("\n", " ")
    if text:
        dropped.append(Drop(text, element.line, reason))


def _walk_list(element: _Element, out: _Collector, skip: _Element | None) -> _Walk:
    start = element.attrs.get("start", "")
    number = int(start) if start.isdigit() else 1
    for child in element.children:
        if not isinstance(child, _Element) or child is skip or child.tag in _SKIP:
            continue
        if reason := _reason_to_drop(child, out):
            yield _drop(child, out, reason, skip)
            continue
        if child.tag != "li":
            yield _walk(child, out, "paragraph", "", skip)
            continue
        marker = f"{number}." if element.tag == "ol" else "-"
        number += 1
        yield _walk(child, out, "item", marker, skip)
        out.flush("item", marker)


def _articles(tree: _Element) -> tuple[list[_Element], list[_Element]]:
    """The outermost <article> elements: those a reader sees, and those hidden or in comments.

    An article inside another never has more text than the one around it, so only the
    outermost are candidates (and the text of each is counted once, however deep they nest).
    """
    seen: list[_Element] = []
    unseen: list[_Element] = []
    todo: list[tuple[_Element, bool]] = [(tree, False)]
    while todo:
        element, dropped = todo.pop()
        dropped = dropped or bool(left_out(element.attrs))
        if element.tag == "article":
            (unseen if dropped else seen).append(element)
            continue
        todo.extend((c, dropped) for c in reversed(element.children) if isinstance(c, _Element))
    return seen, unseen


def _content_root(tree: _Element) -> _Element:
    """The article element with the most text, else <main>, else the body, else everything.

    A hidden article, or one in a comment thread, is the root only when there is no other.
    """
    seen, unseen = _articles(tree)
    if seen or unseen:
        return max(seen or unseen, key=lambda e: len(_clean(_raw_text(e, []))))
    elements = list(_iter(tree))
    found = (
        next((e for e in elements if e.tag == "main"), None)
        or next((e for e in elements if e.attrs.get("role") == "main"), None)
        or next((e for e in elements if e.tag == "body"), None)
    )
    return found or tree


def _meta(tree: _Element, key: str) -> str:
    for e in _iter(tree):
        if e.tag == "meta" and key in (
            e.attrs.get("name", "").lower(),
            e.attrs.get("property", "").lower(),
        ):
            return e.attrs.get("content", "").strip()
    return ""


def _page_info(tree: _Element) -> tuple[str, str, str]:
    """The page's declared title, author and canonical address."""
    title = _meta(tree, "og:title")
    if not title:
        element = next((e for e in _iter(tree) if e.tag == "title"), None)
        title = (
            _clean("".join(c.text for c in element.children if isinstance(c, _Text)))
            if element
            else ""
        )
    url = next(
        (
            e.attrs.get("href", "")
            for e in _iter(tree)
            if e.tag == "link" and "canonical" in e.attrs.get("rel", "").split()
        ),
        "",
    ) or _meta(tree, "og:url")
    return title, _meta(tree, "author"), url.strip()


def _lang(root: _Element) -> str:
    """The language of ``root``: the ``lang`` of it or of the nearest element around it that
    has one, when it is a language tag; "" when none says ("" itself means unknown)."""
    element: _Element | None = root
    while element is not None:
        if "lang" in element.attrs:
            lang = element.attrs["lang"].strip()
            return lang if LANG_PATTERN.fullmatch(lang) else ""
        element = element.parent
    return ""


def read_page(data: bytes, name: str) -> Page:
    """A saved web page: the article element (or main content) with a real HTML parser."""
    tree = parse_page(decode_page(data, name))
    _mark_blocks(tree)
    root = _content_root(tree)
    content = _Collector()
    _run(_walk(root, content, skip=None))
    content.flush("paragraph")
    outside = _Collector(chrome_is_text=True)
    if root is not tree:
        _run(_walk(tree, outside, skip=root))
        outside.flush("paragraph")
    title, author_name, url = _page_info(tree)
    units = list(content.units)
    if not any(u.kind == "heading" and u.level == 1 for u in units):
        # A page may put its <h1> in a header above the article element.
        h1 = next((u for u in outside.units if u.kind == "heading" and u.level == 1), None)
        if h1 is not None:
            outside.units.remove(h1)
            units.insert(0, h1)
    drops = content.dropped + outside.dropped
    drops += [Drop(u.text.replace("\n", " "), u.line, "outside the article") for u in outside.units]
    blocks = [replace(u, block=i) for i, u in enumerate(units)]
    return Page(
        tuple(blocks),
        tuple(sorted(drops, key=lambda d: d.line)),
        title,
        author_name,
        url,
        _lang(root),
    )
