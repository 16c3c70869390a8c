"""The floor: the least a ReportLab program can do to typeset a brief's text.

A brief's text (labels, title, byline, takeaways, section headings, paragraphs, author bio, a
footer line on each page) and the theme's font files, as the benchmark exports them to JSON,
typeset with plain platypus: one page template, one style per kind of block, each in the face the
brief uses for it, the same TrueType files registered the same way, ``invariant=1``. No Markdown,
no scoring, no highlights, no inline styles, no tables, no outline, no "Page N of M".
make-brief's figures are given as ratios to this, so the floor must stay this small.

In-process: :func:`register_fonts` once, then :func:`render` per document.
As a process, the whole cost of making one PDF (or COUNT PDFs in one process), start-up and
imports included:

    python benchmarks/floor.py TEXT.json OUT.pdf [COUNT]
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

#: Face roles a text spec names, in registration order.
FACES = (
    "body",
    "body-bold",
    "body-italic",
    "body-bold-italic",
    "heading",
    "heading-bold",
    "heading-italic",
    "heading-bold-italic",
    "mono",
)


def register_fonts(fonts: dict[str, str]) -> None:
    """Register every face file under ``floor-<role>`` and map bold/italic for each family."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for role in FACES:
        if f"floor-{role}" not in registered:
            pdfmetrics.registerFont(TTFont(f"floor-{role}", fonts[role]))
    for family in ("body", "heading"):
        for suffix, bold, italic in (
            ("", 0, 0),
            ("-bold", 1, 0),
            ("-italic", 0, 1),
            ("-bold-italic", 1, 1),
        ):
            addMapping(f"floor-{family}", bold, italic, f"floor-{family}{suffix}")


def _styles(sizes: dict[str, float]) -> dict[str, ParagraphStyle]:
    size, leading = sizes["body"], sizes["leading"]
    body = ParagraphStyle(
        "body", fontName="floor-body", fontSize=size, leading=leading, spaceAfter=leading / 2
    )

    def face(name: str, font: str, points: float) -> ParagraphStyle:
        return ParagraphStyle(name, body, fontName=font, fontSize=points, leading=points * 1.25)

    return {
        "body": body,
        "author": ParagraphStyle("author", body, fontName="floor-body-bold"),
        "code": face("code", "floor-mono", size * 0.85),
        "label": face("label", "floor-heading-bold", sizes["small"]),
        "title": face("title", "floor-heading-bold", sizes["title"]),
        "byline": face("byline", "floor-heading", size),
        "heading": face("heading", "floor-heading-bold", sizes["heading"]),
    }


def render(spec: dict[str, Any]) -> bytes:
    """Typeset ``spec["blocks"]`` (pairs of style and plain text) into PDF bytes, with a footer."""
    styles = _styles(spec["sizes"])
    top, right, bottom, left = spec["margins"]
    footer, small = spec["footer"], spec["sizes"]["small"]

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.setFont("floor-heading", small)
        canvas.drawString(left, bottom / 2, f"{footer}  Page {doc.page}")

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=tuple(spec["page"]),
        topMargin=top,
        rightMargin=right,
        bottomMargin=bottom,
        leftMargin=left,
        title=spec["title"],
        invariant=1,
        initialFontName="floor-body",
    )
    story = [Paragraph(escape(text), styles[style]) for style, text in spec["blocks"]]
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    """``floor.py TEXT.json OUT.pdf [COUNT]``: one PDF (or COUNT, each written), as a process."""
    source, target, *count = argv
    with open(source, encoding="utf-8") as handle:
        spec = json.load(handle)
    register_fonts(spec["fonts"])
    for _ in range(int(count[0]) if count else 1):
        with open(target, "wb") as handle:
            handle.write(render(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
