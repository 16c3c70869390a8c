"""The index page: every brief in the output folder by article, for handing out.

Kept apart from :mod:`pipeline.publish` so that a rebuild whose index is unchanged never loads
it (nor Jinja2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from .publish import INDEX_TEMPLATE, ArticleInfo, Artifact
from ..render import FORMATS


@dataclass(frozen=True)
class IndexFile:
    """One file of an edition, as the index lists it."""

    format: str
    path: str
    bytes: int
    size: str
    sha256: str
    pages: int | None


@dataclass(frozen=True)
class IndexEdition:
    """One edition of an article with its files."""

    id: str
    title: str
    color: str | None
    files: tuple[IndexFile, ...]


@dataclass(frozen=True)
class IndexArticle:
    """One article with every edition built of it."""

    slug: str
    info: ArticleInfo
    editions: tuple[IndexEdition, ...]


def index_entries(
    artifacts: Iterable[Artifact],
    articles: Mapping[str, ArticleInfo],
    editions: Mapping[str, tuple[str, str | None]],
    edition_order: Sequence[str] = (),
) -> tuple[IndexArticle, ...]:
    """Group artifacts by article, then edition, in a stable order.

    ``editions`` maps an edition id to its title and colour; ``edition_order`` lists edition ids
    in the order the project defines them (the general edition first); others follow by id.
    """
    rank = {eid: i for i, eid in enumerate(edition_order)}
    format_rank = {fmt: i for i, fmt in enumerate(FORMATS)}
    grouped: dict[str, dict[str, list[Artifact]]] = {}
    for artifact in artifacts:
        grouped.setdefault(artifact.article, {}).setdefault(artifact.focus, []).append(artifact)
    result = []
    for slug in sorted(grouped):
        info = articles.get(slug) or ArticleInfo(slug, "")
        items = []
        for eid in sorted(grouped[slug], key=lambda e: (rank.get(e, len(rank)), e)):
            title, color = editions.get(eid, (eid, None))
            files = tuple(
                IndexFile(a.format, a.path, a.bytes, human_size(a.bytes), a.sha256, a.pages)
                for a in sorted(
                    grouped[slug][eid], key=lambda a: (format_rank.get(a.format, 99), a.format)
                )
            )
            items.append(IndexEdition(eid, title, color, files))
        result.append(IndexArticle(slug, info, tuple(items)))
    return tuple(result)


def human_size(size: int) -> str:
    """A file size as a reader wants it: 820 bytes, 12.5 KB, 91 KB, 1.4 MB (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 10 * 1024:
        return f"{size / 1024:.1f} KB"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def index_bytes(
    entries: Sequence[IndexArticle], template_dirs: tuple[Path, ...], accent: str
) -> bytes:
    """The index page: every brief by article, with links, sizes, pages and SHA-256."""
    from ..render import html

    env = html.environment(template_dirs)
    values: dict[str, Any] = {
        "articles": entries,
        "briefs": sum(len(e.editions) for e in entries),
        "files": sum(len(ed.files) for e in entries for ed in e.editions),
        "accent": accent,
        "css": html.read_stylesheet(env),
        "generator": f"make-brief {__version__}",
    }
    return html.render_template(env, INDEX_TEMPLATE, values).encode("utf-8")
