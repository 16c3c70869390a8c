"""Writing an import's article and author files, each whole or not at all."""

from __future__ import annotations

from pathlib import Path

from ..build.outdir import write_atomic
from ..errors import BuildError, SourceError
from .plan import ImportPlan


def write_import(plan: ImportPlan, force: bool = False) -> list[Path]:
    """Write the planned files atomically and return their paths.

    Without ``force`` an existing article or author file is never overwritten: the import
    stops, naming the file, before writing anything.
    """
    writes: list[tuple[Path, str]] = [(plan.article_path, plan.article_text)]
    if plan.author_text is not None:
        writes.insert(0, (plan.author_path, plan.author_text))
    if not force:
        for path, _ in writes:
            if path.exists():
                raise SourceError(
                    "already exists: pass --force to overwrite it"
                    + (", or --slug for another name" if path == plan.article_path else ""),
                    path,
                )
    for path, text in writes:
        _write_atomic(path, text)
    return [path for path, _ in writes]


def _write_atomic(path: Path, text: str) -> None:
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise BuildError(f"cannot write: {exc.strerror or exc}", path) from exc
