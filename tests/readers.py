"""Readers of the output, as a person would read it: PDF text and parsed HTML."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pdf_text(path: Path) -> str:
    """Every page's text, as pypdf extracts it, with whitespace collapsed."""
    reader = PdfReader(path)
    return collapse(" ".join(page.extract_text() for page in reader.pages))


_PAGE_NUMBER = re.compile(r"Page \d+ of \d+")


def pdf_body_text(path: Path) -> str:
    """Like :func:`pdf_text`, without each page's running footer (its title line and "Page N of
    M"), which is drawn last on a page: a paragraph that goes on over a page break reads whole."""
    pages = []
    for page in PdfReader(path).pages:
        lines = page.extract_text().splitlines()
        if lines and _PAGE_NUMBER.fullmatch(lines[-1].strip()):
            lines = lines[:-2]
        pages.append(" ".join(lines))
    return collapse(" ".join(pages))


def collapse(text: str) -> str:
    """Whitespace runs become one space, so text compares across line breaks."""
    return re.sub(r"\s+", " ", text).strip()


def parse_html(path: Path) -> BeautifulSoup:
    """Parse an HTML file as a browser would tokenise it (BeautifulSoup over html.parser)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
