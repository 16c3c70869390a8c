"""Typed access to the few ReportLab internals the PDF renderer relies on.

ReportLab's type stubs leave out its private helpers and tables, and leave a few public
methods unannotated; each is described here once, as ReportLab 4 has it, so the rest of the
renderer is checked against a real signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, cast

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


@dataclass
class _FixedTimeStamp:
    """A :class:`TimeStamp` for a moment given in UTC, in place of the one ReportLab takes
    (2000-01-01 in invariant mode, or ``SOURCE_DATE_EPOCH`` read behind the build's back)."""

    #: Seconds since the epoch; ReportLab seeds the document's /ID with it.
    t: float
    YMDhms: tuple[int, int, int, int, int, int]
    dhh: int = 0
    dmm: int = 0
    tzname: str = "UTC"


class _Dated(Protocol):
    _timeStamp: TimeStamp
    signature: Any


def date_document(document: PDFDocument, moment: dt.datetime) -> None:
    """Give ``document`` the creation and modification date ``moment`` (UTC): the information
    dictionary's ``CreationDate`` and ``ModDate``, and the seed of its /ID, which ReportLab
    takes from the same time stamp when the document is made (so it is seeded again here)."""
    utc = moment.astimezone(dt.UTC)
    stamp = _FixedTimeStamp(
        t=float(utc.timestamp()),
        YMDhms=(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second),
    )
    dated = cast(_Dated, document)
    dated._timeStamp = stamp
    # As PDFDocument.__init__ starts its signature; nothing else has gone into it yet.
    signature = hashlib.md5(usedforsecurity=False)
    signature.update(b"a reportlab document")
    signature.update(ascii(stamp.t).encode("ascii"))
    dated.signature = signature


class _Rows(Protocol):
    #: Each row's height, once the table has been wrapped.
    _rowHeights: list[float]


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


def row_heights(table: Flowable) -> list[float]:
    """The height of each row of a ReportLab table that has been wrapped."""
    return list(cast(_Rows, table)._rowHeights)


def frame_of(flowable: Flowable) -> Any:
    """The frame splitting ``flowable`` right now (a frame sets ``_frame`` while it asks), or
    None."""
    return flowable.__dict__.get("_frame")


@contextmanager
def lent_frame(flowable: Flowable, frame: Any) -> Iterator[None]:
    """Give ``flowable`` the frame a split is asked in, as the frame itself does, for as long
    as the ``with`` block runs: a flowable inside a wrapper or a group needs it too."""
    if frame is None:
        yield
        return
    flowable.__dict__["_frame"] = frame
    try:
        yield
    finally:
        flowable.__dict__.pop("_frame", None)


def frame_height(frame: Any) -> float:
    """The height a frame offers a flowable at its top: the most any page can hold."""
    return float(frame._height - frame._topPadding - frame._bottomPadding)


def registered_fonts() -> dict[str, Any]:
    """ReportLab's registry of fonts by name (``pdfmetrics._fonts``), which ``getFont`` reads."""
    from reportlab.pdfbase import pdfmetrics

    return cast("dict[str, Any]", pdfmetrics._fonts)  # type: ignore[attr-defined]


#: The zlib level of every stream ReportLab compresses (pages, font subsets). ReportLab calls
#: ``zlib.compress`` with its default, 6. Measured on the seed's briefs (11 streams, 90 KB):
#: level 6 takes 3.4 ms a brief and gives 45.9 KB, level 4 1.9 ms and 46.4 KB (+1 %), level 1
#: 1.5 ms and 47.9 KB (+4 %): 4 keeps most of the time for a hundredth of the size.
STREAM_COMPRESSION = 4


class _LevelledZlib:
    """The ``zlib`` module as ReportLab's PDF writer sees it: compressing at one level."""

    def __init__(self, level: int) -> None:
        self.level = level

    def compress(self, data: bytes, level: int | None = None) -> bytes:
        return zlib.compress(data, self.level if level is None else level)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def compress_streams_at(level: int = STREAM_COMPRESSION) -> None:
    """Have ReportLab's PDF writer compress streams at ``level`` (the same bytes each run)."""
    from reportlab.pdfbase import pdfdoc

    pdfdoc.zlib = _LevelledZlib(level)  # type: ignore[attr-defined]
