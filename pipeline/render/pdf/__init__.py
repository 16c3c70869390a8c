"""Brief -> PDF, with ReportLab platypus.

The story is built from the brief's parts (:mod:`.story`) in the theme's styles (:mod:`.styles`);
a canvas that holds back each page until the end writes the running footer with "Page N of M"
in one pass (:mod:`.page`). Every string from a source is escaped before it reaches ReportLab's
paragraph markup (:mod:`.markup`), so source text can never become markup.
"""

from __future__ import annotations

import io
import re

from .lazy_patterns import import_paragraph_module

# Before anything of this package imports ReportLab's platypus (see .lazy_patterns).
import_paragraph_module()

from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Frame, PageTemplate  # noqa: E402
from reportlab.platypus.doctemplate import LayoutError  # noqa: E402

from ...errors import RenderError  # noqa: E402
from ...model import Brief  # noqa: E402
from .. import RenderContext  # noqa: E402
from ..labels import labels_for  # noqa: E402
from .flowables import KeepWithNext  # noqa: E402
from .fonts import keep_faces_in  # noqa: E402
from .internals import compress_streams_at  # noqa: E402
from .page import Document, canvas_class  # noqa: E402
from .pdfua import Tags  # noqa: E402
from .story import story  # noqa: E402
from .styles import Styles, fonts_for, styles_for  # noqa: E402

compress_streams_at()

__all__ = ["METADATA_KEYWORDS", "Styles", "fonts_for", "prepare", "render", "styles_for"]

#: How many focus keywords go into the PDF's keyword metadata.
METADATA_KEYWORDS = 12


def render(brief: Brief, context: RenderContext) -> bytes:
    """The brief as PDF bytes, identical for identical input."""
    keep_faces_in(context.compiled)
    theme = context.theme
    accent = brief.edition.color or theme.colors["accent"]
    styles = styles_for(context, accent)
    page_width, page_height = (v * mm for v in theme.page_size_mm)
    top, right, bottom, left = (v * mm for v in theme.margins_mm)
    keywords = [brief.edition.title, "policy brief", *brief.edition.keywords[:METADATA_KEYWORDS]]
    buffer = io.BytesIO()
    doc = Document(
        buffer,
        pagesize=(page_width, page_height),
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
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
    width = page_width - left - right
    frame = Frame(
        left,
        bottom,
        width,
        page_height - top - bottom,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.keepTogetherClass = KeepWithNext
    page_url = context.published_url(brief, "html") if "html" in context.formats else ""
    tags = Tags(brief.article.lang)
    boxes = dict(theme.pdf_boxes)
    labels = labels_for(brief.article.lang, context.template_dirs)
    try:
        doc.build(
            story(
                brief,
                styles,
                boxes,
                theme.pdf_list_indent,
                width,
                page_url,
                tags,
                labels,
                context.organisation,
                theme.sizes.get("logo", 22.0),
            ),
            canvasmaker=canvas_class(
                brief, styles, boxes["footer"], (top, right, bottom, left), tags, labels
            ),
        )
    except LayoutError as exc:
        raise RenderError(
            f"cannot lay out the {brief.edition.id} edition as PDF: {layout_problem(exc)}",
            brief.article.path,
        ) from exc
    return buffer.getvalue()


#: Where ReportLab names a flowable by its place in memory: "<Paragraph at 0x7f...>", "@0x7F...".
_ADDRESS = re.compile(r"(?: at |@)0x[0-9a-fA-F]+")


def layout_problem(exc: LayoutError) -> str:
    """ReportLab's account of what did not fit, the same in every run: without the memory
    addresses it names flowables by, and with lengths in whole points."""
    text = _ADDRESS.sub("", str(exc))
    return re.sub(r"\d+\.\d+", lambda number: f"{float(number.group()):.0f}", text)


def prepare(context: RenderContext) -> None:
    """Register the theme's fonts, as the first brief would."""
    keep_faces_in(context.compiled)
    fonts_for(context.theme)
