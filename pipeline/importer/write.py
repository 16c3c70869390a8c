"""Writing an import's article and author files, each whole or not at all."""

from __future__ import annotations

from pathlib import Path

from ..build.outdir import write_atomic
from ..errors import BuildError, SourceError
from .plan import ImportPlan


def write_import(plan: ImportPlan, force: bool = False) -> list[Path]:
    """Write the planned files atomically and return their paths.

    Without ``force`` an existing article or author file, or another image where a figure's
    copy goes, is never overwritten: the import stops, naming the file, before writing
    anything. The images are written first, so the article never names a file not there yet.
    """
    writes: list[tuple[Path, bytes]] = [
        *((copy.target, copy.data) for copy in plan.figures),
        (plan.article_path, plan.article_text.encode("utf-8")),
    ]
    if plan.author_text is not None:
        writes.insert(len(plan.figures), (plan.author_path, plan.author_text.encode("utf-8")))
    if not force:
        for path, data in writes:
            if path.exists() and not (path != plan.article_path and _holds(path, data)):
                raise SourceError(
                    "already exists: pass --force to overwrite it"
                    + (", or --slug for another name" if path == plan.article_path else ""),
                    path,
                )
    for path, text in writes:
        _write_atomic(path, text)
    return [path for path, _ in writes]


def _holds(path: Path, data: bytes) -> bool:
    """Whether a file already holds exactly ``data`` (an image copied by an earlier import)."""
    try:
        return path.is_file() and path.read_bytes() == data
    except OSError:
        return False


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except OSError as exc:
        raise BuildError(f"cannot write: {exc.strerror or exc}", path) from exc
