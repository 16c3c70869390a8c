"""``make-brief watch``: a save rebuilds what it touches, a broken save keeps the last good
briefs, a template change rebuilds every brief, and the output is what a build writes.

The watch loop takes its changes from any iterable, so these tests hand it batches of paths
(changing the files first) instead of waiting for the operating system's file events; nothing
here is timed.
"""

from __future__ import annotations

import http.client
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build import BuildOptions, build
from pipeline.build import watch as watching
from pipeline.build.outdir import OutputLock
from pipeline.build.watch import Outcome, Rebuilder, watch
from pipeline.build.watch_serve import EVENTS_PATH, RELOAD_SCRIPT, Preview
from pipeline.cli import main
from pipeline.sources import Project
from pipeline.sources.theme import builtin_templates_dir

from .read import parse_html

DAY = "1700000000"
EDITIONS = ("general", "security", "economy")
FORMATS = ("pdf", "html")


def briefs_of(slug: str) -> set[str]:
    return {f"{slug}/{e}.{f}" for e in EDITIONS for f in FORMATS}


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY)
    return fixture_project("build-small")


def rebuilder(root: Path) -> Rebuilder:
    return Rebuilder(Project.at(root), BuildOptions(out_dir=root / "build", jobs=1))


def files(out: Path) -> dict[str, bytes]:
    """Every brief, index and manifest in an output folder, by path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def run_watch(root: Path, steps: list[Callable[[], set[Path]]]) -> list[Outcome]:
    """Watch ``root`` through ``steps``, each changing files and returning the batch it made."""
    outcomes: list[Outcome] = []
    watch(rebuilder(root), (step() for step in steps), outcomes.append)
    return outcomes


def edit(path: Path, old: str, new: str) -> Callable[[], set[Path]]:
    def step() -> set[Path]:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        return {path}

    return step


def test_a_save_rebuilds_its_briefs_only_and_as_a_build_writes_them(
    project: Path, tmp_path: Path
) -> None:
    alpha = project / "sources" / "articles" / "alpha.md"
    outcomes = run_watch(project, [edit(alpha, "two sides", "three sides")])
    first, saved = outcomes
    assert first.error is None and len(first.rebuilt) == 18
    assert saved.error is None and saved.changed == (alpha,)
    assert set(saved.rebuilt) == briefs_of("alpha")
    assert "three sides" in parse_html(project / "build" / "alpha" / "general.html").get_text()
    # What a build in a fresh folder writes from the same sources, byte for byte.
    build(Project.at(project), BuildOptions(out_dir=tmp_path / "fresh", jobs=1))
    assert files(project / "build") == files(tmp_path / "fresh")


def test_a_change_outside_the_sources_rebuilds_nothing(project: Path) -> None:
    out = project / "build"
    outcomes = run_watch(project, [lambda: {out / "alpha" / "general.html"}])
    assert len(outcomes) == 1  # only the first build


def test_a_broken_save_keeps_the_last_good_briefs_and_the_next_good_save_recovers(
    project: Path,
) -> None:
    alpha = project / "sources" / "articles" / "alpha.md"
    good = alpha.read_text(encoding="utf-8")
    kept: dict[str, bytes] = {}

    def broken() -> set[Path]:
        kept.update(files(project / "build"))
        alpha.write_text(good.replace("author: ann-lee", "author: [ann-lee"), encoding="utf-8")
        return {alpha}

    def fixed() -> set[Path]:
        assert files(project / "build") == kept  # the broken save wrote nothing
        alpha.write_text(good.replace("two sides", "two sides, again"), encoding="utf-8")
        return {alpha}

    _, failed, recovered = run_watch(project, [broken, fixed])
    assert failed.error is not None and failed.result is None
    assert failed.error.path == alpha and failed.error.line is not None
    assert recovered.error is None and set(recovered.rebuilt) == briefs_of("alpha")
    assert "two sides, again" in (project / "build" / "alpha" / "economy.html").read_text()


def test_the_output_folder_deleted_while_watching_is_built_again_without_a_save(
    project: Path,
) -> None:
    out = project / "build"
    kept: dict[str, bytes] = {}

    def delete(what: str) -> Callable[[], set[Path]]:
        def step() -> set[Path]:
            kept.update(files(out))
            if what == "folder":
                shutil.rmtree(out)
            else:  # rm -rf build/*
                for child in out.iterdir():
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            return set()  # no watched folder changed: the watcher's quiet moment

        return step

    _, *again = run_watch(project, [delete("folder"), lambda: set(), delete("contents")])
    assert len(again) == 2  # once for each deletion; a quiet moment with the folder there, none
    everything = {p for a in ("alpha", "beta", "gamma") for p in briefs_of(a)}
    for outcome in again:
        assert outcome.error is None and set(outcome.rebuilt) == everything
        assert outcome.changed == (out.absolute(),)
    assert files(out) == kept


def test_a_lost_output_folder_is_not_rebuilt_after_a_broken_save(project: Path) -> None:
    alpha = project / "sources" / "articles" / "alpha.md"

    def broken() -> set[Path]:
        alpha.write_text(alpha.read_text().replace("author: ann-lee", "author: [ann-lee"))
        return {alpha}

    def deleted() -> set[Path]:
        shutil.rmtree(project / "build")
        return set()

    # It would fail again every quiet moment: the next save builds it.
    _, failed = run_watch(project, [broken, deleted, lambda: set()])
    assert failed.error is not None


def test_a_template_change_rebuilds_every_brief_with_the_new_template(project: Path) -> None:
    own = project / "templates" / "brief.html.j2"

    def add_template() -> set[Path]:
        text = (builtin_templates_dir() / "brief.html.j2").read_text(encoding="utf-8")
        own.write_text(text.replace("</body>", "<p id=changed>changed</p></body>"), "utf-8")
        return {own}

    _, changed = run_watch(project, [add_template])
    assert changed.theme_changed
    assert set(changed.rebuilt) == {p for a in ("alpha", "beta", "gamma") for p in briefs_of(a)}
    for slug in ("alpha", "beta", "gamma"):
        assert parse_html(project / "build" / slug / "security.html").find(id="changed")


def test_a_theme_change_rebuilds_the_pdfs_too(project: Path) -> None:
    theme = project / "templates" / "theme.yaml"
    step = edit(theme, "mono: {regular: [Vera]}", "mono: {regular: [VeraBd]}")
    _, changed = run_watch(project, [step])
    assert changed.theme_changed and changed.error is None
    assert {p for p in changed.rebuilt if p.endswith(".pdf")} == {
        p for a in ("alpha", "beta", "gamma") for p in briefs_of(a) if p.endswith(".pdf")
    }


# --- the command --------------------------------------------------------------------------------


def cli_watch(
    root: Path, monkeypatch: pytest.MonkeyPatch, batches: Iterator[set[Path]], *extra: str
) -> object:
    monkeypatch.setattr(watching, "file_changes", lambda folders: batches)
    return CliRunner().invoke(main, ["watch", "--project", str(root), "--jobs", "1", *extra])


def test_the_command_prints_one_line_for_a_broken_save_and_exits_cleanly_on_ctrl_c(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha = project / "sources" / "articles" / "alpha.md"

    def batches() -> Iterator[set[Path]]:
        alpha.write_text(alpha.read_text().replace("date: 2024-03-01", "date: 2024-13-01"))
        yield {alpha}
        raise KeyboardInterrupt

    result = cli_watch(project, monkeypatch, batches())
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]  # type: ignore[attr-defined]
    assert len(errors) == 1 and "alpha.md:4:" in errors[0]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    assert "stopped watching" in result.stdout  # type: ignore[attr-defined]
    with OutputLock(project / "build"):  # released: a build could take it at once
        pass


def test_serve_adds_the_reload_script_to_served_pages_only(project: Path) -> None:
    out = project / "build"
    build(Project.at(project), BuildOptions(out_dir=out, jobs=1))
    on_disk = (out / "alpha" / "general.html").read_bytes()
    assert b"EventSource" not in on_disk
    with Preview(out, port=0) as preview:
        port = preview.server.server_address[1]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/alpha/general.html")
        served = connection.getresponse().read()
        assert served == on_disk.replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>")
        connection.request("GET", "/alpha/general.pdf")
        assert connection.getresponse().read() == (out / "alpha" / "general.pdf").read_bytes()

        events = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        events.request("GET", EVENTS_PATH)
        stream = events.getresponse()
        assert stream.getheader("Content-Type") == "text/event-stream"
        # Announce until the stream has seen one (it may subscribe after the first).
        stop = threading.Event()

        def announce() -> None:
            while not stop.wait(0.05):
                preview.rebuilds.announce(["alpha/general.html"])

        threading.Thread(target=announce, daemon=True).start()
        try:
            line = stream.readline()
        finally:
            stop.set()
        assert json.loads(line.removeprefix(b"data: ")) == ["alpha/general.html"]
        events.close()
        connection.close()


def test_the_file_watcher_reports_a_save(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    folder = tmp_path / "sources"
    folder.mkdir()
    batches = watching.file_changes([folder])
    article = folder / "a.md"
    seen: list[set[Path]] = []

    def first_batch() -> None:
        seen.append(next(batch for batch in batches if batch))  # not a quiet moment's

    reader = threading.Thread(target=first_batch, daemon=True)
    reader.start()
    while reader.is_alive():  # the watcher may start after the first write: write again
        article.write_text("saved", encoding="utf-8")
        reader.join(0.2)
    assert article in seen[0]


def test_the_file_watcher_tells_a_quiet_moment_with_an_empty_batch(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    assert next(watching.file_changes([tmp_path], quiet_ms=50)) == set()
