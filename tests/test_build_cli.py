"""The build command as a user sees it: lines or a progress bar, the summary, the options."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import cli
from pipeline.cli import main

DAY = 1_700_000_000
SUMMARY = re.compile(r"^(\d+) built, (\d+) up to date, (\d+) removed in \d+\.\d\d s \(.+\)$", re.M)


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    return fixture_project("build-small")


def make_brief(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(project), "--jobs", "1", *args])
    return result.exit_code, result.output


def summary(output: str) -> tuple[int, int, int]:
    found = SUMMARY.findall(output)
    assert len(found) == 1, output
    return tuple(int(n) for n in found[0])  # type: ignore[return-value]


def test_off_a_terminal_one_line_per_artifact_built_then_the_summary(project: Path) -> None:
    code, output = make_brief(project, "--format", "pdf")
    assert code == 0
    lines = output.splitlines()
    built = [line for line in lines if line.strip().startswith("built")]
    assert len(built) == 9
    assert re.fullmatch(r"\s+built  .+/build/alpha/general\.pdf \(\d+ KB, 1 page\)", built[0])
    assert summary(output) == (9, 0, 0)
    assert lines[-1] == SUMMARY.search(output).group(0)  # type: ignore[union-attr]


def test_a_rebuild_says_what_is_up_to_date_and_what_was_removed(project: Path) -> None:
    make_brief(project)
    code, output = make_brief(project)
    assert code == 0
    assert output.splitlines() == [SUMMARY.search(output).group(0)]  # type: ignore[union-attr]
    assert summary(output) == (0, 18, 0)
    code, output = make_brief(project, "--verbose")
    assert len([line for line in output.splitlines() if "up to date  " in line]) == 18
    (project / "sources/articles/gamma.md").unlink()
    code, output = make_brief(project)
    assert len([line for line in output.splitlines() if line.strip().startswith("removed")]) == 6
    assert summary(output) == (0, 12, 6)


def test_quiet_prints_nothing_on_success(project: Path) -> None:
    code, output = make_brief(project, "--quiet")
    assert (code, output) == (0, "")


def test_on_a_terminal_a_progress_bar_instead_of_lines(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_is_terminal", lambda: True)
    code, output = make_brief(project)
    assert code == 0
    assert "Building briefs" in output
    assert not [line for line in output.splitlines() if line.strip().startswith("built")]
    assert summary(output) == (18, 0, 0)


def test_force_and_dist(project: Path) -> None:
    make_brief(project, "--quiet")
    code, output = make_brief(project, "--force", "--dist", str(project / "briefs.zip"))
    assert code == 0
    assert summary(output) == (18, 0, 0)
    # 18 briefs, a page-1 thumbnail of each of the 9 PDFs, the index and the manifest.
    assert f"wrote {project / 'briefs.zip'} (29 files)" in output
    with zipfile.ZipFile(project / "briefs.zip") as archive:
        assert len(archive.namelist()) == 29
        assert len([n for n in archive.namelist() if n.endswith(".png")]) == 9


@pytest.mark.parametrize("jobs", ["0", "-1", "many"])
def test_jobs_must_be_a_positive_number(project: Path, jobs: str) -> None:
    result = CliRunner().invoke(main, ["--project", str(project), "--jobs", jobs])
    assert result.exit_code == 2
    assert "--jobs" in result.output
