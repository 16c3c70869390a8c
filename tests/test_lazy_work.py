"""Work a command does not need is not done: no rendering library for a no-change rebuild, no
fallback font for a brief its faces cover. Checked in fresh processes, as a user runs them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .read import REPO

#: Libraries only rendering or parsing needs.
HEAVY = ("reportlab", "jinja2", "markdown_it")
#: make-brief's own renderers, which a build with nothing to render never needs either.
RENDERERS = ("pipeline.render.pdf", "pipeline.render.html")


def imported(args: list[str], cwd: Path, top_level: bool = True) -> set[str]:
    """Top-level packages (or every module) ``make-brief ARGS`` imports (from ``python -X
    importtime``)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pipeline", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+([\w.]+)$", result.stderr, re.M)
    return {name.split(".")[0] for name in names} if top_level else set(names)


def test_no_change_rebuild_imports_no_renderer_or_parser(seed_project: Path) -> None:
    out = seed_project / "build"
    first = imported(["--out", str(out), "-q"], seed_project)
    assert set(HEAVY) <= first  # the build did render and parse
    again = imported(["--out", str(out), "-q"], seed_project, top_level=False)
    assert not set(HEAVY) & {name.split(".")[0] for name in again}
    assert not set(RENDERERS) & again


def test_help_imports_no_renderer_or_parser(seed_project: Path) -> None:
    assert not set(HEAVY) & imported(["--help"], seed_project)


FONTS_AFTER = """
import sys
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from pipeline.build import BuildOptions, build
from pipeline.sources import Project
options = BuildOptions(out_dir=Path(sys.argv[2]), formats=("pdf",), jobs=1)
build(Project.at(Path(sys.argv[1])), options)
print("\\n".join(pdfmetrics.getRegisteredFontNames()))
"""


def registered_fonts(project: Path, out: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", FONTS_AFTER, str(project), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_fallback_fonts_are_read_only_for_characters_that_need_them(
    seed_project: Path,
    fixture_project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    latin = registered_fonts(seed_project, tmp_path / "latin")
    assert "mb-BriefSerif-Regular" in latin
    assert not {"mb-WenQuanYiMicroHei-Regular", "mb-NotoSansArabic-Regular"} & latin
    # The scripts fixture has Korean text, which only WenQuanYi Micro Hei (a fallback) covers.
    scripts = registered_fonts(fixture_project("scripts"), tmp_path / "scripts")
    assert "mb-WenQuanYiMicroHei-Regular" in scripts


def test_workers_start_before_any_article_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Forked before this process holds the articles, a worker's memory does not grow with them."""
    import pipeline.build.workers as build_module
    import pipeline.sources as sources_module
    from pipeline.build import BuildOptions, build
    from pipeline.sources import Project

    events: list[str] = []
    real_start, real_read = build_module.start_pool, sources_module.read_sources

    def start_pool(*args: Any, **kwargs: Any) -> Any:
        events.append("workers")
        return real_start(*args, **kwargs)

    def read_sources(*args: Any, **kwargs: Any) -> Any:
        events.append("articles")
        return real_read(*args, **kwargs)

    monkeypatch.setattr(build_module, "start_pool", start_pool)
    monkeypatch.setattr(sources_module, "read_sources", read_sources)
    project = tmp_path / "corpus"
    script = REPO / "benchmarks" / "make_corpus.py"
    subprocess.run([sys.executable, str(script), str(project), "--articles", "3"], check=True)
    options = BuildOptions(out_dir=tmp_path / "out", formats=("html",), jobs=2)
    result = build(Project.at(project), options)
    assert events == ["workers", "articles"]
    assert len(result.built) == 12


#: A fresh process builds the seed, and says how many garbage collections ran while the build
#: warmed up (from the collector's threshold being raised to its freezing what it loaded), and
#: what it left of the collector's settings.
COUNT_COLLECTIONS = """
import gc, sys
from pathlib import Path
from pipeline.build import BuildOptions, build, garbage
from pipeline.sources import Project
seen, marks = [], {}
gc.callbacks.append(lambda phase, info: phase == "start" and seen.append(info))
set_threshold, freeze = gc.set_threshold, gc.freeze
def raised(*values):
    if values[0] == garbage.WARMING_UP:
        marks["raised"] = len(seen)
    set_threshold(*values)
def frozen():
    marks["frozen"] = len(seen)
    freeze()
gc.set_threshold, gc.freeze = raised, frozen
before = gc.get_threshold()
build(Project.at(Path(".")), BuildOptions(out_dir=Path(sys.argv[1]), jobs=JOBS))
print(marks["frozen"] - marks["raised"], gc.get_threshold() == before, gc.get_freeze_count())
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_collects_no_garbage_while_it_warms_up(
    seed_project: Path, tmp_path: Path, jobs: int
) -> None:
    """Nearly all a build allocates while it warms up (modules, fonts, patterns, the first
    brief of each format) lives until it ends: no collection runs then. Once warm, and after
    the build, the collector runs as it did, with nothing left frozen; with workers, it is warm
    before they fork."""
    articles = seed_project / "sources" / "articles"
    if jobs > 1:  # enough briefs for a pool of two workers (see workers.pool_size)
        for copy in ("second", "third"):
            (articles / f"{copy}.md").write_bytes(next(articles.glob("*.md")).read_bytes())
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", COUNT_COLLECTIONS.replace("JOBS", str(jobs)), str(out)],
        cwd=seed_project,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.returncode == 0, result.stderr
    assert len(list(out.rglob("*.pdf"))) == 4 * len(list(articles.glob("*.md")))
    assert result.stdout.split() == ["0", "True", "0"]


#: What a fresh process runs first: the build of the seed through the command line.
BUILD_SEED = """
import sys
from pipeline.cli import main
try:
    main(["--out", sys.argv[1], "-q"], prog_name="make-brief")
except SystemExit as exit:
    assert exit.code == 0, exit.code
"""


def after_building(seed_project: Path, out: Path, before: str, after: str) -> str:
    """What a fresh process prints that runs ``before``, builds the seed into ``out``, then
    runs ``after``; the build wrote the seed's four PDF and four HTML briefs."""
    result = subprocess.run(
        [sys.executable, "-c", before + BUILD_SEED + after, str(out)],
        cwd=seed_project,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*/*.pdf"))) == len(list(out.glob("*/*.html"))) == 4
    return result.stdout


#: Records every pattern compiled, before the build.
RECORD_COMPILED = """
import re
compiled, compile_now = [], re.compile
def recorded(pattern, flags=0):
    compiled.append(str(pattern))
    return compile_now(pattern, flags)
re.compile = recorded
"""


def test_a_build_compiles_the_sentence_openers_of_its_articles_language_only(
    seed_project: Path, tmp_path: Path
) -> None:
    """The seed's article is English: its build compiles the English openers of sentences
    that lean on the one before, and not the French, Spanish or German ones."""
    printed = after_building(
        seed_project, tmp_path / "out", RECORD_COMPILED, "import json; print(json.dumps(compiled))"
    )
    compiled = json.loads(printed)
    openers = [p for p in compiled if "(?![\\w’'-])" in p]
    assert len(openers) == 1
    assert "moreover|furthermore" in openers[0]
    for word in ("cependant", "sin\\s+embargo", "jedoch"):
        assert not any(word in pattern for pattern in compiled), word


#: After the build: whether PyYAML's reader pattern was compiled, then a YAML text libyaml
#: rejects, which PyYAML's own reader words, and whether the pattern is compiled now.
YAML_READER_AFTER = """
import re
import yaml.reader
from pipeline.sources import yamldoc
assert re.compile is compile_before
check = yaml.reader.Reader.NON_PRINTABLE
print(check._compiled is None)
try:
    yamldoc.load("title: bell \\x07")
except yaml.YAMLError as error:
    print(type(error).__name__, error.character, error.reason)
print(check._compiled is re.compile(check._source[0]))
"""


def test_pyyaml_reader_pattern_compiles_only_when_its_reader_words_an_error(
    seed_project: Path, tmp_path: Path
) -> None:
    """libyaml reads every valid source; the pattern PyYAML's pure-Python reader checks text
    with compiles when a text libyaml rejects is read again to word the error, and the error
    is the one it always was."""
    before = "import re\ncompile_before = re.compile\n"
    printed = after_building(seed_project, tmp_path / "out", before, YAML_READER_AFTER)
    assert printed.splitlines() == [
        "True",
        "ReaderError 7 special characters are not allowed",
        "True",
    ]
