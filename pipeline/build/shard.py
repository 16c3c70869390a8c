"""Split a build across CI runners (``--shard K/N``) and put the parts back together (``merge``).

A target belongs to shard ``hash(article, edition) mod N``: both formats of a brief stay together
(they share one emphasis), and adding an article moves only that article's targets. Each shard
build records in its manifest which shard it is and a hash of everything the whole build reads,
so a merge can refuse parts built from different sources, code or settings. The merged folder
gets one manifest and one index, made the way an unsharded build makes them, so it is byte for
byte the folder an unsharded build writes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, UsageProblem
from ..render import format_names, parse_brief_path
from .editions import ALL
from .outdir import read_regular
from .publish import MANIFEST

_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (1-based) of ``count`` equal parts of a build."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"K/N"``, 1 <= K <= N; anything else is a usage error."""
        match = _SPEC.fullmatch(text)
        if not match:
            raise UsageProblem(f"--shard takes K/N, such as 2/4 (part 2 of 4), not '{text}'")
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1 or not 1 <= index <= count:
            raise UsageProblem(f"--shard {text}: K must be between 1 and N, and N at least 1")
        return cls(index, count)

    def holds(self, article: str, edition_id: str) -> bool:
        """Whether the brief of ``article`` in the edition ``edition_id`` (every format of it) is
        in this part."""
        return shard_of(article, edition_id, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def to_json(
        self,
        inputs_sha256: str,
        focuses: Sequence[str],
        formats: Sequence[str],
        articles: Sequence[str],
    ) -> dict[str, object]:
        """What a shard's manifest records about it: which part, of what whole (the hash of
        everything the whole build reads), and the options it was asked for with."""
        return {
            "index": self.index,
            "count": self.count,
            "inputs_sha256": inputs_sha256,
            "focuses": list(focuses),
            "formats": list(formats),
            "articles": list(articles),
        }


def shard_of(article: str, edition_id: str, count: int) -> int:
    """The part (1-based) of ``count`` that the brief of ``article`` in ``edition_id`` falls in.

    A hash of the two ids alone, so it never depends on what else the project holds.
    """
    digest = hashlib.sha256(f"{article}\0{edition_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


@dataclass(frozen=True)
class ShardOutput:
    """A shard build's output folder, as its manifest describes it."""

    folder: Path
    shard: Shard
    #: Hash of everything the whole (unsharded) build reads: equal for parts of one build.
    inputs_sha256: str
    #: Relative path -> SHA-256 of every artifact the manifest lists.
    artifacts: Mapping[str, str]
    #: The build's options, as given (so a merge publishes what the build would have).
    focuses: tuple[str, ...] = (ALL,)
    formats: tuple[str, ...] = field(default_factory=format_names)
    articles: tuple[str, ...] = ()


def read_shard_output(folder: Path) -> ShardOutput:
    """Read a shard build's manifest; a folder that is not one is a clear error."""
    manifest = folder / MANIFEST
    try:
        raw = read_regular(manifest, folder)
        if raw is None:
            raise BuildError(f"no {MANIFEST}: not the output of a make-brief build", folder)
        data = json.loads(raw.decode("utf-8"))
    except OSError as exc:
        raise BuildError(f"cannot read the manifest: {exc.strerror or exc}", manifest) from exc
    except RecursionError:
        raise BuildError("is not a make-brief manifest: nested too deeply", manifest) from None
    except ValueError as exc:
        raise BuildError(f"cannot read the manifest: {exc}", manifest) from exc
    part = data.get("shard") if isinstance(data, dict) else None
    if not isinstance(part, dict):
        raise BuildError(
            "not a shard: this folder was built without --shard K/N, so there is nothing to merge",
            manifest,
        )
    try:
        index, count = part["index"], part["count"]
        if not (isinstance(index, int) and isinstance(count, int) and 1 <= index <= count):
            raise ValueError(f"index {index!r} of count {count!r}: need 1 <= index <= count")
        shard = Shard(index, count)
        artifacts = {str(a["path"]): str(a["sha256"]) for a in data["artifacts"]}
        return ShardOutput(
            folder,
            shard,
            str(part["inputs_sha256"]),
            artifacts,
            tuple(map(str, part["focuses"])),
            tuple(map(str, part["formats"])),
            tuple(map(str, part["articles"])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BuildError(f"the manifest's shard record is malformed: {exc}", manifest) from exc


def check_parts(parts: list[ShardOutput]) -> None:
    """Refuse parts that are not exactly the N parts of one build."""
    if not parts:
        raise BuildError("nothing to merge: name the output folders of the shard builds")
    first = parts[0]
    for part in parts[1:]:
        if part.shard.count != first.shard.count:
            raise BuildError(
                f"shard {part.shard} does not belong with shard {first.shard} "
                f"({first.folder}): they split the build into different numbers of parts",
                part.folder,
            )
        if part.inputs_sha256 != first.inputs_sha256:
            raise BuildError(
                f"shard {part.shard} was built from different inputs than shard {first.shard} "
                f"({first.folder}): sources, templates, code, options or SOURCE_DATE_EPOCH "
                f"differ (inputs {part.inputs_sha256[:12]} vs {first.inputs_sha256[:12]})",
                part.folder,
            )
    seen: dict[int, Path] = {}
    for part in parts:
        if part.shard.index in seen:
            raise BuildError(
                f"shard {part.shard} is given twice (also {seen[part.shard.index]})", part.folder
            )
        seen[part.shard.index] = part.folder
    missing = [str(k) for k in range(1, first.shard.count + 1) if k not in seen]
    if missing:
        raise BuildError(
            f"shard {', '.join(missing)} of {first.shard.count} missing: a merge needs every part"
        )
    for part in parts:
        for path in part.artifacts:
            brief = parse_brief_path(path)
            if brief is None:
                raise BuildError(f"{path} is not a brief's path", part.folder)
            if not part.shard.holds(brief.article, brief.edition_id):
                belongs = shard_of(brief.article, brief.edition_id, part.shard.count)
                raise BuildError(
                    f"{path} belongs to shard {belongs}/"
                    f"{part.shard.count}, not to shard {part.shard}: build each part into a "
                    "folder of its own",
                    part.folder,
                )
