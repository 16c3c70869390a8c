"""The PDF briefs as qpdf and poppler see them, and as they read: order, outline, margins."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.units import mm

from pipeline.emphasis.units import split_sentences
from pipeline.model import BriefBlock
from pipeline.render.labels import Labels, labels_for

from ..read import REPO, squeeze
from .briefs import BuiltBrief
from .conftest import run
from .layout import Line, Page, clauses, is_rtl, letters, pages, same_letters

#: How far (points) a glyph's box may reach past a margin: glyph boxes include the font's
#: ascent and descent, which rounding in the PDF's coordinates can push a hair beyond.
TOLERANCE = 1.0


def _pdftotext(poppler: dict[str, str], pdf: Path) -> str:
    result = run([poppler["pdftotext"], "-enc", "UTF-8", str(pdf), "-"])
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_qpdf_check_finds_no_error(built: BuiltBrief, qpdf: str) -> None:
    result = run([qpdf, "--check", str(built.pdf)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_every_font_is_embedded_and_subset(built: BuiltBrief, poppler: dict[str, str]) -> None:
    result = run([poppler["pdffonts"], str(built.pdf)])
    assert result.returncode == 0, result.stderr
    header, rule, *rows = result.stdout.splitlines()
    assert rule.startswith("---"), result.stdout
    assert rows, "pdffonts lists no font"
    emb = header.index(" emb ")
    for row in rows:
        embedded, subset = row[emb : emb + 8].split()[:2]
        assert (embedded, subset) == ("yes", "yes"), f"not embedded and subset: {row}"


def test_pdfinfo_shows_title_author_subject_keywords(
    built: BuiltBrief, poppler: dict[str, str]
) -> None:
    result = run([poppler["pdfinfo"], "-enc", "UTF-8", str(built.pdf)])
    assert result.returncode == 0, result.stderr
    info = dict(re.findall(r"^(\w+):\s*(.*?)\s*$", result.stdout, re.M))
    brief = built.brief
    assert info.get("Title") == brief.article.title
    assert info.get("Author") == brief.author.name
    assert info.get("Subject") == brief.edition.title
    keywords = info.get("Keywords", "")
    assert brief.edition.title in keywords
    assert all(k in keywords for k in brief.edition.keywords[:3])


def _labels(built: BuiltBrief) -> Labels:
    """The brief's fixed words, from the built-in catalogue (no fixture overrides it)."""
    return labels_for(built.brief.article.lang, (REPO / "templates",))


def _expected_order(built: BuiltBrief) -> list[str]:
    """What a reader meets, in order: title block, takeaways, sections, about the author."""
    brief = built.brief
    labels = _labels(built)
    order = [labels["policy_brief"], brief.article.title]
    if brief.takeaways:
        order += [labels["key_takeaways"], *brief.takeaways]
    if brief.in_focus:
        order.append(labels.in_focus(brief.edition))
    for section in brief.sections:
        if brief.in_focus and brief.context and section is brief.context[0]:
            order.append(labels["context"])
        order.append(section.title)
        order += [s.text for s in split_sentences(_first_text(section.blocks))][:1]
    order += [labels["about_author"], brief.author.name]
    # Right-to-left text is extracted in order within each piece between punctuation marks.
    return [clauses(o)[0] if is_rtl(o) else o for o in order if letters(o)]


def _first_text(blocks: tuple[BriefBlock, ...]) -> str:
    return next((b.block.text for b in blocks if b.block.kind != "code"), "")


def test_pdftotext_reads_in_the_briefs_order(built: BuiltBrief, poppler: dict[str, str]) -> None:
    text = letters(_pdftotext(poppler, built.pdf))
    position = 0
    for expected in _expected_order(built):
        found = text.find(letters(expected), position)
        assert found >= 0, f"{expected!r} is missing, or out of order, in pdftotext's text"
        position = found + len(letters(expected))


def _sentences(built: BuiltBrief) -> list[str]:
    """Every sentence of the brief (for right-to-left text, every piece between punctuation)."""
    brief = built.brief
    blocks = [
        *brief.lede,
        *(b for s in brief.sections for b in s.blocks),
        *map(BriefBlock, brief.author.bio),
    ]
    sentences: list[str] = []
    for text in [*brief.takeaways, *(b.block.text for b in blocks if b.block.kind != "code")]:
        for sentence in split_sentences(text):
            sentences += clauses(sentence.text) if is_rtl(sentence.text) else [sentence.text]
    return sentences


def test_no_running_footer_inside_a_sentence(built: BuiltBrief, poppler: dict[str, str]) -> None:
    """Every sentence comes out of pdftotext whole: no page break (and so no footer) inside it."""
    text = letters(_pdftotext(poppler, built.pdf))
    broken = [s for s in _sentences(built) if letters(s) not in text]
    assert not broken, "sentences broken up in pdftotext's text:\n" + "\n".join(broken)


def _outline(reader: PdfReader) -> list[tuple[str, int, float]]:
    """Every outline entry, nested ones included: title, page index and the top it points at."""
    entries: list[tuple[str, int, float]] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item)  # type: ignore[arg-type]
                entries.append((str(item.title), page, float(item["/Top"])))  # type: ignore[index]

    walk(reader.outline)
    return entries


def _line_below(page: Page, top: float) -> Line:
    below = [line for line in page.lines if line.y1 <= top + TOLERANCE]
    assert below, f"nothing on page {page.number} below {top}"
    return below[0]


def test_outline_has_each_section_pointing_at_its_heading(built: BuiltBrief) -> None:
    outline = _outline(PdfReader(built.pdf))
    titles = [title for title, _, _ in outline]
    for section in built.brief.sections:
        assert titles.count(section.title) == 1, f"{section.title!r} in the outline {titles}"
    laid_out = pages(built.pdf)
    for title, page_index, top in outline:
        # The first line under the entry's target is the heading it names (wrapped or not).
        line = _line_below(laid_out[page_index], top)
        assert letters(line.text) and same_letters(line.text, title), (
            f"outline entry {title!r} points at page {page_index + 1}, above {line.text!r}"
        )


def _frame(built: BuiltBrief, page: Page) -> tuple[float, float, float, float]:
    top, right, bottom, left = (v * mm for v in built.theme.margins_mm)
    return left, bottom, page.width - right, page.height - top


def _footer(built: BuiltBrief, page: Page) -> list[Line]:
    """The lines below the text frame: the running footer, which lives in the bottom margin."""
    _, bottom, _, _ = _frame(built, page)
    return [line for line in page.lines if line.y1 <= bottom + TOLERANCE]


def test_text_stays_inside_the_margins(built: BuiltBrief) -> None:
    """Body text inside the theme's text frame; the footer inside the bottom margin, between the
    side margins, and nothing else there."""
    laid_out = pages(built.pdf)
    for page in laid_out:
        left, bottom, right, top = _frame(built, page)
        footer = _footer(built, page)
        for line in page.lines:
            floor = 0.0 if line in footer else bottom
            for x0, y0, x1, y1 in line.chars:
                assert left - TOLERANCE <= x0 and x1 <= right + TOLERANCE, (
                    f"page {page.number}: {line.text!r} reaches past a side margin"
                )
                assert floor - TOLERANCE <= y0 and y1 <= top + TOLERANCE, (
                    f"page {page.number}: {line.text!r} reaches past the top or bottom margin"
                )
        footer_text = squeeze(" ".join(line.text for line in footer))
        # In the brief's language; a right-to-left one comes out of the page in visual order.
        label = squeeze(_labels(built).page(page.number, len(laid_out)))
        shown = unicodedata.normalize("NFKC", footer_text)
        assert shown.endswith(label) or shown.endswith(label[::-1]), footer_text


def _headings(built: BuiltBrief) -> set[str]:
    brief = built.brief
    headings = {"KEY TAKEAWAYS", "CONTEXT", f"IN FOCUS: {brief.edition.title}", "ABOUT THE AUTHOR"}
    headings |= {s.title for s in brief.sections}
    headings |= {
        b.block.text for s in brief.sections for b in s.blocks if b.block.kind == "heading"
    }
    headings |= {b.block.text for b in brief.lede if b.block.kind == "heading"}
    return {letters(h) for h in headings}


def test_no_page_is_empty_or_ends_with_a_heading(built: BuiltBrief) -> None:
    headings = _headings(built)
    for page in pages(built.pdf):
        footer = _footer(built, page)
        body = [line for line in page.lines if line not in footer]
        assert body, f"page {page.number} has no text besides its footer"
        last = letters(body[-1].text)
        # A heading is set in the heading face: the last line of a paragraph that happens to
        # end a heading's words ("season." under "Droughts and the Dry Season") is not one.
        body_font = Counter(f for line in body for f in line.fonts).most_common(1)[0][0]
        in_heading_face = body_font not in body[-1].fonts
        assert not (last and in_heading_face and any(h.endswith(last) for h in headings)), (
            f"page {page.number} ends with the heading {body[-1].text!r}; it belongs with its text"
        )


def test_pdftoppm_renders_every_page(
    built: BuiltBrief, poppler: dict[str, str], tmp_path: Path
) -> None:
    result = run([poppler["pdftoppm"], "-r", "20", "-gray", str(built.pdf), str(tmp_path / "page")])
    assert result.returncode == 0, result.stderr
    assert not result.stderr.strip(), result.stderr
    images = sorted(tmp_path.glob("page*.pgm"))
    assert len(images) == len(PdfReader(built.pdf).pages)
    for image in images:
        width, height, pixels = _pgm(image)
        assert len(pixels) == width * height
        assert min(pixels) < 128, f"{image.name} is blank"


def _pgm(path: Path) -> tuple[int, int, bytes]:
    """A binary PGM (what ``pdftoppm -gray`` writes): width, height and the grey levels."""
    data = path.read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255"
    return int(width), int(height), pixels


def test_first_page_gives_the_html_address(built: BuiltBrief) -> None:
    """With a base URL, page 1 shows the HTML's address and links to it; without, it shows none."""
    url = f"{built.base_url}{built.relpath}.html"
    first = PdfReader(built.pdf).pages[0]
    links = [
        annot.get_object()["/A"].get("/URI")
        for annot in first.get("/Annots") or []
        if annot.get_object().get("/A") is not None
    ]
    text = squeeze(" ".join(line.text for line in pages(built.pdf)[0].lines))
    if built.base_url:
        assert squeeze(url) in text
        assert url in links
    else:
        assert "Online:" not in text
