"""A brief's parts as platypus flowables, tagged as the HTML brief's elements: the title block,
the key takeaways, the lede, the parts and their sections, and the author."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, TableStyle
from reportlab.platypus.flowables import HRFlowable

from ...model import Brief, BriefBlock, BriefSection
from ...sources.theme import Box
from .flowables import Bookmark, WholeRows, WholeSentences
from .markup import (
    block_markup,
    link_markup,
    paragraph,
    rtl_markup,
    rtl_style,
    text_markup,
)
from .paragraph import Paragraph
from .pdfua import Tags
from .scripts import font_markup, is_rtl_paragraph
from .styles import Styles


def story(
    brief: Brief,
    styles: Styles,
    boxes: dict[str, Box],
    list_indent: float,
    width: float,
    page_url: str,
    tags: Tags,
) -> list[Flowable]:
    """The flowables in reading order, tagged as the HTML brief's elements: the title is the
    only level-1 heading; parts are level 2 and hold level-3 sections, which are level 2
    when the brief has no parts."""
    # However deep a list nests (up to the reader's limit), its text keeps half the column.
    writer = _Story(styles, boxes, list_indent, width / 2, tags)
    flowables: list[Flowable] = [
        *writer.title_block(brief, width, page_url),
        *writer.takeaways(brief, width),
    ]
    flowables += [writer.block(item, 3) for item in brief.lede]
    section_level = 3 if brief.in_focus else 2
    if brief.in_focus:
        flowables += writer.part(f"In focus: {brief.edition.title}")
        for section in brief.in_focus:
            flowables += writer.section(section, section_level)
        if brief.context:
            flowables += writer.part("Context")
    for section in brief.context:
        flowables += writer.section(section, section_level)
    flowables += writer.about(brief)
    return flowables


class _Story:
    """What every part of one brief's story is made with: its styles, boxes and tags."""

    def __init__(
        self,
        styles: Styles,
        boxes: dict[str, Box],
        list_indent: float,
        max_indent: float,
        tags: Tags,
    ):
        self.styles, self.boxes, self.tags = styles, boxes, tags
        self.list_indent, self.max_indent = list_indent, max_indent

    def block(self, item: BriefBlock, level: int) -> Flowable:
        """One block; ``level`` is the heading level its part of the brief gives ``###``."""
        styles, tags, block = self.styles, self.tags, item.block
        if block.kind == "code":
            code = font_markup(block.text, styles.chain(styles.mono))
            code = code.replace("\n", "<br/>").replace("  ", "&nbsp; ")
            return tags.paragraph(Paragraph(code, styles.code), text=block.text)
        style = {"heading": styles.subheading, "quote": styles.quote, "item": styles.item}.get(
            block.kind, styles.body
        )
        bullet = None
        if block.kind == "item":
            indent = min(block.level * self.list_indent, self.max_indent)
            style = ParagraphStyle(
                f"item{block.level}",
                parent=styles.item,
                leftIndent=styles.item.leftIndent + indent,
                bulletIndent=styles.item.bulletIndent + indent,
            )
            bullet = block.marker
        markup: Callable[[BriefBlock], str]
        if is_rtl_paragraph(block.text):
            line_style, style = style, rtl_style(style)

            def markup(part: BriefBlock) -> str:
                return rtl_markup(part.block.text, line_style, styles)
        else:

            def markup(part: BriefBlock) -> str:
                return block_markup(part, styles, style)

        if block.kind == "heading":
            heading = Paragraph(markup(item), style)
            return tags.heading(heading, level + block.level - 3, text=block.text)
        lines = WholeSentences(markup(item), style, bullet, item=item, markup=markup)
        if block.kind == "item":
            return tags.list_item(lines, block.level, text=block.text)
        role = "BlockQuote" if block.kind == "quote" else "P"
        return tags.paragraph(lines, role, text=block.text)

    def title_block(self, brief: Brief, width: float, page_url: str) -> Iterator[Flowable]:
        """The bar with "Policy Brief" and the edition, the title, the summary, the byline."""
        styles, tags = self.styles, self.tags
        right = ParagraphStyle("label-right", parent=styles.label, alignment=TA_RIGHT)
        edition = paragraph(brief.edition.title, right, styles)
        label = WholeRows(
            [
                [
                    tags.paragraph(Paragraph("Policy Brief", styles.label)),
                    tags.paragraph(edition, text=brief.edition.title),
                ]
            ],
            colWidths=[width * 0.4, width * 0.6],
        )
        bar = self.boxes["title_bar"]
        top, right_padding, bottom, left = bar.padding
        label.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.label.fontName),
                    ("BACKGROUND", (0, 0), (-1, -1), self._color(bar.fill)),
                    ("LEFTPADDING", (0, 0), (-1, -1), left),
                    ("RIGHTPADDING", (0, 0), (-1, -1), right_padding),
                    ("TOPPADDING", (0, 0), (-1, -1), top),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        yield tags.decoration(label)
        title, summary = brief.article.title, brief.article.summary
        yield tags.heading(paragraph(title, styles.title, styles), 1, text=title)
        if summary:
            yield tags.paragraph(paragraph(summary, styles.dek, styles), text=summary)
        author = brief.author
        name = text_markup(author.name, styles.byline, styles, bold=True)
        role = f", {text_markup(author.role, styles.byline, styles)}" if author.role else ""
        date = f"{brief.date.day} {brief.date.strftime('%B %Y')}"
        byline = f"By <b>{name}</b>{role} · {date}"
        spoken = f"By {author.name}{f', {author.role}' if author.role else ''} · {date}"
        if page_url:
            # The printout's way back to the web version, as text a reader can type and a link.
            address = text_markup(page_url, styles.byline, styles)
            byline += f"<br/>Online: {link_markup(page_url, address, styles)}"
            spoken += f" Online: {page_url}"
        yield tags.paragraph(Paragraph(byline, styles.byline), text=spoken)

    def takeaways(self, brief: Brief, width: float) -> Iterator[Flowable]:
        """The key takeaways in their box, one sentence a row."""
        if brief.sparse_note:
            note = paragraph(brief.sparse_note, self.styles.takeaway, self.styles)
            yield self.tags.paragraph(note, text=brief.sparse_note)
            yield Spacer(1, self.boxes["takeaways"].space_after)
            return
        if not brief.takeaways:
            return
        styles, tags, box = self.styles, self.tags, self.boxes["takeaways"]
        top, right, bottom, left = box.padding
        yield Bookmark("Key takeaways", "takeaways")
        title = tags.heading(Paragraph("Key takeaways", styles.box_title), 2)
        rows: list[list[Flowable]] = [[title]]
        rows += [
            [
                tags.list_item(
                    paragraph(s, styles.takeaway, styles, room=left + right, bullet="•"), text=s
                )
            ]
            for s in brief.takeaways
        ]
        # Each row is one sentence: rows may go to the next page, but a row is never cut in two.
        table = WholeRows(rows, colWidths=[width], splitInRow=0)
        table.setStyle(
            TableStyle(
                [
                    # Tables otherwise select Helvetica, an unembedded base font, for their cells.
                    ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                    ("BACKGROUND", (0, 0), (-1, -1), self._color(box.fill)),
                    ("LINEBEFORE", (0, 0), (0, -1), box.rule_width, self._color(box.rule)),
                    ("LEFTPADDING", (0, 0), (-1, -1), left),
                    ("RIGHTPADDING", (0, 0), (-1, -1), right),
                    ("TOPPADDING", (0, 0), (-1, -1), box.row_gap),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), box.row_gap),
                    ("TOPPADDING", (0, 0), (-1, 0), top),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), bottom),
                ]
            )
        )
        yield tags.decoration(table)
        yield Spacer(1, box.space_after)

    def section(self, section: BriefSection, level: int) -> Iterator[Flowable]:
        """A section's bookmark, heading and blocks."""
        # No page-break guesses here: the bookmark, the heading (keepWithNext) and the start of
        # the first block travel together through KeepWithNext.
        yield Bookmark(section.title, f"section-{section.index}")
        heading = paragraph(section.title, self.styles.heading, self.styles)
        yield self.tags.heading(heading, level, text=section.title)
        for item in section.blocks:
            yield self.block(item, level + 1)

    def part(self, title: str) -> Iterator[Flowable]:
        """A part's title and the rule under it."""
        yield self.tags.heading(paragraph(title, self.styles.part, self.styles), 2, text=title)
        box = self.boxes["part_rule"]
        rule = HRFlowable(
            width="100%",
            thickness=box.rule_width,
            color=self.styles.palette[box.rule or "accent"],
            spaceBefore=box.space_before,
            spaceAfter=box.space_after,
        )
        rule.keepWithNext = 1  # the part title and its rule stay with the first section
        yield self.tags.decoration(rule)

    def about(self, brief: Brief) -> Iterator[Flowable]:
        """About the author: the name, then the bio."""
        styles = self.styles
        yield Bookmark("About the author", "about")
        yield from self.part("About the author")
        name = text_markup(brief.author.name, styles.body, styles, bold=True)
        heading = Paragraph(f"<b>{name}</b>", styles.body)
        heading.keepWithNext = 1  # the name stays with the bio
        yield self.tags.paragraph(heading, text=brief.author.name)
        for block in brief.author.bio:
            yield self.block(BriefBlock(block), 3)

    def _color(self, name: str | None) -> Color | None:
        """A box's colour by name; no name, no colour."""
        return None if name is None else self.styles.palette[name]
