"""The build stamp: a rebuild with nothing changed is told from file signatures alone, and any
change, any doubt, means the full build.

Most tests shrink the racy window (``stamp.RACY_NS``) to nothing, so a stamp can be recorded
right after a build instead of two seconds later; the tests of racily clean files keep a window.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import BuildOptions, BuildResult, build, run, stamp
from pipeline.errors import BriefError
from pipeline.sources import Project

from .read import FIXTURES

DAY = "1700000000"
ARTICLE = "sources/articles/alpha.md"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project after one full HTML build, made once for the module."""
    root = tmp_path_factory.mktemp("built") / "build-small"
    shutil.copytree(FIXTURES / "build-small", root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", DAY)
        assert len(make(root).built) == 9
    return root


@pytest.fixture
def project(built_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built project, and no racy window."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY)
    monkeypatch.setattr(stamp, "RACY_NS", 0)
    root = tmp_path / "build-small"
    shutil.copytree(built_once, root)
    return root


def make(root: Path, **options: Any) -> BuildResult:
    options = {"formats": ("html",), "jobs": 1, **options}
    return build(Project.at(root), BuildOptions(**options))


class FullBuilds:
    """Counts the builds that ran in full (not replayed from the stamp)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.count = 0
        real = run.build

        def counted(*args: Any, **kwargs: Any) -> BuildResult:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(run, "build", counted)


def settled(root: Path) -> BuildResult:
    """Build until a stamp is recorded (the copy's new inodes make the first build re-record
    the hashes); the result of the build that recorded it."""
    for _ in range(3):
        result = make(root)
        if (root / "build" / stamp.STAMP_FILE).is_file():
            return result
    raise AssertionError("no stamp was recorded")


def summary(result: BuildResult) -> tuple[object, ...]:
    return (
        [a.to_json() for a in result.built],
        [a.to_json() for a in result.up_to_date],
        [a.to_json() for a in result.removed],
        [a.to_json() for a in result.artifacts],
        result.inputs_sha256,
        [str(w) for w in result.warnings],
        result.notes,
    )


def test_unchanged_rebuild_is_replayed_with_the_full_builds_report(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = settled(project)
    assert not full.built and len(full.up_to_date) == 9
    builds = FullBuilds(monkeypatch)
    out = project / "build"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    replayed = make(project)
    assert builds.count == 0
    assert summary(replayed) == summary(full)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before  # nothing written


def test_edited_article_is_rebuilt(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settled(project)
    article = project / ARTICLE
    article.write_text(article.read_text().replace("two sides", "three sides", 1))
    builds = FullBuilds(monkeypatch)
    result = make(project)
    assert builds.count == 1
    assert {a.path for a in result.built} == {
        f"alpha/{e}.html" for e in ("general", "security", "economy")
    }
    assert "three sides" in (project / "build/alpha/general.html").read_text()


def test_new_article_is_built(project: Path) -> None:
    settled(project)
    shutil.copy(project / ARTICLE, project / "sources/articles/delta.md")
    assert {a.article for a in make(project).built} == {"delta"}


@pytest.mark.parametrize("how", ["deleted", "changed", "index deleted"])
def test_deleted_or_changed_output_is_rewritten(project: Path, how: str) -> None:
    full = settled(project)
    out = project / "build"
    target = out / ("index.html" if how == "index deleted" else "alpha/general.html")
    good = target.read_bytes()
    if how == "changed":
        target.write_bytes(good.replace(b"<", b"[", 1))
    else:
        target.unlink()
    result = make(project)
    assert target.read_bytes() == good
    if how != "index deleted":
        assert [a.path for a in result.built] == ["alpha/general.html"]
    assert result.artifacts == full.artifacts


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b'{"schema": 1}', b'{"schema": 1, "request": {}, "inputs": []}', b"[]"],
)
def test_damaged_or_missing_stamp_falls_back_silently(
    project: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    full = settled(project)
    path = project / "build" / stamp.STAMP_FILE
    path.write_bytes(damage)
    builds = FullBuilds(monkeypatch)
    assert summary(make(project)) == summary(full)
    path.unlink(missing_ok=True)
    assert summary(make(project)) == summary(full)
    assert builds.count == 2


def test_a_stamp_with_another_signature_is_not_trusted(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry edited by hand (here: the article's inode) sends the build to the full check."""
    settled(project)
    path = project / "build" / stamp.STAMP_FILE
    data = json.loads(path.read_text())
    data["inputs"][os.path.abspath(project / ARTICLE)][3] += 1
    path.write_text(json.dumps(data))
    builds = FullBuilds(monkeypatch)
    make(project)
    assert builds.count == 1


def test_other_options_or_another_day_are_not_replayed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settled(project)
    builds = FullBuilds(monkeypatch)
    make(project, force=True)
    assert builds.count == 1
    settled(project)
    count = builds.count
    make(project, focuses=("security",))  # replaces the stamp of the default build
    recorded = json.loads((project / "build" / stamp.STAMP_FILE).read_text())
    assert recorded["request"]["focuses"] == ["security"]
    make(project)
    assert builds.count == count + 2
    settled(project)
    count = builds.count
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(DAY) + 86_400))
    result = make(project)
    assert builds.count == count + 1
    assert {a.article for a in result.built} == {"beta"}  # the article without a date


def test_failed_build_leaves_no_stamp(project: Path) -> None:
    settled(project)
    article = project / ARTICLE
    article.write_text(article.read_text() + "\nMore text.\n")
    template = project / "templates" / "brief.html.j2"
    template.parent.mkdir(exist_ok=True)
    template.write_text("{% if %}")
    with pytest.raises(BriefError):
        make(project)
    assert not (project / "build" / stamp.STAMP_FILE).exists()
    template.unlink()
    assert {a.article for a in make(project).built} == {"alpha"}


def test_racily_clean_edit_is_rebuilt(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An article saved again just before a build with nothing changed, then edited within the
    same tick (same size, mtime put back): the stamp must not vouch for it."""
    settled(project)
    time.sleep(0.6)  # the outputs are now older than the racy window below
    monkeypatch.setattr(stamp, "RACY_NS", 500_000_000)
    article = project / ARTICLE
    text = article.read_text()
    article.write_text(text)  # the same bytes, a new mtime
    mtime = article.stat().st_mtime_ns
    assert not make(project).built  # nothing changed...
    assert not (project / "build" / stamp.STAMP_FILE).exists()  # ...but too recently to tell
    edited = text.replace("two sides", "two sïdes", 1).replace("short ", "short", 1)  # ï: 2 bytes
    assert len(edited.encode()) == len(text.encode())
    article.write_text(edited)
    os.utime(article, ns=(mtime, mtime))
    assert article.stat().st_size == len(text.encode())
    result = make(project)
    assert {a.article for a in result.built} == {"alpha"}
    assert "two sïdes" in (project / "build/alpha/general.html").read_text()


def test_stamp_is_not_trusted_within_the_racy_window(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The replay checks the window too: entries recorded too close to the build are re-hashed."""
    settled(project)
    monkeypatch.setattr(stamp, "RACY_NS", 3_600 * 10**9)
    builds = FullBuilds(monkeypatch)
    make(project)
    assert builds.count == 1


def imported(project: Path) -> list[str]:
    """Every module a default ``make-brief`` build of ``project`` imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pipeline", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": DAY},
    )
    return [line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line]


def test_replayed_rebuild_reads_no_source_and_imports_no_reader(
    built_once: Path, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    shutil.copytree(built_once, root)
    for _ in range(3):  # past the racy window, a build with nothing changed records the stamp
        time.sleep(2.1)
        modules = imported(root)
        if (root / "build" / stamp.STAMP_FILE).is_file():
            break
    assert "yaml" in modules  # that build read the sources
    modules = imported(root)
    for module in (
        "yaml",
        "pipeline.model",
        "pipeline.build.plan",
        "pipeline.render.pdf",
        "pipeline.render.html",
    ):
        assert module not in modules
