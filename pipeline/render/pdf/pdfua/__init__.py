"""Tagged, archival PDF from ReportLab: PDF/UA-1 and PDF/A-2b as a layer on top of platypus.

- :mod:`.structure` holds the structure tree (Document > H1..H6, P, L > LI > Lbl/LBody, with
  Span and Link inside) and writes it as PDF objects;
- :mod:`.flowables` wraps story flowables so that drawing them marks their content;
- :mod:`.canvas` is the canvas that writes the marked content, the artifacts, and, on save,
  everything the two standards require at the document and page level;
- :mod:`.metadata` and :mod:`.icc` make the XMP packet and the sRGB output intent.

A renderer builds its story through :class:`Tags` and draws it on a :class:`TaggedCanvas`
subclass whose ``structure`` is ``tags.tree``.
"""

from .canvas import TaggedCanvas
from .flowables import Tags

__all__ = ["TaggedCanvas", "Tags"]
