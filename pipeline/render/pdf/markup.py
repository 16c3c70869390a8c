"""Source text and a block's runs -> ReportLab paragraph markup, right-to-left lines included.

Every string from a source is escaped here before it reaches ReportLab's paragraph markup, so
source text can never become markup.
"""

from __future__ import annotations

import re
from html import escape
from typing import Literal

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle

from ...model import BriefBlock, Run
from .. import pieces
from .flowables import Tracked
from .paragraph import Paragraph
from .scripts import font_markup, is_rtl_paragraph, rtl_lines, visual
from .styles import Styles


def face(style: ParagraphStyle, bold: bool = False, italic: bool = False) -> str:
    """The font ReportLab draws with for ``<b>``/``<i>`` text in a paragraph of ``style``."""
    family, is_bold, is_italic = ps2tt(style.fontName)
    return str(tt2ps(family, _flag(is_bold or bold), _flag(is_italic or italic)))


def _flag(on: object) -> Literal[0, 1]:
    return 1 if on else 0


def text_markup(text: str, style: ParagraphStyle, styles: Styles, bold: bool = False) -> str:
    """Plain source text as paragraph markup: escaped, in visual order, fallback fonts marked."""
    chain = styles.chain(face(style, bold))
    return font_markup(visual(text, chain), chain)


def paragraph(
    text: str, style: ParagraphStyle, styles: Styles, room: float = 0.0, bullet: str | None = None
) -> Paragraph:
    """A paragraph of plain source text; ``room`` is width the paragraph does not get (padding).

    A style with ``caps`` sets it in capitals, and one with ``tracking`` spaces its letters
    (not in right-to-left text, whose letters join).
    """
    if is_rtl_paragraph(text):
        markup, style = rtl_markup(text, style, styles, room), rtl_style(style)
        return Paragraph(markup, style, bulletText=bullet)
    if getattr(style, "caps", False):
        text = text.upper()
    markup = text_markup(text, style, styles)
    kind = Tracked if getattr(style, "tracking", 0.0) else Paragraph
    return kind(markup, style, bulletText=bullet)


def rtl_style(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` aligned right, for a paragraph whose first letter is right-to-left."""
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


def rtl_markup(text: str, style: ParagraphStyle, styles: Styles, room: float = 0.0) -> str:
    """A right-to-left paragraph as lines already broken and put in visual order.

    Inline styles (bold, links, highlights) are not kept: ReportLab cannot reorder styled runs.
    One point of slack keeps ReportLab from breaking a line this code measured as fitting.
    """
    chain = styles.chain(style.fontName)
    width = styles.width - room - style.leftIndent - style.rightIndent - 1
    lines = rtl_lines(text, chain, style.fontSize, width)
    return "<br/>".join(font_markup(line, chain) for line in lines)


def link_markup(href: str, markup: str, styles: Styles) -> str:
    """``markup`` as a link to ``href`` in the brief's link colour."""
    # Quoted and escaped as an attribute (not with xml.sax.saxutils.quoteattr, whose module
    # imports urllib.request and ssl).
    return f'<a href="{escape(href)}" color="{styles.link}">{markup}</a>'


#: Superscript digits, for a footnote's number where paragraph markup cannot be used.
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def note_key(number: int) -> str:
    """The name of footnote ``number``'s place in the PDF, which its references link to."""
    return f"note-{number}"


def text_with_notes(runs: tuple[Run, ...]) -> str:
    """The runs' plain text with each footnote reference as superscript digits (for lines put
    in visual order, which cannot hold links)."""
    return "".join(str(run.note).translate(SUPERSCRIPT) if run.note else run.text for run in runs)


def spoken_text(runs: tuple[Run, ...]) -> str:
    """The runs' plain text as it is read out: each footnote reference as its number."""
    return "".join(str(run.note) if run.note else run.text for run in runs)


#: A space after a word that ends in a hyphen ("<!--", "pre-"): a line ending there would be
#: taken for a word broken by hyphenation, and text extraction joins it to the next line's
#: first word without its hyphen. The space becomes a no-break space.
_HYPHEN_AT_END = re.compile(r"(?<=\S-) ")


def _run_markup(run: Run, styles: Styles, style: ParagraphStyle) -> str:
    if run.note:
        # A footnote reference: its number, raised, linking to the note after the sections.
        number = f'<a href="#{note_key(run.note)}" color="{styles.link}">{run.note}</a>'
        return f"<super>{number}</super>"
    font = styles.mono if run.code else face(style, run.bold, run.italic)
    chain = styles.chain(font)
    source = _HYPHEN_AT_END.sub("\u00a0", run.text)
    text = font_markup(visual(source, chain), chain).replace("\n", "<br/>")
    if run.code:
        text = f'<font face="{styles.mono}">{text}</font>'
    if run.italic:
        text = f"<i>{text}</i>"
    if run.bold:
        text = f"<b>{text}</b>"
    if run.href:
        text = link_markup(run.href, f"<u>{text}</u>", styles)
    return text


def block_markup(item: BriefBlock, styles: Styles, style: ParagraphStyle) -> str:
    """A block's runs with their inline styles, and its highlights as a background colour."""
    parts = []
    for piece in pieces(item):
        markup = "".join(_run_markup(run, styles, style) for run in piece.runs)
        if piece.highlighted:
            markup = f'<span backColor="{styles.highlight}">{markup}</span>'
        parts.append(markup)
    return "".join(parts)
