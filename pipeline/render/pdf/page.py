"""The page: the document template, and a canvas that writes the running footer.

The canvas holds back each page until the end, so the footer says "Page N of M" in one pass.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable

from ...model import Brief
from ...sources.theme import Box
from ..labels import Labels
from .pdfua import TaggedCanvas, Tags
from .scripts import FontChain, segments, text_width, visual
from .styles import Styles


class FooterCanvas(TaggedCanvas):
    """Holds back each page so its footer can say "Page N of M" once M is known."""

    footer_text = ""
    footer_font = "Helvetica"
    footer_fallbacks: tuple[str, ...] = ()
    footer_size = 8.0
    footer_color: colors.Color = colors.grey
    rule_color: colors.Color = colors.grey
    rule_width = 0.6
    #: Between the top of the footer's text and the rule above it.
    rule_gap = 3.0
    margins: tuple[float, float, float, float] = (0, 0, 0, 0)
    #: "Page {number} of {total}" in the brief's language.
    page_label = "Page {number} of {total}"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._held_bookmarks: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def bookmarkPage(self, key: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Hold a destination back with its page: ReportLab binds it to the page being added,
        and until ``save`` every held-back page would be page 1."""
        self._held_bookmarks.append((key, args, kwargs))

    def showPage(self) -> None:
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
        _, right, bottom, left = self.margins
        width, _ = self._pagesize
        y = bottom * 0.45
        self.saveState()
        self.setStrokeColor(self.rule_color)
        self.setLineWidth(self.rule_width)
        rule_y = y + self.footer_size + self.rule_gap
        self.line(left, rule_y, width - right, rule_y)
        self.setFont(self.footer_font, self.footer_size)
        self.setFillColor(self.footer_color)
        chain = FontChain((self.footer_font, *self.footer_fallbacks))
        page = visual(self.page_label.format(number=number, total=total), chain)
        room = width - left - right - text_width(page, chain, self.footer_size) - 18
        x = left
        # Run by run, so a title in another script is drawn in a font that has its letters.
        footer = visual(fit(self.footer_text, chain, self.footer_size, room), chain)
        for font, piece in segments(footer, chain):
            self.setFont(font, self.footer_size)
            self.drawString(x, y, piece)
            x += stringWidth(piece, font, self.footer_size)
        x = width - right - text_width(page, chain, self.footer_size)
        for font, piece in segments(page, chain):
            self.setFont(font, self.footer_size)
            self.drawString(x, y, piece)
            x += stringWidth(piece, font, self.footer_size)
        self.restoreState()


def fit(text: str, chain: FontChain, size: float, room: float) -> str:
    """``text`` cut with an ellipsis to fit ``room`` points."""
    if text_width(text, chain, size) <= room:
        return text
    while text and text_width(text + "…", chain, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def canvas_class(
    brief: Brief,
    styles: Styles,
    rule: Box,
    margins: tuple[float, float, float, float],
    tags: Tags,
    labels: Labels,
) -> type[FooterCanvas]:
    """The canvas for one brief: its footer in the small style, under the theme's rule."""
    attrs = {
        "structure": tags.tree,
        "footer_text": f"{brief.article.title} · {labels.edition(brief.edition)}",
        "page_label": labels["page"],
        "footer_font": styles.small.fontName,
        "footer_fallbacks": styles.fallbacks,
        "footer_size": styles.small.fontSize,
        "footer_color": styles.small.textColor,
        "rule_color": styles.palette[rule.rule or "accent"],
        "rule_width": rule.rule_width,
        "rule_gap": rule.space_after,
        "margins": margins,
    }
    return type("BriefCanvas", (FooterCanvas,), attrs)


class Document(BaseDocTemplate):
    """The brief's document template."""

    def afterFlowable(self, flowable: Flowable) -> None:
        """Nothing to do: bookmarks are zero-size flowables that draw their own entry."""
