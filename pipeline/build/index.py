"""The index page: every brief in the output folder by article, for handing out.

It is rendered only when what it shows changed, so a rebuild whose index is unchanged never
loads the HTML renderer (nor Jinja2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..model import Article, Edition
from ..render import find_format, format_names
from .artifacts import ArticleInfo, Artifact, Thumbnail
from .outdir import read_regular, write_atomic

if TYPE_CHECKING:
    from ..render import CompiledStore
    from .state import BuildState

INDEX = "index.html"
#: The Atom feed's name in the output folder (see :mod:`pipeline.build.feed`).
FEED = "feed.xml"
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
    #: Whether the folder has an Atom feed (``feed.xml``) for the page to link.
    feed: bool = False
    #: Where compiled templates are kept between builds, or None.
    compiled: CompiledStore | None = field(default=None, compare=False)


def _listed(
    state: BuildState, inputs: IndexInputs
) -> tuple[list[Artifact], dict[str, ArticleInfo], dict[str, tuple[str, str | None]], list[str]]:
    """What the index lists: the artifacts, the articles, each edition's title and colour, and
    the editions' order."""
    artifacts = sorted((r.artifact for r in state.outputs.values()), key=lambda a: a.path)
    articles = {slug: r.info for slug, r in state.articles.items()}
    editions: dict[str, tuple[str, str | None]] = {}
    for record in state.outputs.values():
        edition_id = record.artifact.edition_id
        if record.edition_title:
            editions[edition_id] = (record.edition_title, record.color)
        elif (edition := inputs.editions.get(edition_id)) is not None:
            editions[edition_id] = (edition.title, edition.color)
    return artifacts, articles, editions, list(inputs.edition_order)


def listed_entries(state: BuildState, inputs: IndexInputs) -> tuple[IndexArticle, ...]:
    """Every brief ``state`` records, by article then edition, as the index and feed list them."""
    return index_entries(*_listed(state, inputs))


@dataclass(frozen=True)
class RenderedIndex:
    """The index page rendered, to be written (:func:`commit_index`)."""

    data: bytes
    #: The hash of everything the page shows, recorded in the state.
    inputs: str


def render_index(out_dir: Path, state: BuildState, inputs: IndexInputs) -> RenderedIndex | None:
    """The index page for the outputs ``state`` records, or None when the one in ``out_dir``
    shows that already. Nothing is written: a broken template fails here, before the files
    beside the page are replaced."""
    artifacts, articles, editions, order = _listed(state, inputs)
    shown = (
        inputs.templates_sha256,
        inputs.toolchain_sha256,
        inputs.accent,
        artifacts,
        sorted(articles.items()),
        sorted(editions.items()),
        order,
        inputs.feed,
    )
    digest = hashlib.sha256(repr(shown).encode("utf-8")).hexdigest()
    recorded = state.index
    if recorded.get("inputs") == digest:
        current = read_regular(out_dir / INDEX, out_dir)
        if current is not None and hashlib.sha256(current).hexdigest() == recorded.get("sha256"):
            return None
    entries = index_entries(artifacts, articles, editions, order)
    data = index_bytes(
        entries, inputs.template_dirs, inputs.accent, feed=inputs.feed, compiled=inputs.compiled
    )
    return RenderedIndex(data, digest)


def commit_index(out_dir: Path, state: BuildState, rendered: RenderedIndex | None) -> None:
    """Write the index page :func:`render_index` made (None: the one there is current)."""
    if rendered is not None:
        write_atomic(out_dir / INDEX, rendered.data, out_dir)
        state.index = {
            "inputs": rendered.inputs,
            "sha256": hashlib.sha256(rendered.data).hexdigest(),
        }


#: What the built-in index page loads from the template search path: a project's own copy of
#: either may break it, and so may anything a project's own index page loads.
INDEX_LOADS = (INDEX_TEMPLATE, "brief.css")


def own_index_templates(template_dirs: Sequence[Path]) -> bool:
    """Whether the index page is rendered from any of a project's own templates (the
    built-in folder is the last on the search path), not the built-in ones alone."""
    return any((folder / name).is_file() for folder in template_dirs[:-1] for name in INDEX_LOADS)


def own_templates(template_dirs: Sequence[Path]) -> bool:
    """Whether a project has templates of its own (``*.j2`` before the built-in folder)."""
    return any(path.is_file() for folder in template_dirs[:-1] for path in folder.rglob("*.j2"))


def try_index(state: BuildState, inputs: IndexInputs) -> None:
    """Render the index page for the outputs ``state`` records and throw it away: what a
    project's own template does wrong with them is raised (as :func:`index_bytes` says it)."""
    index_bytes(
        listed_entries(state, inputs), inputs.template_dirs, inputs.accent, inputs.feed, None
    )


def try_index_of(
    articles: Sequence[Article],
    editions: Sequence[Edition],
    template_dirs: tuple[Path, ...],
    accent: str,
    feed: bool,
    fallback: dt.date,
) -> None:
    """Render the index page a build of every one of ``articles`` in ``editions`` would make,
    and throw it away: what a project's own template does wrong with it is raised. What only a
    build knows stands in: each file empty, of one page, once with a picture beside each PDF
    and once without (a build makes pictures where the library for them is installed)."""
    from ..render import brief_path, get_format
    from .thumbnails import thumbnail_path

    infos = {a.slug: ArticleInfo.of(a, fallback) for a in articles}
    titles = {e.id: (e.title, e.color) for e in editions}
    nothing = hashlib.sha256(b"").hexdigest()
    plain = []
    for article, edition, fmt in itertools.product(articles, editions, format_names()):
        paged = get_format(fmt).count_pages is not None
        path = brief_path(article.slug, edition.id, fmt)
        plain.append(
            Artifact(article.slug, edition.id, fmt, path, 0, nothing, 1 if paged else None)
        )
    pictured = [
        replace(a, thumbnail=Thumbnail(thumbnail_path(a.path), 0, nothing, 1, 1))
        if a.pages is not None
        else a
        for a in plain
    ]
    for artifacts in (pictured, plain):
        entries = index_entries(artifacts, infos, titles, [e.id for e in editions])
        index_bytes(entries, template_dirs, accent, feed, None)


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
    #: The page-1 picture beside a PDF, when there is one.
    thumbnail: Thumbnail | None = None


@dataclass(frozen=True)
class IndexEdition:
    """One edition of an article with its files."""

    id: str
    title: str
    color: str | None
    files: tuple[IndexFile, ...]

    @property
    def thumbnail(self) -> Thumbnail | None:
        """The page-1 picture of the edition's PDF, if one was made."""
        return next((f.thumbnail for f in self.files if f.thumbnail is not None), None)

    @property
    def cover(self) -> IndexFile:
        """The file the card's picture links to: the PDF when there is a picture of it."""
        return next((f for f in self.files if f.thumbnail is not None), self.files[0])


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
        thumbnail=artifact.thumbnail,
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


def shown_date(iso: str, template_dirs: tuple[Path, ...]) -> str:
    """An ISO date as the index shows it ("1 May 2023"), or "" for none."""
    if not iso:
        return ""
    import datetime as dt

    from ..render.labels import labels_for

    return labels_for("en", template_dirs).date(dt.date.fromisoformat(iso))


def index_bytes(
    entries: Sequence[IndexArticle],
    template_dirs: tuple[Path, ...],
    accent: str,
    feed: bool = False,
    compiled: CompiledStore | None = None,
) -> bytes:
    """The index page: every brief by article as cards, with links, sizes, pages and SHA-256."""
    from ..render import html

    env = html.environment(template_dirs, compiled)
    values: dict[str, Any] = {
        "feed": FEED if feed else "",
        "dates": {e.slug: shown_date(e.info.date, template_dirs) for e in entries},
        "articles": entries,
        "briefs": sum(len(e.editions) for e in entries),
        "files": sum(len(ed.files) for e in entries for ed in e.editions),
        "accent": accent,
        "css": html.read_stylesheet(env),
        "generator": f"make-brief {__version__}",
    }
    return html.render_template(env, INDEX_TEMPLATE, values).encode("utf-8")
