"""Every script readable: real glyphs from embedded fonts, text that extracts back, right to left.

The fixture project tests/fixtures/scripts/ has an article with a section per script (Latin,
Cyrillic, Greek, Korean, Chinese, Japanese, and a mixed one), an Arabic and a Hebrew article
(``lang: ar`` and ``lang: he``), and an author whose name is Korean. The theme's fallback fonts
(Noto Sans, Noto Sans Arabic and Hebrew, WenQuanYi Micro Hei) are Python packages make-brief
depends on: no system font is needed.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

from pipeline.build import BuildOptions, build
from pipeline.sources import Project, read_project
from pipeline.sources.theme import load_theme

from .read import FIXTURES, html_document, html_text, normalise, pdf_fonts, pdf_text, pdftotext

SCRIPTS = FIXTURES / "scripts"
#: One paragraph per script, exactly as in many-scripts.md.
PARAGRAPHS = {
    "Latin": (
        "Peace talks resumed in Geneva; the envoys' café meeting was «cordial» — naïve hopes aside."
    ),
    "Cyrillic": "Мирные переговоры возобновились в Женеве после долгого перерыва.",
    "Greek": "Οι ειρηνευτικές συνομιλίες ξανάρχισαν στη Γενεύη μετά από μεγάλη παύση.",
    "Korean": "평화 회담이 제네바에서 다시 시작되었습니다. 양측은 대화를 계속하기로 합의했습니다.",
    "Chinese": "和平谈判在日内瓦恢复。双方同意继续对话。",
    "Japanese": "平和交渉がジュネーブで再開されました。双方は対話を続けることで合意しました。",
    "Mixed": "The word 평화 means peace, 和平 is Chinese, 平和 is Japanese, and мир is Russian.",
}
ARABIC = (
    "استؤنفت محادثات السلام في جنيف بعد توقف طويل. واتفق الطرفان على مواصلة الحوار في العام "
    "المقبل، وقال المبعوث إن الأجواء كانت إيجابية رغم الخلافات القائمة حول عدد من القضايا المهمة."
)
HEBREW = (
    "שיחות השלום התחדשו בז'נבה לאחר הפסקה ארוכה. שני הצדדים הסכימו להמשיך בדיאלוג בשנה הבאה, "
    "והשליח אמר כי האווירה הייתה חיובית למרות המחלוקות."
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scripts")
    result = build(Project.at(SCRIPTS), BuildOptions(out_dir=folder))
    assert result.warnings == []  # every character of the fixture has a font
    return folder


def words(text: str) -> list[str]:
    """Letters-only words, for comparing reading order without punctuation placement."""
    return re.findall(r"\w+", normalise(text, compatibility=True))


@pytest.mark.parametrize("script", PARAGRAPHS)
@pytest.mark.parametrize("edition", ["general", "peace"])
def test_each_script_extracts_as_the_same_characters(out: Path, script: str, edition: str) -> None:
    pdf = out / "many-scripts" / f"{edition}.pdf"
    # NFC and without whitespace: extraction breaks lines where the page does, and a line
    # broken between two ideographs reads as a space there.
    expected = _unspaced(PARAGRAPHS[script])
    assert expected in _unspaced(pdf_text(pdf))
    assert expected in _unspaced(pdftotext(pdf))


def _unspaced(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text))


def test_no_character_is_drawn_without_a_glyph(out: Path) -> None:
    for pdf in sorted(out.rglob("*.pdf")):
        # A character drawn with the font's empty glyph extracts as U+0000.
        assert "\x00" not in pdf_text(pdf) + pdftotext(pdf), pdf


def test_fallback_fonts_are_embedded_truetype(out: Path) -> None:
    pdf = out / "many-scripts" / "general.pdf"
    assert {"WenQuanYiMicroHei-0", "BriefSerif-Regular", "BriefSans-Bold"} <= pdf_fonts(pdf)
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"]  # embedded TrueType outlines


def test_titles_names_and_footer_use_fallback_fonts(out: Path) -> None:
    text = normalise(pdf_text(out / "many-scripts" / "general.pdf"))
    assert "평화 회담 — Peace talks in eight scripts" in text  # title and footer
    assert "By 김민준 (Kim Min-jun), 서울 특파원 · Seoul correspondent" in text
    assert "Один абзац на каждую письменность." in text
    assert "평화 회담 — Peace talks in eight scripts · General edition Page 1" in text  # footer


@pytest.mark.parametrize(("slug", "paragraph"), [("arabic", ARABIC), ("hebrew", HEBREW)])
@pytest.mark.parametrize("extract", [pdftotext, pdf_text], ids=["pdftotext", "pypdf"])
def test_right_to_left_text_extracts_in_reading_order(
    out: Path, slug: str, paragraph: str, extract: Callable[[Path], str]
) -> None:
    """Each clause comes back with its words in reading order.

    The PDF draws each line in visual order (there is no other way to draw it); extractors put
    right-to-left runs back in reading order, but split a line at neutral punctuation (a full
    stop, an apostrophe, a comma at the line's end) and may give those pieces in visual order.
    So clauses are compared, not whole lines, and a clause the page wraps onto a second line may
    come back as two pieces, each in reading order; shaped Arabic comes back as presentation
    forms, which NFKC maps back to the letters, and punctuation is left out of the comparison.
    """
    for edition in ("general", "peace"):
        extracted = " ".join(words(extract(out / slug / f"{edition}.pdf")))
        for clause in re.split(r"[.,،']", paragraph):
            said = words(clause)
            if said:
                assert any(
                    " ".join(said[:cut]) in extracted and " ".join(said[cut:]) in extracted
                    for cut in range(len(said))
                ), clause


def test_right_to_left_paragraphs_are_right_aligned(out: Path) -> None:
    """Every Arabic line of the body ends at the right margin; a short one starts well inside."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    theme = load_theme(SCRIPTS / "templates")
    points = 72 / 25.4
    right_margin = (theme.page_size_mm[0] - theme.margins_mm[1]) * points
    left_margin = theme.margins_mm[3] * points
    bottom_margin = theme.margins_mm[2] * points
    top_of_text = (theme.page_size_mm[1] - theme.margins_mm[0]) * points
    lines = [
        line
        for page in extract_pages(out / "arabic" / "general.pdf")
        for box in page
        if isinstance(box, LTTextContainer)
        for line in box
        if isinstance(line, LTTextLine)
        and line.y0 > bottom_margin  # not the footer
        and line.y1 < top_of_text - 25  # nor the title bar's labels, inside its padding
        and re.search("[\u0600-\u06ff]", normalise(line.get_text(), compatibility=True))
    ]
    assert len(lines) >= 5  # title, two headings, three body lines
    # The author's closing box sets its lines inside its padding.
    inside_box = right_margin - theme.pdf_boxes["about"].padding[1]
    assert all(min(abs(line.x1 - right_margin), abs(line.x1 - inside_box)) < 2 for line in lines)
    assert max(line.x0 for line in lines) > left_margin + 100


def test_rtl_word_inside_an_ltr_sentence_reads_right_to_left(out: Path) -> None:
    text = normalise(pdf_text(out / "hebrew" / "general.pdf"))
    # pypdf reorders right-to-left runs to reading order.
    assert "שיחות השלום" in text


def test_html_declares_utf8_and_direction(out: Path) -> None:
    arabic = html_document(out / "arabic" / "general.html")
    assert arabic.attrib == {"lang": "ar", "dir": "rtl"}
    assert arabic.find(".//meta[@charset]").attrib["charset"].lower() == "utf-8"
    assert normalise(ARABIC) in normalise(html_text(arabic))
    english = html_document(out / "many-scripts" / "general.html")
    assert english.attrib == {"lang": "en", "dir": "ltr"}
    # Blocks take their direction from their own text.
    paragraphs = english.findall(".//section[@class='brief-section']/p")
    assert paragraphs and all(p.attrib.get("dir") == "auto" for p in paragraphs)


def test_missing_glyphs_are_warned_about_with_characters_and_section(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SCRIPTS, project)
    (project / "sources" / "articles" / "thai.md").write_text(
        "---\ntitle: Thai\nauthor: kim-min-jun\n---\n"
        "## Talks ภาษา\n\nPeace talks: สันติภาพ and नमस्ते.\n",
        encoding="utf-8",
    )
    result = build(Project.at(project), BuildOptions(articles=("thai",), out_dir=tmp_path / "out"))
    messages = [str(warning) for warning in result.warnings]
    path = project / "sources" / "articles" / "thai.md"
    assert messages == [
        f"{path}:5: no font has glyphs for 'ภ' (U+0E20), 'า' (U+0E32), 'ษ' (U+0E29), "
        "'ส' (U+0E2A), 'ั' (U+0E31), 'น' (U+0E19), 'ต' (U+0E15), 'ิ' (U+0E34), 'พ' (U+0E1E), "
        "'न' (U+0928), 'म' (U+092E), 'स' (U+0938) and 3 more in section 'Talks ภาษา': they show "
        "as empty boxes in the PDF; add a font that has them to 'fonts: fallback' in theme.yaml"
    ]
    # The rest of the paragraph is still there.
    assert "Peace talks:" in pdf_text(tmp_path / "out" / "thai" / "general.pdf")


def test_a_theme_without_the_fallback_fonts_warns(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SCRIPTS, project)
    (project / "templates").mkdir()
    (project / "templates" / "theme.yaml").write_text("fonts:\n  fallback: []\n", encoding="utf-8")
    warnings: list[object] = []
    sources = read_project(Project.at(project), [])  # type: ignore[arg-type]
    from pipeline.render.pdf.scripts import glyph_warnings

    for article in sources.articles:
        warnings += glyph_warnings(article, load_theme(project / "templates"))
    assert any("'평' (U+D3C9)" in str(w) and "section '한국어'" in str(w) for w in warnings)
    assert any("in section 'الخلفية'" in str(w) for w in warnings)


def _drawn_lines(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Page 1's characters as drawn, (text, x0, x1), in lines from the top: characters whose
    heights overlap by half are one line, however far apart across (a bullet and its item's
    text, in fonts of other heights)."""
    return _drawn_lines_of_page(pdf, 0)


def _drawn_lines_of_page(pdf: Path, number: int) -> list[list[tuple[str, float, float]]]:
    """Page ``number``'s (from 0; -1 the last) characters as drawn, as :func:`_drawn_lines`."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTComponent

    def chars(box: LTComponent) -> list[LTChar]:
        if isinstance(box, LTChar):
            return [box]
        return [c for kid in getattr(box, "_objs", ()) for c in chars(kid)]

    page = list(extract_pages(pdf))[number]
    lines: list[tuple[float, list[tuple[str, float, float]]]] = []  # (bottom, characters)
    for char in sorted(chars(page), key=lambda c: -c.y1):
        if not lines or char.y1 - lines[-1][0] < char.height / 2:
            lines.append((char.y0, []))
        lines[-1][1].append((char.get_text(), char.x0, char.x1))
    return [sorted(line, key=lambda c: c[1]) for _, line in lines]


#: An Arabic letter as drawn: its letters, or their presentation forms (how shaped text reads back).
_ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def _marker_and_text(line: list[tuple[str, float, float]]) -> tuple[str, float, float, float]:
    """What a line draws right of its Arabic text (an item's marker, when the marker is on the
    right), where that starts and ends, and where the Arabic text ends on the right."""
    text_end = max((c[2] for c in line if _ARABIC.match(c[0])), default=0.0)
    marker = [c for c in line if c[1] >= text_end and c[0].strip()] or [("", 0.0, 0.0)]
    return (
        "".join(c[0] for c in marker),
        min(c[1] for c in marker),
        max(c[2] for c in marker),
        text_end,
    )


def test_right_to_left_lists_have_their_bullets_and_numbers_on_the_right(out: Path) -> None:
    """As in the HTML (dir=rtl), an item's marker stands at the right, where its lines start;
    the item's text ends a step inside it, and a nested item steps in from the right. A
    number's full stop is on its left, between it and the text (".1"), as a browser draws
    an ``<ol>`` in a right-to-left page: it was drawn "1.", the stop at the outer edge."""
    theme = load_theme(SCRIPTS / "templates")
    right_margin = (theme.page_size_mm[0] - theme.margins_mm[1]) * 72 / 25.4
    step = theme.pdf_list_indent
    lines = [_marker_and_text(line) for line in _drawn_lines(out / "arabic-lists" / "general.pdf")]
    items = [line for line in lines if re.fullmatch(r"•|\.\d", line[0])]
    assert [marker for marker, *_ in items] == ["•"] * 5 + [".1", ".2", ".3"]
    for marker, start, _, text_end in items:
        assert start > text_end + 2, marker  # right of the text, with a gap
    numbers = [end for marker, _, end, _ in items if marker != "•"]
    bullets = [end for marker, _, end, _ in items if marker == "•"]
    # Top level: the marker ends the item style's bullet indent inside the right margin.
    bullet_indent = theme.pdf_styles["item"].bullet_indent or 0.0
    for end in [*numbers, bullets[0], bullets[1], bullets[4]]:
        assert abs(end - (right_margin - bullet_indent)) < 1.5
    # The two nested items, one step in from the right, and their text too.
    for end in bullets[2:4]:
        assert abs(end - (right_margin - bullet_indent - step)) < 1.5
    texts = [text_end for *_, text_end in items]
    assert abs(texts[2] - (texts[1] - step)) < 1.5 and abs(texts[0] - texts[5]) < 1.5


def test_right_to_left_roman_numerals_stand_clear_of_their_items_text(tmp_path: Path) -> None:
    """An item's Roman numeral in a right-to-left brief reads as a number's does (".iii",
    the full stop between it and the text) and, wider than the room a number needs, pushes
    the item's text along instead of running into it ("iii." touched it, "viii." covered
    its first letters)."""
    project = tmp_path / "project"
    shutil.copytree(SCRIPTS, project)
    for article in (project / "sources" / "articles").iterdir():
        article.unlink()
    numerals = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"]
    items = "".join(
        f"- {numeral}. البند رقم {at} من الاتفاق.\n" for at, numeral in enumerate(numerals)
    )
    (project / "sources" / "articles" / "numerals.md").write_text(
        "---\ntitle: خطة السلام\nauthor: kim-min-jun\nlang: ar\n---\n## الخلفية\n\n"
        f"تنص الخطة على ما يلي:\n\n{items}",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    build(Project.at(project), BuildOptions(out_dir=out, focuses=("general",)))
    lines = [_marker_and_text(line) for line in _drawn_lines(out / "numerals" / "general.pdf")]
    drawn = [line for line in lines if re.fullmatch(r"\.[iv]+", line[0])]
    assert [marker for marker, *_ in drawn] == [f".{numeral}" for numeral in numerals]
    for marker, start, _, text_end in drawn:
        assert start > text_end + 2, marker  # right of the text, with a gap
    html = html_document(out / "numerals" / "general.html")
    assert [(ol.get("type"), len(ol.findall("li"))) for ol in html.iter("ol")] == [("i", 8)]


def test_right_to_left_takeaways_are_numbered_on_the_right(tmp_path: Path) -> None:
    """The key takeaways of a right-to-left brief: each number right of its sentence."""
    project = tmp_path / "project"
    shutil.copytree(SCRIPTS, project)
    article = project / "sources" / "articles" / "arabic-lists.md"
    sentences = [
        "استؤنفت محادثات سلام في جنيف بعد توقف طويل.",
        "وقال المبعوث إن اتفاق سلام دائم ممكن هذا العام.",
        "يعمل الوسطاء على خطة سلام جديدة تشمل 12 جولة.",
    ]
    pins = "".join(f"      - {sentence}\n" for sentence in sentences)
    article.write_text(
        "---\ntitle: خطة السلام\nauthor: kim-min-jun\nlang: ar\n"
        f"tailoring:\n  peace:\n    pin:\n{pins}---\n## الخلفية\n\n"
        f"{sentences[0]} {sentences[1]}\n\n## الوضع الحالي\n\n{sentences[2]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    build(Project.at(project), BuildOptions(out_dir=out, articles=("arabic-lists",)))
    numbers = [
        _marker_and_text(line)
        for line in _drawn_lines(out / "arabic-lists" / "peace.pdf")
        if any(c[0] == "←" for c in line)  # a takeaway's cue
    ]
    assert [marker for marker, *_ in numbers] == [".1", ".2", ".3"]  # as the HTML draws them
    for _, start, _, text_end in numbers:
        assert start > text_end + 2


def test_right_to_left_footnotes_are_numbered_as_a_right_to_left_reader_reads(
    tmp_path: Path,
) -> None:
    """A right-to-left note's number: its full stop between it and the note (".1", as the
    HTML's ``<ol>`` of notes shows it), and read as "1." by a screen reader."""
    import pikepdf

    from .read.tags import page_texts, structure, text_of

    out = tmp_path / "out"
    project = Project.at(FIXTURES / "rich-sources")
    build(project, BuildOptions(out_dir=out, articles=("miyah-al-nil",), focuses=("general",)))
    pdf = out / "miyah-al-nil" / "general.pdf"
    note = next(
        _marker_and_text(line)
        for line in _drawn_lines_of_page(pdf, -1)
        if "أسوان" in "".join(c[0] for c in line) or "1990" in "".join(c[0] for c in line)
    )
    assert note[0] == ".1"
    root, pages = structure(pikepdf.open(pdf)), page_texts(pdf)
    (first, *_) = root.find("Note")
    assert text_of(first.find("Lbl")[0], pages) == "1."
