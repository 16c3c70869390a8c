"""``make-brief init``: a new project anywhere; and make-brief installed from its wheel.

The wheel test builds the wheel, installs it into a fresh virtual environment outside the
repository, starts a project in an empty folder there and builds it: what a new user does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline import __version__
from pipeline.build import BuildOptions, build
from pipeline.cli import main
from pipeline.sources import Project

from .read import REPO, pdf_text
from .test_build_workflow import actionlint, lint

__all__ = ["actionlint"]

STARTER = {
    ".github/workflows/rebuild-briefs.yml",
    ".gitignore",
    "sources/articles/river-talks.md",
    "sources/authors/example-author.md",
    "sources/focuses.yaml",
    "templates/README.md",
}


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_init_writes_a_project_that_builds_without_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    result = CliRunner().invoke(main, ["init", str(root)])
    assert result.exit_code == 0, result.output
    assert files_in(root) == STARTER
    assert "Started a brief project" in result.output

    built = build(Project.at(root), BuildOptions(out_dir=root / "build", jobs=1))
    assert built.warnings == []
    text = pdf_text(root / "build" / "river-talks" / "security.pdf")
    assert "Sharing a River Across a Tense Border" in text
    assert "Alex Example" in text
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "/build/"


def test_the_starter_focuses_are_the_built_in_ones() -> None:
    from pipeline.starter import FILES

    starter = FILES / "sources" / "focuses.yaml"
    assert starter.read_bytes() == (REPO / "sources" / "focuses.yaml").read_bytes()
    assert set(yaml.safe_load(starter.read_text(encoding="utf-8"))) == {
        "security",
        "human-rights",
        "regional-impact",
    }


def test_the_workflow_installs_the_version_that_started_the_project(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    workflow = yaml.safe_load((tmp_path / ".github/workflows/rebuild-briefs.yml").read_text())
    steps = workflow["jobs"]["rebuild"]["steps"]
    install = next(step for step in steps if step.get("name") == "Install make-brief")
    assert install["env"]["MAKE_BRIEF"] == __version__
    assert 'pip install "make-brief[publish]==$MAKE_BRIEF"' in install["run"]
    build = next(step for step in steps if step.get("name") == "Build the briefs")
    assert 'make-brief "${sign[@]}"' in build["run"]
    assert workflow[True]["schedule"]  # YAML reads the key `on` as True


def test_the_started_workflow_passes_actionlint(actionlint: list[str], tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    done = lint(actionlint, tmp_path / ".github" / "workflows" / "rebuild-briefs.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: {tmp_path}: the folder is not empty; start a project in an empty folder, or add "
        "the starter files that are missing with --force (no file is overwritten)"
    ]
    assert files_in(tmp_path) == {"notes.txt"}


def test_init_force_adds_what_is_missing_and_overwrites_nothing(tmp_path: Path) -> None:
    article = tmp_path / "sources" / "articles" / "river-talks.md"
    article.parent.mkdir(parents=True)
    article.write_text("my own words", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", "--force", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert article.read_text(encoding="utf-8") == "my own words"
    assert files_in(tmp_path) == STARTER
    assert f"kept  {article} (already there)" in result.output


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "x"


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_the_wheel_installs_starts_a_project_and_builds_it(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
        tmp_path,
    )
    (wheel,) = wheels.glob("make_brief-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    dist_info = f"make_brief-{__version__}.dist-info"
    assert f"{dist_info}/licenses/LICENSE" in names
    assert "pipeline/py.typed" in names
    assert "pipeline/templates/theme.yaml" in names
    assert "pipeline/starter/files/github/workflows/rebuild-briefs.yml" in names
    assert not any(name.startswith("tests/") for name in names)
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    assert "License-Expression: MIT" in metadata
    assert "Classifier: Typing :: Typed" in metadata

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], tmp_path)
    # Outside the repository, with nothing of it on the path: only the installed package.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    project = tmp_path / "my-briefs"
    project.mkdir()
    make_brief = str(bin_dir / "make-brief")
    _run([make_brief, "init"], project, env)
    _run([make_brief, "check"], project, env)
    out = _run([make_brief], project, env)
    assert "8 built" in out
    assert "Sharing a River Across a Tense Border" in pdf_text(
        project / "build" / "river-talks" / "general.pdf"
    )
    where = _run(
        [str(bin_dir / "python"), "-c", "import pipeline; print(pipeline.__file__)"], project, env
    )
    assert Path(where.strip()).is_relative_to(venv)
