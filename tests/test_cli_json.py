"""``--json`` on the build, ``check`` and ``focuses``, and ``-q``/``-v`` after a command.

The JSON is what the README's "Output as JSON" section documents: standard output holds one
JSON document and nothing else; errors still go to standard error as one line, with the usual
exit status.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

DAY = 1_700_000_000


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    return fixture_project("build-small")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_json_lists_what_was_built_then_what_is_up_to_date(project: Path) -> None:
    args = ("--project", str(project), "--jobs", "1", "--format", "html", "--json")
    code, stdout, stderr = run(*args)
    assert code == 0, stderr
    first = json.loads(stdout)  # the whole of stdout is one document: no lines, no progress
    assert list(first) == [
        "schema",
        "out_dir",
        "built",
        "up_to_date",
        "removed",
        "warnings",
        "seconds",
        "dist",
    ]
    assert first["schema"] == 1
    assert first["out_dir"] == str(project / "build")
    built = {entry["path"]: entry for entry in first["built"]}
    assert len(built) == 9  # three articles, general + two focuses, one format
    alpha = built["alpha/security.html"]
    html = (project / "build" / "alpha" / "security.html").read_bytes()
    assert alpha["bytes"] == len(html)
    assert (alpha["article"], alpha["focus"], alpha["format"]) == ("alpha", "security", "html")
    assert first["up_to_date"] == [] and first["removed"] == [] and first["dist"] is None
    assert isinstance(first["seconds"], float)

    (project / "sources" / "articles" / "gamma.md").unlink()
    code, stdout, _ = run(*args)
    again = json.loads(stdout)
    assert again["built"] == []
    assert {e["path"] for e in again["removed"]} == {p for p in built if p.startswith("gamma/")}
    assert {e["path"] for e in again["up_to_date"]} == {
        p for p in built if not p.startswith("gamma/")
    }


def test_build_json_names_the_zip(project: Path, tmp_path: Path) -> None:
    dist = tmp_path / "briefs.zip"
    args = ["--project", str(project), "--format", "html", "--dist", str(dist), "-f", "economy"]
    code, stdout, stderr = run(*args, "--json")
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert summary["dist"]["path"] == str(dist) and summary["dist"]["files"] >= 4


def test_a_failed_build_prints_no_json_and_one_error_line(project: Path) -> None:
    (project / "sources" / "focuses.yaml").write_text("security: [unclosed\n", encoding="utf-8")
    code, stdout, stderr = run("--project", str(project), "--json")
    assert code == 1
    assert stdout == ""
    assert len(stderr.splitlines()) == 1 and stderr.startswith("error: ")


def test_check_json_reports_counts_and_warnings(project: Path) -> None:
    article = project / "sources" / "articles" / "alpha.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("---\n", "---\nsubtitel: typo\n", 1),
        encoding="utf-8",
    )
    code, stdout, stderr = run("check", "--project", str(project), "--json")
    assert code == 0, stderr
    report = json.loads(stdout)
    assert {k: report[k] for k in ("schema", "ok", "articles", "authors", "focuses")} == {
        "schema": 1,
        "ok": True,
        "articles": 3,
        "authors": 2,
        "focuses": 2,
    }
    (warning,) = report["warnings"]
    assert warning["path"] == str(article) and warning["line"] == 2
    assert "subtitel" in warning["message"]
    assert stderr.startswith("warning: ")  # still told on stderr, as without --json


def test_check_json_on_a_broken_project_is_errors_on_stderr_only(project: Path) -> None:
    (project / "sources" / "authors" / "bo-kim.md").unlink()
    code, stdout, stderr = run("check", "--project", str(project), "--json")
    assert code == 1
    assert stdout == ""
    assert stderr.splitlines()[0].startswith("error: ")


def test_focuses_json_lists_each_focus_then_the_general_edition(project: Path) -> None:
    code, stdout, stderr = run("focuses", "--project", str(project), "--json")
    assert code == 0, stderr
    listing = json.loads(stdout)
    assert listing["schema"] == 1
    assert [f["id"] for f in listing["focuses"]] == ["security", "economy"]
    security = listing["focuses"][0]
    assert set(security) == {"id", "title", "description", "color", "keywords", "takeaways"}
    assert security["color"].startswith("#") and security["keywords"]
    assert security["takeaways"] == 3  # the default, as the project's focuses set none
    assert listing["general"]["id"] == "general"


@pytest.mark.parametrize("command", ["check", "focuses", "merge", "init", "explain", "import"])
def test_every_command_takes_quiet_and_verbose_after_its_name(command: str) -> None:
    code, stdout, _ = run(command, "--help")
    assert code == 0
    assert "--quiet" in stdout and "--verbose" in stdout


def test_quiet_after_the_command_silences_it(project: Path) -> None:
    for args in (["check", "-q"], ["check", "--quiet"], ["-q", "check"]):
        code, stdout, stderr = run(*args, "--project", str(project))
        assert (code, stdout, stderr) == (0, "", ""), args
    code, stdout, _ = run("check", "--project", str(project))
    assert stdout.startswith("ok: 3 article(s)")


def test_verbose_after_the_command_gives_the_traceback(project: Path) -> None:
    (project / "sources" / "focuses.yaml").write_text("- a list\n", encoding="utf-8")
    for args in (["focuses", "-v"], ["focuses", "--verbose"], ["-v", "focuses"]):
        code, _, stderr = run(*args, "--project", str(project))
        assert code == 1
        assert "Traceback" in stderr and stderr.splitlines()[-1].startswith("error: "), args
    code, _, stderr = run("focuses", "--project", str(project))
    assert "Traceback" not in stderr


@pytest.mark.parametrize("args", [["-q", "check", "-v"], ["check", "-v", "-q"]])
def test_quiet_and_verbose_together_is_a_usage_error_wherever_they_are(
    project: Path, args: list[str]
) -> None:
    code, _, stderr = run(*args, "--project", str(project))
    assert code == 2
    assert "--quiet and --verbose cannot be used together" in stderr
