"""What a build is asked for, what it reports as it goes, and what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..render import format_names
from .artifacts import Artifact
from .editions import ALL

if TYPE_CHECKING:
    from ..sources import Warnings
    from .shard import Shard

#: The version of the JSON ``make-brief --json`` and ``make-brief check --json`` print; it
#: changes only when a key is removed or changes meaning (new keys may appear without it).
JSON_SCHEMA = 1


def warnings_json(warnings: Warnings) -> list[dict[str, object]]:
    """Warnings as JSON objects: the file, the line (null when none applies) and the message."""
    return [{"path": str(w.path), "line": w.line, "message": w.message} for w in warnings]


@dataclass(frozen=True)
class BuildOptions:
    """What to build, as the command line asked."""

    #: ``--focus`` values: focus ids, ``general``, ``all``, ids joined with "+".
    focuses: tuple[str, ...] = (ALL,)
    #: Format names; by default every registered format.
    formats: tuple[str, ...] = field(default_factory=format_names)
    #: Article slugs; none means every article.
    articles: tuple[str, ...] = ()
    out_dir: Path | None = None
    #: Worker processes; None means one per CPU. With 1 (or one job) no pool is started.
    jobs: int | None = None
    #: Rebuild every requested target even when it is up to date.
    force: bool = False
    #: Also write a reproducible zip of the briefs, the index and the manifest here.
    dist: Path | None = None
    #: Build only this part of the targets (for splitting a build across CI runners).
    shard: Shard | None = None
    #: Sign every PDF brief (``--sign``; see :mod:`pipeline.build.sign`).
    sign: bool = False


@dataclass
class BuildResult:
    """What a build did."""

    out_dir: Path
    built: list[Artifact] = field(default_factory=list)
    up_to_date: list[Artifact] = field(default_factory=list)
    #: Outputs deleted because their article or focus is gone from the sources.
    removed: list[Artifact] = field(default_factory=list)
    #: Every artifact in the output folder, as the manifest lists them (sorted by path).
    artifacts: list[Artifact] = field(default_factory=list)
    inputs_sha256: str = ""
    warnings: Warnings = field(default_factory=list)
    seconds: float = 0.0
    #: The entries of the zip written for ``BuildOptions.dist``.
    dist: list[str] = field(default_factory=list)
    #: One-line notes about what the build left out (no thumbnails without pypdfium2).
    notes: list[str] = field(default_factory=list)

    def summary_json(self, dist: Path | None = None) -> dict[str, object]:
        """What ``make-brief --json`` prints: the build as the README's schema describes it.

        Each artifact is its manifest entry; ``dist`` is the zip written, if one was asked for.
        """
        return {
            "schema": JSON_SCHEMA,
            "out_dir": str(self.out_dir),
            "built": [a.to_json() for a in self.built],
            "up_to_date": [a.to_json() for a in self.up_to_date],
            "removed": [a.to_json() for a in self.removed],
            "warnings": warnings_json(self.warnings),
            "seconds": round(self.seconds, 3),
            "dist": None if dist is None else {"path": str(dist), "files": len(self.dist)},
        }


class Progress(Protocol):
    """Where a build reports what it does; the CLI turns this into lines or a progress bar."""

    def start(self, total: int) -> None:
        """The build is about to render ``total`` artifacts."""

    def done(self, status: str, artifact: Artifact) -> None:
        """One artifact is settled; ``status`` is "built", "up to date" or "removed"."""
