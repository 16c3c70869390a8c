"""Broken sources, through the command line as a user meets them.

Each folder under tests/fixtures/broken/ is a small project with one thing wrong, and its
``expected.txt`` holds the exact ``error:`` line a user sees (paths relative to the project,
``{project}`` for the project's own absolute path). Every case must exit 1 with that one line,
no traceback, and leave an earlier build's outputs as they were.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

from .read import FIXTURES

BROKEN = FIXTURES / "broken"
ONE_PROBLEM = sorted(
    case
    for case in BROKEN.iterdir()
    if (case / "expected.txt").is_file() and case.name != "many-problems"
)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder`` with its SHA-256 and modification time."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _earlier_build(out: Path) -> None:
    """Outputs a previous, successful build left behind."""
    (out / "missiles").mkdir(parents=True)
    (out / "missiles" / "general.pdf").write_bytes(b"%PDF-1.4 an earlier brief")
    (out / "missiles" / "general.html").write_text("<!DOCTYPE html><title>earlier</title>")
    (out / "manifest.json").write_text('{"artifacts": []}\n')


def test_every_case_of_the_issue_has_a_fixture() -> None:
    names = {case.name for case in ONE_PROBLEM}
    assert names == {
        "no-front-matter",
        "invalid-yaml",
        "missing-title",
        "empty-title",
        "unknown-author",
        "no-sections",
        "invalid-utf8",
        "focuses-not-a-mapping",
        "focus-without-keywords",
        "colour-not-a-colour",
        "countries-not-a-weight",
        "takeaways-not-a-count",
        "template-syntax-error",
        "template-undefined-variable",
        "slug-not-an-id",
        "focus-id-not-an-id",
        "no-sources-dir",
    }


@pytest.mark.parametrize("case", ONE_PROBLEM, ids=lambda case: case.name)
@pytest.mark.parametrize("command", [[], ["check"]], ids=["build", "check"])
def test_broken_project_prints_one_error_line(
    case: Path, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / case.name
    shutil.copytree(case, project)
    out = tmp_path / "out"
    _earlier_build(out)
    before = snapshot(out)
    monkeypatch.chdir(project)

    result = CliRunner().invoke(main, command or ["--out", str(out)])

    expected = (
        (project / "expected.txt").read_text(encoding="utf-8").format(project=project.resolve())
    )
    if command == ["check"] and case.name != "no-sources-dir":
        expected += "1 problem(s) found\n"  # check always ends with its count
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert result.stderr == expected
    assert snapshot(out) == before


def test_invalid_utf8_names_the_byte_offset() -> None:
    data = (BROKEN / "invalid-utf8" / "sources" / "articles" / "missiles.md").read_bytes()
    offset = next(i for i in range(len(data)) if data[i] >= 0x80)
    expected = (BROKEN / "invalid-utf8" / "expected.txt").read_text(encoding="utf-8")
    assert f"at byte {offset} (byte 0x{data[offset]:02x})" in expected
    line = data.count(b"\n", 0, offset) + 1
    assert f"missiles.md:{line}:" in expected


def test_check_reports_every_problem_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three problems in one article, two in one focus, an author, a slug, a template, a theme."""
    case = BROKEN / "many-problems"
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr == (case / "expected.txt").read_text(encoding="utf-8")
    assert result.stderr.splitlines()[-1] == "13 problem(s) found"


def test_build_also_lists_every_broken_source(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(BROKEN / "many-problems")
    result = CliRunner().invoke(main, ["--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "10 problem(s) found"
    assert all(line.startswith("error: sources/") for line in lines[:-1])
    assert not (tmp_path / "out").exists()


def test_an_article_by_a_broken_author_points_at_the_author(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(BROKEN / "missing-title", project)
    (project / "sources" / "articles" / "missiles.md").write_text(
        "---\ntitle: T\nauthor: ada-byron\n---\n## S\n\nText.\n", encoding="utf-8"
    )
    (project / "sources" / "authors" / "ada-byron.md").write_text(
        "---\nrole: x\n---\nBio.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"error: {project}/sources/articles/missiles.md:3: author 'ada-byron' cannot be used until "
        "sources/authors/ada-byron.md is fixed",
        "2 problem(s) found",
    ]


def test_verbose_adds_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN / "unknown-author")
    result = CliRunner().invoke(main, ["--verbose", "--out", "unused"])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    expected = (BROKEN / "unknown-author" / "expected.txt").read_text(encoding="utf-8")
    assert result.stderr.endswith(expected)
