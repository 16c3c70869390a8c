"""A saved web page's encoding, found the way browsers find it (the HTML standard's sniffing).

In order: a byte-order mark wins; else the first ``<meta>`` declaring an encoding the WHATWG
Encoding Standard knows, where a declared UTF-16 means UTF-8 (a page whose bytes could be read
to find an ASCII ``<meta>`` tag is not UTF-16); else UTF-8. Labels are the standard's, not
Python's: ``iso-8859-1`` and ``ascii`` mean windows-1252, and names Python alone knows (``utf-32``,
``base64``, ``undefined``) are ignored, as browsers ignore them. A declared encoding that cannot
read the bytes gives way to UTF-8 when the bytes are UTF-8, since the declaration is then
plainly wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SourceError
from ..sources import decode_text

#: Byte-order marks and the encoding each one announces.
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"))

#: The WHATWG Encoding Standard's labels, by the Python codec that reads the encoding. UTF-16
#: labels read as UTF-8 and x-user-defined as windows-1252, as the standard's prescan says;
#: the "replacement" labels (iso-2022-kr, hz-gb-2312...) are left out, so they are ignored.
_LABELS_BY_CODEC = {
    "utf-8": """unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8
        unicodefffe utf-16be csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16
        utf-16le""",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859_2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 "
    "iso_8859-2:1987 l2 latin2",
    "iso8859_3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 "
    "iso_8859-3:1988 l3 latin3",
    "iso8859_4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 "
    "iso_8859-4:1988 l4 latin4",
    "iso8859_5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 "
    "iso_8859-5 iso_8859-5:1988",
    "iso8859_6": """arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6
        iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987""",
    "iso8859_7": """csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126
        iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek""",
    "iso8859_8": """csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138
        iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical""",
    "iso8859_10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859_13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859_14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859_15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859_16": "iso-8859-16",
    "koi8_r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8_u": "koi8-ru koi8-u",
    "mac_roman": "csmacintosh mac macintosh x-mac-roman",
    "mac_cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "windows-1252": """ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1
        iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii
        windows-1252 x-cp1252 x-user-defined""",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 "
    "iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "gb18030": """chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58
        x-gbk gb18030""",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": """cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989
        ksc5601 ksc_5601 windows-949""",
}
#: A label (lowercase) -> the Python codec that reads it.
LABELS = {label: codec for codec, labels in _LABELS_BY_CODEC.items() for label in labels.split()}

#: windows-1252 as browsers read it: Python's cp1252 but for the five bytes it leaves undefined,
#: which the standard reads as the C1 controls of the same number (as ISO-8859-1 does).
_WINDOWS_1252 = {
    byte: bytes([byte]).decode("cp1252")
    for byte in range(0x80, 0xA0)
    if byte not in b"\x81\x8d\x8f\x90\x9d"
}

#: How far into the page a declaration is looked for.
_PRESCAN_BYTES = 4096
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_META = re.compile(rb"<meta[\s/][^>]*", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_CONTENT_CHARSET = re.compile(rb"""charset\s*=\s*["']?([^\s"';]+)""", re.IGNORECASE)


def declared_encoding(data: bytes) -> tuple[str, str] | None:
    """The first encoding a ``<meta>`` tag declares with a known label: (label, codec)."""
    head = _COMMENT.sub(b"", data[:_PRESCAN_BYTES])
    for meta in _META.finditer(head):
        attrs: dict[bytes, bytes] = {}
        for match in _ATTRIBUTE.finditer(meta.group(0), 5):
            attrs.setdefault(match.group(1).lower(), (match.group(2) or b"").strip(b"\"'"))
        label = attrs.get(b"charset")
        if label is None and attrs.get(b"http-equiv", b"").strip().lower() == b"content-type":
            found = _CONTENT_CHARSET.search(attrs.get(b"content", b""))
            label = found.group(1) if found else None
        text = (label or b"").strip().decode("ascii", "replace").lower()
        if text in LABELS:
            return text, LABELS[text]
    return None


def _decode(data: bytes, codec: str) -> str:
    if codec == "windows-1252":
        return data.decode("latin-1").translate(_WINDOWS_1252)
    return data.decode(codec)


def decode_page(data: bytes, name: Path | str) -> str:
    """A saved page's bytes as text, in the encoding a browser would read them in."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            # The codec takes the mark off, so byte offsets in errors count from the file's start.
            return decode_text(data, name, codec)
    declared = declared_encoding(data)
    if declared is None or declared[1] == "utf-8":
        return decode_text(data, name, "utf-8")
    label, codec = declared
    try:
        text = _decode(data, codec)
    except UnicodeDecodeError as exc:
        try:
            return decode_text(data, name, "utf-8")
        except SourceError:
            # Neither reads it: say where the encoding the page asks for fails.
            raise SourceError(
                f"not valid {label} (the encoding its <meta> declares) or UTF-8 at byte "
                f"{exc.start} (byte 0x{data[exc.start]:02x}); save the page as UTF-8",
                name,
                data.count(b"\n", 0, exc.start) + 1,
            ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
