"""Extremes: a 300-letter word, an empty section, abbreviations, control characters, and an
article of 2,000 paragraphs. The first three are in tests/fixtures/hostile/sources/articles/
extremes.md; the others are written by the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent

from pipeline.build import BuildOptions, build
from pipeline.check import check_project
from pipeline.emphasis.units import split_sentences
from pipeline.sources import Project, read_project
from pipeline.sources.theme import load_theme

from .read import FIXTURES, html_document, html_text, normalise, pdf_text, squeeze

HOSTILE = FIXTURES / "hostile"
EXTREMES = HOSTILE / "sources" / "articles" / "extremes.md"
LONG_WORD = "".join("abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(300))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("extremes")
    result = build(
        Project.at(HOSTILE),
        BuildOptions(focuses=("general", "rights"), articles=("extremes",), out_dir=out),
    )
    return out / "extremes", [str(warning) for warning in result.warnings]


def _characters(item: LTComponent) -> list[LTChar]:
    if isinstance(item, LTChar):
        return [item]
    return [char for child in getattr(item, "_objs", []) for char in _characters(child)]


def test_a_300_letter_word_breaks_inside_the_margins(built: tuple[Path, list[str]]) -> None:
    folder, _ = built
    theme = load_theme(None)
    points = 72 / 25.4
    left = theme.margins_mm[3] * points
    right = (theme.page_size_mm[0] - theme.margins_mm[1]) * points
    for edition in ("general", "rights"):
        pdf = folder / f"{edition}.pdf"
        # Every letter is there, in order (squeezed: the word is broken across lines)...
        assert LONG_WORD in squeeze(normalise(pdf_text(pdf)))
        assert LONG_WORD[:120] in squeeze(pdf_text(pdf))  # the section title made of it
        # ...and no character of any page sits outside the text column.
        chars = [char for page in extract_pages(pdf) for char in _characters(page)]
        assert len(chars) > 600
        assert min(char.x0 for char in chars) >= left - 0.5
        assert max(char.x1 for char in chars) <= right + 0.5
    html = normalise(html_text(html_document(folder / "general.html")))
    assert LONG_WORD in html


def test_an_empty_section_is_dropped_with_a_warning(built: tuple[Path, list[str]]) -> None:
    folder, warnings = built
    expected = f"{EXTREMES}:9: section 'Nothing here' is empty and is left out"
    assert warnings == [expected]
    for path in folder.iterdir():
        text = pdf_text(path) if path.suffix == ".pdf" else html_text(html_document(path))
        assert "Nothing here" not in text
    # check says the same thing, as a warning, not an error.
    report = check_project(Project.at(HOSTILE))
    assert expected in [str(warning) for warning in report.warnings]


def test_abbreviations_do_not_end_a_sentence() -> None:
    paragraph = (
        "The U.S. and the U.K. met Dr. Smith at 9 a.m. on Jan. 5, e.g. to discuss rights. "
        "Prof. Lee agreed with the proposal, i.e. the plan. "
        "The talks on rights ended. Mr. Kim said the U.N. would act."
    )
    assert [s.text for s in split_sentences(paragraph)] == [
        "The U.S. and the U.K. met Dr. Smith at 9 a.m. on Jan. 5, e.g. to discuss rights.",
        "Prof. Lee agreed with the proposal, i.e. the plan.",
        "The talks on rights ended.",
        "Mr. Kim said the U.N. would act.",
    ]


def test_takeaways_with_abbreviations_are_whole_sentences(built: tuple[Path, list[str]]) -> None:
    folder, _ = built
    document = html_document(folder / "rights.html")
    # Each takeaway's sentence, without the cue to its section that follows it.
    takeaways = [
        (li.text or "").strip() for li in document.findall(".//section[@class='takeaways']//li")
    ]
    assert (
        "The U.S. and the U.K. met Dr. Smith at 9 a.m. on Jan. 5, e.g. to discuss rights."
        in takeaways
    )
    assert all(t.endswith((".", "!", "?")) for t in takeaways)


def test_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(HOSTILE, project)
    path = project / "sources" / "articles" / "controls.md"
    path.write_text(
        "---\ntitle: Bell\x07 and escape\x1b[31m\nauthor: mallory\n---\n## Section\n\n"
        "A null\x00 byte, a form feed\x0c, a C1 control\x85 and a noncharacter\ufffe gone.\n",
        encoding="utf-8",
    )
    warnings: list = []
    article = next(
        a for a in read_project(Project.at(project), warnings).articles if a.slug == "controls"
    )
    assert [str(w) for w in warnings if w.path == path] == [
        f"{path}:2: removed 6 control character(s) "
        "(U+0007, U+001B, U+0000, U+000C, U+0085, U+FFFE): they cannot be shown"
    ]
    assert article.title == "Bell and escape[31m"
    assert (
        article.sections[0].blocks[0].text
        == "A null byte, a form feed, a C1 control and a noncharacter gone."
    )
    out = tmp_path / "out"
    build(
        Project.at(project), BuildOptions(focuses=("general",), articles=("controls",), out_dir=out)
    )
    assert "a C1 control and a noncharacter gone." in pdf_text(out / "controls" / "general.pdf")


def test_an_article_of_2000_paragraphs_builds(tmp_path: Path) -> None:
    """Memory is measured by benchmarks/long_article.py; this only shows the build completes."""
    project = tmp_path / "project"
    shutil.copytree(HOSTILE, project)
    parts = ["---\ntitle: Two thousand paragraphs\nauthor: mallory\n---\n"]
    for number in range(2000):
        if number % 50 == 0:
            parts.append(f"## Part {number // 50 + 1}\n")
        parts.append(f"Paragraph {number + 1} is about rights and the talks that followed.\n")
    (project / "sources" / "articles" / "long.md").write_text("\n".join(parts), encoding="utf-8")
    out = tmp_path / "out"
    result = build(
        Project.at(project), BuildOptions(focuses=("general",), articles=("long",), out_dir=out)
    )
    pdf = next(a for a in result.built if a.format == "pdf")
    assert pdf.pages is not None and pdf.pages > 50
    text = pdf_text(out / "long" / "general.pdf")
    assert "Paragraph 1 is about rights" in text
    assert "Paragraph 2000 is about rights" in text
    sections = html_document(out / "long" / "general.html").findall(
        ".//section[@class='brief-section']"
    )
    paragraphs = [html_text(p) for section in sections for p in section.findall("p")]
    assert paragraphs == [
        f"Paragraph {n} is about rights and the talks that followed." for n in range(1, 2001)
    ]
