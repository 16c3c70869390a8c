"""A repair to ReportLab's TrueType metrics, so embedded subsets agree with /Widths.

ReportLab 5.1 (``TTFontFile.extractInfo``) reads the ``hmtx`` table into ``face.hmetrics``
for subsetting. Glyphs past ``numberOfHMetrics`` share the last advance width, and for those
it stores that width already scaled to 1/1000 em instead of in font units. A subset that
uses such a glyph then carries a wrong advance: in DejaVu Sans Mono (4 full metrics for 3377
glyphs) "#" is 602 font units wide, 294/1000 em, while /Widths says 602/1000. PDF/A-2
(6.2.11.5) and PDF/UA-1 (7.21.4.1) require the two to agree, and a viewer that trusts the
font program would draw the glyphs on top of one another.
"""

from __future__ import annotations

import struct
from typing import Any

#: Set on a face once repaired; the repair is idempotent, this only saves the work.
_REPAIRED = "_pdfua_hmetrics_repaired"


def repair_metrics(face: Any) -> None:
    """Give every glyph of ``face`` past ``numberOfHMetrics`` the last advance in font units."""
    if getattr(face, _REPAIRED, False) or not hasattr(face, "hmetrics"):
        return
    (full,) = struct.unpack(">H", face.get_table("hhea")[34:36])
    metrics = face.hmetrics
    if 0 < full < len(metrics):
        advance = metrics[full - 1][0]
        metrics[full:] = [(advance, lsb) for _aw, lsb in metrics[full:]]
    setattr(face, _REPAIRED, True)
