"""Brackets and quotation marks in right-to-left lines: drawn mirrored, read back as written.

The fixture project tests/fixtures/rtl-brackets/ has an Arabic article (brackets in its title,
summary, body, a table header, and around a Latin name), a Hebrew one, and an English one
whose sentence quotes a Hebrew phrase in brackets (with no full stop, so that it is no key
takeaway: tests/test_pdfua.py compares a list item's drawn text, which is in visual order for
a right-to-left phrase, with the source). Each PDF is read twice:

* as it is drawn: each character code shown, in content-stream order (left to right within a
  line), with the glyph the embedded font draws for it, compared with the outlines of the
  character it stands for (its ToUnicode entry) and of that character's mirror;
* as extractors read it: poppler's pdftotext, and pdfminer's characters put in reading order
  by the bidi algorithm, give the source's text with its brackets the right way round.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from bidi import get_display
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from pipeline.build import BuildOptions, build
from pipeline.render.pdf import mirroring
from pipeline.render.pdf.fonts import ensure_registered, register_fallbacks
from pipeline.render.pdf.mirroring import logical, logical_cmap, shown, visual_order
from pipeline.render.pdf.scripts import FontChain, rtl_lines, segments, visual
from pipeline.sources import Project
from pipeline.sources.theme import load_theme

from .read import FIXTURES, REPO, normalise, pdftotext

PROJECT = FIXTURES / "rtl-brackets"
BRACKETS = "()[]{}«»"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rtl-brackets")
    result = build(Project.at(PROJECT), BuildOptions(out_dir=folder))
    assert result.warnings == []
    return folder


def pdf(out: Path, slug: str) -> Path:
    return out / f"{slug}-brackets" / "general.pdf"


# --- the PDF as drawn ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """One character code drawn: what extractors read for it, and whose glyph it shows."""

    meaning: str
    shown: str


@cache
def source_fonts() -> dict[str, tuple[Path, int]]:
    """The font files briefs draw with (and the font's number in a collection), by PostScript
    name: the text faces and the theme's fallbacks."""
    from reportlab.pdfbase import pdfmetrics

    theme = load_theme(PROJECT / "templates")
    faces = sorted((REPO / "pipeline" / "render" / "pdf" / "faces").glob("*.ttf"))
    sources = [(path, 0) for path in faces]
    for name in register_fallbacks(theme.fallback_fonts, theme.search_dirs):
        ensure_registered(name)
        source = pdfmetrics.getFont(name).source
        sources.append((source.path, source.index))
    return {
        TTFont(path, fontNumber=index, lazy=True)["name"].getDebugName(6): (path, index)
        for path, index in sources
    }


def _outline(font: TTFont, glyph: str) -> list[object]:
    glyphs = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyphs)
    glyphs[glyph].draw(pen)
    return pen.value


@cache
def _source(name: str) -> TTFont:
    path, index = source_fonts()[name]
    return TTFont(path, fontNumber=index)


def _glyph_shows(embedded: TTFont, code: int, base_font: str, meaning: str) -> str:
    """Which of ``meaning`` and its mirror the embedded glyph for ``code`` has the outline of."""
    source = _source(base_font.split("+", 1)[1])
    outline = _outline(embedded, embedded["cmap"].getcmap(1, 0).cmap[code])
    candidates = [meaning, mirroring.mirrors().get(meaning, meaning)]
    cmap = source.getBestCmap()
    found = [char for char in candidates if _outline(source, cmap[ord(char)]) == outline]
    assert found, f"code {code} of {base_font} draws neither {candidates}"
    return found[0]


def _to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    """A subset font's ToUnicode map: each code's text (UTF-16, or, as ReportLab writes a
    character outside the Basic Multilingual Plane, its code point in five or six digits)."""
    cmap = font.ToUnicode.read_bytes().decode()
    bfchar = cmap[cmap.index("beginbfchar") : cmap.index("endbfchar")]
    entries = re.findall(r"^<([0-9A-F]{2})> <([0-9A-F]+)>$", bfchar, re.M)
    return {
        int(code, 16): (
            bytes.fromhex(value).decode("utf-16-be") if len(value) % 4 == 0 else chr(int(value, 16))
        )
        for code, value in entries
    }


def drawn(path: Path) -> list[Drawn]:
    """Every bracket and quotation mark drawn, page by page, in content-stream order."""
    result = []
    with pikepdf.open(path) as document:
        for page in document.pages:
            fonts = page.Resources.Font
            current = None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    current = fonts[operands[0]]
                if str(operator) != "Tj" or current is None:
                    continue
                meanings = _to_unicode(current)
                embedded = TTFont(io.BytesIO(current.FontDescriptor.FontFile2.read_bytes()))
                for code in bytes(operands[0]):
                    # A code with no text (a character no font has) is no bracket.
                    meaning = meanings.get(code)
                    if meaning is not None and meaning in BRACKETS:
                        glyph = _glyph_shows(embedded, code, str(current.BaseFont), meaning)
                        result.append(Drawn(meaning, glyph))
    return result


def test_brackets_in_right_to_left_lines_are_drawn_mirrored(out: Path) -> None:
    """In the Arabic brief every bracket is in a right-to-left run: each shows its mirror, and
    the opening one, on the right, is drawn after (to the right of) the closing one."""
    marks = drawn(pdf(out, "arabic"))
    # Title and summary, body, table header, and the title again in the footer.
    assert len(marks) >= 20
    assert all(mark.shown == mirroring.mirrors()[mark.meaning] for mark in marks)
    shapes = "".join(mark.shown for mark in marks)
    assert shapes.startswith("()[]«»")  # the title bar has none; then title, summary


def test_brackets_in_left_to_right_text_keep_their_glyphs(out: Path) -> None:
    """An English sentence quoting Hebrew: only the brackets of the Hebrew phrase are mirrored,
    and from left to right the marks look as they should: « ( ) » ( ) [ ]."""
    marks = drawn(pdf(out, "english"))
    assert "".join(mark.shown for mark in marks) == "«()»()[]"
    assert "".join(mark.meaning for mark in marks) == "«)(»()[]"


def test_hebrew_brackets_are_drawn_mirrored(out: Path) -> None:
    marks = drawn(pdf(out, "hebrew"))
    assert len(marks) >= 8  # title, body, footer
    assert all(mark.shown == mirroring.mirrors()[mark.meaning] for mark in marks)


def test_latin_and_numbers_in_a_right_to_left_line_keep_their_order() -> None:
    """A Latin name and numbers in an Arabic line keep their own order; the brackets around the
    Latin name take the line's direction (the paired-bracket rule) and are mirrored."""
    chain = FontChain(("Helvetica",))
    line = visual("التقت اللجنة بالباحثة (Amina Haddad) في 2024.", chain, rtl_base=True)
    assert "(Amina Haddad)" in "".join(map(shown, line))
    assert ")Amina Haddad(" in logical(line)
    assert "2024" in line


LINKED = """---
title: Minutes
author: rania-khoury
lang: en
date: 2024-03-02
---
## Sources

The minutes are [הפרוטוקול (בעברית)](https://example.org/minutes) only.
"""


def test_a_link_names_its_text_as_written(tmp_path: Path) -> None:
    """A link whose text has mirrored brackets: its annotation's /Contents reads the source's
    characters, as the page's text does. (Not in the fixture project: the validators' print
    check compares link text with Chromium's visual-order text of right-to-left lines.)"""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "sources" / "articles" / "minutes.md").write_text(LINKED, encoding="utf-8")
    build(Project.at(project), BuildOptions(out_dir=tmp_path / "out", formats=("pdf",)))
    with pikepdf.open(tmp_path / "out" / "minutes" / "general.pdf") as document:
        contents = [
            str(annotation.Contents)
            for page in document.pages
            for annotation in page.get("/Annots", [])
            if "/Contents" in annotation
        ]
    assert any("example.org/minutes" in text for text in contents)
    assert not any(mirroring.is_alias(char) for text in contents for char in text)
    assert [mark.meaning for mark in drawn(tmp_path / "out" / "minutes" / "general.pdf")] == [
        ")",
        "(",
    ]


def test_no_mirrored_glyph_reaches_the_text_layer(out: Path) -> None:
    """Every ToUnicode map says what the source says: no private-use alias is left in one,
    nor in the structure tree's /ActualText and /Alt, nor in a link's /Contents."""
    for path in sorted(out.rglob("*.pdf")):
        with pikepdf.open(path) as document:
            for page in document.pages:
                for font in page.Resources.Font.values():
                    assert not any(
                        mirroring.is_alias(char) for char in _to_unicode(font).values()
                    ), path
            texts = [
                str(obj[key])
                for obj in document.objects
                if isinstance(obj, pikepdf.Dictionary)
                for key in ("/ActualText", "/Contents", "/Alt")
                if key in obj and isinstance(obj[key], pikepdf.String)
            ]
            assert texts, path
            assert not any(mirroring.is_alias(char) for text in texts for char in text), path


# --- the PDF as extractors read it --------------------------------------------------------------

PHRASES = {
    "arabic": [
        "السكان (بالملايين) في حوض النيل",
        "أرقام «رسمية» وتقديرات [غير منشورة].",
        "بلغ عدد السكان (مليون نسمة) في مصر",
        "«النيل هبة",
        "مشتركة» أمام اللجنة [الفنية].",
        "وقدمت تقريرا عن {التدفقات}",
        "السكان (مليون)",
    ],
    "hebrew": ["שיחות (שלום) בז'נבה", "השיחות (בז'נבה) נמשכו", "«נמשיך בשנה"],
}


def _clean(text: str) -> str:
    return normalise(text, compatibility=True)


@pytest.mark.parametrize("slug", PHRASES)
def test_pdftotext_reads_the_brackets_as_written(out: Path, slug: str) -> None:
    text = _clean(pdftotext(pdf(out, slug)))
    for phrase in PHRASES[slug]:
        assert phrase in text


@pytest.mark.parametrize("slug", PHRASES)
def test_pdfminer_reads_the_brackets_as_written(out: Path, slug: str) -> None:
    """pdfminer gives a line's characters as drawn, left to right; each stands for the source's
    own character, so the bidi algorithm puts a right-to-left line back in reading order."""
    from pdfminer.high_level import extract_text

    lines = extract_text(pdf(out, slug)).splitlines()
    text = " ".join(_clean(str(get_display(line, base_dir="R"))) for line in lines)
    for phrase in PHRASES[slug]:
        assert phrase in text
    if slug == "arabic":
        assert "التقت اللجنة بالباحثة (Amina Haddad) في جنيف" in text


def test_pdfminer_reads_a_quoted_hebrew_phrase_as_drawn_from_the_source(out: Path) -> None:
    """In the English sentence, the characters pdfminer reads left to right are the source's,
    in the order the bidi algorithm draws them: the mirrored glyphs read as written."""
    from pdfminer.high_level import extract_text

    sentence = "The envoy quoted «שלום (עכשיו)» in Geneva (on Monday) [twice]"
    text = _clean(extract_text(pdf(out, "english")))
    assert str(get_display(sentence, base_dir="L")) in text
    assert "(וישכע)" not in text  # what the mirrored glyphs would read as, had they leaked


def test_same_bytes_in_a_fresh_process(out: Path, tmp_path: Path) -> None:
    """A mirrored glyph's code does not depend on what the process drew before."""
    subprocess.run(
        [sys.executable, "-m", "pipeline", "--project", str(PROJECT), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for slug in ("arabic", "hebrew", "english"):
        again = tmp_path / f"{slug}-brackets" / "general.pdf"
        assert again.read_bytes() == pdf(out, slug).read_bytes(), slug


# --- the algorithm --------------------------------------------------------------------------------

SAMPLES = [
    "السكان (مليون)",
    "עם (Amina Haddad) היום",
    "abc (def) [ghi]",
    "The envoy said «שלום (עכשיו)» today (Monday).",
    "אב (x\nגד) יה ",
    "שלום ]x[ (1 + 2) < 3 {ד}",
    "مصر 105 (تقدير 2024)، وقال",
    "a (b [ג] c) ד",
    "\t(א)\tb ",
]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("base", ["L", "R"])
def test_visual_order_orders_as_python_bidi(text: str, base: str) -> None:
    ordered = visual_order(text, base)
    assert ordered is not None
    assert logical(ordered) == get_display(text, base_dir=base)


# No tab in the alphabet: python-bidi's Rust implementation keeps the segments a tab separates
# in logical order in a right-to-left paragraph ("c\ta" stays "c\ta"), where UAX #9 reverses
# the whole line (the test below).
@given(
    st.text(
        alphabet=st.sampled_from(list("אבגדابت abcXY 12.,;!()[]{}<>«»\n-'\u200f\u2067\u2069")),
        max_size=40,
    ),
    st.sampled_from(["L", "R"]),
)
def test_visual_order_matches_python_bidi_on_any_text(text: str, base: str) -> None:
    ordered = visual_order(text, base)
    assert ordered is not None
    assert logical(ordered) == get_display(text, base_dir=base)


@pytest.mark.parametrize(
    ("text", "base", "shown"),
    [
        # UAX #9, L1 puts a tab at the paragraph's level (1, right to left) and L2 reverses
        # every run at level 1 or more: here, the whole line, around the left-to-right words.
        ("c\ta", "R", "a\tc"),
        ("X\t1", "R", "1\tX"),
        ("ab\tcd", "R", "cd\tab"),
        # In a left-to-right paragraph the tab is at level 0: each side is reordered alone.
        ("אב\tגד", "L", "בא\tדג"),
        ("ab\tcd", "L", "ab\tcd"),
    ],
)
def test_a_tab_separates_segments_as_uax_9_orders_them(text: str, base: str, shown: str) -> None:
    ordered = visual_order(text, base)
    assert ordered is not None and logical(ordered) == shown


def test_only_right_to_left_runs_are_mirrored() -> None:
    ordered = visual_order("אב (גד) x (y)", "R")
    assert ordered is not None
    assert "".join(map(shown, ordered)) == "x (y) (דג) בא"
    assert logical(ordered) == "x (y) )דג( בא"
    assert visual_order("ab (cd) [ef]", "L") == "ab (cd) [ef]"


def test_an_alias_draws_its_mirror_in_the_font_that_has_it() -> None:
    theme = load_theme(PROJECT / "templates")
    fallbacks = register_fallbacks(theme.fallback_fonts, theme.search_dirs)
    chain = FontChain(fallbacks)
    line = visual("«שלום»", chain, rtl_base=True)
    assert sum(map(mirroring.is_alias, line)) == 2
    runs = segments(line, chain)
    assert "".join(piece for _font, piece in runs) == line
    from reportlab.pdfbase import pdfmetrics

    for font, piece in runs:
        face = pdfmetrics.getFont(font).face
        for char in piece:
            glyph = face.charToGlyph[ord(char)]
            assert glyph == face.charToGlyph[ord(shown(char))]
            assert face.charWidths[ord(char)] == face.charWidths[ord(shown(char))]


def test_to_unicode_maps_aliases_back() -> None:
    cmap = "2 beginbfchar\n<01> <F0028>\n<02> <F0041>\n<03> <0029>\nendbfchar"
    assert logical_cmap(cmap) == "2 beginbfchar\n<01> <0028>\n<02> <F0041>\n<03> <0029>\nendbfchar"


def test_mirror_pairs_follow_unicode() -> None:
    pairs = mirroring.mirrors()
    assert pairs["("] == ")" and pairs["«"] == "»" and pairs["⟨"] == "⟩"
    assert all(
        unicodedata.mirrored(char) and pairs[mirror] == char for char, mirror in pairs.items()
    )


def test_a_right_to_left_line_ends_after_a_bracket_and_a_foreign_comma() -> None:
    """Noto Sans Hebrew has no brackets or commas: "הדיווח]," ends its line, as a bare comma
    after Hebrew does, so pdftotext does not read the next clause before this one."""
    theme = load_theme(PROJECT / "templates")
    fallbacks = register_fallbacks(theme.fallback_fonts, theme.search_dirs)
    chain = FontChain((fallbacks[2], *fallbacks))  # Noto Sans Hebrew first, as a Hebrew face
    text = "נמשכו שלושה ימים [לפי הדיווח], והשליח אמר «נמשיך בשנה הבאה»."
    lines = rtl_lines(text, chain, 10, 10_000)  # each in visual order: words reversed
    assert len(lines) == 2
    assert "הדיווח"[::-1] in lines[0] and "והשליח"[::-1] in lines[1]


@pytest.mark.parametrize("char", ["\U000f0000", "\U000f0028", "\U000fffa0", "\U000f3008"])
def test_private_use_characters_of_plane_15_in_a_source(tmp_path: Path, char: str) -> None:
    """Plane 15 holds the aliases; a source's own character there (U+F0000 is no alias, U+F0028
    is the alias of "(", U+F3008 of "〈") builds, with a warning that no font has it, and is
    never drawn, nor read back, as the bracket whose alias it shares."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    article = LINKED.replace("title: Minutes", f"title: Minutes {char}")
    (project / "sources" / "articles" / "minutes.md").write_text(article, encoding="utf-8")
    result = build(Project.at(project), BuildOptions(out_dir=tmp_path / "out", formats=("pdf",)))
    assert any(f"U+{ord(char):04X}" in str(warning) for warning in result.warnings)
    path = tmp_path / "out" / "minutes" / "general.pdf"
    before = drawn(path)
    # The same brief without the character draws the same brackets: it added none.
    (project / "sources" / "articles" / "minutes.md").write_text(LINKED, encoding="utf-8")
    build(Project.at(project), BuildOptions(out_dir=tmp_path / "plain", formats=("pdf",)))
    assert before == drawn(tmp_path / "plain" / "minutes" / "general.pdf")
    title = PdfReader(path).pages[0].extract_text()
    assert "Minutes" in title and "〈" not in title and "〉" not in title
