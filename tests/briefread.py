"""More readers of the output, for hostile and multilingual text: PDF links, metadata, bookmarks
and fonts; pdftotext; the HTML parsed by the HTML5 algorithm; normalised comparison."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pypdf

#: Bidi controls that text extractors insert around right-to-left runs; not part of the text.
BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def pdftotext(path: Path) -> str:
    """The text as poppler's pdftotext extracts it: right-to-left lines in reading order."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def normalise(text: str, compatibility: bool = False) -> str:
    """Text compared as a reader sees it: NFC (or NFKC), bidi marks dropped, whitespace collapsed.

    Extraction is not byte-exact: line breaks become newlines, a word broken at the margin gains
    one, combining marks may come back composed, and shaped Arabic comes back as presentation
    forms, which only NFKC maps back to the letters (``compatibility=True``).
    """
    text = unicodedata.normalize("NFKC" if compatibility else "NFC", text).translate(BIDI_MARKS)
    return re.sub(r"\s+", " ", text).strip()


def squeeze(text: str) -> str:
    """Text with no whitespace at all: for words the PDF broke across lines."""
    return re.sub(r"\s+", "", normalise(text))


def pdf_link_targets(path: Path) -> list[str]:
    """The URI of every link annotation, page by page."""
    targets = []
    for page in pypdf.PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def pdf_metadata(path: Path) -> dict[str, str]:
    """The document information dictionary, keys without the slash."""
    info = pypdf.PdfReader(path).metadata or {}
    return {key.lstrip("/"): str(value) for key, value in info.items()}


def pdf_outline(path: Path) -> list[str]:
    """Titles of the PDF's bookmarks, depth first."""

    def walk(items: list[object]) -> list[str]:
        titles: list[str] = []
        for item in items:
            titles += walk(item) if isinstance(item, list) else [str(item.title)]  # type: ignore[attr-defined]
        return titles

    return walk(pypdf.PdfReader(path).outline)


def pdf_fonts(path: Path) -> set[str]:
    """Base names of the fonts the pages use, subset prefixes removed."""
    names = set()
    for page in pypdf.PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def html_document(path: Path) -> Element:
    """The page as a browser parses it (html5lib follows the HTML5 parsing algorithm)."""
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def html_text(element: Element) -> str:
    """All text inside ``element``."""
    return "".join(element.itertext())
