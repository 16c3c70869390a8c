"""What a build hands out besides the briefs: the manifest, the index page and the zip.

All three are derived from the list of artifacts on disk and nothing else that changes from run
to run, so they are byte-identical whenever the briefs are. The index page itself is made in
:mod:`pipeline.build.index`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import BuildError
from .artifacts import Artifact
from .dates import epoch_moment
from .index import FEED, INDEX, IndexInputs, commit_index, listed_entries, render_index
from .outdir import atomic_writer, read_regular, remove_file, write_if_changed

if TYPE_CHECKING:
    from .state import BuildState

MANIFEST = "manifest.json"
#: How every zip file starts: a local file header, or the end record of an empty zip.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: The earliest time a zip entry can hold; used when SOURCE_DATE_EPOCH is not set.
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_ZIP_LATEST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Published:
    """What the output folder holds once published."""

    #: Every artifact, as the manifest lists them (sorted by path).
    artifacts: list[Artifact]
    #: One hash of everything they were built from.
    inputs_sha256: str


def publish(
    out_dir: Path,
    state: BuildState,
    index: IndexInputs,
    shard: Mapping[str, object] | None = None,
    base_url: str = "",
) -> Published:
    """Write the manifest, the feed (with a ``base_url``), the index and the state, each only
    if it changed.

    They describe exactly the outputs ``state`` records, which are the files on disk.
    """
    outputs = state.outputs
    artifacts = sorted((r.artifact for r in outputs.values()), key=lambda a: a.path)
    digest = inputs_digest({p: r.key for p, r in outputs.items()})
    try:
        # The page first, and only then any file: a project's own index template that fails
        # leaves the manifest and the feed as they were.
        page = render_index(out_dir, state, replace(index, feed=bool(base_url)))
        write_manifest(out_dir, artifacts, digest, shard)
        write_feed(out_dir, state, index, base_url)
        commit_index(out_dir, state, page)
        state.save(out_dir)
    except OSError as exc:
        where = exc.filename or out_dir
        raise BuildError(f"cannot write: {exc.strerror or exc}", where) from exc
    return Published(artifacts, digest)


def write_feed(out_dir: Path, state: BuildState, index: IndexInputs, base_url: str) -> None:
    """Write ``feed.xml`` (with a ``base_url``) unless it says this already; without one,
    remove a feed an earlier build wrote."""
    if not base_url:
        remove_file(out_dir / FEED, out_dir)
        return
    from .feed import feed_bytes

    write_if_changed(out_dir / FEED, feed_bytes(listed_entries(state, index), base_url), out_dir)


# --- manifest ---------------------------------------------------------------------------------


def read_manifest(out_dir: Path) -> list[Artifact]:
    """The artifacts an earlier build recorded, or none when there is no readable manifest.

    A manifest that is a link or not a regular file is an error (see
    :func:`pipeline.build.outdir.refusal`).
    """
    try:
        raw = read_regular(out_dir / MANIFEST, out_dir)
        if raw is None:
            return []
        data = json.loads(raw.decode("utf-8"))
        return [Artifact.from_json(item) for item in data["artifacts"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return []


def inputs_digest(keys: Mapping[str, str]) -> str:
    """One hash of everything the listed artifacts were built from: their paths and input keys."""
    text = json.dumps(sorted(keys.items()), separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest_bytes(
    artifacts: Iterable[Artifact],
    inputs_sha256: str,
    shard: Mapping[str, object] | None = None,
) -> bytes:
    """The manifest: the generator, the inputs' hash and every artifact, sorted by path.

    A shard build adds which part of which build it is (``shard``); a whole build has no such
    entry, so merged shards and an unsharded build write the same bytes.

    One artifact per line: easy to read and to diff, and written by json's C encoder (which
    ``indent`` would turn off), so a manifest of thousands of files costs next to nothing.
    """
    head: dict[str, object] = {
        "generator": f"make-brief {__version__}",
        "inputs_sha256": inputs_sha256,
    }
    if shard is not None:
        head["shard"] = dict(shard)
    lines = [f"  {_json(key)}: {_json(value)}," for key, value in head.items()]
    items = [f"    {_json(a.to_json())}" for a in sorted(artifacts, key=lambda a: a.path)]
    body = ",\n".join(items)
    text = (
        "{\n"
        + "\n".join(lines)
        + '\n  "artifacts": [\n'
        + body
        + ("\n" if items else "")
        + "  ]\n}\n"
    )
    return text.encode("utf-8")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_manifest(
    out_dir: Path,
    artifacts: Iterable[Artifact],
    inputs_sha256: str,
    shard: Mapping[str, object] | None = None,
) -> bool:
    """Write ``manifest.json`` unless it already says exactly this; True when written."""
    data = manifest_bytes(artifacts, inputs_sha256, shard)
    return write_if_changed(out_dir / MANIFEST, data, out_dir)


# --- the zip ----------------------------------------------------------------------------------


def zip_time(source_date_epoch: str | None) -> tuple[int, int, int, int, int, int]:
    """The timestamp every zip entry gets: SOURCE_DATE_EPOCH (UTC) if set, else 1980-01-01."""
    moment = epoch_moment(source_date_epoch) if source_date_epoch else ZIP_EPOCH
    moment = min(max(moment, ZIP_EPOCH), _ZIP_LATEST)
    # Zip stores local-time fields in two-second steps; give it exactly what it will keep.
    return (
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second // 2 * 2,
    )


def check_dist(zip_path: Path, protected: Sequence[tuple[Path, str]]) -> None:
    """Refuse a ``--dist`` path that is not a new or existing regular zip outside ``protected``.

    ``protected`` lists folders (the output folder, ``sources/``, ``templates/``) with how
    to name each. The zip replaces what the path names, so a typo must not replace a brief,
    the manifest, a source or a device.
    """
    if zip_path.suffix.lower() != ".zip" or zip_path.name.startswith("."):
        raise BuildError("--dist must name a .zip file, such as briefs.zip", zip_path)
    try:
        status = os.lstat(zip_path)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise BuildError(f"cannot use for --dist: {exc.strerror or exc}", zip_path) from exc
    if status is not None:
        mode = status.st_mode
        if not stat.S_ISREG(mode):
            kind = (
                "a symbolic link"
                if stat.S_ISLNK(mode)
                else "a folder"
                if stat.S_ISDIR(mode)
                else "not a regular file"
            )
            raise BuildError(f"is {kind}: --dist writes a new zip or replaces a zip", zip_path)
        with zip_path.open("rb") as handle:
            head = handle.read(4)
        if head and head not in _ZIP_MAGIC:
            raise BuildError("is not a zip file: --dist replaces only a zip", zip_path)
    where = zip_path.resolve()
    for folder, name in protected:
        if where.is_relative_to(folder.resolve()):
            raise BuildError(
                f"is inside {name}: write the --dist zip outside the briefs and sources", zip_path
            )


def write_dist(
    out_dir: Path, zip_path: Path, artifacts: Iterable[Artifact], source_date_epoch: str | None
) -> list[str]:
    """Write a reproducible zip of the briefs, the index and the manifest; return its names.

    Same files and SOURCE_DATE_EPOCH give the same bytes: names sorted, one fixed timestamp,
    fixed permissions, no directory entries and no extra fields.
    """
    import zipfile  # only a build asked for a zip needs it

    artifacts = list(artifacts)
    names = {a.path for a in artifacts} | {INDEX, MANIFEST}
    names |= {a.thumbnail.path for a in artifacts if a.thumbnail is not None}
    if read_regular(out_dir / FEED, out_dir) is not None:
        names.add(FEED)
    stamp = zip_time(source_date_epoch)
    try:
        with atomic_writer(zip_path) as handle, zipfile.ZipFile(handle, "w") as archive:
            for name in sorted(names):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, so the permissions below mean the same everywhere
                info.external_attr = 0o100644 << 16
                data = read_regular(out_dir / name, out_dir)
                if data is None:
                    raise BuildError("is gone: it was deleted while the build ran", out_dir / name)
                archive.writestr(info, data, compresslevel=6)
    except OSError as exc:
        where = exc.filename or zip_path
        raise BuildError(f"cannot write the zip: {exc.strerror or exc}", where) from exc
    return sorted(names)
