"""An HTML brief or index page, parsed two ways for two kinds of check.

The project's own pages are queried with CSS selectors and attribute lookups through
BeautifulSoup (:func:`parse_html`); hostile and multilingual markup is read as a browser
builds it, by the HTML5 parsing algorithm (:func:`html_document`, html5lib).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
from bs4 import BeautifulSoup


def parse_html(path: Path) -> BeautifulSoup:
    """The page as BeautifulSoup over Python's html.parser: for selectors and attributes."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_document(path: Path) -> Element:
    """The page as a browser parses it (html5lib follows the HTML5 parsing algorithm)."""
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def html_text(element: Element) -> str:
    """All text inside ``element`` of :func:`html_document`'s tree."""
    return "".join(element.itertext())
