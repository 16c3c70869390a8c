"""Document-level objects PDF/UA-1 and PDF/A-2b ask for: XMP metadata and an output intent.

The XMP packet repeats the document information dictionary (PDF/A requires the two to agree)
and claims conformance: ``pdfuaid:part 1`` and ``pdfaid:part 2`` with ``conformance B``. The
PDF/UA identification schema is not one of XMP's predefined schemas, so PDF/A also requires
the packet to describe it in a ``pdfaExtension`` block.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache
from html import escape as html_escape

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from .icc import DESCRIPTION, srgb_profile


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as XML text needs (``xml.sax.saxutils.escape``, which
    imports urllib.request and ssl with it)."""
    return html_escape(text, quote=False)


@dataclass(frozen=True)
class DocumentInfo:
    """What the information dictionary says, to be said again in XMP."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    producer: str
    #: ISO 8601 with offset, e.g. "2023-11-14T22:13:20+00:00".
    date: str


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
  xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<pdf:Keywords>{keywords}</pdf:Keywords>
<pdf:Producer>{producer}</pdf:Producer>
<xmp:CreatorTool>{creator}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
<pdfuaid:part>1</pdfuaid:part>
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""


def xmp_packet(info: DocumentInfo) -> bytes:
    """The XMP packet, UTF-8 encoded."""
    fields = {name: escape(value) for name, value in vars(info).items()}
    return _XMP.format(**fields).encode("utf-8")


def metadata_stream(info: DocumentInfo) -> PDFStream:
    """The catalog's /Metadata stream. PDF/A forbids filters on it, so it stays readable:
    with ``filters=None`` ReportLab applies the document's default filters, and it has none."""
    dictionary = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")})
    return PDFStream(dictionary, xmp_packet(info), filters=None)


def output_intent(profile_ref: object) -> PDFDictionary:
    """An sRGB output intent for PDF/A, pointing at the profile stream ``profile_ref``."""
    return PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(DESCRIPTION),
            "Info": PDFString(DESCRIPTION),
            "RegistryName": PDFString("http://www.color.org"),
            "DestOutputProfile": profile_ref,
        }
    )


def profile_stream() -> PDFStream:
    """The sRGB ICC profile as a compressed stream with its three components (compressed
    once per process: a stream that names its /Filter is written as it is)."""
    dictionary = PDFDictionary({"N": 3, "Filter": PDFArray([PDFName("FlateDecode")])})
    return PDFStream(dictionary, _compressed_profile())


@cache
def _compressed_profile() -> bytes:
    return zlib.compress(srgb_profile())
