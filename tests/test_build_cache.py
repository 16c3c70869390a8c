"""The cache a build keeps in ``.make-brief-cache/``: it changes no byte of any output, a build
that fails leaves none of it, and a damaged entry is compiled again, never an error."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build import BuildOptions, build
from pipeline.build.cache import CACHE_DIR, OutputCache
from pipeline.cli import main
from pipeline.errors import RenderError
from pipeline.render import html
from pipeline.render.html import compiled
from pipeline.sources import Project
from pipeline.sources.theme import builtin_templates_dir

from .conftest import forget_compiled_templates

DAY = 1_700_000_000


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    return fixture_project("build-small")


@pytest.fixture
def compiles(jinja_compiles: list[str], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # Every template from source, the built-in ones too (see tests/test_prebuilt_templates.py).
    monkeypatch.setattr(compiled, "prebuilt_code", lambda *args: None)
    return jinja_compiles


def published(out: Path) -> dict[str, bytes]:
    """Every file of the output folder but its bookkeeping (state, lock, cache)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def entries(out: Path, kind: str = "jinja2-") -> dict[str, bytes]:
    """The compiled templates the cache holds (or the entries whose names start with ``kind``):
    parsed font faces are kept beside them, but only by the process that parsed them first."""
    folder = out / CACHE_DIR
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith(kind)}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def run(project: Path, out: Path, **options: object) -> None:
    build(Project.at(project), BuildOptions(out_dir=out, jobs=1, **options))  # type: ignore[arg-type]


def test_briefs_built_from_the_cache_are_byte_identical_to_briefs_compiled_afresh(
    project: Path, compiles: list[str]
) -> None:
    sources = tree(project / "sources")
    run(project, project / "a")
    assert len(compiles) >= 3  # brief, macros, index (and the stylesheet, read as a template)
    kept = entries(project / "a")
    assert len(kept) == len(compiles)
    assert all(data.startswith(compiled.MAGIC) for data in kept.values())

    forget_compiled_templates()
    compiles.clear()
    run(project, project / "a", force=True)
    assert compiles == [], "every template came from the cache"
    assert entries(project / "a") == kept
    from_cache = published(project / "a")

    # The same build with no cache at all, into another folder.
    forget_compiled_templates()
    run(project, project / "b")
    assert len(compiles) == len(kept)
    cold = published(project / "b")
    assert from_cache.keys() == cold.keys()
    assert {p for p in cold if p.endswith(".html")} >= {"index.html", "alpha/general.html"}
    for path, data in cold.items():
        assert from_cache[path] == data, path
    assert tree(project / "sources") == sources
    assert not (project / "templates" / CACHE_DIR).exists()


def test_damaged_entries_are_compiled_again_and_a_link_is_never_followed(
    project: Path, compiles: list[str], tmp_path: Path
) -> None:
    out = project / "build"
    run(project, out)
    good = published(out)
    kept = entries(out)
    names = sorted(kept)
    assert len(names) >= 4
    folder = out / CACHE_DIR
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"not to be written")
    # Cut short, flipped byte, not an entry at all, and a link out of the folder.
    (folder / names[0]).write_bytes(kept[names[0]][: len(kept[names[0]]) // 2])
    flipped = bytearray(kept[names[1]])
    flipped[-10] ^= 0xFF
    (folder / names[1]).write_bytes(bytes(flipped))
    (folder / names[2]).write_bytes(b"\x00garbage")
    (folder / names[3]).unlink()
    os.symlink(elsewhere, folder / names[3])

    forget_compiled_templates()
    compiles.clear()
    (out / "index.html").unlink()  # so that the index is rendered too: every template is used
    run(project, out, force=True)
    assert len(compiles) == 4, "each damaged entry was compiled again"
    assert published(out) == good
    assert elsewhere.read_bytes() == b"not to be written"
    assert (folder / names[3]).is_symlink()
    after = entries(out)
    assert [after[n] for n in names[:3]] == [kept[n] for n in names[:3]], "rewritten whole"

    # Those rewritten are read again; the link is still a miss, never an error.
    forget_compiled_templates()
    compiles.clear()
    (out / "index.html").unlink()
    run(project, out, force=True)
    assert len(compiles) == 1
    assert published(out) == good


def test_a_cache_folder_that_is_a_link_or_a_file_is_not_used_nor_an_error(
    project: Path, compiles: list[str], tmp_path: Path
) -> None:
    out = project / "build"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    os.symlink(elsewhere, out / CACHE_DIR)
    run(project, out)
    assert list(elsewhere.iterdir()) == []
    good = published(out)
    (out / CACHE_DIR).unlink()
    (out / CACHE_DIR).write_bytes(b"a file")
    forget_compiled_templates()
    run(project, out, force=True)
    assert (out / CACHE_DIR).read_bytes() == b"a file"
    assert published(out) == good


def test_a_build_that_fails_leaves_no_cache_entry(
    project: Path, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fails on the first brief, after its templates were compiled: nothing at all is written.
    templates = project / "templates"
    (templates / "brief.html.j2").write_text("{{ no_such_value }}\n", encoding="utf-8")
    with pytest.raises(RenderError):
        run(project, project / "build")
    assert compiles, "a template was compiled before the build failed"
    assert not (project / "build").exists()
    (templates / "brief.html.j2").unlink()

    # Fails once briefs are written: the folder describes them, and still holds no cache.
    real_render = html.render

    def flaky(brief, context):  # type: ignore[no-untyped-def]
        if brief.article.slug == "beta":
            raise ValueError("layout exploded")
        return real_render(brief, context)

    monkeypatch.setattr(html, "render", flaky)
    forget_compiled_templates()
    result = CliRunner().invoke(main, ["--project", str(project), "--jobs", "1", "-q"])
    assert result.exit_code == 1
    assert "layout exploded" in result.output
    assert (project / "build" / "manifest.json").is_file()
    assert not (project / "build" / CACHE_DIR).exists()
    assert not list((project / "build").rglob("*.tmp"))


def test_an_edited_template_is_compiled_again_and_shows_in_the_briefs(
    project: Path, compiles: list[str]
) -> None:
    templates = project / "templates"
    source = (builtin_templates_dir() / "brief.html.j2").read_text(encoding="utf-8")
    (templates / "brief.html.j2").write_text(source, encoding="utf-8")
    out = project / "build"
    run(project, out)
    before = entries(out)
    edited = source.replace("</body>", "<p>edited here</p></body>", 1)
    assert edited != source
    (templates / "brief.html.j2").write_text(edited, encoding="utf-8")

    forget_compiled_templates()
    compiles.clear()
    run(project, out)
    assert compiles == ["brief.html.j2"]
    assert "<p>edited here</p>" in (out / "alpha/general.html").read_text(encoding="utf-8")
    after = entries(out)
    changed = [name for name in after if after[name] != before.get(name)]
    assert len(changed) == 1


def test_a_worker_gets_the_store_without_what_the_build_holds_back(tmp_path: Path) -> None:
    import pickle

    cache = OutputCache(tmp_path)
    cache.keep("jinja2-abc", b"code")
    copy = pickle.loads(pickle.dumps(cache))
    assert copy.out_dir == tmp_path and copy.pending == {}
    assert cache.read("jinja2-abc") == b"code"
    with pytest.raises(ValueError):
        cache.keep("../escape", b"")
    cache.commit()
    assert (tmp_path / CACHE_DIR / "jinja2-abc").read_bytes() == b"code"
    assert not list((tmp_path / CACHE_DIR).glob("*.tmp"))


#: What a no-change rebuild has no use for: the package metadata reader (and the email package
#: it brings), the render workers, signing, shards, and the readers of articles and authors.
NOT_FOR_A_NO_CHANGE_REBUILD = {
    "importlib.metadata",
    "email",
    "pipeline.build.workers",
    "pipeline.build.shard",
    "pipeline.build.sign",
    "pipeline.sources.read",
    "pipeline.sources.articles",
    "pipeline.sources.authors",
    "pipeline.sources.frontmatter",
}


def test_a_no_change_rebuild_imports_none_of_what_only_rendering_needs(
    seed_project: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    def imported() -> set[str]:
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "pipeline", "-q", "--out", str(out)],
            cwd=seed_project,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(DAY)},
        )
        return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+([\w.]+)$", result.stderr, re.M))

    out = tmp_path / "out"
    rendering = {
        name for name in NOT_FOR_A_NO_CHANGE_REBUILD if "workers" in name or "sources" in name
    }
    assert rendering <= imported()  # the first build reads and renders
    assert not imported() & NOT_FOR_A_NO_CHANGE_REBUILD
