"""What a build publishes: byte-identical outputs, the manifest, the index page and the zip."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

import pipeline.build.workers as build_module
from pipeline.build import BuildOptions, BuildResult, Job, Rendered, Shared, build
from pipeline.build.publish import zip_time
from pipeline.model import Article, Author, Edition
from pipeline.render import RenderContext
from pipeline.sources import Project
from pipeline.sources.theme import load_theme

from .read import parse_html

DAY = 1_700_000_000


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    return fixture_project("build-small")


def run(root: Path, **options: object) -> BuildResult:
    return build(Project.at(root), BuildOptions(**options))  # type: ignore[arg-type]


def published(out: Path) -> dict[str, bytes]:
    """Every file a build publishes (not its hidden bookkeeping), by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def test_clean_builds_are_byte_identical_across_processes_and_job_counts(project: Path) -> None:
    run(project, jobs=1, out_dir=project / "one")
    run(project, jobs=2, out_dir=project / "two")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(DAY)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "--project",
            str(project),
            "--out",
            str(project / "three"),
            "-q",
        ],
        check=True,
        env=env,
    )
    one = published(project / "one")
    assert len([p for p in one if p.endswith((".pdf", ".html"))]) == 19  # 18 briefs and the index
    assert published(project / "two") == one
    assert published(project / "three") == one


def test_the_manifest_describes_every_file_sorted_and_machine_independently(
    project: Path, tmp_path: Path
) -> None:
    result = run(project, jobs=1)
    out = project / "build"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = [a["path"] for a in manifest["artifacts"]]
    assert paths == sorted(paths)
    thumbnails = [a["thumbnail"]["path"] for a in manifest["artifacts"] if "thumbnail" in a]
    assert thumbnails == [p.removesuffix(".pdf") + ".png" for p in paths if p.endswith(".pdf")]
    assert set(paths) | set(thumbnails) == set(published(out)) - {"manifest.json", "index.html"}
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["inputs_sha256"])
    assert manifest["inputs_sha256"] == result.inputs_sha256
    for entry in manifest["artifacts"]:
        data = (out / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["path"] == f"{entry['article']}/{entry['focus']}.{entry['format']}"
        if entry["format"] == "pdf":
            assert entry["pages"] == len(PdfReader(out / entry["path"]).pages)
        else:
            assert "pages" not in entry
    # The same project elsewhere on disk gives the same manifest, inputs hash included.
    elsewhere = tmp_path / "somewhere" / "else"
    shutil.copytree(project / "sources", elsewhere / "sources")
    shutil.copytree(project / "templates", elsewhere / "templates")
    run(elsewhere, jobs=1)
    assert (elsewhere / "build/manifest.json").read_bytes() == (out / "manifest.json").read_bytes()


def test_the_inputs_hash_changes_exactly_when_an_input_does(project: Path) -> None:
    first = run(project, jobs=1).inputs_sha256
    assert run(project, jobs=1).inputs_sha256 == first
    with (project / "sources/authors/bo-kim.md").open("a") as handle:
        handle.write("New line of bio.\n")
    assert run(project, jobs=1).inputs_sha256 != first


def test_the_index_lists_every_brief_by_article(project: Path) -> None:
    run(project, jobs=1, focuses=("all", "security+economy"))
    out = project / "build"
    page = parse_html(out / "index.html")
    assert page.html["lang"] == "en"
    assert page.title.get_text() == "Policy briefs"
    assert len(page.find_all("h1")) == 1
    assert page.find("header") is not None and page.find("main") is not None
    # Self-contained: the CSS is inlined (with its dark mode); the one thing it loads is each
    # PDF's page-1 thumbnail, a file beside the PDF that the manifest lists.
    style = page.find("style").get_text()
    assert "prefers-color-scheme: dark" in style and ".masthead" in style
    assert page.find("link", rel="stylesheet") is None and page.find("script") is None
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    thumbnails = {a["thumbnail"]["path"] for a in manifest if "thumbnail" in a}
    assert {tag["src"] for tag in page.find_all(src=True)} == thumbnails
    sections = {s.h2.get_text(): s for s in page.find_all("section", class_="index-article")}
    assert set(sections) == {"Missiles and Markets", "Ports and Patrols", "A Quiet Border"}
    # Each article leads with its title, then its author and date.
    byline = sections["Ports and Patrols"].find("p", class_="byline").get_text(" ", strip=True)
    assert byline.startswith("By Bo Kim ·") and re.search(r"\d{4}$", byline)
    links = {a["href"]: a for a in page.find_all("a") if a["href"] != "manifest.json"}
    assert set(links) == {entry["path"] for entry in manifest}
    for entry in manifest:
        # Sizes and hashes are tucked into each card's details.
        row = links[entry["path"]].find_parent("li")
        assert row.find_parent("details") is not None
        text = row.get_text(" ", strip=True)
        assert entry["sha256"] in text
        assert re.search(r"\d+(\.\d)? (KB|bytes)", text)
        if entry["format"] == "pdf":
            assert f"{entry['pages']} page" in text
    alpha = sections["Missiles and Markets"]
    cards = alpha.select("li.edition")
    editions = [card.h3.get_text(strip=True) for card in cards]
    assert editions == ["General edition", "Security", "Economy", "Security + Economy"]
    for card, title in zip(cards, editions, strict=True):
        image = card.find("img")
        assert image["alt"] == f"Page 1 of Missiles and Markets, {title}"
        assert image.find_parent("a")["href"].endswith(".pdf")


def test_the_zip_is_reproducible_and_holds_the_briefs_index_and_manifest(project: Path) -> None:
    first = run(project, jobs=1, dist=project / "a.zip")
    run(project, jobs=2, force=True, dist=project / "b.zip")
    assert (project / "a.zip").read_bytes() == (project / "b.zip").read_bytes()
    out = project / "build"
    with zipfile.ZipFile(project / "a.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names) == first.dist
        assert set(names) == set(published(out))
        for info in archive.infolist():
            assert info.date_time == (2023, 11, 14, 22, 13, 20)
            assert info.external_attr >> 16 == 0o100644
            assert archive.read(info) == (out / info.filename).read_bytes()
    # Another epoch, another timestamp; the files inside are the same.
    assert zip_time(None) == (1980, 1, 1, 0, 0, 0)
    assert zip_time("0") == (1980, 1, 1, 0, 0, 0)


def _pid_job(job: Job, shared: Shared) -> Rendered:
    """Stands in for rendering: says which process did the job."""
    return Rendered(job, str(os.getpid()).encode())


def _jobs_of(count: int) -> tuple[list[Job], Shared]:
    author = Author("a", "A", (), Path("a.md"))
    article = Article("x", Path("x.md"), "X", author, ())
    todo = [Job(i, article, "", Edition("general", ()), "pdf") for i in range(count)]
    return todo, Shared(RenderContext(load_theme(None), ()), (), dt.date(2024, 1, 1))


def test_briefs_rendered_here_are_delivered_in_order_while_the_next_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Deliveries (writing and syncing the files) run beside rendering, one at a time, in order.
    events: list[str] = []

    def render(job: Job, shared: Shared) -> Rendered:
        events.append(f"render {job.order}")
        return Rendered(job, b"")

    monkeypatch.setattr(build_module, "run_job", render)
    todo, shared = _jobs_of(5)
    build_module.execute(todo, shared, 1, lambda r: events.append(f"deliver {r.job.order}"))
    delivered = [e for e in events if e.startswith("deliver")]
    assert delivered == [f"deliver {i}" for i in range(5)]
    for i in range(1, 5):  # brief i is rendered only once brief i - 2 is delivered
        assert events.index(f"deliver {i - 1}") > events.index(f"render {i - 1}")
        if i >= 2:
            assert events.index(f"deliver {i - 2}") < events.index(f"render {i}")


def test_a_failed_delivery_stops_the_build_before_another_is_delivered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(build_module, "run_job", _pid_job)
    delivered: list[int] = []

    def deliver(rendered: Rendered) -> None:
        if rendered.job.order == 2:
            raise OSError("disk full")
        delivered.append(rendered.job.order)

    todo, shared = _jobs_of(8)
    with pytest.raises(OSError, match="disk full"):
        build_module.execute(todo, shared, 1, deliver)
    assert delivered == [0, 1]


def test_a_failed_brief_waits_for_the_delivery_under_way(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    release = threading.Event()
    delivered: list[int] = []

    def render(job: Job, shared: Shared) -> Rendered:
        if job.order == 1:
            release.set()  # the delivery of brief 0 may finish only now, after the failure
            raise RuntimeError("broken brief")
        return Rendered(job, b"")

    def deliver(rendered: Rendered) -> None:
        release.wait(5)
        delivered.append(rendered.job.order)

    monkeypatch.setattr(build_module, "run_job", render)
    todo, shared = _jobs_of(4)
    with pytest.raises(RuntimeError, match="broken brief"):
        build_module.execute(todo, shared, 1, deliver)
    assert delivered == [0]


@pytest.mark.parametrize(
    ("jobs", "workers", "pool"),
    [(8, 2, 2), (12, 4, 3), (7, 2, 0), (30, 1, 0)],
    ids=["two-workers", "one-per-four-jobs", "too-few-for-a-pool", "jobs-1"],
)
def test_jobs_run_in_worker_processes_only_when_there_are_enough(
    monkeypatch: pytest.MonkeyPatch, jobs: int, workers: int, pool: int
) -> None:
    sizes: list[int] = []

    class Recording(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs: object) -> None:
            sizes.append(max_workers)
            super().__init__(max_workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(build_module, "run_job", _pid_job)
    author = Author("a", "A", (), Path("a.md"))
    article = Article("x", Path("x.md"), "X", author, ())
    todo = [Job(i, article, "", Edition("general", ()), "pdf") for i in range(jobs)]
    shared = Shared(RenderContext(load_theme(None), ()), (), dt.date(2024, 1, 1))
    done: list[Rendered] = []
    build_module.execute(todo, shared, workers, done.append)
    assert sorted(r.job.order for r in done) == list(range(jobs))
    pids = {int(r.data) for r in done}
    if pool:
        assert sizes == [pool]
        assert os.getpid() not in pids and len(pids) <= pool
    else:
        assert sizes == [] and pids == {os.getpid()}
