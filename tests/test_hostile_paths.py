"""Hostile output folders and special files: no link followed, no hang, no traceback, no lock
kept by a killed build, no brief keyed on text it was not made from.

The output folder is restored from a CI cache and shard folders come from other runners, so
anything in them may have been planted; a source may be a FIFO or a link to a device.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.build.outdir import LOCK_NAME
from pipeline.build.state import STATE_FILE
from pipeline.cli import main
from pipeline.sources import read as source_reader
from pipeline.sources.decode import MAX_SOURCE_BYTES

DAY = 1_700_000_000
LINUX = sys.platform.startswith("linux")


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    return fixture_project("build-small")


def invoke(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(project), "--jobs", "1", *args])


def assert_one_error(result: Result, path: Path, *fragments: str) -> None:
    """Exit 1 with exactly one line, ``error: PATH: ...``, holding every fragment."""
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {path}: "), result.output
    for fragment in fragments:
        assert fragment in lines[0], result.output


def build_once(project: Path, *args: str) -> Path:
    result = invoke(project, "-q", *args)
    assert result.exit_code == 0, result.output
    return project / "build"


def listing(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under ``folder`` (not following links): inode, mtime and bytes."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            status = path.stat()
            found[path.relative_to(folder).as_posix()] = (
                status.st_ino,
                status.st_mtime_ns,
                path.read_bytes(),
            )
    return found


def run_cli(project: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``make-brief`` in its own process: a case that hangs today fails by its timeout."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(DAY)}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args, "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


# --- links and special files under --out ------------------------------------------------------


def test_a_linked_lock_file_is_refused_and_what_it_names_is_untouched(project: Path) -> None:
    out = project / "build"
    out.mkdir()
    victim = project.parent / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (out / LOCK_NAME).symlink_to(victim)
    assert_one_error(invoke(project), out / LOCK_NAME, "is a symbolic link")
    assert victim.read_text(encoding="utf-8") == "precious\n"


@pytest.fixture
def linked_article_folder(project: Path) -> Path:
    """A built project whose ``build/alpha`` is a link to a folder outside ``build/`` that
    holds alpha's briefs; returns that folder."""
    out = build_once(project)
    outside = project.parent / "outside"
    shutil.move(out / "alpha", outside)
    (out / "alpha").symlink_to(outside, target_is_directory=True)
    return outside


def test_no_brief_is_written_through_a_linked_article_folder(
    project: Path, linked_article_folder: Path
) -> None:
    before = listing(linked_article_folder)
    result = invoke(project, "--force")
    assert_one_error(result, project / "build" / "alpha", "is a symbolic link")
    assert listing(linked_article_folder) == before


def test_no_brief_is_deleted_through_a_linked_article_folder(
    project: Path, linked_article_folder: Path
) -> None:
    before = listing(linked_article_folder)
    (project / "sources/articles/alpha.md").unlink()
    result = invoke(project)
    assert_one_error(result, project / "build" / "alpha", "is a symbolic link")
    assert listing(linked_article_folder) == before
    manifest = json.loads((project / "build/manifest.json").read_text(encoding="utf-8"))
    assert not [a for a in manifest["artifacts"] if a["article"] == "alpha"]


def test_an_output_replaced_by_a_link_is_not_published(project: Path) -> None:
    out = build_once(project)
    secret = project.parent / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    brief = out / "alpha/general.html"
    brief.unlink()
    brief.symlink_to(secret)
    zipped = project / "briefs.zip"
    # The general edition is not asked for, so nothing rebuilds it over the link.
    result = invoke(project, "--focus", "security", "--dist", str(zipped))
    assert_one_error(result, brief, "is a symbolic link")
    assert not zipped.exists()
    for name in ("manifest.json", "index.html", STATE_FILE):
        assert digest not in (out / name).read_text(encoding="utf-8")


def test_merge_copies_no_link_from_a_shard_folder(project: Path) -> None:
    parts = [project / "part-1", project / "part-2"]
    for k, part in enumerate(parts, 1):
        result = invoke(project, "-q", "--shard", f"{k}/2", "--out", str(part))
        assert result.exit_code == 0, result.output
    manifest = json.loads((parts[0] / "manifest.json").read_text(encoding="utf-8"))
    path = manifest["artifacts"][0]["path"]
    planted = project.parent / "planted"
    shutil.copyfile(parts[0] / path, planted)  # the same bytes, so only the link is wrong
    (parts[0] / path).unlink()
    (parts[0] / path).symlink_to(planted)
    target = project / "merged"
    result = CliRunner().invoke(
        main, ["merge", *map(str, parts), "--out", str(target), "--project", str(project)]
    )
    assert_one_error(result, parts[0] / path, "is a symbolic link")
    assert not (target / path).exists()


@pytest.mark.parametrize(
    "name",
    [
        "build/alpha/general.pdf",
        "build/manifest.json",
        "sources/focuses.yaml",
        "build/briefs.zip",
        "sources/briefs.zip",
        "notes.zip",
        "fifo.zip",
        "device.zip",
        "link.zip",
    ],
)
def test_dist_writes_only_a_new_or_existing_zip_outside_briefs_and_sources(
    project: Path, name: str
) -> None:
    build_once(project)
    target = project / name
    if name == "notes.zip":
        target.write_text("my notes, not a zip\n", encoding="utf-8")
    elif name == "fifo.zip":
        os.mkfifo(target)
    elif name == "device.zip":
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
        except PermissionError:
            pytest.skip("creating a device node needs root")
    elif name == "link.zip":
        elsewhere = project.parent / "elsewhere.zip"
        with zipfile.ZipFile(elsewhere, "w"):
            pass
        target.symlink_to(elsewhere)
    before = os.lstat(target) if os.path.lexists(target) else None
    content = target.read_bytes() if target.is_file() and not target.is_symlink() else None
    assert_one_error(invoke(project, "--dist", str(target)), target)
    if before is None:
        assert not os.path.lexists(target)
    else:
        after = os.lstat(target)
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
        if content is not None:
            assert target.read_bytes() == content


@pytest.mark.parametrize("out", ["sources", "sources/articles", "templates", "templates/new"])
def test_the_output_folder_is_never_inside_the_sources_or_templates(
    project: Path, out: str
) -> None:
    """Briefs written there would be read back as sources or templates: every build would
    change what the next is made of, and sources/ would fill with PDFs."""
    (project / "templates").mkdir(exist_ok=True)
    before = listing(project)
    target = project / out
    assert_one_error(invoke(project, "--out", str(target)), target, "is inside")
    assert listing(project) == before


def test_dist_replaces_an_existing_zip(project: Path) -> None:
    zipped = project / "briefs.zip"
    with zipfile.ZipFile(zipped, "w"):
        pass
    result = invoke(project, "-q", "--dist", str(zipped))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(zipped) as archive:
        assert "manifest.json" in archive.namelist()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@pytest.mark.parametrize(
    "name", ["sources/articles/alpha.md", "sources/authors/ann-lee.md", "sources/focuses.yaml"]
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_source_that_is_a_fifo_or_a_device_is_refused_not_read(
    project: Path, name: str, kind: str, command: str
) -> None:
    path = project / name
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    args = ["check"] if command == "check" else []
    result = run_cli(project, *args)
    assert result.returncode == 1, result.stderr
    assert f"error: {path}: is " in result.stderr
    assert "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["folder", "fifo", "dangling-link"])
@pytest.mark.parametrize(
    "name", ["sources/project.yaml", "templates/theme.yaml", "templates/labels.yaml"]
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_an_optional_settings_file_that_is_no_file_is_refused_not_skipped(
    project: Path, name: str, kind: str, command: str
) -> None:
    # Without the file the build has defaults; with a folder (or a FIFO, or a link to
    # nothing) of its name there, the user meant settings, and building without them hides it.
    path = project / name
    path.unlink(missing_ok=True)
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(project / "nowhere.yaml")
    result = run_cli(project, *(["check"] if command == "check" else []))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"error: {path}: "), result.stderr
    if kind == "dangling-link":
        assert "which does not exist" in result.stderr and "nowhere.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "build").exists()


@pytest.mark.parametrize("name", ["articles/delta.markdown", "articles/delta.MD", "authors/cy.Md"])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_markdown_source_not_named_md_is_named_in_a_warning(
    project: Path, name: str, command: str
) -> None:
    path = project / "sources" / name
    shutil.copy(project / "sources/articles/alpha.md", path)
    (project / "sources/articles/.delta.markdown").write_text("a hidden file is no source")
    # Not --quiet, which prints errors only.
    args = ["check"] if command == "check" else ["--format", "html"]
    for _ in range(2 if command == "build" else 1):  # told again when nothing is rebuilt
        result = run_cli(project, *args)
        assert result.returncode == 0, result.stderr
        kind = "articles" if name.startswith("articles") else "authors"
        ids = "<slug>" if kind == "articles" else "<id>"
        assert result.stderr.splitlines() == [
            f"warning: {path}: not read: only {ids}.md files are {kind}; "
            f"rename it to {path.stem}.md"
        ]


def test_a_source_named_in_capitals_is_left_out_where_globs_ignore_case(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows and macOS match ``*.md`` case-insensitively: ``delta.MD`` must be left out
    there as it is on Linux, not read and warned of as unread at once."""
    from pipeline.sources import Project

    shutil.copy(project / "sources/articles/alpha.md", project / "sources/articles/delta.MD")
    glob = Path.glob

    def ignoring_case(self: Path, pattern: str) -> Iterator[Path]:
        if pattern != "*.md":
            return glob(self, pattern)
        return iter(p for p in self.iterdir() if p.name.lower().endswith(".md"))

    monkeypatch.setattr(Path, "glob", ignoring_case)
    paths = Project.at(project).article_paths()
    assert paths and all(p.suffix == ".md" for p in paths)
    assert project / "sources/articles/delta.MD" not in paths


@pytest.mark.parametrize(
    "name", [STATE_FILE, "manifest.json", "alpha/general.pdf", "index.html", LOCK_NAME]
)
def test_a_fifo_in_the_output_folder_is_refused_not_read(project: Path, name: str) -> None:
    out = build_once(project)
    if name == "manifest.json":
        (out / STATE_FILE).unlink()  # the manifest is read when there is no state
    path = out / name
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    result = run_cli(project, "--jobs", "1")
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"error: {path}: is a FIFO, not a regular file: remove it\n"


def test_a_source_larger_than_the_cap_is_refused_saying_what_the_cap_is(project: Path) -> None:
    article = project / "sources/articles/alpha.md"
    article.write_bytes(b"a" * (MAX_SOURCE_BYTES + 1))
    for args in ((), ("check",)):
        result = run_cli(project, *args)
        assert result.returncode == 1, result.stderr
        assert f"error: {article}: is larger than 8 MB, the most a source file may be" in (
            result.stderr
        )


def test_empty_out_and_dist_are_usage_errors(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    for args, option in (
        (["--project", str(project), "--out="], "--out"),
        (["--project", str(project), "--dist="], "--dist"),
        (["merge", str(project), "--out="], "--out"),
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert f"Error: Invalid value for '{option}': is empty: name " in result.output
    assert list(elsewhere.iterdir()) == []
    assert not (project / "build").exists()


# --- killed builds ----------------------------------------------------------------------------

#: Runs make-brief with every brief rendered outside the first check taking two minutes,
#: writing a marker file first: the build is then known to be rendering.
SLOW_BUILD = """
import os, sys, time
from pathlib import Path
import pipeline.build.workers as workers
from pipeline.cli import run

real = workers.run_job
marker_path = sys.argv[1]
calls = []
build_process = os.getpid()

def slow(job, shared):
    calls.append(job)
    if os.getpid() == build_process and len(calls) <= 2:
        return real(job, shared)  # the first brief of each format, checked before any write
    with open(marker_path, "a") as marker:
        marker.write("rendering\\n")
    time.sleep(120)
    return real(job, shared)

workers.run_job = slow
sys.argv = ["make-brief", *sys.argv[2:]]
run()
"""


def start_slow_build(project: Path, reap: list[int], *args: str) -> subprocess.Popen[str]:
    """Start :data:`SLOW_BUILD`, and return once it is rendering; ``reap`` gets its pid."""
    marker = project.parent / "rendering"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(DAY)}
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(marker), "--project", str(project), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    reap.append(process.pid)
    wait_for(marker.exists, process)
    return process


def wait_for(
    condition: Callable[[], bool], process: subprocess.Popen[str], seconds: float = 60.0
) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the build ended early: {process.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def reap() -> Iterator[list[int]]:
    """Pids this test started, killed at the end with their children if still running."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        for child in children(pid) if LINUX else []:
            os.kill(child, signal.SIGKILL)
        if alive(pid) if LINUX else True:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not LINUX, reason="reads /proc to find the workers")
def test_workers_of_a_killed_build_exit_and_hold_no_lock(project: Path, reap: list[int]) -> None:
    process = start_slow_build(project, reap, "--jobs", "2", "-q")
    wait_for(lambda: len(children(process.pid)) >= 2, process)
    workers = children(process.pid)
    reap.extend(workers)
    process.kill()
    process.wait()
    # The next build is not refused: no worker holds the lock it inherited.
    result = invoke(project, "-q")
    assert result.exit_code == 0, result.output
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)], "a worker outlived its build"


def test_sigterm_stops_a_build_as_ctrl_c_does(project: Path, reap: list[int]) -> None:
    process = start_slow_build(project, reap, "--jobs", "1")
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.endswith("error: interrupted\n")
    out = project / "build"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    described = {a["path"]: a["sha256"] for a in manifest["artifacts"]}
    # The two briefs checked before anything is written: alpha's general edition.
    assert described == {
        path: hashlib.sha256((out / path).read_bytes()).hexdigest()
        for path in ("alpha/general.pdf", "alpha/general.html")
    }
    assert not list(out.rglob("*.tmp"))
    assert not (out / LOCK_NAME).exists()


def test_a_build_sweeps_the_temporary_files_a_killed_build_left(project: Path) -> None:
    out = build_once(project)
    left = [
        out / ".manifest.json.3f9a2b1c4d5e.tmp",
        out / "alpha/.general.pdf.k2j4_x9a.tmp",
        out / "beta/.security.html.abcdefgh.tmp",
    ]
    kept = [out / "alpha/notes.txt", out / ".keep", out / "alpha/draft.tmp"]
    for path in left + kept:
        path.write_bytes(b"half a file")
    result = invoke(project, "-q")
    assert result.exit_code == 0, result.output
    assert [p for p in left if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


# --- stale forever ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "stem", "rebuilt"),
    [
        ("read_article", "alpha", {"alpha"}),
        ("read_author", "ann-lee", {"alpha", "gamma"}),
    ],
)
def test_a_source_saved_while_the_build_reads_it_is_rebuilt_next_time(
    project: Path, monkeypatch: pytest.MonkeyPatch, reader: str, stem: str, rebuilt: set[str]
) -> None:
    folder = "articles" if reader == "read_article" else "authors"
    path = project / "sources" / folder / f"{stem}.md"
    real = getattr(source_reader, reader)
    saved: list[Path] = []

    def read_then_save(source: Path, *args: object) -> object:
        parsed = real(source, *args)
        if source == path and not saved:
            # The user saves the file just after the build read it.
            with path.open("a", encoding="utf-8") as handle:
                handle.write("\nA sentence saved while the build ran.\n")
            saved.append(source)
        return parsed

    monkeypatch.setattr(source_reader, reader, read_then_save)
    build_once(project)
    assert saved
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    result = invoke(project)
    assert result.exit_code == 0, result.output
    built = {
        line.split()[1] for line in result.output.splitlines() if line.startswith("     built")
    }
    assert {Path(p).parent.name for p in built} == rebuilt
    html = (project / "build" / sorted(rebuilt)[0] / "general.html").read_text(encoding="utf-8")
    assert "A sentence saved while the build ran." in html


# --- no traceback from what an output or shard folder holds ----------------------------------

DEEP = "[" * 1000 + "]" * 1000


def test_a_deeply_nested_state_file_is_ignored(project: Path) -> None:
    out = build_once(project)
    (out / STATE_FILE).write_text(
        f'{{"schema": 1, "articles": {DEEP}, "outputs": {{}}}}', encoding="utf-8"
    )
    result = invoke(project)
    assert result.exit_code == 0, result.output
    assert "error" not in result.output


def test_a_deeply_nested_manifest_is_ignored(project: Path) -> None:
    out = build_once(project)
    (out / STATE_FILE).unlink()
    (out / "manifest.json").write_text(f'{{"artifacts": {DEEP}}}', encoding="utf-8")
    result = invoke(project)
    assert result.exit_code == 0, result.output
    assert "error" not in result.output


@pytest.fixture
def shards(project: Path) -> list[Path]:
    parts = [project / "part-1", project / "part-2"]
    for k, part in enumerate(parts, 1):
        assert invoke(project, "-q", "--shard", f"{k}/2", "--out", str(part)).exit_code == 0
    return parts


def merge_into(project: Path, parts: list[Path]) -> Result:
    return CliRunner().invoke(
        main,
        ["merge", *map(str, parts), "--out", str(project / "merged"), "--project", str(project)],
    )


def test_a_deeply_nested_shard_manifest_is_one_error(project: Path, shards: list[Path]) -> None:
    manifest = shards[0] / "manifest.json"
    manifest.write_text(f'{{"shard": {DEEP}}}', encoding="utf-8")
    assert_one_error(merge_into(project, shards), manifest, "nested too deeply")


@pytest.mark.parametrize(("index", "count"), [(1, 0), (0, 2), (3, 2), ("1", 2)])
def test_a_shard_manifest_with_an_impossible_part_is_one_error(
    project: Path, shards: list[Path], index: object, count: object
) -> None:
    manifest = shards[0] / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["shard"].update(index=index, count=count)
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert_one_error(
        merge_into(project, shards), manifest, "the manifest's shard record is malformed"
    )


def test_an_out_under_a_file_is_one_error(project: Path) -> None:
    # A file beside sources/ (one inside it is refused first, as sources/ is no output).
    (project / "notes.txt").write_text("my notes\n", encoding="utf-8")
    out = project / "notes.txt/build"
    result = invoke(project, "--out", str(out))
    assert_one_error(
        result,
        out,
        f"cannot create the output folder: a folder above it is a file ({project / 'notes.txt'})",
    )


@pytest.mark.parametrize(
    ("below", "message"),
    [
        ("", "is a symbolic link to {target}, which does not exist: name a folder to build into"),
        (
            "briefs",
            "cannot create the output folder: a folder above it is a symbolic link to {target}, "
            "which does not exist ({link})",
        ),
    ],
    ids=["the-out", "above-the-out"],
)
def test_an_out_through_a_link_to_nothing_says_so(
    project: Path, tmp_path: Path, below: str, message: str
) -> None:
    target = tmp_path / "gone" / "build"
    link = project / "out"
    link.symlink_to(target)
    out = link / below if below else link
    result = invoke(project, "--out", str(out))
    assert_one_error(result, out, message.format(target=target, link=link))
    assert link.is_symlink() and not (tmp_path / "gone").exists()


def test_an_out_through_a_link_in_a_loop_says_so(project: Path) -> None:
    (project / "a").symlink_to("b")
    (project / "b").symlink_to("a")
    out = project / "a"
    result = invoke(project, "--out", str(out))
    assert_one_error(result, out, "is a symbolic link to b, which leads round in a loop: name a")
    result = invoke(project, "--out", str(out / "briefs"))
    assert_one_error(
        result,
        out / "briefs",
        f"a folder above it is a symbolic link to b, which leads round in a loop ({out})",
    )


def test_an_out_that_is_a_fifo_says_so(project: Path) -> None:
    out = project / "fifo"
    os.mkfifo(out)
    result = invoke(project, "--out", str(out))
    assert_one_error(result, out, "is a FIFO, not a folder: name a folder to build into")


def test_an_uncreatable_out_is_one_error(project: Path) -> None:
    out = Path("/sys/make-brief-test")
    try:
        out.mkdir()
    except OSError:
        pass  # as it should be: no one creates folders in /sys
    else:
        out.rmdir()
        pytest.skip("needs a /sys in which no one can create a folder")
    result = invoke(project, "--out", str(out))
    assert_one_error(result, out, "cannot create the output folder: ")
    assert not out.exists()


def test_a_read_only_out_is_one_error(project: Path) -> None:
    out = project / "read-only"
    out.mkdir()
    out.chmod(0o555)
    command = [sys.executable, "-m", "pipeline", "--project", str(project), "--out", str(out)]
    if os.geteuid() == 0:
        # Root writes anywhere; without these capabilities it obeys permissions like anyone.
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to drop the override")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(DAY)}
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"error: {out / LOCK_NAME}: cannot create the lock file: Permission denied\n"
    )


def test_a_full_disk_when_the_lock_is_taken_is_one_error_and_leaves_no_lock(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A CI runner whose disk is full: the lock file is created (no block needed), and writing
    # the pid into it fails. That was "make-brief failed: OSError", naming no file.
    import errno

    real_write = os.write
    pid_line = f"{os.getpid()}\n".encode()

    def full_disk(fd: int, data: bytes) -> int:
        if data == pid_line:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    out = project / "build"
    result = invoke(project)
    assert_one_error(result, out / LOCK_NAME, "cannot write the lock file: No space left")
    assert not out.exists()


def test_a_lock_path_that_is_a_folder_is_one_error(project: Path) -> None:
    out = project / "build"
    (out / LOCK_NAME).mkdir(parents=True)
    assert_one_error(invoke(project), out / LOCK_NAME, "is a folder")


def test_an_output_that_is_a_folder_is_one_error(project: Path) -> None:
    out = build_once(project)
    brief = out / "alpha/general.pdf"
    brief.unlink()
    brief.mkdir()
    assert_one_error(invoke(project), brief, "is a folder")


class StyleAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.styles += [value or "" for name, value in attrs if name == "style"]


def test_a_hand_edited_state_file_cannot_put_css_into_the_index(project: Path) -> None:
    out = build_once(project)
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    for record in state["outputs"].values():
        record["color"] = "url(https://tracker.example/pixel)"
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    result = invoke(project, "-q")
    assert result.exit_code == 0, result.output
    parser = StyleAttributes()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    assert parser.styles, "the index colours its editions"
    assert not [style for style in parser.styles if "url(" in style]
