"""Mirrored glyphs in right-to-left runs, drawn mirrored and read back as the source's characters.

Unicode's bidi algorithm (rule L4) draws a character with the Bidi_Mirrored property in a
right-to-left run with its mirrored glyph: "(" opens an Arabic or Hebrew phrase at its right,
so there it looks like ")". python-bidi 0.6 orders a line but leaves every character as it is,
and an Arabic "السكان (مليون)" came out as "السكان )مليون(".

Swapping the characters would draw the right glyphs and break the text: extractors (poppler's
pdftotext, pypdf) reverse a right-to-left run back into reading order without mirroring it
back, and would read "السكان )مليون(". Marked content with ``/ActualText`` does not help:
pypdf and pdfminer ignore it, and poppler lays a span's actual text out left to right in the
span's box and then reverses it as right-to-left text, so a whole line comes back reversed.

So a mirrored character is drawn as an *alias*: a private-use code point (plane 15, which no
font of ours maps) that this module maps, in each font that draws it, to the glyph of its
mirror, with its mirror's width; and the font's ToUnicode map says the alias stands for the
source's own character. The page shows ")", every extractor reads "(" at that place, exactly
what it read before, and turns the run back into "(مليون)".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from reportlab.pdfbase import pdfmetrics

#: The alias of character ``c`` is ``chr(ALIAS_BASE + ord(c))``; every mirrored character
#: with a mirror is in the Basic Multilingual Plane, so aliases are in plane 15.
ALIAS_BASE = 0xF0000
#: Bidi classes that rule L1 puts back at the paragraph's level when they end a line (or
#: precede a segment or paragraph separator): white space, isolates, and the characters
#: rule X9 removes (embeddings, overrides, boundary neutrals).
_TRAILING = frozenset({"WS", "FSI", "LRI", "RLI", "PDI", "BN", "LRE", "RLE", "LRO", "RLO", "PDF"})
_SEPARATORS = frozenset({"S", "B"})


@cache
def mirrors() -> dict[str, str]:
    """Each Bidi_Mirrored character that has a mirror, and its mirror (BidiMirroring.txt).

    The pairs are those python-bidi ships for its pure-Python algorithm. Characters such as
    "∑" are Bidi_Mirrored with no mirror character: they keep their glyph.
    """
    # python-bidi publishes no type hints.
    from bidi.mirror import MIRRORED  # type: ignore[import-untyped]

    pairs: dict[str, str] = MIRRORED
    return {char: mirror for char, mirror in pairs.items() if unicodedata.mirrored(char)}


@cache
def aliases() -> frozenset[str]:
    """The alias of every mirrored character with a mirror.

    Source text may hold these private-use code points too (no font of ours has a glyph for
    them, and a warning says so): such a character is drawn as an alias is.
    """
    return frozenset(chr(ALIAS_BASE + ord(char)) for char in mirrors())


def is_alias(char: str) -> bool:
    """Whether ``char`` is the alias of a mirrored character."""
    return char in aliases()


def meaning(char: str) -> str:
    """The character ``char`` stands for: itself, or for an alias its source character."""
    return chr(ord(char) - ALIAS_BASE) if is_alias(char) else char


def shown(char: str) -> str:
    """The character whose glyph is drawn for ``char``: for an alias, the mirror."""
    return mirrors()[meaning(char)] if is_alias(char) else char


_ALIASES = re.compile(f"[{chr(ALIAS_BASE)}-{chr(ALIAS_BASE + 0xFFFF)}]")


def logical(text: str) -> str:
    """``text`` with each alias back to the character it stands for."""
    return _ALIASES.sub(lambda match: meaning(match.group()), text)


def has_mirrored(text: str) -> bool:
    """Whether ``text`` holds a character that is drawn mirrored in a right-to-left run."""
    return not mirrors().keys().isdisjoint(text)


def drawable(font_name: str, alias: str) -> bool:
    """Make ``alias`` draw its mirror's glyph, at its mirror's width, in font ``font_name``.

    False when the font has no glyph for the mirror. As ReportLab itself does for glyphs that
    HarfBuzz shaping finds (``TTFont.hbFont``), the alias joins the face's character map, so
    widths, subsets and the drawing treat it as one more character of the font. The face is
    asked each time (a font registered again under its name is a new face).
    """
    face: Any = getattr(pdfmetrics.getFont(font_name), "face", None)
    char_to_glyph: dict[int, int] = getattr(face, "charToGlyph", {})
    code, mirror = ord(alias), ord(shown(alias))
    glyph = char_to_glyph.get(mirror)
    if not glyph:
        return False
    present = char_to_glyph.get(code)
    if present is None:
        char_to_glyph[code] = glyph
        face.glyphToChar.setdefault(glyph, []).append(code)
        face.charWidths[code] = face.charWidths.get(mirror, face.defaultWidth)
        return True
    return present == glyph


#: An entry of a ToUnicode map as ReportLab writes it, for a code point in plane 15.
_ALIAS_ENTRY = re.compile(r"^(<[0-9A-F]{2}>) <F([0-9A-F]{4})>$", re.M)


def logical_cmap(cmap: str) -> str:
    """A ToUnicode map in which each alias maps to the character it stands for."""

    def entry(match: re.Match[str]) -> str:
        source = chr(int(match.group(2), 16))
        return f"{match.group(1)} <{match.group(2)}>" if source in mirrors() else match.group()

    return _ALIAS_ENTRY.sub(entry, cmap) if "<F" in cmap else cmap


# --- the bidi algorithm's last steps ----------------------------------------------------------


_LEVELS = re.compile(r"\n    levels: \[\n(.*?)\n    \],", re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+)")


def _embedding_levels(text: str, base_dir: str) -> list[int] | None:
    """Each character's resolved embedding level, as python-bidi computes it (rules P to I).

    python-bidi 0.6 gives its levels only in the debug description of its Rust ``BidiInfo``,
    one per UTF-8 byte of the text; None if that description reads otherwise.
    """
    from bidi import get_display  # type: ignore[import-untyped]

    info = str(get_display(text, base_dir=base_dir, debug=True))
    # The text comes first in the description, with its line breaks escaped: the levels are
    # the first list whose name starts a line.
    found = _LEVELS.search(info)
    per_byte = [int(level) for level in _LEVEL.findall(found.group(1))] if found else []
    if len(per_byte) != len(text.encode()):
        return None
    levels, at = [], 0
    for char in text:
        levels.append(per_byte[at])
        at += len(char.encode())
    return levels


def visual_order(text: str, base_dir: str) -> str | None:
    """``text`` in visual order (Unicode rules L1 and L2, per paragraph, as python-bidi's
    ``get_display`` orders it) with each mirrored character of a right-to-left run (rule L4)
    replaced by its alias; None if python-bidi's levels could not be read."""
    levels = _embedding_levels(text, base_dir)
    if levels is None:
        return None
    base = 1 if base_dir == "R" else 0
    classes = [unicodedata.bidirectional(char) for char in text]
    order = list(range(len(text)))
    start = 0
    for end in [at + 1 for at, kind in enumerate(classes) if kind == "B"] + [len(text)]:
        if start < end:
            _reset_line_ends(levels, classes, start, end, base)
            _reverse_runs(order, levels, start, end)
        start = end
    table = mirrors()
    return "".join(
        chr(ALIAS_BASE + ord(text[at])) if levels[at] % 2 and text[at] in table else text[at]
        for at in order
    )


def _reset_line_ends(
    levels: list[int], classes: list[str], start: int, end: int, base: int
) -> None:
    """Rule L1: separators, and the white space before them and at the line's end, at the
    paragraph's level."""
    trailing = True  # walking back from the line's end
    for at in range(end - 1, start - 1, -1):
        kind = classes[at]
        if kind in _SEPARATORS:
            levels[at], trailing = base, True
        elif trailing and kind in _TRAILING:
            levels[at] = base
        else:
            trailing = False


def _reverse_runs(order: list[int], levels: list[int], start: int, end: int) -> None:
    """Rule L2: from the highest level down to the lowest odd one at or above the lowest
    level, reverse every run of characters at that level or higher."""
    span = [levels[at] for at in order[start:end]]
    for level in range(max(span), (min(span) | 1) - 1, -1):
        at = start
        while at < end:
            if levels[order[at]] < level:
                at += 1
                continue
            stop = at
            while stop < end and levels[order[stop]] >= level:
                stop += 1
            order[at:stop] = order[at:stop][::-1]
            at = stop
