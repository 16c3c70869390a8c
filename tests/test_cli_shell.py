"""make-brief in a shell: tab completion of focus ids and article slugs, and pipes that close.

Completion is Click's (``_MAKE_BRIEF_COMPLETE``); what matters here is what it offers, that it
reads the project without writing to it, and that a broken project never makes it fail. A
closed pipe is tested with real processes, since only they have a pipe to close.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from pipeline.cli import main


def complete(args: list[str], incomplete: str) -> list[str]:
    shell = ShellComplete(main, {}, "make-brief", "_MAKE_BRIEF_COMPLETE")
    return [item.value for item in shell.get_completions(args, incomplete)]


@pytest.fixture
def project(fixture_project: Callable[[str], Path]) -> Path:
    return fixture_project("build-small")


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_focus_ids_complete_from_the_projects_focuses(project: Path) -> None:
    before = tree(project)
    at = ["--project", str(project), "--focus"]
    assert complete(at, "") == ["security", "economy", "general", "all"]
    assert complete(at, "e") == ["economy"]
    assert complete(["--project", str(project), "-f"], "s") == ["security"]
    # After a "+", the other ids to weigh with the ones already typed.
    assert complete(at, "security+") == ["security+economy"]
    assert complete(["explain", "--project", str(project), "--focus"], "") == [
        "security",
        "economy",
        "general",  # explain takes one edition: "all" is not offered
    ]
    assert tree(project) == before, "completion writes nothing"
    assert not (project / "build").exists()


def test_article_slugs_complete_for_the_build_and_explain(project: Path) -> None:
    assert complete(["--project", str(project), "--article"], "") == ["alpha", "beta", "gamma"]
    assert complete(["--project", str(project), "-a"], "b") == ["beta"]
    assert complete(["explain", "--project", str(project), "-a"], "g") == ["gamma"]


def test_a_broken_or_missing_project_completes_what_it_can(project: Path, tmp_path: Path) -> None:
    focuses = project / "sources" / "focuses.yaml"
    focuses.write_text("security:\n  title: 3\neconomy: {}\n", encoding="utf-8")
    # Broken focuses still complete by their ids, as the file names them.
    assert complete(["--project", str(project), "--focus"], "") == [
        "security",
        "economy",
        "general",
        "all",
    ]
    focuses.write_text("[unclosed\n", encoding="utf-8")
    assert complete(["--project", str(project), "--focus"], "") == ["general", "all"]
    nowhere = ["--project", str(tmp_path / "nowhere")]
    assert complete([*nowhere, "--focus"], "") == ["general", "all"]
    assert complete([*nowhere, "--article"], "") == []


def test_the_shell_asks_through_the_environment(project: Path) -> None:
    """What bash runs on a tab, once ``eval "$(_MAKE_BRIEF_COMPLETE=bash_source make-brief)"``
    has set it up."""
    env = {
        **os.environ,
        "_MAKE_BRIEF_COMPLETE": "bash_complete",
        "COMP_WORDS": f"make-brief --project {project} --focus ec",
        "COMP_CWORD": "4",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pipeline"], env=env, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "plain,economy\n", "")
    source = subprocess.run(
        [sys.executable, "-m", "pipeline"],
        env={**os.environ, "_MAKE_BRIEF_COMPLETE": "bash_source"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert "_make_brief_completion" in source.stdout


def closed_early(args: list[str], *, read_lines: int, cwd: Path) -> tuple[int, str]:
    """Run make-brief with its standard output read for ``read_lines`` lines and then closed,
    as ``make-brief ... | head -N`` does; its exit status and standard error."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    for _ in range(read_lines):
        process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    return process.wait(timeout=120), stderr


@pytest.mark.parametrize(
    "args",
    [
        ["focuses"],
        ["focuses", "--json"],
        ["explain", "--article", "alpha", "--focus", "security"],
        ["--help"],
    ],
)
@pytest.mark.parametrize("read_lines", [0, 1])
def test_a_closed_pipe_ends_the_command_quietly(
    project: Path, args: list[str], read_lines: int
) -> None:
    code, stderr = closed_early(args, read_lines=read_lines, cwd=project)
    assert (code, stderr) == (0, "")


def test_a_build_whose_summary_is_not_read_still_builds_and_exits_0(project: Path) -> None:
    code, stderr = closed_early(["--format", "html", "--jobs", "1"], read_lines=1, cwd=project)
    assert (code, stderr) == (0, "")
    assert len(list((project / "build").glob("*/*.html"))) == 9


def test_a_failure_is_still_reported_when_nobody_reads_stdout(project: Path) -> None:
    (project / "sources" / "focuses.yaml").write_text("[unclosed\n", encoding="utf-8")
    code, stderr = closed_early(["focuses"], read_lines=0, cwd=project)
    assert code == 1
    assert stderr.startswith("error: ") and len(stderr.splitlines()) == 1


def test_a_project_given_before_the_command_is_the_commands_project(tmp_path: Path) -> None:
    """``make-brief --project X check`` checks X, not the current folder; the command's own
    ``--project`` still wins."""
    project = tmp_path / "here"
    (project / "sources").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = CliRunner().invoke(main, ["--project", str(project), "check"])
    assert before.exit_code == 1
    assert f"{project / 'sources' / 'articles'}: no articles" in before.output, before.output
    after = CliRunner().invoke(
        main, ["--project", str(project), "check", "--project", str(elsewhere)]
    )
    assert after.exit_code == 1
    assert str(elsewhere.resolve()) in after.output and "no sources/" in after.output
