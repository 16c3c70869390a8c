"""Hostile input, second round: folders where files belong, imported pages' shape and language,
and the command line used carelessly.

Each test runs make-brief as a user does, on a copy of the seed project, and reads what came out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

from .test_hostile_input import ARTICLE, AUTHOR, only_error, run, write_article


def test_a_folder_named_like_an_article_is_an_error_naming_it(seed_project: Path) -> None:
    (seed_project / "sources" / "articles" / "notes.md").mkdir()
    for command in ((), ("check",)):
        status, _, stderr = run(seed_project, *command, "--quiet")
        assert status == 1
        assert only_error(stderr).endswith(
            "sources/articles/notes.md: is a folder, not a regular file: a source must be one"
        )


def test_an_image_path_naming_a_folder_is_an_error_at_its_line(seed_project: Path) -> None:
    (seed_project / "sources" / "figures").mkdir()
    write_article(seed_project, "## Section\n\nText.\n\n![A map](../figures/)\n")
    status, _, stderr = run(seed_project, "--article", "hostile", "--quiet")
    assert status == 1
    assert f"{ARTICLE}:10: image '../figures/' is a folder" in only_error(stderr)


def import_page(project: Path, page: str, *args: str) -> tuple[int, str, str]:
    """``make-brief import`` of a saved page as the article ``hostile``."""
    path = project.parent / "page.html"
    path.write_text(page, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "import",
            str(path),
            "--project",
            str(project),
            "--slug",
            "hostile",
            "--author",
            AUTHOR,
            *args,
        ],
    )
    return result.exit_code, result.stdout, result.stderr


def test_an_imported_cell_spanning_rows_keeps_the_cells_beside_it_in_their_columns(
    seed_project: Path,
) -> None:
    page = (
        "<h1>Spans</h1><h2>Figures</h2><p>The table.</p><table>"
        "<tr><th>Country</th><th>2020</th><th>2021</th></tr>"
        "<tr><td rowspan=2>Korea</td><td colspan=2>5 both years</td></tr>"
        "<tr><td>6</td><td>7</td></tr>"
        "<tr><td>Japan</td><td rowspan=3>3</td><td>4</td></tr>"
        "<tr><td>China</td><td>8</td></tr></table>"
    )
    status, _, stderr = import_page(seed_project, page)
    assert status == 0, stderr
    text = (seed_project / ARTICLE).read_text(encoding="utf-8")
    assert (
        "| Country | 2020 | 2021 |\n| --- | --- | --- |\n| Korea | 5 both years |  |\n"
        "|  | 6 | 7 |\n| Japan | 3 | 4 |\n| China |  | 8 |\n"
    ) in text
    assert run(seed_project, "--article", "hostile", "--focus", "general", "--quiet")[0] == 0


@pytest.mark.parametrize(
    ("html", "lang", "direction"),
    [
        ('<html lang="ar" dir="rtl">', "ar", "rtl"),
        ('<html lang="en"><body><article lang="he">', "he", "rtl"),
        ('<html lang="fr-CA">', "fr-CA", "ltr"),
    ],
    ids=["arabic", "hebrew-article", "french"],
)
def test_an_imported_page_keeps_its_language(
    seed_project: Path, html: str, lang: str, direction: str
) -> None:
    page = f"{html}<h1>عنوان</h1><h2>القسم</h2><p>هذا نص (مع أقواس) للاختبار.</p>"
    status, _, stderr = import_page(seed_project, page)
    assert status == 0, stderr
    assert f"\nlang: {lang}\n" in (seed_project / ARTICLE).read_text(encoding="utf-8")
    assert run(seed_project, "--article", "hostile", "--focus", "general", "--quiet")[0] == 0
    html_out = (seed_project / "build" / "hostile" / "general.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="{direction}">' in html_out


def test_an_imported_english_page_has_no_lang_to_say(seed_project: Path) -> None:
    page = '<html lang="en"><h1>Title</h1><h2>Section</h2><p>Some text.</p>'
    assert import_page(seed_project, page)[0] == 0
    assert "lang:" not in (seed_project / ARTICLE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("general+security", "'general' stands only on its own"),
        ("security+all", "'all' stands only on its own"),
        ("security+", "a focus id is empty"),
    ],
)
def test_a_focus_joined_wrongly_says_why_not_that_it_is_unknown(
    seed_project: Path, spec: str, why: str
) -> None:
    status, _, stderr = run(seed_project, "--focus", spec, "--quiet")
    assert status == 2
    assert f"--focus '{spec}': {why}; '+' joins focus ids (security, " in stderr
    assert "unknown focus" not in stderr
    assert not (seed_project / "build").exists()


def test_an_import_larger_than_a_source_may_be_writes_nothing(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is 8 MB; a small one keeps the test quick, and the build reads it too.
    monkeypatch.setattr("pipeline.sources.decode.MAX_SOURCE_BYTES", 4096)
    monkeypatch.setattr("pipeline.importer.plan.MAX_SOURCE_BYTES", 4096, raising=False)
    paragraphs = "".join(f"<p>Paragraph {n} of the talks, which went on.</p>" for n in range(200))
    status, _, stderr = import_page(seed_project, f"<h1>Big</h1><h2>Talks</h2>{paragraphs}")
    assert status == 1
    assert "page.html: the article would be 0.0 MB, more than the 0 MB" in only_error(stderr)
    assert not (seed_project / ARTICLE).exists()


def test_an_endless_input_is_refused_not_read_into_memory(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.importer.MAX_INPUT_BYTES", 1000, raising=False)
    result = CliRunner().invoke(
        main,
        ["import", "-", "--project", str(seed_project), "--slug", "x", "--author", AUTHOR],
        input=b"Title\n\nSection\n\n" + b"words " * 1000,
    )
    assert result.exit_code == 1
    assert only_error(result.stderr) == (
        "error: <stdin>: is larger than 0 MB, the most an import reads"
    )
