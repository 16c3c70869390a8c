"""A failing brief or a second build at once never leaves a half-written or undescribed file."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build import BuildOptions, build
from pipeline.build.outdir import LOCK_NAME, OutputLock
from pipeline.cli import main
from pipeline.errors import BriefError, BuildError, RenderError, SourceError
from pipeline.render import html, pdf
from pipeline.sources import Project

DAY = 1_700_000_000
ALPHA = {f"alpha/{e}.{f}" for e in ("general", "security", "economy") for f in ("pdf", "html")}


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    return fixture_project("build-small")


def on_disk(out: Path) -> dict[str, bytes]:
    """The briefs in the output folder (not the manifest, index or hidden files)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and not hidden(p.relative_to(out)) and p.parent != out
    }


def hidden(rel: Path) -> bool:
    """Bookkeeping: the state and lock files, and what is in the cache folder."""
    return any(part.startswith(".") for part in rel.parts)


def briefs_on_disk(out: Path) -> set[str]:
    """The briefs in the output folder, without the thumbnails beside the PDFs."""
    return {path for path in on_disk(out) if not path.endswith(".png")}


def assert_manifest_matches_disk(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    described = {a["path"]: a["sha256"] for a in manifest["artifacts"]}
    # A PDF's page-1 thumbnail is listed under it.
    described |= {
        a["thumbnail"]["path"]: a["thumbnail"]["sha256"]
        for a in manifest["artifacts"]
        if "thumbnail" in a
    }
    assert described == {
        path: hashlib.sha256(data).hexdigest() for path, data in on_disk(out).items()
    }
    assert not [p for p in out.rglob("*.tmp")], "a temporary file was left behind"
    assert not (out / LOCK_NAME).exists()


def break_front_matter(path: Path) -> None:
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", "titel: ", 1), encoding="utf-8"
    )


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in out.rglob("*")
        if p.is_file()
    }


def test_a_broken_second_article_is_reported_before_anything_is_written(project: Path) -> None:
    build(Project.at(project), BuildOptions(jobs=1))
    out = project / "build"
    before = snapshot(out)
    with (project / "sources/articles/alpha.md").open("a") as handle:
        handle.write("\nA new closing line.\n")
    break_front_matter(project / "sources/articles/beta.md")
    result = CliRunner().invoke(main, ["--project", str(project), "--jobs", "2"])
    assert result.exit_code == 1
    beta = project / "sources/articles/beta.md"
    assert result.output == f"error: {beta}:1: 'title' is missing or empty in the front matter\n"
    assert snapshot(out) == before
    # A first build into a new folder leaves no folder behind.
    fresh = project / "fresh"
    result = CliRunner().invoke(main, ["--project", str(project), "--out", str(fresh)])
    assert result.exit_code == 1
    assert not fresh.exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failure_mid_build_leaves_the_first_article_built_and_the_manifest_true(
    project: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_render = pdf.render

    def failing(brief, context):  # type: ignore[no-untyped-def]
        if brief.article.slug == "beta":
            raise ValueError("injected failure")
        return real_render(brief, context)

    monkeypatch.setattr(pdf, "render", failing)
    result = CliRunner().invoke(main, ["--project", str(project), "--jobs", str(jobs)])
    assert result.exit_code == 1
    beta = project / "sources/articles/beta.md"
    assert result.output.splitlines()[-1] == (
        f"error: {beta}: cannot build beta [general, pdf]: ValueError: injected failure"
    )
    assert "Traceback" not in result.output
    out = project / "build"
    built = briefs_on_disk(out)
    assert built >= ALPHA
    assert not any(path.endswith(".pdf") and path.startswith("beta/") for path in built)
    assert_manifest_matches_disk(out)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{path}"' in index for path in built)


def test_a_render_failure_names_the_brief_and_keeps_the_last_good_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(Project.at(project), BuildOptions(jobs=1))
    out = project / "build"
    good = on_disk(out)
    real_render = html.render

    def flaky(brief, context):  # type: ignore[no-untyped-def]
        if brief.article.slug == "alpha" and brief.edition.id == "security":
            raise ValueError("layout exploded")
        return real_render(brief, context)

    monkeypatch.setattr(html, "render", flaky)
    with (project / "sources/articles/alpha.md").open("a") as handle:
        handle.write("\nA new closing line.\n")
    result = CliRunner().invoke(main, ["--project", str(project), "--jobs", "1"])
    assert result.exit_code == 1
    alpha = project / "sources/articles/alpha.md"
    assert (
        f"error: {alpha}: cannot build alpha [security, html]: ValueError: layout exploded"
        in result.output
    )
    assert (out / "alpha/security.html").read_bytes() == good["alpha/security.html"]
    assert (out / "alpha/general.html").read_bytes() != good["alpha/general.html"]
    assert_manifest_matches_disk(out)


def test_a_template_error_is_reported_before_anything_is_written(project: Path) -> None:
    templates = project / "templates"
    (templates / "brief.html.j2").write_text("{{ no_such_value }}\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        build(Project.at(project), BuildOptions(jobs=1))
    assert caught.value.path == templates / "brief.html.j2"
    assert caught.value.message == "template uses an undefined value: 'no_such_value' is undefined"
    assert not (project / "build").exists()


def test_errors_keep_their_file_and_line_across_processes() -> None:
    import pickle

    error = SourceError("bad", Path("sources/articles/x.md"), 3)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.path, copy.line, str(copy)) == (SourceError, error.path, 3, str(error))


def test_a_second_build_into_the_same_folder_gets_the_lock_message(project: Path) -> None:
    out = project / "build"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from pipeline.build.outdir import OutputLock\n"
            "lock = OutputLock(Path(sys.argv[1])); lock.acquire()\n"
            "print('locked', flush=True); time.sleep(60)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = CliRunner().invoke(main, ["--project", str(project), "--out", str(out)])
        assert result.exit_code == 1
        assert result.output == (
            f"error: {out / LOCK_NAME}: "
            f"another make-brief is building into {out}/ (pid {holder.pid})\n"
        )
        assert not (out / "manifest.json").exists()
    finally:
        holder.kill()
        holder.wait()
    assert (
        CliRunner().invoke(main, ["--project", str(project), "--out", str(out), "-q"]).exit_code
        == 0
    )
    assert not (out / LOCK_NAME).exists()


def test_the_lock_is_exclusive_within_one_process_too(tmp_path: Path) -> None:
    with (
        OutputLock(tmp_path),
        pytest.raises(
            BuildError, match=rf"another make-brief is building into .* \(pid {os.getpid()}\)"
        ),
    ):
        OutputLock(tmp_path).acquire()
    with OutputLock(tmp_path):
        pass


def test_a_bad_source_date_epoch_is_an_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(
        BriefError, match="SOURCE_DATE_EPOCH must be a number of seconds, not 'yesterday'"
    ):
        build(Project.at(project), BuildOptions(jobs=1))


def test_an_interrupted_build_leaves_a_true_manifest(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_render = html.render
    calls = []

    def interrupted(brief, context):  # type: ignore[no-untyped-def]
        calls.append(brief)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real_render(brief, context)

    monkeypatch.setattr(html, "render", interrupted)
    result = CliRunner().invoke(main, ["--project", str(project), "--jobs", "1"])
    assert result.exit_code == 130
    assert result.output.endswith("error: interrupted\n")
    out = project / "build"
    # Interrupted while rendering the fourth HTML page: beta's general edition.
    assert briefs_on_disk(out) == ALPHA | {"beta/general.pdf"}
    assert_manifest_matches_disk(out)


def test_a_signal_just_after_a_brief_is_written_leaves_a_true_manifest(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SIGTERM (a cancelled CI job) arriving between a brief's rename into place and its record
    # in the build state: the manifest then named the old file's hash beside the new file.
    import signal

    from pipeline.build import run

    runner = CliRunner()
    assert runner.invoke(main, ["--project", str(project), "--jobs", "1"]).exit_code == 0
    article = project / "sources" / "articles" / "alpha.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8"
    )
    real_write = run.write_atomic
    writes = []

    def write_then_terminated(path, data, within=None, durable=True):  # type: ignore[no-untyped-def]
        written = real_write(path, data, within, durable)
        writes.append(path)
        if len(writes) == 2:
            os.kill(os.getpid(), signal.SIGTERM)
        return written

    monkeypatch.setattr(run, "write_atomic", write_then_terminated)
    result = runner.invoke(main, ["--project", str(project), "--jobs", "1"])
    assert result.exit_code == 130
    assert result.output.endswith("error: interrupted\n")
    assert_manifest_matches_disk(project / "build")


@pytest.mark.parametrize("built_before", [True, False])
def test_a_pdf_the_disk_has_no_room_for_leaves_its_thumbnail_described(
    project: Path, monkeypatch: pytest.MonkeyPatch, built_before: bool
) -> None:
    # The page-1 picture is written before its PDF; when the PDF then finds the disk full, the
    # manifest listed the last good picture's hash beside the new one (or, on a first build,
    # did not list the new picture at all).
    import errno

    from pipeline.build import run

    runner = CliRunner()
    if built_before:
        assert runner.invoke(main, ["--project", str(project), "--jobs", "1"]).exit_code == 0
        article = project / "sources" / "articles" / "alpha.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("title: ", "title: New ", 1), encoding="utf-8")
    real_write = run.write_atomic

    def no_room_for_pdfs(path, data, within=None, durable=True):  # type: ignore[no-untyped-def]
        if path.suffix == ".pdf":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_write(path, data, within, durable)

    monkeypatch.setattr(run, "write_atomic", no_room_for_pdfs)
    result = runner.invoke(main, ["--project", str(project), "--jobs", "1", "--format", "pdf"])
    out = project / "build"
    assert result.exit_code == 1
    assert result.output == (
        f"error: {out / 'alpha' / 'general.pdf'}: cannot write: No space left on device\n"
    )
    if not built_before:
        assert not [p for p in out.rglob("*.png")]
    assert_manifest_matches_disk(out)
