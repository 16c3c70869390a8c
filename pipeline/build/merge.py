"""``make-brief merge``: the output folders of a build's shards, checked and published as one."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError
from ..sources import Project
from .fingerprint import HashCache
from .options import BuildOptions, BuildResult
from .outdir import (
    LOCK_NAME,
    OutputLock,
    read_regular,
    stat_regular,
    sweep_temporary,
    write_atomic,
)
from .plan import BuildInputs, read_inputs
from .run import fingerprints_of, publish_folder
from .state import STATE_FILE, BuildState

if TYPE_CHECKING:
    from .shard import ShardOutput


def merge(project: Project, folders: Sequence[Path], out_dir: Path | None = None) -> BuildResult:
    """Combine the output folders of a build's shards (``--shard K/N``) into one output folder.

    The folders must hold every part of one build, each once, built from the sources,
    templates and code of ``project`` as they are now; the output folder must be new or empty.
    Every file is checked against its part's manifest as it is copied, and the manifest and
    index are made as a whole build makes them: the folder is byte for byte what ``make-brief``
    without ``--shard`` writes, and later builds into it are incremental as usual.
    """
    started = time.perf_counter()
    from .shard import check_parts, read_shard_output  # only a merge reads shard folders

    parts = [read_shard_output(folder) for folder in folders]
    check_parts(parts)
    first = parts[0]
    options = BuildOptions(
        focuses=first.focuses, formats=first.formats, articles=first.articles, out_dir=out_dir
    )
    target = options.out_dir or project.root / "build"
    result = BuildResult(target)
    inputs = read_inputs(project, options, result.warnings)
    with OutputLock(target):
        _merge(inputs, parts, result)
    result.seconds = time.perf_counter() - started
    return result


def _merge(inputs: BuildInputs, parts: Sequence[ShardOutput], result: BuildResult) -> None:
    """Copy every part's files into ``result.out_dir``, checked, and publish them as one build."""
    out_dir = result.out_dir
    sweep_temporary(out_dir)  # what a killed merge left
    present = sorted(p.name for p in out_dir.iterdir() if p.name != LOCK_NAME)
    if present:
        raise BuildError(
            f"not empty (it holds {', '.join(present[:3])}{'...' if len(present) > 3 else ''}"
            "): merge shards into a new folder",
            out_dir,
        )
    hashes = HashCache()
    fingerprints = fingerprints_of(inputs, hashes)
    if inputs.whole_build_sha256(fingerprints, hashes) != parts[0].inputs_sha256:
        raise BuildError(
            "the shards were built from other sources, templates, code or SOURCE_DATE_EPOCH "
            f"than {inputs.project.root.resolve()} has now: merge from the checkout they were "
            "built from",
            parts[0].folder,
        )
    merged = BuildState()
    for part in parts:
        state = _part_state(part)
        for path, record in sorted(state.outputs.items()):
            source = part.folder / path
            # Never through a link: a shard folder comes from another runner, or a cache.
            data = read_regular(source, part.folder)
            if data is None:
                raise BuildError("is missing: its shard's manifest lists it", source)
            if hashlib.sha256(data).hexdigest() != record.artifact.sha256:
                raise BuildError("changed since its shard was built", source)
            thumbnail = record.artifact.thumbnail
            if thumbnail is not None:
                picture = read_regular(part.folder / thumbnail.path, part.folder)
                if picture is None or hashlib.sha256(picture).hexdigest() != thumbnail.sha256:
                    raise BuildError(
                        "is missing or changed: its shard's manifest lists it",
                        part.folder / thumbnail.path,
                    )
                write_atomic(out_dir / thumbnail.path, picture, out_dir)
            written = write_atomic(out_dir / path, data, out_dir)
            merged.outputs[path] = replace(record, mtime_ns=written.st_mtime_ns)
        merged.articles.update(state.articles)
    editions = {eid: e for eid, e in merged.editions(inputs.focuses).items() if e is not None}
    publish_folder(out_dir, inputs, merged, hashes, fingerprints, editions, result)


def _part_state(part: ShardOutput) -> BuildState:
    """A shard's build state: it holds each file's input key, and must match the manifest."""
    if stat_regular(part.folder / STATE_FILE, part.folder) is None:
        raise BuildError(
            f"no {STATE_FILE}: copy the whole output folder of the shard build, hidden files too",
            part.folder,
        )
    state = BuildState.load(part.folder)
    keys = {path: r.artifact.sha256 for path, r in state.outputs.items() if r.key}
    if keys != dict(part.artifacts):
        raise BuildError(
            f"{STATE_FILE} does not describe the files the manifest lists", part.folder
        )
    return state
