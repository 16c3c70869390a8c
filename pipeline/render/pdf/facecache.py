"""Parsed TrueType faces kept from one build to the next, in the build's cache store.

ReportLab reads a face's tables (character map, widths, glyph offsets, names) before a brief
can measure a word: 2-3 ms for each of make-brief's own faces and about 60 ms for a CJK
fallback font, paid again by every process that draws with them. What it reads depends only on
the font file's bytes and on ReportLab, so a face's parsed state is kept as an entry of the
build's :class:`~pipeline.render.CompiledStore` and read back by the next build instead.

An entry is ``MAGIC``, the SHA-256 of what follows (64 hex digits), then the face's attributes
as :mod:`marshal` writes them: plain numbers, strings, bytes, lists, tuples and dicts, and
ReportLab's name strings (:class:`TTFNameBytes`, attributes of the face itself) as a tagged
tuple. Its name hashes the font
file's bytes with the versions of ReportLab and Python, so another file, another ReportLab or
another Python never reads it. The font file's own bytes are not in the entry: the face is
given them again, as read from the file, for the subsets it cuts.

A face whose attributes hold anything else (another ReportLab may add a type) is not kept; an
entry that is damaged, cut short or for another file is a miss, and the face is parsed from its
file as if there were none. Like compiled templates, the cache trusts the folder it is kept in.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Callable
from itertools import chain
from typing import Any

import reportlab
from reportlab.pdfbase.ttfonts import TTFNameBytes

__all__ = ["MAGIC", "entry_name", "pack", "scale_for", "unpack"]

#: What every entry starts with; a new layout gets a new one.
MAGIC = b"make-brief ttf 1\n"
_DIGEST = 64
#: Stands first in the tuple a :class:`TTFNameBytes` is kept as; no font data is this string.
_NAME_TAG = "\x00make-brief:TTFNameBytes"
#: The types a kept attribute may be made of (exactly these: a subclass is refused).
_PLAIN = (int, float, str, bytes, bool, type(None))


def entry_name(font_bytes: bytes, subfont: int) -> str:
    """The store's name for the parsed state of face ``subfont`` of a font file's bytes."""
    key = hashlib.sha256(MAGIC)
    for part in (reportlab.Version, sys.version, str(subfont)):
        key.update(part.encode() + b"\0")
    key.update(hashlib.sha256(font_bytes).digest())
    return "ttf-" + key.hexdigest()[:40]


def scale_for(units_per_em: int) -> Callable[[float], float]:
    """ReportLab's conversion of font units to thousandths of an em, made as its parser makes
    it (a function is not data, so entries leave it out)."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def pack(state: dict[str, Any]) -> bytes | None:
    """An entry holding ``state``, or None when it holds a value an entry cannot keep."""
    plain: dict[str, Any] = {}
    for key, value in state.items():
        if type(value) is TTFNameBytes:
            plain[key] = (_NAME_TAG, bytes(value), value.ustr)
        elif _keepable(value):
            plain[key] = value
        else:
            return None
    # Every value is of a type marshal writes and reads back exactly (checked by exact type:
    # a subclass, which marshal might write as its base, is refused above), so the entry reads
    # back as the very state it was made from.
    body = marshal.dumps(plain)
    return MAGIC + hashlib.sha256(body).hexdigest().encode() + body


def unpack(entry: bytes) -> dict[str, Any] | None:
    """The state an entry holds, or None for anything that is not an intact entry."""
    if not entry.startswith(MAGIC):
        return None
    start = len(MAGIC) + _DIGEST
    body = entry[start:]
    if hashlib.sha256(body).hexdigest().encode() != entry[len(MAGIC) : start]:
        return None
    try:
        state = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    if type(state) is not dict:
        return None
    for key, value in state.items():
        if type(value) is tuple and len(value) == 3 and value[0] == _NAME_TAG:
            name = TTFNameBytes(value[1])
            if name.ustr != value[2]:
                return None
            state[key] = name
    return state


def _keepable(value: Any) -> bool:
    """Whether ``value`` is made of plain values only, all the way down. Containers of plain
    values, most of a face (tens of thousands of widths and glyph numbers for a CJK font), are
    checked a type at a time rather than a value at a time."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is dict:
        return set(map(type, value)) <= {int, str} and _all_keepable(value.values())
    if kind is list or kind is tuple:
        return _all_keepable(value)
    return False


def _all_keepable(values: Any) -> bool:
    kinds = set(map(type, values))
    if kinds <= set(_PLAIN):
        return True
    containers = kinds - set(_PLAIN)
    if not containers <= {list, tuple, dict}:
        return False
    if containers <= {list, tuple}:
        # Sequences of sequences (a glyph's characters, a glyph's metrics): their items'
        # types all at once, and one at a time only where they hold containers themselves.
        nested = [v for v in values if type(v) in containers]
        inner = set(map(type, chain.from_iterable(nested)))
        if inner <= set(_PLAIN):
            return True
        return all(_keepable(v) for v in nested)
    return all(_keepable(v) for v in values if type(v) in containers)
