"""A rebuild with nothing changed, told from file signatures alone: the build's stamp.

After a successful build that built and removed nothing, the stamp (``.make-brief-stamp.json``
in the output folder) records what that build reported and the size, mtime, inode and mode of
every file and folder it could have read: the sources, the template folders, make-brief's code,
the libraries and fonts it hashed, the folders on ``sys.path``; and of every file in the output
folder. The next build with the same options, in the same environment, replays the report
when every signature is unchanged, without reading or parsing a source.

It is trusted the way git trusts its index. A file changed within one timestamp tick of the
moment it was last seen keeps its mtime, so an entry counts only when it changed well before
the build that recorded it started (:data:`RACY_NS`): a stamp with a "racily clean" entry is
never used, and the build checks every content hash as usual (and, once the entries are old
enough, records a stamp that can be used). Any doubt (no stamp, a damaged one, another option,
another day for briefs without a date, a link where a folder was) means the full build.
Every build deletes the stamp as soon as it holds the output folder's lock, so a build that
fails or is killed leaves none behind.

Nothing here imports a reader or a renderer: a replayed build costs its ``stat`` calls.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import BriefError
from ..render import format_names
from .artifacts import Artifact
from .dates import fallback_date
from .options import BuildOptions, BuildResult, Progress
from .outdir import LOCK_NAME, read_regular, remove_file, write_if_changed

if TYPE_CHECKING:
    from ..sources import Project
    from .plan import BuildInputs

STAMP_FILE = ".make-brief-stamp.json"
SCHEMA = 1
#: How long before a build started a file must have last changed for its signature to count:
#: the coarsest timestamp granularity of common filesystems (FAT's 2 s), as for the hash cache.
RACY_NS = 2_000_000_000
#: Folders never watched: Python writes its caches there as it imports.
_SKIPPED = frozenset({"__pycache__"})
#: make-brief's own code and built-in templates, fonts and theme.
_PACKAGE = Path(__file__).resolve().parents[1]

#: A signature: [mode, size, mtime_ns, inode] (a folder's size is left out: 0), or None for
#: a path that does not exist.
Signature = list[int] | None


def signature(path: str, follow: bool = True) -> Signature:
    """What a change to ``path`` changes: its mode, size, mtime and inode (None if missing)."""
    try:
        status = os.stat(path, follow_symlinks=follow)
    except (OSError, ValueError):
        return None
    size = 0 if stat.S_ISDIR(status.st_mode) else status.st_size
    return [status.st_mode, size, status.st_mtime_ns, status.st_ino]


def request(project: Project, options: BuildOptions, out_dir: Path) -> dict[str, object] | None:
    """Everything besides files that decides what a build does; None when the build does more
    than compare (``--force``, ``--dist``, ``--shard``, ``--sign``): it is never replayed."""
    if options.force or options.dist is not None or options.shard is not None or options.sign:
        return None
    try:
        date = fallback_date().isoformat()
    except BriefError:
        return None  # the full build reports it
    return {
        "version": __version__,
        "python": [sys.executable, sys.version, list(sys.path)],
        "package": str(_PACKAGE),
        "cwd": os.getcwd(),
        "project": str(project.root),
        "out_dir": str(out_dir),
        "focuses": list(options.focuses),
        "formats": list(options.formats),
        "articles": list(options.articles),
        "registered": list(format_names()),
        "date": date,
    }


def build(project: Project, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build ``project`` as :func:`pipeline.build.run.build` does; when the stamp shows that
    nothing changed since the last build, replay its report instead (:func:`replay`)."""
    replayed = replay(project, options, progress)
    if replayed is not None:
        return replayed
    from .run import build as build_fully

    return build_fully(project, options, progress)


def replay(
    project: Project, options: BuildOptions, progress: Progress | None
) -> BuildResult | None:
    """The result of building ``project`` when the stamp shows nothing changed since the build
    that wrote it; None (build in full) on any doubt."""
    started = time.perf_counter()
    out_dir = options.out_dir or project.root / "build"
    asked = request(project, options, out_dir)
    if asked is None:
        return None
    try:
        raw = read_regular(out_dir / STAMP_FILE, out_dir)
        if raw is None:
            return None
        data = json.loads(raw)
        if data["schema"] != SCHEMA or data["request"] != asked:
            return None
        checked_at = data["checked_at"]
        if not (
            data["folder"] == _folder(out_dir)
            and _unchanged(data["inputs"], checked_at, follow=True)
            and _unchanged(data["outputs"], checked_at, follow=False)
        ):
            return None
        result = BuildResult(out_dir)
        report = data["result"]
        result.up_to_date = [Artifact.from_json(item) for item in report["up_to_date"]]
        result.artifacts = [Artifact.from_json(item) for item in report["artifacts"]]
        result.inputs_sha256 = str(report["inputs_sha256"])
        result.notes = [str(note) for note in report["notes"]]
        if report["warnings"]:
            from ..sources.problems import SourceWarning

            result.warnings = [
                SourceWarning(str(message), Path(path), line if isinstance(line, int) else None)
                for path, line, message in report["warnings"]
            ]
    except (BriefError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # a damaged or foreign stamp: the full build decides
    if progress is not None:
        progress.start(0)
        for artifact in result.up_to_date:
            progress.done("up to date", artifact)
    result.seconds = time.perf_counter() - started
    return result


def _unchanged(entries: dict[str, Signature], checked_at: int, *, follow: bool) -> bool:
    """Whether every path has its recorded signature, recorded well after it last changed."""
    if not isinstance(checked_at, int) or not entries:
        return False
    for path, recorded in entries.items():
        if recorded is not None and not recorded[2] < checked_at - RACY_NS:
            return False  # racily clean: only its content can tell
        if signature(path, follow) != recorded:
            return False
    return True


def forget(out_dir: Path) -> None:
    """Delete the stamp: the output folder is about to change (called with its lock held)."""
    remove_file(out_dir / STAMP_FILE, out_dir)


def record(
    inputs: BuildInputs,
    options: BuildOptions,
    result: BuildResult,
    hashed: Sequence[str],
    started_ns: int,
) -> bool:
    """Write the stamp of a build that succeeded, if it built and removed nothing and every
    signature is old enough to be trusted; True when one was written.

    ``hashed`` are the files the build hashed (libraries and fonts outside the watched
    folders); ``started_ns`` is when the build started, before it read anything.
    """
    out_dir = result.out_dir
    asked = request(inputs.project, options, out_dir)
    if asked is None or result.built or result.removed or not _replayable(inputs, result):
        return False
    theme = inputs.context.theme
    folders = [inputs.project.sources, *theme.search_dirs, _PACKAGE, inputs.project.templates_dir]
    watched = _watched(folders)
    if watched is None:
        return False
    watched.update((os.path.abspath(path), None) for path in hashed)
    watched.update((os.path.abspath(entry or "."), None) for entry in sys.path)
    inputs_seen = {path: signature(path) for path in sorted(watched)}
    outputs_seen = _output_files(out_dir)
    if outputs_seen is None:
        return False
    entries = [*inputs_seen.values(), *outputs_seen.values()]
    if any(sig is not None and not sig[2] < started_ns - RACY_NS for sig in entries):
        return False  # changed while (or just before) the build ran: its content decides
    data = {
        "schema": SCHEMA,
        "request": asked,
        "checked_at": started_ns,
        "folder": _folder(out_dir),
        "inputs": inputs_seen,
        "outputs": outputs_seen,
        "result": {
            "up_to_date": [a.to_json() for a in result.up_to_date],
            "artifacts": [a.to_json() for a in result.artifacts],
            "inputs_sha256": result.inputs_sha256,
            "notes": result.notes,
            "warnings": [[str(w.path), w.line, w.message] for w in result.warnings],
        },
    }
    text = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return write_if_changed(out_dir / STAMP_FILE, (text + "\n").encode("utf-8"), out_dir)


def _replayable(inputs: BuildInputs, result: BuildResult) -> bool:
    """Whether the stamp can tell everything the build depended on: not with a font looked up
    among the system's fonts (installing one may change which file is used), nor with warnings
    other than a source's."""
    from ..sources.fontfiles import SYSTEM_PREFIX
    from ..sources.problems import SourceWarning
    from .fingerprint import theme_strings

    if any(type(w) is not SourceWarning for w in result.warnings):
        return False
    return not any(s.startswith(SYSTEM_PREFIX) for s in theme_strings(inputs.context.theme))


def _watched(folders: Sequence[Path]) -> dict[str, None] | None:
    """Every file and folder under ``folders`` (a missing one as itself); None when one of
    them holds a link to a folder, whose contents a signature does not cover."""
    found: dict[str, None] = {}
    for folder in folders:
        top = os.path.abspath(folder)
        found[top] = None
        for path, is_link in _walk(top):
            if is_link:
                return None
            found[path] = None
    return found


def _walk(top: str) -> Iterator[tuple[str, bool]]:
    """(path, is a link to a folder) of everything below ``top``, caches left out."""
    try:
        entries = list(os.scandir(top))
    except (NotADirectoryError, FileNotFoundError):
        return
    for entry in entries:
        if entry.name in _SKIPPED or entry.name.endswith(".pyc"):
            continue
        yield entry.path, entry.is_symlink() and entry.is_dir()
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)


def _folder(out_dir: Path) -> Signature:
    """The output folder's mode and inode: its mtime changes with every build's lock file."""
    sig = signature(os.path.abspath(out_dir), follow=False)
    return None if sig is None else [sig[0], sig[3]]


def _output_files(out_dir: Path) -> dict[str, Signature] | None:
    """The signature (not through links) of everything in the output folder but the lock and
    the stamp; None if it holds a link."""
    top = os.path.abspath(out_dir)
    seen: dict[str, Signature] = {}
    for path, _ in _walk(top):
        if os.path.dirname(path) == top and os.path.basename(path) in (LOCK_NAME, STAMP_FILE):
            continue
        sig = signature(path, follow=False)
        if sig is None or stat.S_ISLNK(sig[0]):
            return None
        seen[path] = sig
    return seen
