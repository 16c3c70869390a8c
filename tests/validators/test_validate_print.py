"""The HTML briefs printed by Chromium: the page as paper, without screen chrome or clipping."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections import Counter
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.units import mm

from pipeline.sources.fontfiles import system_font_dirs

from ..conftest import missing_tool
from ..read import squeeze
from .briefs import BuiltBrief
from .layout import letters, pages

#: Glyph boxes include the font's ascent and descent; allow a point of rounding.
TOLERANCE = 1.0
SCREEN_ONLY_TEXT = "Download the PDF"


@pytest.fixture(autouse=True, scope="module")
def _system_fonts() -> None:
    """Chromium draws a page in the system's fonts (the PDFs bring their own); with none it
    prints pages without text."""
    suffixes = {".ttf", ".otf", ".ttc", ".woff", ".woff2", ".pfb"}
    for folder in system_font_dirs():
        if folder.is_dir() and any(p.suffix.lower() in suffixes for p in folder.rglob("*")):
            return
    missing_tool("Chromium finds no system font to print with: apt-get install fonts-dejavu-core")


@cache
def _system_has_glyph(char: str) -> bool:
    """Whether some system font draws ``char``, as fontconfig (which Chromium asks) says; true
    where there is no fontconfig to ask."""
    if char.isascii() or shutil.which("fc-list") is None:
        return True
    found = subprocess.run(
        ["fc-list", f":charset={ord(char):x}", "family"],
        capture_output=True,
        text=True,
        check=False,
    )
    return bool(found.stdout.strip())


class _MainLinks(HTMLParser):
    """The links inside <main> with their text, and whether the text already is the address."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, bool]] = []
        self._in_main = 0
        self._link: tuple[str, bool] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "main":
            self._in_main += 1
        elif tag == "a" and self._in_main and values.get("href"):
            self._link = (str(values["href"]), "bare" in (values.get("class") or "").split())
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main -= 1
        elif tag == "a" and self._link is not None:
            href, bare = self._link
            self.links.append((href, "".join(self._text), bare))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._text.append(data)


def _print(built: BuiltBrief, tab: Any, out: Path) -> Path:
    tab.goto(built.html.as_uri())
    tab.emulate_media(media="print", color_scheme="light")
    out.write_bytes(tab.pdf(prefer_css_page_size=True, print_background=True))
    return out


def test_chromium_prints_the_brief_well(built: BuiltBrief, tab: Any, tmp_path: Path) -> None:
    printed = pages(_print(built, tab, tmp_path / "printed.pdf"))
    # Chromium's text keeps its ligature glyphs ("ﬂ" for "fl"): compared in NFKC, they are letters.
    text = squeeze(
        unicodedata.normalize(
            "NFKC", " ".join(line.text for page in printed for line in page.lines)
        )
    )

    first_page = " ".join(line.text for line in printed[0].lines)
    # Letters, not text: Chromium's PDF gives right-to-left lines in visual order. A letter no
    # system font has (Hangul on a machine without a Korean font) is a box on any web page.
    title = "".join(c for c in built.brief.article.title if _system_has_glyph(c))
    assert not Counter(letters(title)) - Counter(letters(first_page))
    assert squeeze(SCREEN_ONLY_TEXT) not in text, "the screen-only PDF link is printed"

    parser = _MainLinks()
    parser.feed(built.html.read_text(encoding="utf-8"))
    for href, label, bare in parser.links:
        shown = squeeze(unicodedata.normalize("NFKC", label if bare else f"{label} ({href})"))
        assert shown in text, f"the link {label!r} is not printed with its address {href}"

    top, right, bottom, left = (v * mm for v in built.theme.margins_mm)
    expected_size = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}[
        built.theme.page_size.lower()
    ]
    for page in printed:
        assert abs(page.width - expected_size[0]) < 1 and abs(page.height - expected_size[1]) < 1
        for line in page.lines:
            for x0, y0, x1, y1 in line.chars:
                inside = (
                    left - TOLERANCE <= x0
                    and x1 <= page.width - right + TOLERANCE
                    and bottom - TOLERANCE <= y0
                    and y1 <= page.height - top + TOLERANCE
                )
                assert inside, (
                    f"printed page {page.number}: {line.text!r} runs outside the page's margins"
                )
