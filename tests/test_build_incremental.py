"""Incremental builds: nothing changed writes nothing; each kind of change rebuilds what it should.

The fixture ``build-small`` has three articles (alpha and gamma by ann-lee, beta by bo-kim;
beta has no date), and two focuses, so a full build is 3 articles x 3 editions x 2 formats.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.build import BuildOptions, BuildResult, build, fingerprint
from pipeline.build.state import STATE_FILE
from pipeline.sources import Project
from pipeline.sources.theme import builtin_templates_dir

from .read import FIXTURES, parse_html

ARTICLES = ("alpha", "beta", "gamma")
EDITIONS = ("general", "security", "economy")
FORMATS = ("pdf", "html")
EVERYTHING = {f"{a}/{e}.{f}" for a in ARTICLES for e in EDITIONS for f in FORMATS}
DAY = 1_700_000_000  # 2023-11-14 22:13:20 UTC


def outputs(
    articles: tuple[str, ...] = ARTICLES,
    editions: tuple[str, ...] = EDITIONS,
    formats: tuple[str, ...] = FORMATS,
) -> set[str]:
    return {f"{a}/{e}.{f}" for a in articles for e in editions for f in formats}


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project after one full build, made once for the module."""
    root = tmp_path_factory.mktemp("built") / "build-small"
    shutil.copytree(FIXTURES / "build-small", root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(DAY))
        assert built(run(root, jobs=1)) == EVERYTHING
    return root


@pytest.fixture
def project(built_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built project; copying keeps mtimes, so it is up to date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    root = tmp_path / "build-small"
    shutil.copytree(built_once, root)
    return root


@pytest.fixture
def clean(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture project, never built."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    return fixture_project("build-small")


def run(root: Path, **options: object) -> BuildResult:
    return build(Project.at(root), BuildOptions(**options))  # type: ignore[arg-type]


def built(result: BuildResult) -> set[str]:
    return {a.path for a in result.built}


def snapshot(out: Path) -> dict[str, tuple[int, int, int]]:
    """Every file in the output folder (hidden ones too) with its inode, mtime and size."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def manifest_paths(out: Path) -> set[str]:
    return {a["path"] for a in json.loads((out / "manifest.json").read_text())["artifacts"]}


def test_first_build_builds_everything_and_publishes(clean: Path) -> None:
    result = run(clean, jobs=1)
    out = clean / "build"
    assert built(result) == EVERYTHING
    assert result.up_to_date == [] and result.removed == []
    assert manifest_paths(out) == EVERYTHING
    assert (out / "index.html").is_file()
    assert not (out / ".make-brief.lock").exists()


def test_no_change_rebuild_writes_nothing(project: Path) -> None:
    out = project / "build"
    run(project, jobs=1)  # the copy moved every input file: the hash cache learns the new paths
    before = snapshot(out)
    result = run(project, jobs=1)
    assert built(result) == set()
    assert {a.path for a in result.up_to_date} == EVERYTHING
    assert snapshot(out) == before


def test_no_change_rebuild_parses_no_article_and_imports_no_renderer(project: Path) -> None:
    script = """
import sys
import pipeline.sources.read as sources

def parsed(*args, **kwargs):
    raise AssertionError("a source was parsed")

sources.read_article = sources.read_author = parsed
from pipeline.cli import main
try:
    main(["--project", sys.argv[1], "--quiet"])
except SystemExit as exit:
    assert not exit.code, exit.code
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("reportlab", "jinja2")
                or m in ("pipeline.emphasis", "pipeline.render.pdf", "pipeline.render.html"))
print(loaded)
"""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(DAY)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(project)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda p: _append(p / "sources/articles/alpha.md", "\nOne more sentence.\n"),
            outputs(("alpha",)),
            id="article",
        ),
        pytest.param(
            lambda p: _append(p / "sources/authors/bo-kim.md", "She lives in Busan.\n"),
            outputs(("beta",)),
            id="author-of-one-article",
        ),
        pytest.param(
            lambda p: _append(p / "sources/authors/ann-lee.md", "She lives in Oslo.\n"),
            outputs(("alpha", "gamma")),
            id="author-of-two-articles",
        ),
        pytest.param(
            lambda p: _replace(p / "sources/focuses.yaml", "growth]", "growth, inflation]"),
            outputs(editions=("economy", "general")),
            id="one-focus-definition",
        ),
        pytest.param(
            lambda p: _append(p / "sources/focuses.yaml", "# a comment changes no focus\n"),
            set(),
            id="focuses-comment",
        ),
        pytest.param(
            lambda p: _project_template(p, "brief.css", "\nmark { outline: 1px solid; }\n"),
            EVERYTHING,
            id="template",
        ),
        pytest.param(
            lambda p: _append(p / "templates/theme.yaml", "sizes:\n  body: 11\n"),
            EVERYTHING,
            id="theme",
        ),
        pytest.param(
            lambda p: _project_template(p, "index.html.j2", "\n"), set(), id="index-template"
        ),
    ],
)
def test_each_change_rebuilds_exactly_what_depends_on_it(
    project: Path, change: Callable[[Path], None], expected: set[str]
) -> None:
    change(project)
    result = run(project, jobs=1)
    assert built(result) == expected
    assert {a.path for a in result.up_to_date} == EVERYTHING - expected
    assert built(run(project, jobs=1)) == set()


def test_a_new_package_version_rebuilds_everything(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fingerprint, "__version__", "99.0.0")
    assert built(run(project, jobs=1)) == EVERYTHING


def test_a_new_data_file_of_the_package_rebuilds_everything(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The country names decide takeaways as the code does: a release changing only them
    rebuilds. The starter project and the packaged fonts (hashed as fonts) are not code."""
    package = Path(fingerprint.__file__).resolve().parents[1]
    names = {p.relative_to(package).as_posix() for p in fingerprint.toolchain_files(package)}
    assert {"emphasis/country-names.txt", "emphasis/all-MiniLM-L6-v2.tokenizer.json"} <= names
    assert "build/fingerprint.py" in names
    assert not any(n.startswith("starter/") or "/faces/" in n or ".pyc" in n for n in names)
    # The file as a new release would ship it: other contents, so another SHA-256.
    real = fingerprint.HashCache.sha256

    def sha256(cache: fingerprint.HashCache, path: Path) -> str | None:
        return "0" * 64 if path.name == "country-names.txt" else real(cache, path)

    monkeypatch.setattr(fingerprint.HashCache, "sha256", sha256)
    assert built(run(project, jobs=1)) == EVERYTHING


def test_source_date_epoch_matters_only_for_undated_articles_and_only_by_day(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY + 3600))  # same day
    assert built(run(project, jobs=1)) == set()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY + 86400))  # next day: beta has no date
    assert built(run(project, jobs=1)) == outputs(("beta",))


def test_adding_a_focus_builds_its_editions_and_the_general_edition(project: Path) -> None:
    _append(
        project / "sources/focuses.yaml",
        "\nports:\n  title: Ports\n  description: Shipping.\n"
        '  color: "#225522"\n  keywords: [port, shipping]\n',
    )
    result = run(project, jobs=1)
    assert built(result) == outputs(editions=("ports", "general"))


def test_removing_a_focus_removes_its_outputs(project: Path) -> None:
    run(project, jobs=1, focuses=("all", "security+economy"))
    text = (project / "sources/focuses.yaml").read_text()
    (project / "sources/focuses.yaml").write_text(text[: text.index("\neconomy:")] + "\n")
    result = run(project, jobs=1, focuses=("security",))
    removed = outputs(editions=("economy", "security+economy"))
    assert {a.path for a in result.removed} == removed
    assert not any((project / "build" / path).exists() for path in removed)
    assert manifest_paths(project / "build") == outputs(editions=("general", "security"))


def test_a_combined_edition_is_one_edition_whatever_order_its_focuses_are_typed(
    project: Path,
) -> None:
    # focuses.yaml defines security first: that is the order of the edition's id.
    combined = outputs(("alpha",), ("security+economy",))
    assert built(run(project, jobs=1, articles=("alpha",), focuses=("economy+security",))) == (
        combined
    )
    again = run(project, jobs=1, articles=("alpha",), focuses=("security+economy",))
    assert built(again) == set() and {a.path for a in again.up_to_date} == combined
    assert not (project / "build/alpha/economy+security.pdf").exists()
    assert manifest_paths(project / "build") == EVERYTHING | combined
    html = (project / "build/alpha/security+economy.html").read_text()
    assert "Security + Economy" in html


def _built_then_reordered(project: Path) -> None:
    """alpha built as security+economy, then economy defined first in focuses.yaml: the
    edition's own id is economy+security from now on."""
    run(project, jobs=1, articles=("alpha",), focuses=("security+economy",))
    focuses = project / "sources/focuses.yaml"
    text = focuses.read_text()
    economy = text.index("\neconomy:")
    focuses.write_text(text[economy + 1 :] + "\n" + text[:economy] + "\n")


def test_reordering_focuses_renames_a_combined_edition_without_a_duplicate(
    project: Path,
) -> None:
    _built_then_reordered(project)
    # The old id is no edition's own any more: its files go, as a removed focus's do.
    result = run(project, jobs=1, articles=("alpha",), focuses=("security+economy",))
    assert {a.path for a in result.removed} == outputs(("alpha",), ("security+economy",))
    assert built(result) == outputs(("alpha",), ("economy+security",))
    assert manifest_paths(project / "build") == EVERYTHING | outputs(
        ("alpha",), ("economy+security",)
    )


def test_reordering_focuses_keeps_a_combined_edition_a_build_was_not_asked_for(
    project: Path,
) -> None:
    _built_then_reordered(project)
    # A published brief stays until its edition is built again under its own id.
    result = run(project, jobs=1, focuses=("security",))
    kept = outputs(("alpha",), ("security+economy",))
    assert not {a.path for a in result.removed} & kept
    assert all((project / "build" / path).is_file() for path in kept)
    assert manifest_paths(project / "build") >= kept
    # Built again for alpha alone: alpha's brief moves to its own id, beta has none to move.
    result = run(project, jobs=1, articles=("alpha",), focuses=("economy+security",))
    assert {a.path for a in result.removed} == kept
    assert manifest_paths(project / "build") >= outputs(("alpha",), ("economy+security",))


def test_reordering_focuses_keeps_the_old_name_of_a_format_not_built_again(
    project: Path,
) -> None:
    _built_then_reordered(project)
    result = run(
        project, jobs=1, articles=("alpha",), focuses=("security+economy",), formats=("pdf",)
    )
    # The PDF moved to the new name; the HTML was not built again, so it stays where it was.
    assert {a.path for a in result.removed} == {"alpha/security+economy.pdf"}
    assert built(result) == {"alpha/economy+security.pdf"}
    assert (project / "build/alpha/security+economy.html").is_file()
    assert manifest_paths(project / "build") >= {
        "alpha/security+economy.html",
        "alpha/economy+security.pdf",
    }


def test_a_deleted_article_is_removed_from_disk_and_manifest(project: Path) -> None:
    (project / "sources/articles/gamma.md").unlink()
    result = run(project, jobs=1)
    assert {a.path for a in result.removed} == outputs(("gamma",))
    assert built(result) == set()
    assert not (project / "build/gamma").exists()
    assert manifest_paths(project / "build") == outputs(("alpha", "beta"))
    assert "gamma" not in (project / "build/index.html").read_text()


def test_building_one_focus_keeps_the_other_editions(project: Path) -> None:
    _append(project / "sources/articles/alpha.md", "\nMore.\n")
    result = run(project, jobs=1, focuses=("security",))
    assert built(result) == outputs(("alpha",), ("security",))
    assert result.removed == []
    assert manifest_paths(project / "build") == EVERYTHING
    # The rest of alpha was not asked for: it is still stale, and the next full build does it.
    assert built(run(project, jobs=1)) == outputs(("alpha",), ("general", "economy"))


def test_html_alone_is_rebuilt_when_the_pdf_beside_it_is_no_longer_built(project: Path) -> None:
    result = run(project, jobs=1, formats=("html",))
    assert built(result) == outputs(formats=("html",))
    assert 'href="general.pdf"' not in (project / "build/alpha/general.html").read_text()
    assert manifest_paths(project / "build") == EVERYTHING


def test_force_rebuilds_everything_byte_for_byte(project: Path) -> None:
    before = {p: (project / "build" / p).read_bytes() for p in EVERYTHING}
    assert built(run(project, jobs=1, force=True)) == EVERYTHING
    assert {p: (project / "build" / p).read_bytes() for p in EVERYTHING} == before


def test_an_output_deleted_or_edited_by_hand_is_rebuilt(project: Path) -> None:
    out = project / "build"
    good = (out / "beta/security.pdf").read_bytes()
    (out / "alpha/general.html").unlink()
    _append(out / "beta/security.pdf", "tampered")
    assert built(run(project, jobs=1)) == {"alpha/general.html", "beta/security.pdf"}
    assert (out / "beta/security.pdf").read_bytes() == good


def test_an_output_touched_but_unchanged_is_up_to_date(project: Path) -> None:
    path = project / "build/alpha/general.pdf"
    os.utime(path, ns=(1, 1))
    assert built(run(project, jobs=1)) == set()


def test_an_edited_output_not_asked_for_is_listed_as_it_is(project: Path) -> None:
    out = project / "build"
    _append(out / "gamma/general.html", "<!-- edited -->")
    run(project, jobs=1, articles=("alpha",))
    entry = next(
        a
        for a in json.loads((out / "manifest.json").read_text())["artifacts"]
        if a["path"] == "gamma/general.html"
    )
    data = (out / "gamma/general.html").read_bytes()
    assert entry["bytes"] == len(data)
    assert entry["sha256"] == _sha256(data)


def test_without_the_state_file_the_manifest_is_adopted(project: Path) -> None:
    (project / "build" / STATE_FILE).unlink()
    result = run(project, jobs=1, focuses=("security",))
    assert built(result) == outputs(editions=("security",))
    assert manifest_paths(project / "build") == EVERYTHING
    page = parse_html(project / "build/index.html")
    editions = [h3.get_text(strip=True) for h3 in page.select("li.edition h3")]
    assert editions == ["General edition", "Security", "Economy"] * 3


@pytest.mark.parametrize(
    "state",
    [
        "not json",
        json.dumps(
            {
                "schema": 1,
                "articles": {},
                "outputs": {
                    "../../victim.txt": {
                        "artifact": {
                            "article": "gone",
                            "focus": "general",
                            "format": "pdf",
                            "path": "../../victim.txt",
                            "bytes": 1,
                            "sha256": "0" * 64,
                        },
                        "key": "",
                        "mtime_ns": 0,
                        "edition_title": "x",
                    }
                },
            }
        ),
    ],
    ids=["garbage", "path-outside-the-output-folder"],
)
def test_a_broken_or_hostile_state_file_is_not_trusted(project: Path, state: str) -> None:
    victim = project.parent / "victim.txt"
    victim.write_text("keep me")
    (project / "build" / STATE_FILE).write_text(state)
    result = run(project, jobs=1)
    assert result.removed == []
    assert victim.read_text() == "keep me"
    assert manifest_paths(project / "build") == EVERYTHING


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _project_template(root: Path, name: str, extra: str) -> None:
    """Give the project its own copy of a built-in template, with ``extra`` appended."""
    target = root / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(builtin_templates_dir() / name, target)
    _append(target, extra)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_hash_cache_trusts_only_files_untouched_since_well_before_hashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "article.md"
    path.write_text("one", encoding="utf-8")
    cache = fingerprint.HashCache()
    assert cache.sha256(path) == _sha256(b"one")
    # Rewritten within the same clock tick: same size, same mtime, other bytes.
    stat = path.stat()
    path.write_text("two", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint.HashCache(cache.used).sha256(path) == _sha256(b"two")
    # A file last changed long before it was hashed is known by its size, mtime and inode.
    os.utime(path, ns=(10**9, 10**9))
    settled = fingerprint.HashCache()
    settled.sha256(path)

    def unread(path: Path) -> str:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(fingerprint, "file_sha256", unread)
    assert fingerprint.HashCache(settled.used).sha256(path) == _sha256(b"two")


def test_the_hash_cache_reads_a_file_once_however_often_one_build_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "faces.ttc"
    path.write_bytes(b"four faces")
    cache = fingerprint.HashCache()
    assert cache.sha256(path) == _sha256(b"four faces")

    def unread(path: Path) -> str:
        raise AssertionError(f"{path} was read again")

    with monkeypatch.context() as patched:
        patched.setattr(fingerprint, "file_sha256", unread)
        assert cache.sha256(path) == _sha256(b"four faces")
    # Changed since (another size): read again.
    path.write_bytes(b"other bytes")
    assert cache.sha256(path) == _sha256(b"other bytes")
