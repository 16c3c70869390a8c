"""A brief's parts as platypus flowables, tagged as the HTML brief's elements: the title block,
the key takeaways, the lede, the parts and their sections, and the author."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any, Literal

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from ...model import (
    Block,
    Brief,
    BriefBlock,
    BriefSection,
    Cell,
    Organisation,
    direction,
    list_style,
)
from ...sources.theme import Box
from ..labels import Labels
from .flowables import (
    Anchor,
    Bookmark,
    MarginMark,
    Picture,
    RightToLeftItem,
    RightToLeftTable,
    WholeRows,
    WholeSentences,
)
from .markup import (
    block_markup,
    link_markup,
    note_key,
    paragraph,
    rtl_markup,
    rtl_style,
    spoken_text,
    text_markup,
    text_with_notes,
)
from .paragraph import Paragraph
from .pdfua import Tags
from .scripts import font_markup, is_rtl_paragraph, rtl_label, text_width, unaliased, visual
from .styles import Styles


def story(
    brief: Brief,
    styles: Styles,
    boxes: dict[str, Box],
    list_indent: float,
    width: float,
    page_url: str,
    tags: Tags,
    labels: Labels,
    organisation: Organisation | None = None,
    logo_height: float = 22.0,
) -> list[Flowable]:
    """The flowables in reading order, tagged as the HTML brief's elements: the title is the
    only level-1 heading; parts are level 2 and hold level-3 sections, which are level 2
    when the brief has no parts."""
    # However deep a list nests (up to the reader's limit), its text keeps half the column.
    writer = _Story(styles, boxes, list_indent, width / 2, tags, labels)
    writer.rtl = direction(brief.article.lang) == "rtl"
    flowables: list[Flowable] = [
        *writer.organisation(organisation, width, logo_height),
        *writer.title_block(brief, width, page_url),
        *writer.why_it_matters(brief),
        *writer.takeaways(brief, width),
    ]
    if brief.lede:
        flowables.append(Anchor(LEDE_KEY))
    flowables += [writer.block(item, 3) for item in brief.lede]
    section_level = 3 if brief.in_focus else 2
    if brief.in_focus:
        flowables += writer.part(labels.in_focus(brief.edition))
        for section in brief.in_focus:
            flowables += writer.section(section, section_level)
        if brief.context:
            flowables += writer.part(labels["context"])
    for section in brief.context:
        flowables += writer.section(section, section_level)
    flowables += writer.notes(brief, width)
    flowables += writer.about(brief, width)
    return flowables


#: Where the lede starts: the cue of a takeaway that stands in it links there.
LEDE_KEY = "lede"


def _spaced(style: ParagraphStyle, like: ParagraphStyle) -> ParagraphStyle:
    """``style`` with the space before of ``like``: the general edition's one line stands where
    the focus's label would."""
    return ParagraphStyle(f"{style.name}-alone", parent=style, spaceBefore=like.spaceBefore)


def css_rgb_of(style: ParagraphStyle) -> str:
    """The text colour of ``style`` as paragraph markup writes it."""
    red, green, blue = (int(c * 255 + 0.5) for c in style.textColor.rgb())
    return f"rgb({red},{green},{blue})"


class _Story:
    """What every part of one brief's story is made with: its styles, boxes and tags."""

    def __init__(
        self,
        styles: Styles,
        boxes: dict[str, Box],
        list_indent: float,
        max_indent: float,
        tags: Tags,
        labels: Labels,
    ):
        self.styles, self.boxes, self.tags = styles, boxes, tags
        self.list_indent, self.max_indent = list_indent, max_indent
        self.labels = labels
        #: Whether the brief's language is written right to left (its tables' columns too).
        self.rtl = False
        mark = boxes["margin_mark"]
        self.mark = (
            MarginMark(styles.palette[mark.rule or "accent"], mark.rule_width, mark.offset)
            if mark.rule_width > 0
            else None
        )

    def block(self, item: BriefBlock, level: int) -> Flowable:
        """One block; ``level`` is the heading level its part of the brief gives ``###``."""
        styles, tags, block = self.styles, self.tags, item.block
        if block.kind == "table":
            return self.table(block)
        if block.kind == "figure":
            return self.figure(block)
        if block.kind == "code":
            chain = styles.chain(styles.mono)
            code = font_markup(unaliased(block.text, chain), chain)
            code = code.replace("\n", "<br/>").replace("  ", "&nbsp; ")
            return tags.paragraph(Paragraph(code, styles.code), text=block.text)
        style = {"heading": styles.subheading, "quote": styles.quote, "item": styles.item}.get(
            block.kind, styles.body
        )
        bullet = None
        right = is_rtl_paragraph(block.text)
        listed = block.kind == "item" or block.in_item
        if listed:
            indent = min(block.level * self.list_indent, self.max_indent)
            base = styles.item
            # A quotation in an item is indented from the item's text as one outside a list is
            # from the body's, in the quotation's own style.
            name, parent, start = f"item{block.level}", base, base.leftIndent + indent
            if block.kind == "quote":
                # Its label, when it opens the item, drawn as every item's is.
                parent = ParagraphStyle(
                    f"quote-in-item{block.level}",
                    parent=styles.quote,
                    bulletFontName=base.bulletFontName,
                    bulletFontSize=base.bulletFontSize,
                    bulletColor=getattr(base, "bulletColor", base.textColor),
                )
                name, start = parent.name, start + styles.quote.leftIndent
            if right:
                # A label too wide for the room before the text ("viii.", "(a)") pushes the
                # text along, a space's width from it: RightToLeftItem draws the label itself,
                # where ReportLab would push a left-to-right item's first line.
                label = rtl_label(block.marker) + " "
                width = stringWidth(label, parent.bulletFontName, parent.bulletFontSize)
                start = max(start, base.bulletIndent + indent + width)
                # Mirrored: the text's start, the bullet and a nested list's step are measured
                # from the right edge (RightToLeftItem).
                style = ParagraphStyle(
                    f"{name}-right",
                    parent=parent,
                    leftIndent=parent.rightIndent,
                    rightIndent=start,
                    bulletIndent=base.bulletIndent + indent,
                )
            else:
                style = ParagraphStyle(
                    name,
                    parent=parent,
                    leftIndent=start,
                    bulletIndent=base.bulletIndent + indent,
                )
            bullet = rtl_label(block.marker) if right else block.marker
        markup: Callable[[BriefBlock], str]
        if right:
            line_style, style = style, rtl_style(style)

            def markup(part: BriefBlock) -> str:
                return rtl_markup(text_with_notes(part.block.runs), line_style, styles)
        else:

            def markup(part: BriefBlock) -> str:
                return block_markup(part, styles, style)

        text = spoken_text(block.runs)
        if block.kind == "heading":
            heading = Paragraph(markup(item), style)
            return tags.heading(heading, level + block.level - 3, text=text)
        kind = RightToLeftItem if right and listed else WholeSentences
        lines = kind(
            markup(item),
            style,
            bullet,
            item=item,
            markup=markup,
            mark=self.mark,
            right=right,
        )
        role = "BlockQuote" if block.kind == "quote" else "P"
        if listed and not block.marker:
            # An item's further paragraph or quotation (no marker of its own) is part of that
            # item.
            return tags.list_paragraph(lines, block.level, text=text, role=role)
        if listed:
            spoken = block.marker if bullet != block.marker else None
            marks = list_style(block.marker, block.roman)[0]
            return tags.list_item(
                lines,
                block.level,
                text=text,
                label_text=spoken,
                kind=marks,
                role="" if block.kind == "item" else role,
            )
        return tags.paragraph(lines, role, text=text)

    def table(self, block: Block) -> Flowable:
        """A table at the text width, tagged Table/TR/TH/TD: it splits between rows across
        pages, its header row repeated on each; in a right-to-left brief the first column is on
        the right."""
        assert block.table is not None
        styles, width, table = self.styles, self.styles.width, block.table
        columns = max(len(table.header), *(len(row) for row in table.rows), 1)
        rows: list[list[Cell]] = [
            [*row, *[()] * (columns - len(row))] for row in (table.header, *table.rows)
        ]
        widths = _column_widths(rows, width)
        elements = self.tags.table_cells(len(rows), columns)
        # Four points a side, less in columns too narrow for that: a table of forty columns
        # has ten points to each, and its cells' text must keep some of them.
        padding = min(4.0, min(widths) / 4)
        data: list[list[Flowable]] = []
        for number, row in enumerate(rows):
            base = styles.table_header if number == 0 else styles.table_cell
            cells: list[Flowable] = []
            for column, cell in enumerate(row):
                align = table.align[column] if column < len(table.align) else ""
                style = ParagraphStyle(
                    f"{base.name}-{align or 'start'}",
                    parent=base,
                    alignment=_ALIGNMENTS.get(align, TA_LEFT),
                )
                room = width - widths[column] + 2 * padding
                cells.append(self._cell(cell, style, room, elements[number][column]))
            data.append(cells[::-1] if self.rtl else cells)
        kind = RightToLeftTable if self.rtl else Table
        grid = kind(
            data, colWidths=widths[::-1] if self.rtl else widths, repeatRows=1, splitInRow=0
        )
        rule, accent = self.styles.palette["rule"], self.styles.palette["accent"]
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.table_cell.fontName),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), padding),
                    ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, accent),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.4, rule),
                ]
            )
        )
        grid.spaceBefore, grid.spaceAfter = 2, styles.body.spaceAfter + 2
        return self.tags.decoration(grid)

    def figure(self, block: Block) -> Flowable:
        """An image at most the text width wide (and 0.9 of it tall), centred, tagged Figure
        with its alt text, and its caption under it, tagged Caption; the two stay together."""
        figure, styles = block.figure, self.styles
        assert figure is not None
        picture = Picture(figure, styles.width, styles.width * 0.9)
        parts = [self.tags.figure(picture, figure.alt)]
        picture.spaceBefore = styles.body.spaceAfter
        after = styles.body.spaceAfter + 4
        if not figure.caption:
            picture.spaceAfter = after
        if figure.caption:
            style = ParagraphStyle(
                "caption",
                parent=styles.note,
                alignment=TA_CENTER,
                leftIndent=0,
                firstLineIndent=0,
                spaceBefore=4,
                spaceAfter=after,
            )
            if is_rtl_paragraph(figure.caption):
                caption = Paragraph(rtl_markup(figure.caption, style, styles), style)
            else:
                caption = Paragraph(text_markup(figure.caption, style, styles), style)
            parts.append(self.tags.caption(caption, figure.caption))
        return KeepTogether(parts)

    def _cell(self, cell: Cell, style: ParagraphStyle, room: float, element: object) -> Flowable:
        """One cell's paragraph, tagged as its TH or TD (a space when it is empty, so that
        every row has all its cells)."""
        from .pdfua.structure import Element

        assert isinstance(element, Element)
        text, spoken = text_with_notes(cell), spoken_text(cell)
        if not text.strip():
            flowable = Paragraph("&nbsp;", style)
        elif is_rtl_paragraph(text):
            flowable = Paragraph(rtl_markup(text, style, self.styles, room), rtl_style(style))
        else:
            flowable = Paragraph(
                block_markup(BriefBlock(Block("paragraph", cell, 0)), self.styles, style), style
            )
        return self.tags.cell(flowable, element, text=spoken or None)

    def notes(self, brief: Brief, width: float) -> Iterator[Flowable]:
        """The footnotes, numbered, after the sections: each is where its references link."""
        notes = brief.article.notes
        if not notes:
            return
        styles, title = self.styles, self.labels["notes"]
        yield Bookmark(title, "notes")
        yield from self.part(title)
        for note in notes:
            number = f"{note.level}."
            text = text_with_notes(note.runs)
            if is_rtl_paragraph(text):
                # The number on the right, where the line starts, beside the text: a bullet
                # on the right would take the first line's width in ReportLab.
                yield Anchor(note_key(note.level))
                yield self._rtl_note(note.level, text, spoken_text(note.runs), width)
                continue
            markup = block_markup(BriefBlock(note), styles, styles.note)
            flowable = Paragraph(markup, styles.note, bulletText=number)
            yield Anchor(note_key(note.level))
            spoken = f"{number} {spoken_text(note.runs)}"
            yield self.tags.note(flowable, note_key(note.level), text=spoken)

    def title_block(self, brief: Brief, width: float, page_url: str) -> Iterator[Flowable]:
        """The bar with "Policy Brief" and the edition, the title, the summary, the byline."""
        styles, tags = self.styles, self.tags
        labels = self.labels
        edition_title, policy_brief = labels.edition(brief.edition), labels["policy_brief"]
        bar = self.boxes["title_bar"]
        top, right_padding, bottom, left = bar.padding
        first = tags.paragraph(paragraph(policy_brief, styles.label, styles), text=policy_brief)
        label: Table
        padding: list[Any]  # the bar's own cell padding and rule, on top of the box's
        if is_rtl_paragraph(policy_brief):
            # Both at the bar's start, on the right, as the HTML's kicker: "Policy Brief",
            # drawn first as its tag comes first, then a rule and the edition. Text extractors
            # (pdftotext, copy and paste) take words this close as one right-to-left line and
            # read "Policy Brief" first, whichever way they take the page to run; set at the
            # bar's two ends, they would be two blocks, read left to right.
            size = styles.label.fontSize
            gap = size * 0.25  # each side of the rule: poppler joins words up to 0.7em apart
            chain = styles.chain(styles.label.fontName)
            own = text_width(visual(policy_brief, chain), chain, size) + right_padding + 1
            room = own + 2 * gap + left
            edition = paragraph(edition_title, rtl_style(styles.label), styles, room=room)
            cells = [tags.paragraph(edition, text=edition_title), first]
            label = RightToLeftTable([cells], colWidths=[width - own - gap, own + gap])
            padding = [
                ("LEFTPADDING", (1, 0), (1, 0), gap),
                ("RIGHTPADDING", (0, 0), (0, 0), gap),
                ("LINEBEFORE", (1, 0), (1, 0), 0.8, styles.label.textColor),
            ]
        else:
            right = ParagraphStyle("label-right", parent=styles.label, alignment=TA_RIGHT)
            edition = paragraph(edition_title, right, styles)
            cells = [first, tags.paragraph(edition, text=edition_title)]
            label = WholeRows([cells], colWidths=[width * 0.4, width * 0.6])
            padding = []
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
                    *padding,
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
        date, by, online = labels.dateline(brief), labels["by"], labels["online"]
        byline = f"{by} <b>{name}</b>{role} · {text_markup(date, styles.byline, styles)}"
        spoken = f"{by} {author.name}{f', {author.role}' if author.role else ''} · {date}"
        if self.rtl:
            # Put in visual order as one line of plain text: ReportLab cannot reorder runs.
            yield tags.paragraph(paragraph(spoken, styles.byline, styles), text=spoken)
        else:
            yield tags.paragraph(Paragraph(byline, styles.byline), text=spoken)
        if page_url:
            # The printout's way back to the web version, as text a reader can type and a link.
            address = text_markup(page_url, styles.byline, styles)
            prefix = text_markup(f"{online}:", styles.byline, styles)
            markup = f"{prefix} {link_markup(page_url, address, styles)}"
            yield tags.paragraph(Paragraph(markup, styles.byline), text=f"{online}: {page_url}")

    def organisation(
        self, organisation: Organisation | None, width: float, logo_height: float
    ) -> Iterator[Flowable]:
        """The organisation's logo (an artifact: its name is beside it as text) and name."""
        if organisation is None:
            return
        styles, box = self.styles, self.boxes["logo"]
        name = self.tags.paragraph(
            paragraph(organisation.name, styles.organisation, styles), text=organisation.name
        )
        if not organisation.logo:
            yield name
            yield Spacer(1, box.space_after)
            return
        data = io.BytesIO(organisation.logo)
        logo_width, logo_px_height = ImageReader(data).getSize()
        data.seek(0)
        image_width = logo_height * logo_width / max(logo_px_height, 1)
        image = Image(data, width=image_width, height=logo_height)
        gap = box.padding[1]
        row = WholeRows([[image, name]], colWidths=[image_width + gap, width - image_width - gap])
        row.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.organisation.fontName),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), gap),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        row.spaceAfter = box.space_after
        yield self.tags.decoration(row)

    def why_it_matters(self, brief: Brief) -> Iterator[Flowable]:
        """Why the brief matters for its focus (the focus's description) and how much of the
        article is about it; for the general edition, that it is the whole article."""
        styles, tags, labels = self.styles, self.tags, self.labels
        label = labels.why_it_matters(brief.edition)
        if label:
            yield tags.paragraph(paragraph(label, styles.matters_label, styles), text=label)
            for focus in brief.edition.focuses:
                text = focus.description_in(labels.lang)
                if text:
                    yield tags.paragraph(paragraph(text, styles.matters, styles), text=text)
        coverage = labels.coverage(brief)
        style = styles.coverage if label else _spaced(styles.coverage, styles.matters_label)
        yield tags.paragraph(paragraph(coverage, style, styles), text=coverage)

    def takeaways(self, brief: Brief, width: float) -> Iterator[Flowable]:
        """The key takeaways in their box, numbered, one sentence a row, each with a cue to
        the section it stands in (a link there); a bar down the box's left side."""
        if not brief.takeaways:
            return
        styles, tags, box = self.styles, self.tags, self.boxes["takeaways"]
        top, right, bottom, left = box.padding
        words = self.labels["key_takeaways"]
        bar = box.rule_width
        inner = width - bar
        yield Bookmark(words, "takeaways")
        title = tags.heading(
            paragraph(words, styles.box_title, styles, room=left + right + bar), 2, text=words
        )
        rows: list[list[Flowable | str]] = [["", title]]
        for number, sentence in enumerate(brief.takeaways):
            rows.append(["", self._takeaway(brief, number, sentence, left + right + bar)])
        # Each row is one sentence: rows may go to the next page, but a row is never cut in two.
        # The bar is the bar column's fill, so it is exactly as tall as the box; in a
        # right-to-left brief it is on the right, where the lines start (as in the HTML).
        widths, edge, text = [bar, inner], 0, 1
        if self.rtl:
            rows = [row[::-1] for row in rows]
            widths, edge, text = widths[::-1], 1, 0
            left, right = right, left
        table = WholeRows(rows, colWidths=widths, splitInRow=0)
        table.setStyle(
            TableStyle(
                [
                    # Tables otherwise select Helvetica, an unembedded base font, for their cells.
                    ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                    ("BACKGROUND", (text, 0), (text, -1), self._color(box.fill)),
                    ("BACKGROUND", (edge, 0), (edge, -1), self._color(box.rule)),
                    ("LEFTPADDING", (edge, 0), (edge, -1), 0),
                    ("RIGHTPADDING", (edge, 0), (edge, -1), 0),
                    ("LEFTPADDING", (text, 0), (text, -1), left),
                    ("RIGHTPADDING", (text, 0), (text, -1), right),
                    ("TOPPADDING", (0, 0), (-1, -1), box.row_gap),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), box.row_gap),
                    ("TOPPADDING", (0, 0), (-1, 0), top),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), bottom),
                ]
            )
        )
        yield tags.decoration(table)
        yield Spacer(1, box.space_after)

    def _takeaway(self, brief: Brief, number: int, sentence: str, room: float) -> Flowable:
        """Takeaway ``number`` (from 0), numbered, and its cue: a link to its section."""
        styles, labels = self.styles, self.labels
        cue = labels.takeaway_cue(brief, number)
        section = brief.takeaway_section(number)
        key = f"section-{section.index}" if section is not None else LEDE_KEY
        label = f"{number + 1}."
        spoken = f"{sentence} {cue}"
        if is_rtl_paragraph(sentence):
            # Lines put in visual order cannot hold a link: the cue is plain text. The number
            # stands on the right, where the lines start, as an item's bullet does.
            base = styles.takeaway
            style = ParagraphStyle(
                f"{base.name}-right",
                parent=base,
                leftIndent=base.rightIndent,
                rightIndent=base.leftIndent,
            )
            markup = rtl_markup(spoken, style, styles, room)
            flowable = RightToLeftItem(markup, rtl_style(style), rtl_label(label))
            return self.tags.list_item(flowable, text=spoken, label_text=label)
        cue_style = styles.takeaway_cue
        colour = css_rgb_of(cue_style)
        cue_markup = text_markup(cue, cue_style, styles)
        link = f'<a href="#{key}" color="{colour}">{cue_markup}</a>'
        markup = (
            f"{text_markup(sentence, styles.takeaway, styles)} "
            f'<font name="{cue_style.fontName}" size="{cue_style.fontSize:g}">{link}</font>'
        )
        return self.tags.list_item(
            Paragraph(markup, styles.takeaway, bulletText=label), text=spoken
        )

    def section(self, section: BriefSection, level: int) -> Iterator[Flowable]:
        """A section's bookmark, heading and blocks."""
        # No page-break guesses here: the bookmark, the heading (keepWithNext) and the start of
        # the first block travel together through KeepWithNext.
        yield Bookmark(section.title, f"section-{section.index}")
        heading = paragraph(section.title, self.styles.heading, self.styles)
        yield self.tags.heading(heading, level, text=section.title)
        # Subheadings nest in the outline under their section (and under each other) by how
        # their Markdown levels nest, so "##" then "####" is still one step down.
        open_levels: list[int] = []
        for number, item in enumerate(section.blocks):
            block = item.block
            if block.kind == "heading":
                while open_levels and open_levels[-1] >= block.level:
                    open_levels.pop()
                open_levels.append(block.level)
                key = f"section-{section.index}-{number}"
                yield Bookmark(text_with_notes(block.runs), key, level=len(open_levels))
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

    def _rtl_note(self, number: int, text: str, spoken: str, width: float) -> Flowable:
        """A right-to-left footnote: its number (Lbl) in a narrow column on the right, drawn
        first, and its text in the column to its left, both in the Note."""
        styles, indent = self.styles, self.styles.note.leftIndent
        base = ParagraphStyle("note-rtl", parent=styles.note, leftIndent=0, bulletIndent=0)
        note, label = self.tags.note_parts(note_key(number))
        room = indent + 2
        body = Paragraph(rtl_markup(text, base, styles, room), rtl_style(base))
        mark = Paragraph(rtl_label(f"{number}."), rtl_style(base))
        label.attributes["ActualText"] = f"{number}."  # drawn ".1", read "1."
        cells = [
            self.tags.cell(body, note, text=spoken),
            self.tags.cell(mark, label, text=f"{number}."),
        ]
        grid = RightToLeftTable([cells], colWidths=[width - indent, indent])
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.note.fontName),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), styles.note.spaceAfter),
                ]
            )
        )
        return self.tags.decoration(grid)

    def about(self, brief: Brief, width: float) -> Iterator[Flowable]:
        """About the author, as a compact closing box: the label, the name and role, the bio."""
        styles, tags, box = self.styles, self.tags, self.boxes["about"]
        top, right, bottom, left = box.padding
        title = self.labels["about_author"]
        author = brief.author
        cells: list[Flowable] = [
            tags.heading(
                paragraph(title, styles.about_label, styles, room=left + right), 2, text=title
            )
        ]
        name = text_markup(author.name, styles.about_name, styles)
        role = (
            f' <font name="{styles.about.fontName}">'
            f"{text_markup(author.role, styles.about, styles)}</font>"
            if author.role
            else ""
        )
        spoken = f"{author.name} {author.role}" if author.role else author.name
        cells.append(tags.paragraph(Paragraph(name + role, styles.about_name), text=spoken))
        for block in author.bio:
            cells.append(self._bio(block, left + right))
        rows = [[cell] for cell in cells]
        table = WholeRows(rows, colWidths=[width], splitInRow=0)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.about.fontName),
                    ("BACKGROUND", (0, 0), (-1, -1), self._color(box.fill)),
                    ("LEFTPADDING", (0, 0), (-1, -1), left),
                    ("RIGHTPADDING", (0, 0), (-1, -1), right),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, 0), top),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), bottom),
                ]
            )
        )
        table.spaceBefore = box.space_before
        # The box stays whole when it fits on a page: a name alone at the foot of one is lost.
        yield KeepTogether([Bookmark(title, "about"), tags.decoration(table)])

    def _bio(self, block: Block, room: float) -> Flowable:
        """One block of the author's bio in the closing box's style."""
        styles = self.styles
        if block.kind == "paragraph" and not is_rtl_paragraph(block.text):
            markup = block_markup(BriefBlock(block), styles, styles.about)
            return self.tags.paragraph(
                Paragraph(markup, styles.about), text=spoken_text(block.runs)
            )
        if block.kind == "paragraph":
            text = spoken_text(block.runs)
            return self.tags.paragraph(paragraph(text, styles.about, styles, room=room), text=text)
        return self.block(BriefBlock(block), 3)

    def _color(self, name: str | None) -> Color | None:
        """A box's colour by name; no name, no colour."""
        return None if name is None else self.styles.palette[name]


#: A column's alignment from its delimiter row (``:-:``, ``--:``), as ReportLab's.
_ALIGNMENTS: dict[str, Literal[0, 1, 2]] = {"center": TA_CENTER, "right": TA_RIGHT}


def _column_widths(rows: list[list[Cell]], width: float) -> list[float]:
    """Columns share the text width by how long their longest cell is, within bounds: a
    column of numbers stays narrow, and no column takes more than its share of long text."""
    columns = len(rows[0])
    weights = [
        min(max(len("".join(run.text for run in row[c])) for row in rows), 40) + 4.0
        for c in range(columns)
    ]
    total = sum(weights)
    return [width * w / total for w in weights]
