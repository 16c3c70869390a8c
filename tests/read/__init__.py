"""Readers of the output, as a person or a tool would read it, each under one name.

- :mod:`.fixtures`: where the repository's seed project and the fixture projects are.
- :mod:`.text`: extracted text made comparable (collapsed, normalised, squeezed).
- :mod:`.pdf`: a PDF's text (pypdf, pdftotext), links, metadata, bookmarks and fonts.
- :mod:`.html`: an HTML page, parsed for selectors (BeautifulSoup) or as a browser does (html5lib).
- :mod:`.tags`: a tagged PDF's structure tree and the text each element points to.
"""

from .fixtures import (
    FIXTURES,
    REPO,
    benchmark_module,
    import_project,
    read_back,
    relevance_benchmark,
)
from .html import html_document, html_text, parse_html
from .pdf import (
    pdf_body_text,
    pdf_fonts,
    pdf_link_targets,
    pdf_metadata,
    pdf_outline,
    pdf_text,
    pdftotext,
)
from .tags import Content, Element, ObjectRef, PageText, page_texts, structure, text_of
from .text import BIDI_MARKS, collapse, normalise, squeeze

__all__ = [
    "BIDI_MARKS",
    "FIXTURES",
    "REPO",
    "Content",
    "Element",
    "ObjectRef",
    "PageText",
    "benchmark_module",
    "collapse",
    "html_document",
    "html_text",
    "import_project",
    "normalise",
    "page_texts",
    "parse_html",
    "pdf_body_text",
    "pdf_fonts",
    "pdf_link_targets",
    "pdf_metadata",
    "pdf_outline",
    "pdf_text",
    "pdftotext",
    "read_back",
    "relevance_benchmark",
    "squeeze",
    "structure",
    "text_of",
]
