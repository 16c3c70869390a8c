"""A ReportLab canvas that writes marked content while drawing and a tagged PDF when saved.

Drawing is either *content* (text of a structure element, between ``/P <</MCID n>> BDC`` and
``EMC``), or an *artifact* (``/Artifact BMC`` ... ``EMC``: footers, rules, backgrounds,
underlines). Flowables from :mod:`.flowables` switch between the two; the canvas keeps the
marked-content operators balanced and never lets a sequence cross a text object's BT/ET.
Sequences that end up painting nothing are dropped, so no MCID is empty.

Saving adds what the file needs to claim PDF/UA-1 and PDF/A-2b: the structure tree,
/MarkInfo, /Lang, /ViewerPreferences /DisplayDocTitle, XMP metadata, an sRGB output intent,
/StructParents and /Tabs /S on every page, and /StructParent, /Contents and the print flag
on every link annotation. Everything is added to ReportLab's own objects before they are
serialised, so there is no second pass over the bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol, cast

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFImageXObject,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPages,
    PDFStream,
    PDFString,
    PDFTrueTypeFont,
)
from reportlab.pdfgen.canvas import Canvas

from ..internals import TimeStamp, date_document
from ..mirroring import logical_cmap
from .flowables import MARK_CALLBACK, InlineMark, InlineState
from .fonts import repair_metrics
from .metadata import DocumentInfo, metadata_stream, output_intent, profile_stream
from .serialise import FastArray, remembered_names
from .structure import Annotation, Element, StructureTree

#: A text-showing operator with something to show: ``(...) Tj`` or ``[...] TJ``.
_TEXT = r"\((?:[^\\)]|\\.)+\)\s*Tj|\]\s*TJ"
_SHOWS_TEXT = re.compile(_TEXT)
#: Operators that paint, at the end of a line of code: path painting, shading, XObjects; or text.
_PAINTS = re.compile(_TEXT + r"|(?:^|\s)(?:[fFSsBb]\*?|sh|Do)[ \t]*$", re.M)
#: ToUnicode entries that map a code to U+0000, which PDF/UA forbids (ISO 14289-1, 7.21.7).
_NULL_MAPPING = re.compile(r"^<[0-9A-F]{2}> <0000>\n", re.M)
_BFCHAR_COUNT = re.compile(r"^(\d+) beginbfchar$", re.M)
PDF_VERSION = (1, 7)
#: A named canvas callback, as ReportLab's stubs type it.
_Callback = Callable[[Canvas, str | None, str], None]


def _paints(code: list[str]) -> bool:
    """Whether page code (one operation or more per item) paints anything."""
    return _PAINTS.search("\n".join(code)) is not None


@dataclass(eq=False)
class _Artifact:
    """An artifact on the canvas's stack; ``at`` is its BDC's index in the page code, or None
    while tagged content inside it has it closed (or when it sits inside another artifact)."""

    at: int | None
    nested: bool = False


@dataclass(eq=False)
class _Content:
    """A tagged flowable being drawn: the elements its text objects belong to, in order (the
    last one takes any further text objects), and the decoration artifact open between them."""

    targets: list[Element]
    inline: InlineState
    decoration_at: int | None = None


class TaggedCanvas(Canvas):
    """A canvas for tagged flowables; a subclass sets :attr:`structure` and :attr:`created`
    for one document."""

    structure: StructureTree
    #: When the document was made, as its information dictionary and XMP say (the two must
    #: agree for PDF/A): fixed by its content, so the same input gives the same bytes.
    created: dt.datetime
    # Kept by ReportLab's Canvas, and left out of its type stubs.
    _doc: _ArchivalDocument
    _code: list[str]
    _pageNumber: int
    _pagesize: tuple[float, float]
    _annotationrefs: list[PDFObjectReference]
    #: The text object being drawn and where its current line is ("tx", "cur_x", "cur_y").
    _curr_tx_info: dict[str, Any]
    _startPage: Callable[[], None]
    _absRect: Callable[[tuple[float, float, float, float], int], tuple[float, ...]]
    _bookmarkReference: Callable[[str], Any]
    _addAnnotation: Callable[[PDFDictionary, str | None, int], None]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._doc.__class__ = _ArchivalDocument
        self._doc._pdfVersion = PDF_VERSION
        date_document(self._doc, self.created)
        # ReportLab hands a callback the label of its <onDraw> as it is: here an InlineMark.
        self.setNamedCB(MARK_CALLBACK, cast(_Callback, _on_mark))
        self._marking: list[_Artifact | _Content] = []
        self._page_refs: dict[int, PDFObjectReference] = {}
        #: Links opened in the paragraph being drawn: (element, baseline y, x) of their start.
        self._link_starts: list[tuple[Element, float, float]] = []

    # --- artifacts and content ----------------------------------------------------------------

    def _open(self, operator: str) -> int:
        self._code.append(operator)
        return len(self._code) - 1

    def _close(self, at: int | None) -> None:
        if at is None:
            return
        if _paints(self._code[at + 1 :]):
            self._code.append("EMC")
        else:
            del self._code[at]

    def begin_artifact(self, properties: str = "") -> None:
        """Start drawing an artifact; ``properties`` like ``/Type /Pagination`` describe it."""
        if self._marking:
            # Inside content or another artifact, the surrounding sequence already applies.
            self._marking.append(_Artifact(None, nested=True))
            return
        operator = f"/Artifact <<{properties}>> BDC" if properties else "/Artifact BMC"
        self._marking.append(_Artifact(self._open(operator)))

    def end_artifact(self) -> None:
        """End the artifact begun last."""
        artifact = self._marking.pop()
        assert isinstance(artifact, _Artifact)
        self._close(artifact.at)

    @contextmanager
    def artifact(self, properties: str = "") -> Iterator[None]:
        """Draw the body of the ``with`` block as an artifact."""
        self.begin_artifact(properties)
        try:
            yield
        finally:
            self.end_artifact()

    def begin_content(self, targets: list[Element], inline: InlineState) -> None:
        """Start drawing a tagged flowable whose text objects belong to ``targets``."""
        if self._marking and isinstance(self._marking[-1], _Artifact):
            outer = self._marking[-1]
            self._close(outer.at)
            outer.at = None
        content = _Content(list(targets), inline)
        content.decoration_at = self._open("/Artifact BMC")
        self._marking.append(content)
        self._link_starts.clear()

    def end_content(self) -> None:
        """End the tagged flowable begun last, and resume the artifact around it, if any."""
        content = self._marking.pop()
        assert isinstance(content, _Content)
        self._close(content.decoration_at)
        if self._marking and isinstance(self._marking[-1], _Artifact):
            outer = self._marking[-1]
            if not outer.nested:
                outer.at = self._open("/Artifact BMC")

    def begin_figure(self, element: Element) -> None:
        """Start drawing what is not text (an image) as one sequence of ``element``'s."""
        if self._marking and isinstance(self._marking[-1], _Artifact):
            outer = self._marking[-1]
            self._close(outer.at)
            outer.at = None
        mcid = self.structure.mark(self._pageNumber, element)
        self._code.append(f"/{element.role} <</MCID {mcid}>> BDC")
        self._marking.append(_Content([element], InlineState()))

    def end_figure(self) -> None:
        """End the sequence :meth:`begin_figure` began, and resume the artifact around it."""
        content = self._marking.pop()
        assert isinstance(content, _Content)
        self._code.append("EMC")
        if self._marking and isinstance(self._marking[-1], _Artifact):
            outer = self._marking[-1]
            if not outer.nested:
                outer.at = self._open("/Artifact BMC")

    def drawText(self, aTextObject: Any) -> None:
        """Draw a text object; inside tagged content, as the content of the next target."""
        content = self._marking[-1] if self._marking else None
        if not isinstance(content, _Content):
            super().drawText(aTextObject)
            return
        self._close(content.decoration_at)
        target = content.targets.pop(0) if len(content.targets) > 1 else content.targets[0]
        marked = getattr(aTextObject, "pdfua_marked", False)
        aTextObject._code = self._marked_text(aTextObject._code, target, content.inline, marked)
        super().drawText(aTextObject)
        content.decoration_at = self._open("/Artifact BMC")

    def _marked_text(
        self, code: list[Any], base: Element, inline: InlineState, marked: bool
    ) -> list[str]:
        """A text object's code with marked-content sequences: one per run of text that
        belongs to one element, split where an inline element starts or ends."""
        if not marked:  # no inline element starts or ends in this text object
            current = inline.open[-1] if inline.open else base
            out: list[str] = [code[0], "", *code[1:]]
            self._end_sequence(out, 1, current)
            return out
        out = [code[0]]  # "BT"
        current = inline.open[-1] if inline.open else base
        start = len(out)
        out.append("")
        for op in code[1:]:
            if not isinstance(op, InlineMark):
                out.append(op)
                continue
            self._end_sequence(out, start, current)
            if op.opens:
                op.element.attach()
                inline.open.append(op.element)
            else:
                inline.open.remove(op.element)
            current = inline.open[-1] if inline.open else base
            start = len(out)
            out.append("")
        self._end_sequence(out, start, current)
        return out

    def _end_sequence(self, out: list[str], start: int, element: Element) -> None:
        if _SHOWS_TEXT.search("\n".join(out[start + 1 :])):
            mcid = self.structure.mark(self._pageNumber, element)
            out[start] = f"/{element.role} <</MCID {mcid}>> BDC"
            out.append("EMC")
        else:
            del out[start]

    # --- links --------------------------------------------------------------------------------

    def linkURL(
        self,
        url: str,
        rect: tuple[float, float, float, float],
        relative: bool | Literal[0, 1] = 0,
        thickness: int = 0,
        color: Color | None = None,
        dashArray: Any = None,
        kind: str = "URI",
        **kw: Any,
    ) -> None:
        """A link annotation, tied to the Link element whose text it covers."""
        element = self._link_at(url, rect)
        if element is not None:
            described = element.text.strip()
            kw["Contents"] = PDFString(
                f"{described} ({url})" if described and described != url else url
            )
        kw.setdefault("F", 4)  # print: PDF/A wants annotations printed as they are shown
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        if element is not None:
            ref = self._annotationrefs[-1]
            annotation = self._doc.idToObject[ref.name]
            assert isinstance(annotation, PDFDictionary)  # as Canvas.linkURL makes it
            self.structure.annotate(Annotation(self._pageNumber, ref, annotation), element)

    def linkRect(
        self,
        contents: str,
        destinationname: str,
        Rect: tuple[float, float, float, float] | None = None,
        addtopage: int = 1,
        name: str | None = None,
        relative: int = 1,
        thickness: int = 0,
        color: Color | None = None,
        dashArray: Any = None,
        **kw: Any,
    ) -> None:
        """A link to a place in the document (``<a href="#key">``, a footnote reference), tied
        to the Link element whose text it covers, as :meth:`linkURL` ties a web link."""
        assert Rect is not None
        element = self._link_at(f"#{destinationname}", Rect)
        described = element.text.strip() if element is not None else ""
        annotation = PDFDictionary(
            {
                "Type": PDFName("Annot"),
                "Subtype": PDFName("Link"),
                "Rect": PDFArray(self._absRect(Rect, relative)),
                "Border": PDFArray([0, 0, 0]),
                "Dest": self._bookmarkReference(destinationname),
                "Contents": PDFString(contents or described or destinationname),
                "F": 4,  # print, as PDF/A wants
            }
        )
        self._addAnnotation(annotation, name, addtopage)
        if element is not None:
            ref = self._annotationrefs[-1]
            self.structure.annotate(Annotation(self._pageNumber, ref, annotation), element)

    def _link_at(self, url: str, rect: tuple[float, float, float, float]) -> Element | None:
        """The Link element this link area belongs to: the last one opened before the area's
        start, on its line or an earlier one (ReportLab adds one area per link per line)."""
        x1, y1, _x2, y2 = rect
        low, high = min(y1, y2), max(y1, y2)
        candidates = [
            e
            for e, y, x in self._link_starts
            if e.href == url and (y > high or (low <= y <= high and x <= x1 + 0.5))
        ]
        if candidates:
            return candidates[-1]
        same_target = [e for e, _y, _x in self._link_starts if e.href == url]
        return same_target[-1] if same_target else None

    # --- pages and the document ---------------------------------------------------------------

    def showPage(self) -> None:
        """End the page, giving it its /StructParents key and the structure tab order."""
        number = self._pageNumber
        super().showPage()
        page = self._doc.Pages.pages[-1]
        page.StructParents = number - 1
        page.Tabs = PDFName("S")
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        self._page_refs[number] = self._doc.Reference(page)

    def save(self) -> None:
        """Write the structure tree and the document-level entries, then the file."""
        if len(self._code):
            self.showPage()
        doc = self._doc
        for font in doc.delayedFonts:  # subsets are made while saving, from these metrics
            repair_metrics(getattr(font, "face", None))
        catalog = doc.Catalog
        catalog.StructTreeRoot = self.structure.write(doc, self._page_refs)
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        catalog.Lang = PDFString(self.structure.lang)
        self.setViewerPreference("DisplayDocTitle", "true")
        catalog.Metadata = metadata_stream(_document_info(doc))
        intent = output_intent(doc.Reference(profile_stream()))
        catalog.OutputIntents = PDFArray([intent])
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]
        with remembered_names():
            super().save()


def _on_mark(canvas: TaggedCanvas, kind: str, mark: InlineMark) -> None:
    """Called by ReportLab where an ``<onDraw>`` marker sits in a line being drawn."""
    info = canvas._curr_tx_info
    info["tx"]._code.append(mark)
    info["tx"].pdfua_marked = True
    if mark.opens and mark.element.role == "Link":
        canvas._link_starts.append((mark.element, info["cur_y"], info["cur_x"]))


def _document_info(doc: _ArchivalDocument) -> DocumentInfo:
    info, stamp = doc.info, doc._timeStamp
    year, month, day, hour, minute, second = stamp.YMDhms
    offset = f"{stamp.dhh:+03d}:{stamp.dmm:02d}"
    return DocumentInfo(
        title=str(info.title),
        author=str(info.author),
        subject=str(info.subject),
        keywords=str(info.keywords),
        creator=str(info.creator),
        producer=str(info.producer),
        date=f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{offset}",
    )


class _EOLStream(PDFStream):
    """A stream with an end-of-line marker before ``endstream``, which PDF/A requires
    (ISO 19005-2, 6.1.7.1) and ReportLab 5.1's PDFStream.format leaves out."""

    def format(self, document: PDFDocument) -> bytes:
        return _with_eol(super().format(document))


class _EOLImage(PDFImageXObject):
    """An image, whose stream gets the same end-of-line marker as :class:`_EOLStream`."""

    def format(self, document: PDFDocument) -> bytes:
        return _with_eol(super().format(document))


def _with_eol(formatted: bytes) -> bytes:
    """A formatted stream object with an end-of-line marker before its ``endstream``."""
    data = formatted.removesuffix(b"endstream\n")
    # Compressed data may end in a carriage return by chance: an LF after it would read as
    # the two-byte end of line, one byte short of /Length, so there the marker is CRLF.
    eol = b"\r\n" if data.endswith(b"\r") else b"\n"
    return data + eol + b"endstream\n"


class _Catalog(Protocol):
    """ReportLab's document catalog, with the entries this layer gives it."""

    StructTreeRoot: PDFObjectReference
    MarkInfo: PDFDictionary
    Lang: PDFString
    Metadata: PDFStream
    OutputIntents: PDFArray
    #: Entries written even when they hold their default value.
    __NoDefault__: list[str]


class _ArchivalDocument(PDFDocument):
    """ReportLab's document, with two fixes applied to objects as they are registered.

    Every object reaches the file through :meth:`Reference`, including the page content,
    font and ToUnicode streams ReportLab makes while saving, so this is the one place where
    each plain stream gets its end-of-line marker and each ToUnicode map loses the entries
    that map unused codes to U+0000 (and maps a mirrored glyph's code to the character it
    stands for, see :mod:`..mirroring`).
    """

    # Kept by ReportLab's PDFDocument, and left out of its type stubs.
    Catalog: _Catalog
    Pages: PDFPages
    _pdfVersion: tuple[int, int]
    _timeStamp: TimeStamp

    def Reference(self, obj: PDFObject, name: str | None = None) -> PDFObjectReference:
        if type(obj) is PDFStream:
            obj.__class__ = _EOLStream
            if name is not None and name.startswith("toUnicodeCMap:"):
                obj.content = logical_cmap(_without_null_mappings(obj.content))
        elif type(obj) is PDFImageXObject:  # a figure's image
            obj.__class__ = _EOLImage
        elif type(obj) is PDFTrueTypeFont and type(getattr(obj, "Widths", None)) is PDFArray:
            # A subset's widths, a few hundred numbers: written in one call, byte for byte.
            font: Any = obj
            font.Widths.__class__ = FastArray
        # ReportLab's stubs leave the method unannotated: this override is its typed form.
        ref: PDFObjectReference = super().Reference(obj, name)  # type: ignore[no-untyped-call]
        return ref


def _without_null_mappings(cmap: str) -> str:
    kept, dropped = _NULL_MAPPING.subn("", cmap)
    if not dropped:
        return cmap
    # ReportLab writes all of a subset's entries in one bfchar block.
    return _BFCHAR_COUNT.sub(lambda m: f"{int(m.group(1)) - dropped} beginbfchar", kept, count=1)
