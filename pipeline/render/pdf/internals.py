"""Typed access to the few ReportLab internals the PDF renderer relies on.

ReportLab's type stubs leave out its private helpers and tables, and leave a few public
methods unannotated; each is described here once, as ReportLab 4 has it, so the rest of the
renderer is checked against a real signature.
"""

from __future__ import annotations

from typing import Protocol, cast

from reportlab.lib import fonts
from reportlab.pdfbase.pdfdoc import PDFDocument, PDFObject, PDFObjectReference
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, flowables


class _Flowables(Protocol):
    def _listWrapOn(
        self, F: list[Flowable], availWidth: float, canv: Canvas
    ) -> tuple[float, float]: ...


class _Fonts(Protocol):
    #: (family in lowercase, bold, italic) -> font name, as ``addMapping`` fills it.
    _tt2ps_map: dict[tuple[str, int, int], str]


class _DrawsShrunk(Protocol):
    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None: ...


class TimeStamp(Protocol):
    """When a document was made, as ReportLab keeps it (``SOURCE_DATE_EPOCH`` if set)."""

    #: Year, month, day, hour, minute, second.
    YMDhms: tuple[int, int, int, int, int, int]
    #: The offset from UTC: hours, minutes.
    dhh: int
    dmm: int


class _Referencing(Protocol):
    def Reference(self, obj: PDFObject, name: str | None = None) -> PDFObjectReference: ...


def list_wrap_on(content: list[Flowable], width: float, canvas: Canvas) -> tuple[float, float]:
    """The width and height ``content`` takes laid out one after another, as KeepTogether does."""
    return cast(_Flowables, flowables)._listWrapOn(content, width, canvas)


def mapped(family: str, bold: int, italic: int) -> bool:
    """Whether ``addMapping`` already gave ``family`` a face for this bold and italic."""
    return (family.lower(), bold, italic) in cast(_Fonts, fonts)._tt2ps_map


def draw_on(flowable: Flowable, canvas: Canvas, x: float, y: float, shrink: float) -> None:
    """Draw ``flowable`` as a frame does, ``shrink`` being the width it gives up when aligned."""
    cast(_DrawsShrunk, flowable).drawOn(canvas, x, y, shrink)


def reference(document: PDFDocument, obj: PDFObject) -> PDFObjectReference:
    """Add ``obj`` to ``document`` as an indirect object, and return its reference."""
    return cast(_Referencing, document).Reference(obj)
