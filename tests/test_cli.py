"""The make-brief command as a user runs it: exit statuses, one-line errors, files written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_one_focus_writes_both_formats_and_manifest(seed_project: Path) -> None:
    out = seed_project / "build"
    code, stdout, _ = run("--project", str(seed_project), "--focus", "human-rights")
    assert code == 0
    assert (out / "us-north-korea" / "human-rights.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / "us-north-korea" / "human-rights.html").is_file()
    assert not (out / "us-north-korea" / "security.pdf").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    by_format = {a["format"]: a for a in manifest["artifacts"]}
    assert by_format["pdf"]["path"] == "us-north-korea/human-rights.pdf"
    assert by_format["pdf"]["pages"] >= 2
    assert by_format["pdf"]["bytes"] == (out / "us-north-korea" / "human-rights.pdf").stat().st_size
    assert "pages" not in by_format["html"]
    assert "2 built" in stdout


def test_default_build_is_every_edition(seed_project: Path) -> None:
    code, _, _ = run("--project", str(seed_project), "--format", "html", "--quiet")
    assert code == 0
    names = sorted(p.name for p in (seed_project / "build" / "us-north-korea").iterdir())
    assert names == ["general.html", "human-rights.html", "regional-impact.html", "security.html"]


def test_combined_focus_builds_one_brief(seed_project: Path) -> None:
    code, _, _ = run(
        "--project", str(seed_project), "--focus", "security+human-rights", "--format", "pdf"
    )
    assert code == 0
    assert (seed_project / "build" / "us-north-korea" / "security+human-rights.pdf").is_file()


def test_unknown_focus_is_a_usage_error_listing_the_valid_ones(seed_project: Path) -> None:
    code, _, stderr = run("--project", str(seed_project), "--focus", "humn-rights")
    assert code == 2
    assert "unknown focus 'humn-rights'" in stderr
    for valid in ("security", "human-rights", "regional-impact", "general", "all"):
        assert valid in stderr
    assert "Traceback" not in stderr


def test_folder_without_sources_is_one_clear_error(tmp_path: Path) -> None:
    code, _, stderr = run("--project", str(tmp_path))
    assert code == 1
    assert stderr.strip().splitlines() == [
        f"error: {tmp_path}: no sources/ directory here: "
        "run make-brief in a brief project or pass --project DIR"
    ]


def test_malformed_front_matter_names_file_and_line(seed_project: Path) -> None:
    article = seed_project / "sources" / "articles" / "us-north-korea.md"
    article.write_text(
        "---\ntitle: Fine\nauthor: [unclosed\n---\n## A\n\nText.\n", encoding="utf-8"
    )
    code, _, stderr = run("--project", str(seed_project))
    assert code == 1
    line = stderr.strip().splitlines()
    assert len(line) == 1
    assert line[0].startswith(f"error: {article}:")
    assert "not valid YAML" in line[0]


def test_unknown_author_lists_known_ones(seed_project: Path) -> None:
    article = seed_project / "sources" / "articles" / "us-north-korea.md"
    article.write_text(
        article.read_text().replace("author: cassie-grissom", "author: cassie"), encoding="utf-8"
    )
    code, _, stderr = run("--project", str(seed_project))
    assert code == 1
    assert (
        stderr.strip()
        == f"error: {article}:3: unknown author 'cassie' (known authors: cassie-grissom)"
    )


def test_failed_build_leaves_earlier_outputs(seed_project: Path) -> None:
    assert run("--project", str(seed_project), "--focus", "security")[0] == 0
    pdf = seed_project / "build" / "us-north-korea" / "security.pdf"
    before = pdf.read_bytes()
    (seed_project / "sources" / "focuses.yaml").write_text("- not a mapping\n", encoding="utf-8")
    code, _, stderr = run("--project", str(seed_project), "--focus", "security")
    assert code == 1 and "error:" in stderr
    assert pdf.read_bytes() == before
    assert not [p for p in pdf.parent.iterdir() if p.name.startswith(".")], "no temporary file left"


def test_unknown_front_matter_key_is_a_warning(seed_project: Path) -> None:
    article = seed_project / "sources" / "articles" / "us-north-korea.md"
    article.write_text(
        article.read_text().replace("author:", "sumary: typo\nauthor:"), encoding="utf-8"
    )
    code, _, stderr = run("--project", str(seed_project), "--format", "html", "--focus", "general")
    assert code == 0
    assert f"warning: {article}:3: unknown front-matter key 'sumary'" in stderr


def test_an_unknown_setting_of_a_focus_is_a_warning_on_its_line(seed_project: Path) -> None:
    """A typo in a focus's settings ("keywrods") is otherwise ignored without a word."""
    focuses = seed_project / "sources" / "focuses.yaml"
    lines = focuses.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  keywords:"))
    lines.insert(at, "  keywrods: [army]\n")
    focuses.write_text("".join(lines), encoding="utf-8")
    for args in (("check",), ("--format", "html", "--focus", "general")):
        code, _, stderr = run("--project", str(seed_project), *args)
        assert code == 0
        warned = [line for line in stderr.splitlines() if "keywrods" in line]
        assert warned == [
            f"warning: {focuses}:{at + 1}: focus 'security': unknown setting 'keywrods' (known: "
            "color, countries, description, descriptions, examples, exclude, keywords, takeaways, "
            "title, titles)"
        ]


def test_check_and_focuses(seed_project: Path) -> None:
    code, stdout, _ = run("check", "--project", str(seed_project))
    assert code == 0 and stdout.startswith("ok: 1 article(s)")
    assert not (seed_project / "build").exists(), "check writes nothing"
    code, stdout, _ = run("focuses", "--project", str(seed_project))
    assert code == 0
    assert [line.split()[0] for line in stdout.splitlines()] == [
        "security",
        "human-rights",
        "regional-impact",
        "general",
    ]


def test_python_dash_m_pipeline_is_the_same_command(seed_project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "focuses", "--project", str(seed_project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Human Rights" in result.stdout


def test_the_process_ends_with_the_commands_status_and_all_its_output(
    seed_project: Path, tmp_path: Path
) -> None:
    """The command ends its process itself, skipping interpreter teardown: what it printed
    still reaches a pipe in full, and the exit status is the command's own."""

    # Buffered, as output to a pipe usually is.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}

    def process(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pipeline", *args]
        return subprocess.run(command, capture_output=True, text=True, check=False, env=env)

    out = tmp_path / "out"
    built = process("--project", str(seed_project), "--out", str(out), "--format", "html")
    assert built.returncode == 0, built.stderr
    assert built.stdout.splitlines()[-1].startswith("4 built, 0 up to date, 0 removed in ")
    assert len(list((out / "us-north-korea").glob("*.html"))) == 4

    unknown = process("--project", str(seed_project), "--focus", "no-such-focus")
    assert unknown.returncode == 2
    assert "unknown focus 'no-such-focus'" in unknown.stderr

    broken = process("--project", str(tmp_path / "nowhere"))
    assert broken.returncode == 1
    assert broken.stderr.startswith("error: ") and broken.stderr.count("\n") == 1
