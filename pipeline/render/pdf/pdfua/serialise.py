"""PDF arrays and dictionaries that write the bytes ReportLab's would, with less asking.

ReportLab formats every entry of an array or dictionary through ``pdfdoc.format``, which asks
each value what it is, and turns each key into a name one character at a time. A tagged brief
has many small dictionaries (a structure element for every paragraph, list item, cell and
highlight, and their /K arrays) and each font subset a /Widths array of a few hundred numbers,
so these classes format the values they are made of (references, numbers, names, and arrays
and dictionaries of those) directly, in ReportLab's layout: six dictionary entries or ten
array items to a line. Any other value is formatted by ReportLab.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObjectReference

__all__ = ["FastArray", "FastDictionary", "remembered_names"]

#: Dictionary keys as the name bytes ReportLab writes for them.
_NAMES: dict[str, bytes] = {}


def _name(key: str) -> bytes:
    found = _NAMES.get(key)
    if found is None:
        found = _NAMES[key] = pdfdoc.pdfdocEnc(PDFName(key))
    return found


def _value(value: Any, document: Any) -> bytes:
    kind = type(value)
    if kind is PDFObjectReference:
        number, version = document.idToObjectNumberAndVersion[value.name]
        return f"{number} {version} R".encode("ascii")
    if kind is int or kind is float:
        return fp_str(value).encode("ascii")
    if kind is str:  # a name, mostly, and the same few again and again
        return _encoded(value)
    if kind is FastArray or kind is FastDictionary:
        return value.format(document)  # type: ignore[no-any-return]
    return pdfdoc.format(value, document)  # type: ignore[no-any-return]


def _lines(items: list[bytes], per_line: int) -> bytes:
    # ReportLab puts b"\n " before every per_line-th item and joins all with spaces.
    if len(items) <= per_line:
        return b" ".join(items)
    return b" \n  ".join(
        b" ".join(items[at : at + per_line]) for at in range(0, len(items), per_line)
    )


class FastArray(PDFArray):
    """A :class:`PDFArray` (references, numbers, names, fast arrays and dictionaries)."""

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:
        if rl_config.pdfMultiLine:  # ReportLab's other layout, one item a line
            return bytes(super().format(document, IND))
        return _array(self.sequence, document)


class FastDictionary(PDFDictionary):
    """A :class:`PDFDictionary` whose values are what :class:`FastArray` holds."""

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:
        if rl_config.pdfMultiLine:
            return bytes(super().format(document, IND))
        return _dictionary(self.dict, document)


def _array(sequence: list[Any], document: Any) -> bytes:
    """An array's items in ReportLab's layout (ten to a line)."""
    if sequence and all(type(item) is int for item in sequence):
        # A run of integers (a font's /Widths): fp_str formats them all in one call.
        numbers = [fp_str(*sequence[at : at + 10]) for at in range(0, len(sequence), 10)]
        return b"[ " + " \n  ".join(numbers).encode("ascii") + b" ]"
    return b"[ " + _lines([_value(item, document) for item in sequence], 10) + b" ]"


def _dictionary(entries: dict[str, Any], document: Any) -> bytes:
    """A dictionary's entries in ReportLab's layout (six to a line)."""
    # ReportLab sorts the keys, unless they come in an OrderedDict.
    keys = list(entries) if isinstance(entries, OrderedDict) else sorted(entries)
    items = [_name(key) + b" " + _value(entries[key], document) for key in keys]
    return b"<<\n" + _lines(items, 6) + b"\n>>"


#: ReportLab's own formatting and naming functions, which :func:`remembered_names` stands in for.
_FORMAT = pdfdoc.format
_PDF_NAME = pdfdoc.PDFName
#: Strings already encoded and names already made, and how many of each are kept at most.
_ENCODED: dict[str, bytes] = {}
_MADE_NAMES: dict[str, str] = {}
_KEPT = 20_000


def _encoded(text: str) -> bytes:
    """``text`` in PDFDocEncoding, as ``pdfdoc.pdfdocEnc`` encodes it, remembered."""
    found = _ENCODED.get(text)
    if found is None:
        if len(_ENCODED) >= _KEPT:
            _ENCODED.clear()
        found = _ENCODED[text] = pdfdoc.pdfdocEnc(text)
    return found


def _remembered_format(element: Any, document: Any, toplevel: Literal[0, 1] | bool = 0) -> Any:
    # pdfdoc.format writes a string (a name, mostly: every dictionary key) in PDFDocEncoding.
    if type(element) is str:
        return _encoded(element)
    return _FORMAT(element, document, toplevel)


def _remembered_name(data: Any, lo: Any = "\x21", hi: Any = "\x7e") -> str:
    if lo != "\x21" or hi != "\x7e" or type(data) is not str:
        return _PDF_NAME(data, lo, hi)
    found = _MADE_NAMES.get(data)
    if found is None:
        if len(_MADE_NAMES) >= _KEPT:
            _MADE_NAMES.clear()
        found = _MADE_NAMES[data] = _PDF_NAME(data)
    return found


#: ReportLab's own ``format`` of its arrays and dictionaries.
_ARRAY_FORMAT = PDFArray.format
_DICTIONARY_FORMAT = PDFDictionary.format


def _one_line(flowing: Any) -> bool:
    # Where ReportLab's array and dictionary put their items in lines of ten and six.
    return not ((flowing.multiline and rl_config.pdfMultiLine) or flowing.multiline == "forced")


def _array_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:
    if _one_line(self):
        return _array(self.sequence, document)
    return bytes(_ARRAY_FORMAT(self, document, IND))


def _dictionary_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:
    if _one_line(self):
        return _dictionary(self.dict, document)
    return bytes(_DICTIONARY_FORMAT(self, document, IND))


@contextmanager
def remembered_names() -> Iterator[None]:
    """While a document is written, ReportLab's ``pdfdoc.format`` and ``PDFName`` (which its
    dictionaries call for every key and value) remember what they made of each string, and
    its own arrays and dictionaries (pages, fonts, links, outline entries) are written as
    :class:`FastArray` and :class:`FastDictionary` write theirs: the same bytes, without
    encoding a key or escaping a name each time it is written."""
    before = pdfdoc.format, pdfdoc.PDFName, PDFArray.format, PDFDictionary.format
    pdfdoc.format, pdfdoc.PDFName = _remembered_format, _remembered_name
    PDFArray.format = _array_format  # type: ignore[method-assign]
    PDFDictionary.format = _dictionary_format  # type: ignore[method-assign]
    try:
        yield
    finally:
        pdfdoc.format, pdfdoc.PDFName, PDFArray.format, PDFDictionary.format = before  # type: ignore[method-assign]
