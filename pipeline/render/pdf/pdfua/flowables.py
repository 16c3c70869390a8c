"""Flowables that tag what they draw: the layer between a platypus story and the tree.

:class:`Tags` is what story-building code uses: it wraps each flowable as it is made, so the
story stays an ordinary list of flowables. A wrapper sizes, splits and draws exactly like the
flowable it wraps; while drawing, it tells the :class:`~.canvas.TaggedCanvas` which element
the text belongs to (:class:`Tagged`), or that everything is decoration (:class:`Decoration`).

Inside a paragraph, highlighted runs become ``Span`` elements and links ``Link`` elements.
ReportLab draws a paragraph's lines in one text object, so their edges are marked from inside
it: zero-width ``<onDraw>`` fragments go into the paragraph's fragments where a run starts or
ends, and ReportLab calls the canvas back at that point of the line as it draws.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.abag import ABag
from reportlab.platypus import Flowable, Paragraph

from ..internals import draw_on, frame_of, lent_frame
from ..mirroring import logical
from .structure import Element, MarkedContent, StructureTree

#: Name of the canvas callback that ``<onDraw>`` fragments call.
MARK_CALLBACK = "pdfua-mark"


@dataclass(frozen=True, eq=False)
class InlineMark:
    """Where an inline element starts (``opens``) or ends, inside a text object's code."""

    element: Element
    opens: bool


@dataclass(eq=False)
class InlineState:
    """Inline elements still open when a paragraph piece ends: the next piece continues them."""

    open: list[Element] = field(default_factory=list)

    def __deepcopy__(self, memo: dict[int, Any]) -> InlineState:
        return self


class _Wrapper(Flowable):
    """Lays out like ``flowable``, and draws it between :meth:`_begin` and :meth:`_end`."""

    def __init__(self, flowable: Flowable):
        super().__init__()
        self.flowable = flowable

    def __getattr__(self, name: str) -> Any:
        # Platypus reads optional attributes (style, keepWithNext, ...) off flowables, and sets
        # some on them (keepWithNext=0 once grouped): those set on the wrapper win, so
        # getKeepWithNext() must stay Flowable's, which looks here first.
        if name == "flowable" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.flowable, name)

    def _rewrap(self, piece: Flowable) -> Flowable:
        raise NotImplementedError

    def _begin(self, canvas: Any) -> None:
        raise NotImplementedError

    def _end(self, canvas: Any) -> None:
        raise NotImplementedError

    def wrapOn(
        self, canv: Any, available_width: float, available_height: float
    ) -> tuple[float, float]:
        self.width, self.height = self.flowable.wrapOn(canv, available_width, available_height)
        return self.width, self.height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # A frame sets .canv on the flowable it adds and then calls wrap(), not wrapOn().
        return self.wrapOn(getattr(self, "canv", None), available_width, available_height)

    def splitOn(self, canv: Any, available_width: float, available_height: float) -> list[Flowable]:
        # A frame sets ._frame on the flowable it asks to split, for the duration of the call:
        # the wrapped flowable reads it to tell whether it is at the top of the frame, or
        # whether the frame could ever hold it (a paragraph taller than a page breaks anywhere).
        with lent_frame(self.flowable, frame_of(self)):
            pieces = self.flowable.splitOn(canv, available_width, available_height)
        return [self._rewrap(p) for p in pieces]

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return self.splitOn(getattr(self, "canv", None), available_width, available_height)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if not hasattr(canvas, "begin_content"):
            raise TypeError("tagged flowables must be drawn on a TaggedCanvas")
        self._begin(canvas)
        draw_on(self.flowable, canvas, x, y, _sW)
        self._end(canvas)

    def getSpaceBefore(self) -> float:
        return float(self.flowable.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.flowable.getSpaceAfter())

    def minWidth(self) -> float:
        return float(self.flowable.minWidth())

    def identity(self, maxLen: int | None = None) -> str:
        return f"{type(self).__name__}({self.flowable.identity(maxLen)})"


class Tagged(_Wrapper):
    """A flowable whose text is the content of ``body`` (and of ``label``, for a bullet).

    ReportLab draws a list item's bullet as its own text object before the item's text, so
    when the piece being drawn has a bullet, the first text object is the label's. The pieces
    of a split flowable are the same element's; a piece that is a new paragraph (made from
    markup, not cut from this one's lines) gets its own inline elements.
    """

    def __init__(
        self,
        flowable: Flowable,
        body: Element,
        label: Element | None = None,
        inline: InlineState | None = None,
        tree: StructureTree | None = None,
    ):
        super().__init__(flowable)
        self.body, self.label, self.tree = body, label, tree
        self.inline = inline or InlineState()

    def _rewrap(self, piece: Flowable) -> Flowable:
        if self.tree is not None and isinstance(piece, Paragraph):
            # A piece whose markup is read only when it is needed is marked then.
            when_made = getattr(piece, "when_made", None)
            if when_made is None:
                self._mark_piece(piece)
            else:
                when_made(self._mark_piece)
        return Tagged(piece, self.body, self.label, self.inline, self.tree)

    def _mark_piece(self, piece: Paragraph) -> None:
        assert self.tree is not None
        fresh = isinstance(piece.text, str)  # not cut from lines
        if fresh and _needs_markers(piece.frags):
            # A new paragraph is usually laid out before split() returns it, and layout turns
            # its fragments into lines of words: parse its markup again, mark it, and let it be
            # laid out again (the markers are zero-width, so the lines come out the same).
            Paragraph.__init__(piece, piece.text, piece.style, piece.bulletText)
            piece.__dict__.pop("blPara", None)
            _mark_inline(piece, self.tree, self.body)

    def _begin(self, canvas: Any) -> None:
        has_bullet = self.label is not None and getattr(self.flowable, "bulletText", None)
        targets = [self.label, self.body] if has_bullet else [self.body]
        canvas.begin_content(targets, self.inline)

    def _end(self, canvas: Any) -> None:
        canvas.end_content()


class HeaderCell(Tagged):
    """A table's header cell: the header row is drawn again on each page a table goes on to,
    and only its first drawing is the cell's content; the repeats are artifacts."""

    def _rewrap(self, piece: Flowable) -> Flowable:
        return HeaderCell(piece, self.body, self.label, self.inline, self.tree)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if not any(isinstance(kid, MarkedContent) for kid in self.body.kids):
            super().drawOn(canvas, x, y, _sW)
            return
        canvas.begin_artifact()
        draw_on(self.flowable, canvas, x, y, _sW)
        canvas.end_artifact()


class FigureContent(_Wrapper):
    """A flowable that draws no text (an image), all of it the content of ``element``, a
    Figure whose /BBox is set where it lands."""

    def __init__(self, flowable: Flowable, element: Element):
        super().__init__(flowable)
        self.element = element

    def _rewrap(self, piece: Flowable) -> Flowable:
        return FigureContent(piece, self.element)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        # Where the flowable draws itself: ReportLab moves it into the room it does not take.
        align = getattr(self.flowable, "hAlign", "LEFT")
        left = x + {"CENTER": _sW / 2, "CENTRE": _sW / 2, "RIGHT": _sW}.get(align, 0.0)
        self.element.bbox = (left, y, left + self.width, y + self.height)
        super().drawOn(canvas, x, y, _sW)

    def _begin(self, canvas: Any) -> None:
        canvas.begin_figure(self.element)

    def _end(self, canvas: Any) -> None:
        canvas.end_figure()


class Decoration(_Wrapper):
    """A flowable drawn as an artifact (rules, boxes, backgrounds); tagged flowables inside
    it, such as the paragraphs in a layout table's cells, still tag their own text."""

    def _rewrap(self, piece: Flowable) -> Flowable:
        return Decoration(piece)

    def _begin(self, canvas: Any) -> None:
        canvas.begin_artifact()

    def _end(self, canvas: Any) -> None:
        canvas.end_artifact()


class Tags:
    """Tags flowables as a story is built, in reading order, and keeps their tree.

    ``text`` is the paragraph's text in reading order, when the caller has it. Where the
    paragraph draws something else (right-to-left text is drawn in visual order, so its
    letters come out of the page reversed), that text becomes the element's /ActualText,
    which assistive technology reads instead of the drawn glyphs.
    """

    def __init__(self, lang: str):
        self.tree = StructureTree(lang)

    def paragraph(self, flowable: Flowable, role: str = "P", text: str | None = None) -> Flowable:
        """A paragraph-like block (``P``, or ``BlockQuote``)."""
        return self._tagged(flowable, self.tree.block(role), text=text)

    def heading(self, flowable: Flowable, level: int, text: str | None = None) -> Flowable:
        """A heading of ``level`` (1 for the title); levels never skip."""
        return self._tagged(flowable, self.tree.heading(level), text=text)

    def list_item(
        self,
        flowable: Flowable,
        depth: int = 0,
        text: str | None = None,
        label_text: str | None = None,
        kind: str = "",
        role: str = "",
    ) -> Flowable:
        """A list item whose bullet (``bulletText``) is its label; consecutive items of one
        ``kind`` form a list.

        ``label_text`` is the label in reading order where the bullet draws it in another (a
        right-to-left item's "1.", drawn ".1"): what a reader hears as the label. With a
        ``role`` ("BlockQuote"), the item's text is an element of that role in its body: an
        item that opens with a quotation.
        """
        label, body = self.tree.list_item(depth, kind)
        if label_text is not None:
            label.attributes["ActualText"] = label_text
        if role:
            body = Element(role, body)
        elif _reordered(flowable, text):
            # The item's own text as a Span with the /ActualText: on the LBody itself it would
            # stand for the list nested in the item too, which a reader would then not hear.
            body = Element("Span", body)
        return self._tagged(flowable, body, label, text)

    def list_paragraph(
        self, flowable: Flowable, depth: int = 0, text: str | None = None, role: str = "P"
    ) -> Flowable:
        """A further paragraph (or, with ``role`` "BlockQuote", a quotation) of the list item
        at ``depth``, in that item, with no label."""
        return self._tagged(flowable, self.tree.list_paragraph(depth, role), text=text)

    def table_cells(self, rows: int, columns: int) -> list[list[Element]]:
        """The elements of a new table's cells, row by row (the first row the header)."""
        return self.tree.table(rows, columns)

    def cell(self, flowable: Flowable, element: Element, text: str | None = None) -> Flowable:
        """The content of one table cell (an element from :meth:`table_cells`)."""
        tagged = self._tagged(flowable, element, text=text)
        if element.role == "TH":
            assert isinstance(tagged, Tagged)
            return HeaderCell(tagged.flowable, tagged.body, tree=self.tree)
        return tagged

    def note(self, flowable: Flowable, key: str, text: str | None = None) -> Flowable:
        """A footnote (``Note``), whose /ID is ``key``: unique in the document."""
        element = self.tree.block("Note")
        element.attributes["ID"] = key
        # Its number (the paragraph's bulletText) is its label, as a list item's bullet is.
        return self._tagged(flowable, element, Element("Lbl", element), text=text)

    def note_parts(self, key: str) -> tuple[Element, Element]:
        """A footnote (``Note``, /ID ``key``) and its label (``Lbl``), for a note whose number
        and text are laid out apart; each is given its content with :meth:`cell`."""
        element = self.tree.block("Note")
        element.attributes["ID"] = key
        return element, Element("Lbl", element)

    def figure(self, flowable: Flowable, alt: str) -> Flowable:
        """An image (a flowable that draws no text), tagged Figure with ``alt`` as its /Alt."""
        element = self.tree.block("Figure")
        element.attributes["Alt"] = alt
        return FigureContent(flowable, element)

    def caption(self, flowable: Flowable, text: str) -> Flowable:
        """A figure's caption, tagged Caption, after its Figure."""
        return self._tagged(flowable, self.tree.block("Caption"), text=text)

    def decoration(self, flowable: Flowable) -> Flowable:
        """A flowable that is only decoration, apart from tagged flowables inside it."""
        return Decoration(flowable)

    def _tagged(
        self,
        flowable: Flowable,
        body: Element,
        label: Element | None = None,
        text: str | None = None,
    ) -> Flowable:
        if isinstance(flowable, Paragraph):
            _mark_inline(flowable, self.tree, body)
            if text is not None and _reordered(flowable, text):
                body.attributes["ActualText"] = text
        return Tagged(flowable, body, label, tree=self.tree)


def _reordered(flowable: Flowable, text: str | None) -> bool:
    """Whether ``flowable``, a paragraph of right-to-left ``text``, draws it in another order
    (visual order), so that the text needs an /ActualText."""
    return (
        isinstance(flowable, Paragraph)
        and text is not None
        and bool(_RIGHT_TO_LEFT.search(text))
        and _squeeze(text) != _squeeze(flowable.getPlainText())
    )


#: Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, ... and their presentation
#: forms): only text with these is drawn in another order than it is read.
_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _inline_keys(frag: Any) -> list[tuple[Any, ...]]:
    """The inline elements a fragment is in, outermost first: a highlight, then a link."""
    keys: list[tuple[Any, ...]] = []
    if getattr(frag, "backColor", None) is not None:
        keys.append(("Span",))
    if getattr(frag, "link", None):
        keys.append(("Link", *frag.link))
    return keys


def _needs_markers(frags: Any) -> bool:
    """Whether paragraph fragments (a list, or, once laid out, lists of words holding
    (fragment, text) pairs) have highlighted or linked runs but no markers yet."""
    found = list(_fragments(frags))
    marked = any(getattr(getattr(f, "cbDefn", None), "name", None) == MARK_CALLBACK for f in found)
    return not marked and any(_inline_keys(f) for f in found)


def _fragments(frags: Any, depth: int = 0) -> Iterator[Any]:
    for frag in frags or ():
        if isinstance(frag, list | tuple):
            if depth < 3:
                yield from _fragments(frag, depth + 1)
        elif hasattr(frag, "fontName"):
            yield frag


def _marker(frag: Any, mark: InlineMark) -> Any:
    marker = copy.copy(frag)
    marker.text = ""
    marker.cbDefn = ABag(kind="onDraw", name=MARK_CALLBACK, label=mark)
    return marker


def _mark_inline(paragraph: Paragraph, tree: StructureTree, body: Element) -> None:
    """Put start and end markers around the paragraph's highlighted and linked runs."""
    frags = getattr(paragraph, "frags", None)
    if not frags or not any(_inline_keys(f) for f in frags):
        return
    result: list[Any] = []
    open_: list[tuple[tuple[Any, ...], Element]] = []
    for frag in frags:
        wanted = _inline_keys(frag)
        keep = 0
        while keep < min(len(open_), len(wanted)) and open_[keep][0] == wanted[keep]:
            keep += 1
        for _key, element in reversed(open_[keep:]):
            result.append(_marker(frag, InlineMark(element, opens=False)))
        del open_[keep:]
        for key in wanted[keep:]:
            parent = open_[-1][1] if open_ else body
            href = key[-1][1] if key[0] == "Link" else ""
            element = tree.inline(key[0], parent, href=href)
            result.append(_marker(frag, InlineMark(element, opens=True)))
            open_.append((key, element))
        for _key, element in open_:
            if element.role == "Link":
                element.text += logical(frag.text)
        result.append(frag)
    for _key, element in reversed(open_):
        result.append(_marker(frags[-1], InlineMark(element, opens=False)))
    paragraph.frags = result
