"""Brief -> PDF, with ReportLab platypus.

The story is built from the brief's parts; a canvas that holds back each page until the end
writes the running footer with "Page N of M" in one pass. Every string from a source is escaped
before it reaches ReportLab's paragraph markup, so source text can never become markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable, _listWrapOn

from ...model import Brief, BriefBlock, BriefSection, Run
from ...emphasis.units import split_sentences
from ...sources.theme import Theme
from .. import RenderContext, clip, pieces
from ..color import readable, text_on
from .fonts import RegisteredFamily, register_fallbacks, register_family
from .paragraph import Paragraph
from .pdfua import TaggedCanvas, Tags
from .scripts import (
    FontChain,
    font_markup,
    is_rtl_paragraph,
    rtl_lines,
    segments,
    text_width,
    visual,
)

#: How many focus keywords go into the PDF's keyword metadata.
METADATA_KEYWORDS = 12


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of one brief, derived from the theme and the edition's accent."""

    body: ParagraphStyle
    label: ParagraphStyle
    title: ParagraphStyle
    dek: ParagraphStyle
    byline: ParagraphStyle
    box_title: ParagraphStyle
    takeaway: ParagraphStyle
    part: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    item: ParagraphStyle
    quote: ParagraphStyle
    code: ParagraphStyle
    small: ParagraphStyle
    accent: colors.Color
    highlight: str
    link: str
    mono: str
    #: Fonts for characters a style's own face lacks, in the theme's order.
    fallbacks: tuple[str, ...]
    #: Width of the text column in points, for breaking right-to-left lines.
    width: float

    def chain(self, font: str) -> FontChain:
        """The fonts a character drawn in ``font`` may come from."""
        return FontChain((font, *self.fallbacks))


def fonts_for(theme: Theme) -> tuple[RegisteredFamily, RegisteredFamily, RegisteredFamily]:
    """Register the theme's body, heading and mono families (once per process)."""
    return (
        register_family(theme.body_font, theme.search_dirs),
        register_family(theme.heading_font, theme.search_dirs),
        register_family(theme.mono_font, theme.search_dirs),
    )


def _styles(context: RenderContext, accent_hex: str) -> Styles:
    theme = context.theme
    body_font, head_font, mono_font = fonts_for(theme)
    size, leading = theme.sizes["body"], theme.sizes["leading"]
    text = colors.HexColor(theme.colors["text"])
    muted = colors.HexColor(theme.colors["muted"])
    accent = colors.HexColor(accent_hex)
    # The accent is the focus's colour, chosen for looks; text drawn in it or on it is shaded
    # until it reads (WCAG AA contrast) on the backgrounds it meets.
    accent_text = readable(
        accent_hex, "#ffffff", theme.colors["takeaways"], theme.colors["highlight"]
    )
    body = ParagraphStyle(
        "body", fontName=body_font.regular, fontSize=size, leading=leading, textColor=text,
        spaceAfter=leading * 0.5, alignment=TA_LEFT, splitLongWords=1, bulletFontName=body_font.regular,
    )

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **kw)

    heading_size = theme.sizes["heading"]
    return Styles(
        body=body,
        label=derive("label", fontName=head_font.bold, fontSize=theme.sizes["small"] + 0.5,
                     leading=theme.sizes["small"] * 1.4,
                     textColor=colors.HexColor(text_on(accent_hex)), spaceAfter=0),
        title=derive("title", fontName=head_font.bold, fontSize=theme.sizes["title"],
                     leading=theme.sizes["title"] * 1.18, spaceBefore=6, spaceAfter=8),
        dek=derive("dek", fontSize=size * 1.15, leading=leading * 1.15, textColor=muted),
        byline=derive("byline", fontName=head_font.regular, fontSize=size * 0.9, textColor=muted,
                      spaceAfter=14),
        box_title=derive("box_title", fontName=head_font.bold, fontSize=size * 0.95,
                         textColor=colors.HexColor(accent_text),
                         spaceAfter=4),
        takeaway=derive("takeaway", leftIndent=12, bulletIndent=0, spaceAfter=5),
        part=derive("part", fontName=head_font.bold, fontSize=theme.sizes["small"] + 0.5,
                    textColor=muted, spaceBefore=16, spaceAfter=2, keepWithNext=1),
        heading=derive("heading", fontName=head_font.bold, fontSize=heading_size,
                       leading=heading_size * 1.25, spaceBefore=12, spaceAfter=5, keepWithNext=1),
        subheading=derive("subheading", fontName=head_font.bold, fontSize=theme.sizes["subheading"],
                          leading=theme.sizes["subheading"] * 1.3, spaceBefore=8, spaceAfter=3,
                          keepWithNext=1),
        item=derive("item", leftIndent=14, bulletIndent=2, spaceAfter=3),
        quote=derive("quote", leftIndent=14, textColor=muted),
        code=derive("code", fontName=mono_font.regular, fontSize=size * 0.85, leading=leading * 0.9,
                    leftIndent=8),
        small=derive("small", fontName=head_font.regular, fontSize=theme.sizes["small"],
                     leading=theme.sizes["small"] * 1.35, textColor=muted),
        accent=accent,
        highlight=_css_rgb(theme.colors["highlight"]),
        link=_css_rgb(accent_text),
        mono=mono_font.regular,
        fallbacks=register_fallbacks(theme.fallback_fonts, theme.search_dirs),
        width=(theme.page_size_mm[0] - theme.margins_mm[1] - theme.margins_mm[3]) * mm,
    )


def _css_rgb(hex_color: str) -> str:
    """``#rrggbb`` as ``rgb(r,g,b)``, the same colour for paragraph markup.

    ReportLab reads a colour attribute by trying ever slower parsers in turn; a CSS ``rgb()`` is
    the first it tries and a hex string nearly the last, a millisecond per highlight or link.
    """
    red, green, blue = (int(c * 255 + 0.5) for c in colors.HexColor(hex_color).rgb())
    return f"rgb({red},{green},{blue})"


# --- inline markup ----------------------------------------------------------------------------


def _face(style: ParagraphStyle, bold: bool = False, italic: bool = False) -> str:
    """The font ReportLab draws with for ``<b>``/``<i>`` text in a paragraph of ``style``."""
    family, is_bold, is_italic = ps2tt(style.fontName)
    return str(tt2ps(family, is_bold | bold, is_italic | italic))


def _text(text: str, style: ParagraphStyle, styles: Styles, bold: bool = False) -> str:
    """Plain source text as paragraph markup: escaped, in visual order, fallback fonts marked."""
    chain = styles.chain(_face(style, bold))
    return font_markup(visual(text, chain), chain)


def _para(
    text: str, style: ParagraphStyle, styles: Styles, room: float = 0.0, **kw: Any
) -> Paragraph:
    """A paragraph of plain source text; ``room`` is width the paragraph does not get (padding)."""
    if is_rtl_paragraph(text):
        return Paragraph(_rtl_markup(text, style, styles, room), _rtl_style(style), **kw)
    return Paragraph(_text(text, style, styles), style, **kw)


def _rtl_style(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


def _rtl_markup(text: str, style: ParagraphStyle, styles: Styles, room: float = 0.0) -> str:
    """A right-to-left paragraph as lines already broken and put in visual order.

    Inline styles (bold, links, highlights) are not kept: ReportLab cannot reorder styled runs.
    One point of slack keeps ReportLab from breaking a line this code measured as fitting.
    """
    chain = styles.chain(style.fontName)
    width = styles.width - room - style.leftIndent - style.rightIndent - 1
    lines = rtl_lines(text, chain, style.fontSize, width)
    return "<br/>".join(font_markup(line, chain) for line in lines)


def _run_markup(run: Run, styles: Styles, style: ParagraphStyle) -> str:
    face = styles.mono if run.code else _face(style, run.bold, run.italic)
    chain = styles.chain(face)
    text = font_markup(visual(run.text, chain), chain).replace("\n", "<br/>")
    if run.code:
        text = f'<font face="{styles.mono}">{text}</font>'
    if run.italic:
        text = f"<i>{text}</i>"
    if run.bold:
        text = f"<b>{text}</b>"
    if run.href:
        text = f'<a href={quoteattr(run.href)} color="{styles.link}"><u>{text}</u></a>'
    return text


def _block_markup(item: BriefBlock, styles: Styles, style: ParagraphStyle) -> str:
    parts = []
    for piece in pieces(item):
        markup = "".join(_run_markup(run, styles, style) for run in piece.runs)
        if piece.highlighted:
            markup = f'<span backColor="{styles.highlight}">{markup}</span>'
        parts.append(markup)
    return "".join(parts)


# --- the story --------------------------------------------------------------------------------


class Bookmark(Flowable):  # type: ignore[misc]
    """A zero-size flowable that adds an outline entry where it lands.

    It keeps with the next flowable (its heading), so the entry lands on the heading's page
    even when the heading moves to the next page.
    """

    def __init__(self, title: str, key: str, level: int = 0):
        super().__init__()
        self.title, self.key, self.level = title, key, level
        self.width = self.height = 0
        self.keepWithNext = 1

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=False)


class _WholeSentences(Paragraph):  # type: ignore[misc]
    """A paragraph that breaks across pages only between sentences.

    pdftotext, screen readers' reflow and copy-paste all read the running footer between the
    last line of one page and the first of the next; a break between sentences keeps every
    sentence whole. The first part ends where its last sentence ends, like a paragraph, and
    keeps at least two lines (no orphan). A sentence too long for a whole page still breaks
    where it must. ``markup`` turns any stretch of ``item`` into paragraph markup.
    """

    def __init__(self, text: str, style: ParagraphStyle, *args: Any,
                 item: BriefBlock | None = None,
                 markup: Callable[[BriefBlock], str] | None = None, **kwargs: Any):
        super().__init__(text, style, *args, **kwargs)
        self._item, self._markup = item, markup

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self._split_between_sentences(available_width, available_height)
        if parts:
            return parts
        frame = getattr(self, "_frame", None)
        if self._item is None or (frame is not None and getattr(frame, "_atTop", False)):
            # Not a brief's block, or even a whole page cannot hold the sentence.
            result: list[Flowable] = super().split(available_width, available_height)
            return result
        return []

    def _split_between_sentences(self, width: float, height: float) -> list[Flowable]:
        if self._item is None or self._markup is None:
            return []
        item, markup = self._item, self._markup
        sentences = split_sentences(item.block.text)
        end = len(item.block.text)
        for k in range(len(sentences) - 1, 0, -1):
            first = clip(item, 0, sentences[k - 1].end)
            head = _WholeSentences(markup(first), self.style, bulletText=self.bulletText,
                                   item=first, markup=markup)
            head_height = head.wrap(width, height)[1]
            if 2 * self.style.leading - 0.01 <= head_height <= height:
                tail = clip(item, sentences[k].start, end)
                rest = _WholeSentences(markup(tail), self.style, item=tail, markup=markup)
                return [head, rest]
        return []


class _KeepWithNext(KeepTogether):  # type: ignore[misc]
    """Headings (with their bookmark and rule) kept with the start of the block that follows.

    ReportLab's own KeepTogether moves the whole group to the next page when it does not fit,
    which leaves a gap as tall as the paragraph after the heading. This one first tries to keep
    the heading with as much of that block as fits (whole sentences, at least two lines), and
    only moves the group when not even that fits, so a heading never ends a page.
    """

    def getSpaceBefore(self, content: list[Flowable] | None = None) -> float:  # noqa: N802
        """The space before the first flowable that is drawn.

        ReportLab's answer is the first flowable's, here the zero-size bookmark's: the frame then
        reserved no room for the heading's own space before, and a group that seemed to fit left
        its heading alone at the foot of the page.
        """
        for flowable in self._content if content is None else content:
            if not hasattr(flowable, "frameAction") and not isinstance(flowable, Bookmark):
                space: float = flowable.getSpaceBefore()
                return space
        return 0.0

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        if available_height < self._H:  # the whole group does not fit
            parts = self._split_last(available_width, available_height)
            if parts:
                return parts
        result: list[Flowable] = super().split(available_width, available_height)
        return result

    def _split_last(self, available_width: float, available_height: float) -> list[Flowable]:
        *lead, last = self._content
        drawn = [f for f in lead if f.wrapOn(self.canv, available_width, available_height)[1] > 0]
        if not drawn:
            return []
        _, lead_height = _listWrapOn(lead, available_width, self.canv)
        gap = max(drawn[-1].getSpaceAfter(), last.getSpaceBefore())
        # The frame has already taken the heading's space before (getSpaceBefore above).
        room = available_height - lead_height - gap
        if room <= 0:
            return []
        parts = last.splitOn(self.canv, available_width, room)
        if len(parts) != 2:
            return []
        return [*lead, *parts]


def _block_flowable(item: BriefBlock, styles: Styles, tags: Tags, level: int) -> Flowable:
    """One block; ``level`` is the heading level its part of the brief gives a ``###`` heading."""
    block = item.block
    if block.kind == "code":
        code = font_markup(block.text, styles.chain(styles.mono))
        code = code.replace("\n", "<br/>").replace("  ", "&nbsp; ")
        return tags.paragraph(Paragraph(code, styles.code), text=block.text)
    style = {"heading": styles.subheading, "quote": styles.quote, "item": styles.item}.get(
        block.kind, styles.body
    )
    bullet: dict[str, str] = {}
    if block.kind == "item":
        indent = block.level * 14
        style = ParagraphStyle(f"item{block.level}", parent=styles.item,
                               leftIndent=styles.item.leftIndent + indent,
                               bulletIndent=styles.item.bulletIndent + indent)
        bullet = {"bulletText": block.marker}
    markup: Callable[[BriefBlock], str]
    if is_rtl_paragraph(block.text):
        line_style, style = style, _rtl_style(style)

        def markup(part: BriefBlock) -> str:
            return _rtl_markup(part.block.text, line_style, styles)
    else:

        def markup(part: BriefBlock) -> str:
            return _block_markup(part, styles, style)

    if block.kind == "heading":
        heading = Paragraph(markup(item), style)
        return tags.heading(heading, level + block.level - 3, text=block.text)
    paragraph = _WholeSentences(markup(item), style, item=item, markup=markup, **bullet)
    if block.kind == "item":
        return tags.list_item(paragraph, block.level, text=block.text)
    role = "BlockQuote" if block.kind == "quote" else "P"
    return tags.paragraph(paragraph, role, text=block.text)


def _title_block(
    brief: Brief, styles: Styles, width: float, page_url: str, tags: Tags
) -> Iterator[Flowable]:
    edition = _para(brief.edition.title,
                    ParagraphStyle("label-right", parent=styles.label, alignment=2), styles)
    label = Table(
        [[tags.paragraph(Paragraph("Policy Brief", styles.label)),
          tags.paragraph(edition, text=brief.edition.title)]],
        colWidths=[width * 0.4, width * 0.6],
    )
    label.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.label.fontName),
        ("BACKGROUND", (0, 0), (-1, -1), styles.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    yield tags.decoration(label)
    title, summary = brief.article.title, brief.article.summary
    yield tags.heading(_para(title, styles.title, styles), 1, text=title)
    if summary:
        yield tags.paragraph(_para(summary, styles.dek, styles), text=summary)
    author = brief.author
    name = _text(author.name, styles.byline, styles, bold=True)
    role = f", {_text(author.role, styles.byline, styles)}" if author.role else ""
    date = f"{brief.date.day} {brief.date.strftime('%B %Y')}"
    byline = f"By <b>{name}</b>{role} · {date}"
    spoken = f"By {author.name}{f', {author.role}' if author.role else ''} · {date}"
    if page_url:
        # The printout's way back to the web version, as text a reader can type and a link.
        address = _text(page_url, styles.byline, styles)
        byline += f'<br/>Online: <a href={quoteattr(page_url)} color="{styles.link}">{address}</a>'
        spoken += f" Online: {page_url}"
    yield tags.paragraph(Paragraph(byline, styles.byline), text=spoken)


def _takeaways(
    brief: Brief, styles: Styles, width: float, theme_tint: str, tags: Tags
) -> Iterator[Flowable]:
    if not brief.takeaways:
        return
    yield Bookmark("Key takeaways", "takeaways")
    rows: list[list[Flowable]] = [[tags.heading(Paragraph("Key takeaways", styles.box_title), 2)]]
    rows += [
        [tags.list_item(_para(s, styles.takeaway, styles, room=24, bulletText="•"), text=s)]
        for s in brief.takeaways
    ]
    # Each row is one sentence: rows may go to the next page, but a row is never cut in two.
    box = Table(rows, colWidths=[width], splitInRow=0)
    box.setStyle(TableStyle([
        # Tables otherwise select Helvetica, an unembedded base font, for their cells.
        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(theme_tint)),
        ("LINEBEFORE", (0, 0), (0, -1), 3, styles.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, 0), 10), ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    yield tags.decoration(box)
    yield Spacer(1, 6)


def _section(section: BriefSection, styles: Styles, tags: Tags, level: int) -> Iterator[Flowable]:
    # No page-break guesses here: the bookmark, the heading (keepWithNext) and the start of the
    # first block travel together through _KeepWithNext.
    yield Bookmark(section.title, f"section-{section.index}")
    yield tags.heading(_para(section.title, styles.heading, styles), level, text=section.title)
    for item in section.blocks:
        yield _block_flowable(item, styles, tags, level + 1)


def _part(title: str, styles: Styles, tags: Tags) -> Iterator[Flowable]:
    yield tags.heading(_para(title, styles.part, styles), 2, text=title)
    rule = HRFlowable(width="100%", thickness=1.2, color=styles.accent, spaceBefore=1, spaceAfter=4)
    rule.keepWithNext = 1  # the part title and its rule stay with the first section
    yield tags.decoration(rule)


def _story(
    brief: Brief, styles: Styles, width: float, tint: str, page_url: str, tags: Tags
) -> list[Flowable]:
    """The flowables in reading order, tagged as the HTML brief's elements: the title is the
    only level-1 heading; parts are level 2 and hold level-3 sections, which are level 2
    when the brief has no parts."""
    story: list[Flowable] = [
        *_title_block(brief, styles, width, page_url, tags),
        *_takeaways(brief, styles, width, tint, tags),
    ]
    story += [_block_flowable(item, styles, tags, 3) for item in brief.lede]
    section_level = 3 if brief.in_focus else 2
    if brief.in_focus:
        story += _part(f"In focus: {brief.edition.title}", styles, tags)
        for section in brief.in_focus:
            story += _section(section, styles, tags, section_level)
        if brief.context:
            story += _part("Context", styles, tags)
    for section in brief.context:
        story += _section(section, styles, tags, section_level)
    story += _about(brief, styles, tags)
    return story


def _about(brief: Brief, styles: Styles, tags: Tags) -> Iterator[Flowable]:
    yield Bookmark("About the author", "about")
    yield from _part("About the author", styles, tags)
    name = _text(brief.author.name, styles.body, styles, bold=True)
    heading = Paragraph(f"<b>{name}</b>", styles.body)
    heading.keepWithNext = 1  # the name stays with the bio
    yield tags.paragraph(heading, text=brief.author.name)
    for block in brief.author.bio:
        yield _block_flowable(BriefBlock(block), styles, tags, 3)


# --- pages ------------------------------------------------------------------------------------


class _FooterCanvas(TaggedCanvas):
    """Holds back each page so its footer can say "Page N of M" once M is known."""

    footer_text = ""
    footer_font = "Helvetica"
    footer_fallbacks: tuple[str, ...] = ()
    footer_size = 8.0
    footer_color: colors.Color = colors.grey
    accent: colors.Color = colors.grey
    margins: tuple[float, float, float, float] = (0, 0, 0, 0)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._held_bookmarks: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def bookmarkPage(self, key: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802 (ReportLab's name)
        """Hold a destination back with its page: ReportLab binds it to the page being added,
        and until ``save`` every held-back page would be page 1."""
        self._held_bookmarks.append((key, args, kwargs))

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._held_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            for key, args, kwargs in self._held_bookmarks:
                super().bookmarkPage(key, *args, **kwargs)
            with self.artifact("/Type /Pagination /Subtype /Footer"):
                self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        top, right, bottom, left = self.margins
        width, _ = self._pagesize
        y = bottom * 0.45
        self.saveState()
        self.setStrokeColor(self.accent)
        self.setLineWidth(0.6)
        self.line(left, y + self.footer_size + 3, width - right, y + self.footer_size + 3)
        self.setFont(self.footer_font, self.footer_size)
        self.setFillColor(self.footer_color)
        page = f"Page {number} of {total}"
        room = width - left - right - stringWidth(page, self.footer_font, self.footer_size) - 18
        chain = FontChain((self.footer_font, *self.footer_fallbacks))
        x = left
        # Run by run, so a title in another script is drawn in a font that has its letters.
        footer = visual(_fit(self.footer_text, chain, self.footer_size, room), chain)
        for font, piece in segments(footer, chain):
            self.setFont(font, self.footer_size)
            self.drawString(x, y, piece)
            x += stringWidth(piece, font, self.footer_size)
        self.setFont(self.footer_font, self.footer_size)
        self.drawRightString(width - right, y, page)
        self.restoreState()


def _fit(text: str, chain: FontChain, size: float, room: float) -> str:
    """``text`` cut with an ellipsis to fit ``room`` points."""
    if text_width(text, chain, size) <= room:
        return text
    while text and text_width(text + "…", chain, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _canvas_class(
    brief: Brief, context: RenderContext, styles: Styles, margins: tuple[float, ...], tags: Tags
) -> type:
    footer = f"{brief.article.title} · {brief.edition.title}"
    attrs = {
        "structure": tags.tree,
        "footer_text": footer,
        "footer_font": styles.small.fontName,
        "footer_fallbacks": styles.fallbacks,
        "footer_size": context.theme.sizes["small"],
        "footer_color": colors.HexColor(context.theme.colors["muted"]),
        "accent": styles.accent,
        "margins": margins,
    }
    return type("BriefCanvas", (_FooterCanvas,), attrs)


class _Document(BaseDocTemplate):  # type: ignore[misc]
    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's name)
        """Nothing to do: bookmarks are zero-size flowables that draw their own entry."""


def render(brief: Brief, context: RenderContext) -> bytes:
    """The brief as PDF bytes, identical for identical input."""
    theme = context.theme
    accent = brief.edition.color or theme.colors["accent"]
    styles = _styles(context, accent)
    page_width, page_height = (v * mm for v in theme.page_size_mm)
    top, right, bottom, left = (v * mm for v in theme.margins_mm)
    keywords = [brief.edition.title, "policy brief", *brief.edition.keywords[:METADATA_KEYWORDS]]
    buffer = io.BytesIO()
    doc = _Document(
        buffer,
        pagesize=(page_width, page_height),
        leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title=brief.article.title,
        author=brief.author.name,
        subject=brief.edition.title,
        keywords=keywords,
        creator="make-brief",
        producer="make-brief",
        lang=brief.article.lang,
        invariant=1,
        initialFontName=styles.body.fontName,
        initialFontSize=styles.body.fontSize,
        initialLeading=styles.body.leading,
        displayDocTitle=1,
    )
    frame = Frame(left, bottom, page_width - left - right, page_height - top - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.keepTogetherClass = _KeepWithNext
    tint = theme.colors["takeaways"]
    page_url = context.published_url(brief, "html") if "html" in context.formats else ""
    tags = Tags(brief.article.lang)
    doc.build(
        _story(brief, styles, frame._width, tint, page_url, tags),
        canvasmaker=_canvas_class(brief, context, styles, (top, right, bottom, left), tags),
    )
    return buffer.getvalue()


def prepare(context: RenderContext) -> None:
    """Register the theme's fonts, as the first brief would."""
    fonts_for(context.theme)
