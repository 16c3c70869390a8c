"""A PDF brief as its readers get it: the text pypdf and poppler's pdftotext extract, and the
links, metadata, bookmarks and fonts a viewer shows."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

from .text import collapse

_PAGE_NUMBER = re.compile(r"Page \d+ of \d+")


def pdf_text(path: Path) -> str:
    """Every page's text, as pypdf extracts it, with whitespace collapsed."""
    reader = PdfReader(path)
    return collapse(" ".join(page.extract_text() for page in reader.pages))


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


def pdftotext(path: Path) -> str:
    """The text as poppler's pdftotext extracts it: right-to-left lines in reading order.

    Skips the test where poppler is not installed (fails it in CI)."""
    from ..conftest import require_pdftotext  # conftest imports this package first

    result = subprocess.run(
        [require_pdftotext(), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_link_targets(path: Path) -> list[str]:
    """The URI of every link annotation, page by page."""
    targets = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def pdf_metadata(path: Path) -> dict[str, str]:
    """The document information dictionary, keys without the slash."""
    info = PdfReader(path).metadata or {}
    return {key.lstrip("/"): str(value) for key, value in info.items()}


def pdf_outline(path: Path) -> list[str]:
    """Titles of the PDF's bookmarks, depth first."""

    def walk(items: list[object]) -> list[str]:
        titles: list[str] = []
        for item in items:
            titles += walk(item) if isinstance(item, list) else [str(item.title)]  # type: ignore[attr-defined]
        return titles

    return walk(PdfReader(path).outline)


def pdf_fonts(path: Path) -> set[str]:
    """Base names of the fonts the pages use, subset prefixes removed."""
    names = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names
