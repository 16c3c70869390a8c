"""The index page: every brief in the output folder by article, for handing out.

It is rendered only when what it shows changed, so a rebuild whose index is unchanged never
loads the HTML renderer (nor Jinja2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..model import Edition
from ..render import find_format, format_names
from .artifacts import ArticleInfo, Artifact
from .outdir import read_regular, write_atomic

if TYPE_CHECKING:
    from .state import BuildState

INDEX = "index.html"
INDEX_TEMPLATE = "index.html.j2"


@dataclass(frozen=True)
class IndexInputs:
    """What the index page is made from besides the files it lists."""

    template_dirs: tuple[Path, ...]
    #: The theme's accent colour.
    accent: str
    #: Hash of the template, theme and font files the page is rendered with.
    templates_sha256: str
    #: Hash of make-brief's code and the rendering libraries.
    toolchain_sha256: str
    #: Edition ids in the order the project defines them, the general edition first.
    edition_order: tuple[str, ...]
    #: The editions the output folder holds, by id, as the focuses define them now; a file
    #: whose edition's title was not recorded when it was built is shown with these.
    editions: Mapping[str, Edition]


def write_index(out_dir: Path, state: BuildState, inputs: IndexInputs) -> None:
    """Write ``index.html`` for the outputs ``state`` records, unless it shows that already."""
    artifacts = sorted((r.artifact for r in state.outputs.values()), key=lambda a: a.path)
    articles = {slug: r.info for slug, r in state.articles.items()}
    editions: dict[str, tuple[str, str | None]] = {}
    for record in state.outputs.values():
        edition_id = record.artifact.edition_id
        if record.edition_title:
            editions[edition_id] = (record.edition_title, record.color)
        elif (edition := inputs.editions.get(edition_id)) is not None:
            editions[edition_id] = (edition.title, edition.color)
    order = list(inputs.edition_order)
    shown = (
        inputs.templates_sha256,
        inputs.toolchain_sha256,
        inputs.accent,
        artifacts,
        sorted(articles.items()),
        sorted(editions.items()),
        order,
    )
    digest = hashlib.sha256(repr(shown).encode("utf-8")).hexdigest()
    index = out_dir / INDEX
    recorded = state.index
    if recorded.get("inputs") == digest:
        current = read_regular(index, out_dir)
        if current is not None and hashlib.sha256(current).hexdigest() == recorded.get("sha256"):
            return
    entries = index_entries(artifacts, articles, editions, order)
    data = index_bytes(entries, inputs.template_dirs, inputs.accent)
    write_atomic(index, data, out_dir)
    state.index = {"inputs": digest, "sha256": hashlib.sha256(data).hexdigest()}


@dataclass(frozen=True)
class IndexFile:
    """One file of an edition, as the index lists it."""

    format: str
    #: How the page labels the format ("PDF"), and the media type of its link ("" for none).
    label: str
    media_type: str
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
    format_rank = {fmt: i for i, fmt in enumerate(format_names())}
    grouped: dict[str, dict[str, list[Artifact]]] = {}
    for artifact in artifacts:
        by_edition = grouped.setdefault(artifact.article, {})
        by_edition.setdefault(artifact.edition_id, []).append(artifact)
    result = []
    for slug in sorted(grouped):
        info = articles.get(slug) or ArticleInfo(slug, "")
        items = []
        for eid in sorted(grouped[slug], key=lambda e: (rank.get(e, len(rank)), e)):
            title, color = editions.get(eid, (eid, None))
            files = tuple(
                _index_file(a)
                for a in sorted(
                    grouped[slug][eid], key=lambda a: (format_rank.get(a.format, 99), a.format)
                )
            )
            items.append(IndexEdition(eid, title, color, files))
        result.append(IndexArticle(slug, info, tuple(items)))
    return tuple(result)


def _index_file(artifact: Artifact) -> IndexFile:
    fmt = find_format(artifact.format)
    return IndexFile(
        format=artifact.format,
        label=fmt.label if fmt is not None else artifact.format.upper(),
        media_type=fmt.media_type if fmt is not None else "",
        path=artifact.path,
        bytes=artifact.bytes,
        size=human_size(artifact.bytes),
        sha256=artifact.sha256,
        pages=artifact.pages,
    )


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
