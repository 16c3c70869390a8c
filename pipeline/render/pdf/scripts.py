"""Writing systems in the PDF: a font for every character, and right-to-left text in visual order.

ReportLab draws each run of text in one font and lays words out left to right. So that every
script is readable:

* **Font fallback.** Text is cut into runs by font: each character goes to the first font of its
  chain (the style's own face, then the theme's ``fonts: fallback`` list) whose character map has
  it. A character no font has is drawn in the style's face (an empty box) and reported by
  :func:`missing_glyphs`; an invisible format character no font has (a bidi isolate) is left out
  of the drawing, since a box would show where nothing should.
* **Right to left.** ReportLab's own bidi support needs a package that is not on PyPI, so the
  reordering happens here: Arabic letters take their joined forms (``arabic-reshaper``), and the
  Unicode bidi algorithm (``python-bidi``) puts each line in visual order. A paragraph whose first
  strong character is right-to-left is broken into lines here, each line right-aligned; inside a
  left-to-right paragraph each styled run is reordered on its own, which is right as long as a
  right-to-left phrase does not wrap across lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from html import escape as html_escape
from pathlib import Path
from typing import Protocol

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth

from ...model import Article, Block
from ...sources import SourceWarning
from ...sources.theme import Theme
from .fonts import ensure_registered, register_fallbacks, register_family
from .mirroring import aliases, drawable, has_mirrored, is_alias, meaning, shown, visual_order

#: Bidi classes of strong right-to-left characters (Hebrew; Arabic, Syriac, Thaana...).
_RTL_CLASSES = frozenset({"R", "AL"})
_ASCII = frozenset(map(chr, range(128)))
#: How many missing characters a warning lists before it only counts the rest.
WARN_LIST_MAX = 12


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as XML text needs (``xml.sax.saxutils.escape``, which
    imports urllib.request and ssl with it)."""
    return html_escape(text, quote=False)


@cache
def coverage(font_name: str) -> frozenset[str]:
    """Characters a registered TrueType font has glyphs for (from its character map)."""
    ensure_registered(font_name)
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    # A character mapped to glyph 0 (.notdef) has no glyph: it would be drawn as an empty box.
    # The aliases .mirroring adds are not the font's own characters.
    drawn = frozenset(
        chr(code) for code, glyph in getattr(face, "charToGlyph", {}).items() if glyph
    )
    return drawn - aliases()


@cache
def _first_font(fonts: tuple[str, ...], char: str) -> str | None:
    return next((font for font in fonts if char in coverage(font)), None)


@dataclass(frozen=True)
class FontChain:
    """ReportLab font names tried in order for each character: a face, then the fallbacks."""

    fonts: tuple[str, ...]

    @property
    def primary(self) -> str:
        return self.fonts[0]

    def font_for(self, char: str) -> str | None:
        """The first font with a glyph for ``char``, or None when no font has one."""
        return _first_font(self.fonts, char)


def _is_invisible(char: str) -> bool:
    """A format character (joiner, bidi control): shown by nothing, so never reported missing."""
    return unicodedata.category(char) == "Cf"


#: Punctuation that ends a clause, in the text's logical order.
_CLOSING = ".,;:!?،؛؟"
#: Closing brackets and quotation marks (initial quotes too: "»" opens a quote in German).
_CLOSING_MARKS = frozenset({"Pe", "Pf", "Pi"})
#: Bidi classes of punctuation and symbols that take the direction of the text around them.
_NEUTRAL_CLASSES = frozenset({"ON", "CS", "ES", "ET"})


def _follows(char: str) -> bool:
    """Characters that stay in the font of the text around them if that font has them."""
    return char.isspace() or unicodedata.category(char) in ("Mn", "Me", "Cf")


def segments(text: str, chain: FontChain) -> list[tuple[str, str]]:
    """``text`` cut into ``(font, text)`` runs, each character in the first font that has it.

    Spaces, combining marks and joiners stay in the font of the run they are in when it has
    them, so a Korean word's spaces do not split it into three runs. So does punctuation after
    a right-to-left letter ("שלום." or "سلام،"): drawn in another font, a full stop becomes a
    piece of its own, which pdftotext takes for left-to-right text and uses to cut the line's
    right-to-left runs apart, reading the start of the next sentence before the end of this.
    """
    if coverage(chain.primary).issuperset(text):
        # The usual case, decided at C speed: the style's own face has every character.
        return [(chain.primary, text)] if text else []
    runs: list[tuple[str, str]] = []
    after_rtl = False
    for char in text:
        current = runs[-1][0] if runs else chain.primary
        # A mirrored character's alias goes by the character it stands for, in a font
        # with the glyph it is drawn with (see .mirroring).
        meant, glyph = meaning(char), shown(char)
        kind = unicodedata.bidirectional(meant)
        neutral = kind in _NEUTRAL_CLASSES and after_rtl
        if kind in _RTL_CLASSES:
            after_rtl = True
        elif kind == "L" or kind == "EN":
            after_rtl = False
        if meant.isspace() or ((_follows(meant) or neutral) and glyph in coverage(current)):
            font = current
        else:
            found = chain.font_for(glyph)
            if found is None and _is_invisible(char):
                continue
            font = chain.primary if found is None else found
        if char != meant and not drawable(font, char):
            char = meant  # no font of the chain has the mirror: the glyph as it is
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def font_markup(text: str, chain: FontChain) -> str:
    """``text`` escaped for a ReportLab paragraph, with ``<font>`` around runs in fallback fonts."""
    return "".join(
        escape(piece) if font == chain.primary else f'<font face="{font}">{escape(piece)}</font>'
        for font, piece in segments(text, chain)
    )


def text_width(text: str, chain: FontChain, size: float) -> float:
    """Width in points of ``text`` drawn through the chain."""
    return sum(stringWidth(piece, font, size) for font, piece in segments(text, chain))


# --- right to left ----------------------------------------------------------------------------


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter."""
    # Each distinct character once, and never an ASCII one: none of those is right to left.
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in set(text) - _ASCII)


def rtl_label(label: str) -> str:
    """A list's or note's label ("1.", "(a)") as it reads at the start of a right-to-left line,
    in the order its characters are drawn left to right: ".1", the full stop between the
    number and the text, as a browser draws an ``<ol>`` in a ``dir="rtl"`` page, and brackets
    mirrored. Plain characters, for a label drawn in its own font and read by its
    /ActualText."""
    ordered = visual_order(label, "R") or label[::-1]
    return "".join(shown(char) for char in ordered)


def is_rtl_paragraph(text: str) -> bool:
    """Whether ``text`` reads right to left: its first strong character does (Unicode rule P2)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            return True
        if kind == "L":
            return False
    return False


#: Arabic joining that keeps every letter and mark: diacritics stay (the library's default
#: deletes them), and of the ligatures only the obligatory lam-alef, since the others (such as
#: one glyph for a whole word) fonts rarely have and extraction cannot split back.
class _Reshaper(Protocol):
    """What this module uses of ``arabic_reshaper.ArabicReshaper``."""

    def reshape(self, text: str) -> str: ...


@cache
def _reshaper() -> _Reshaper:
    """Arabic shaping, set up on first use: its imports cost a build with no Arabic text
    about 40 ms (they bring fontTools)."""
    # arabic-reshaper publishes no type hints; what is used of it is typed by _Reshaper.
    import arabic_reshaper  # type: ignore[import-untyped]
    from arabic_reshaper.ligatures import LIGATURES  # type: ignore[import-untyped]

    shaper: _Reshaper = arabic_reshaper.ArabicReshaper(
        configuration={
            "delete_harakat": False,
            **{name: name.startswith("ARABIC LIGATURE LAM WITH ALEF") for name, _ in LIGATURES},
        }
    )
    return shaper


def _get_display(text: str, base_dir: str) -> str:
    """``text`` in visual order, its mirrored characters in right-to-left runs as aliases
    that draw their mirror (see .mirroring)."""
    if has_mirrored(text):
        ordered = visual_order(text, base_dir)
        if ordered is not None:
            return ordered
    # Only for right-to-left text, like the reshaper. python-bidi publishes no type hints.
    from bidi import get_display  # type: ignore[import-untyped]

    return str(get_display(text, base_dir=base_dir))


_WORD_RUN = re.compile(r"\S+")


def join_letters(text: str, chain: FontChain) -> str:
    """Arabic letters in their joined (contextual) forms, word by word.

    A word whose joined forms some font of the chain lacks keeps its plain letters, which the
    fonts do have, rather than turning into empty boxes.
    """

    def word(match: re.Match[str]) -> str:
        plain = match.group()
        joined = _reshaper().reshape(plain)
        new = set(joined) - set(plain)
        return joined if all(chain.font_for(char) for char in new) else plain

    return _WORD_RUN.sub(word, text)


def unaliased(text: str, chain: FontChain) -> str:
    """``text`` without the characters of its own that sit at an alias's code point and that no
    font of ``chain`` draws.

    Aliases are private-use code points of plane 15 (see .mirroring): a source's own character
    there would be taken for one and drawn as a mirrored bracket ("\U000f3008" as "〉"). No
    font draws it, so an empty box is all it could show; the glyph warning names it.
    """
    if not _PLANE_15.search(text):
        return text
    return "".join(c for c in text if not (is_alias(c) and chain.font_for(c) is None))


_PLANE_15 = re.compile("[\U000f0000-\U000fffff]")


def visual(text: str, chain: FontChain, rtl_base: bool = False) -> str:
    """One line of logical text in the order it is drawn left to right, Arabic letters joined."""
    text = unaliased(text, chain)
    if not has_rtl(text):
        return text
    return _get_display(join_letters(text, chain), "R" if rtl_base else "L")


def rtl_lines(text: str, chain: FontChain, size: float, width: float) -> list[str]:
    """A right-to-left paragraph broken into lines that fit ``width``, each in visual order.

    Words are measured in their joined forms, so a line holds what will be drawn; a word wider
    than a line is cut between characters.

    A line ends after punctuation that the letters before it have no glyph for (a full stop
    after Hebrew, in a Hebrew face without one): drawn in another font, the stop splits the
    line's right-to-left text in two for a text extractor (poppler reads such a line's runs
    from left to right, the next clause first), so a clause after it starts the next line.
    """
    shaped = join_letters(" ".join(unaliased(text, chain).split()), chain)
    space = text_width(" ", chain, size)
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in _fitting_words(shaped.split(" "), chain, size, width):
        needed = text_width(word, chain, size)
        if line and used + space + needed > width:
            lines.append(" ".join(line))
            line, used = [], 0.0
        used += (space if line else 0.0) + needed
        line.append(word)
        if _ends_in_foreign_punctuation(word, chain):
            lines.append(" ".join(line))
            line, used = [], 0.0
    if line:
        lines.append(" ".join(line))
    return [_get_display(line, "R") for line in lines]


def _ends_in_foreign_punctuation(word: str, chain: FontChain) -> bool:
    """Whether ``word`` ends in punctuation that :func:`segments` draws in another font than
    the right-to-left letters before it: a full stop or comma, after any closing brackets and
    quotation marks ("הדיווח],")."""
    runs = segments(word, chain)
    if len(runs) < 2 or not has_rtl(runs[-2][1]):
        return False
    tail = runs[-1][1]
    return any(char in _CLOSING for char in tail) and all(
        char in _CLOSING or unicodedata.category(char) in _CLOSING_MARKS for char in tail
    )


def _fitting_words(
    words: Iterable[str], chain: FontChain, size: float, width: float
) -> Iterator[str]:
    """Words, with any word wider than ``width`` cut into pieces that fit."""
    for word in words:
        piece = ""
        for char in word:
            if piece and text_width(piece + char, chain, size) > width:
                yield piece
                piece = ""
            piece += char
        if piece:
            yield piece


# --- missing glyphs ---------------------------------------------------------------------------


def missing_glyphs(text: str, chain: FontChain) -> list[str]:
    """Visible characters of ``text`` that no font of the chain has, each once, in order."""
    primary = coverage(chain.primary)
    if primary.issuperset(text):
        return []
    found: dict[str, None] = {}
    for char in text:
        if char in primary or char.isspace() or _is_invisible(char) or char in found:
            continue
        if chain.font_for(char) is None:
            found[char] = None
    return list(found)


def describe(chars: list[str]) -> str:
    """``'ก' (U+0E01), '😀' (U+1F600)``, cut short after :data:`WARN_LIST_MAX` characters."""
    shown = ", ".join(f"'{char}' (U+{ord(char):04X})" for char in chars[:WARN_LIST_MAX])
    rest = len(chars) - WARN_LIST_MAX
    return shown + (f" and {rest} more" if rest > 0 else "")


def glyph_warnings(article: Article, theme: Theme) -> list[SourceWarning]:
    """A warning for each part of ``article`` (title, section, bio) with characters no font has.

    Each part is checked with the face it is drawn in and the theme's fallback fonts.
    """
    body, _, mono = (
        register_family(family, theme.search_dirs).regular
        for family in (theme.body_font, theme.heading_font, theme.mono_font)
    )
    fallbacks = register_fallbacks(theme.fallback_fonts, theme.search_dirs)
    head_bold = register_family(theme.heading_font, theme.search_dirs).bold

    def chain(face: str) -> FontChain:
        return FontChain((face, *fallbacks))

    def blocks(items: Iterable[Block]) -> Iterator[tuple[str, FontChain, int | None]]:
        for block in items:
            yield block.text, chain(mono if block.kind == "code" else body), block.line

    author = article.author
    parts: list[tuple[str, Path, Iterable[tuple[str, FontChain, int | None]]]] = [
        ("the title", article.path, [(article.title, chain(head_bold), None)]),
        ("the summary", article.path, [(article.summary, chain(body), None)]),
        ("the lede", article.path, blocks(article.lede)),
        *(
            (
                f"section '{section.title}'",
                article.path,
                [(section.title, chain(head_bold), section.line), *blocks(section.blocks)],
            )
            for section in article.sections
        ),
        (
            "the author's name and role",
            author.path,
            [(f"{author.name} {author.role}", chain(body), None)],
        ),
        ("the author's bio", author.path, blocks(author.bio)),
    ]
    warnings = []
    for where, path, texts in parts:
        missing: dict[str, None] = {}
        first_line = None
        for text, fonts, line in texts:
            found = missing_glyphs(text, fonts)
            if found and first_line is None:
                first_line = line
            missing.update(dict.fromkeys(found))
        if missing:
            message = (
                f"no font has glyphs for {describe(list(missing))} in {where}: they show as empty "
                "boxes in the PDF; add a font that has them to 'fonts: fallback' in theme.yaml"
            )
            warnings.append(SourceWarning(message, path, first_line))
    return warnings
