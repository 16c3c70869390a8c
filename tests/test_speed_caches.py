"""What builds keep between runs to start faster changes no byte of what they write, and the
import-time work they skip is still done when it is needed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import BuildOptions, build
from pipeline.sources import Project

from .read import REPO


def briefs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in (".pdf", ".html")
    }


def build_with(root: Path, out: Path, cache: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "MAKE_BRIEF_CACHE": cache}
    command = [sys.executable, "-m", "pipeline", "--project", str(root), "--out", str(out), "-q"]
    subprocess.run(command, env=env, check=True, cwd=root)


def test_compiled_templates_are_kept_and_change_no_byte(seed_project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_with(seed_project, tmp_path / "off", "off")
    build_with(seed_project, tmp_path / "first", str(cache))  # compiles and keeps
    kept = sorted(p.name for p in (cache / "templates").iterdir())
    assert kept and all(name.endswith(".cache") for name in kept)
    build_with(seed_project, tmp_path / "again", str(cache))  # loads what was kept
    assert sorted(p.name for p in (cache / "templates").iterdir()) == kept
    off = briefs(tmp_path / "off")
    assert len(off) == 9  # 4 editions x 2 formats, and the index
    assert briefs(tmp_path / "first") == off == briefs(tmp_path / "again")
    assert not list((tmp_path / "again").rglob("*.cache")), "nothing of the cache is published"


def test_a_cache_that_cannot_be_made_is_done_without(
    seed_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MAKE_BRIEF_CACHE", str(blocker))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = build(Project.at(seed_project), BuildOptions(out_dir=tmp_path / "out", jobs=1))
    assert len(result.built) == 8


def test_reportlab_url_pattern_compiles_on_use_and_re_compile_is_restored() -> None:
    code = (
        "import re; original = re.compile\n"
        "import pipeline.render.pdf\n"
        "from reportlab.platypus import paragraph\n"
        "assert re.compile is original\n"
        "assert paragraph.uri_pat._compiled is None\n"
        "pairs = paragraph._uri_split_pairs('https://example.org/a/b')\n"
        "assert pairs[0] == ('https://example.org/a/', 'b'), pairs\n"
        "assert isinstance(paragraph.uri_pat._compiled, re.Pattern)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_a_build_imports_no_network_code(seed_project: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pipeline", "--out", str(tmp_path / "o"), "-q"],
        cwd=seed_project,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    names = set(re.findall(r"\|\s+([\w.]+)$", result.stderr, re.M))
    assert "reportlab.platypus.paragraph" in names  # it did render
    assert not names & {"ssl", "urllib.request", "http.client", "xml.sax.saxutils"}
