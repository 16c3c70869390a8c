"""Output formats: a registry of format declarations, and what every renderer shares.

Each format is a :class:`Format`: its name, the ending of its files, the module that renders
it and what the build, the index and ``make-brief check`` need to know about it. The module is
imported only when a brief of that format is rendered, so a build that renders no PDF never
pays for importing ReportLab. Adding a format means one renderer module (``render(brief,
context) -> bytes`` and ``prepare(context)``) and one :func:`register_format` call.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from ..errors import BriefError
from ..sources import ID_PATTERN, collect

if TYPE_CHECKING:
    # Imported where used: the CLI reads this registry for its options, and a rebuild with
    # nothing to do (see pipeline.build.stamp) never makes a model object.
    from ..model import Article, Brief, BriefBlock, Organisation, Run
    from ..sources import Warnings
    from ..sources.theme import Theme


@dataclass(frozen=True)
class CheckInputs:
    """What ``make-brief check`` hands a format once the theme has been read."""

    context: RenderContext
    #: Every article that could be read.
    articles: tuple[Article, ...]
    #: The general brief of each article, to render; empty when the templates do not compile
    #: or no focus could be read (a brief is weighed against the focuses).
    briefs: tuple[Brief, ...]


@dataclass(frozen=True)
class Format:
    """One output format, as everything outside its renderer module knows it."""

    #: How ``--format``, the manifest and the index name it: "pdf".
    name: str
    #: How its files end, without the dot: ``<article>/<edition>.<extension>``.
    extension: str
    #: The dotted name of its renderer module, imported on first use.
    module: str
    #: How the index labels its files: "PDF".
    label: str
    #: The media type the index gives its links ("" for none).
    media_type: str = ""
    #: Whether a brief in this format links to the same brief in the other formats built, so
    #: its bytes (and its input key) depend on which those are.
    links_to_other_formats: bool = False
    #: The number of pages of a file of this format, read from its bytes; None for formats
    #: without pages.
    count_pages: Callable[[bytes], int | None] | None = None
    #: Warnings about an article in this format (characters no font of the theme has), given
    #: the context its briefs render in.
    article_warnings: Callable[[Article, RenderContext], Warnings] | None = None
    #: What ``check`` finds wrong with its templates, given the template search path.
    check_templates: Callable[[tuple[Path, ...]], list[BriefError]] | None = None
    #: What ``check`` finds wrong once the theme is read (fonts, a brief of every article);
    #: warnings go to the list given.
    check_briefs: Callable[[CheckInputs, Warnings], list[BriefError]] | None = None


#: Format name -> declaration, in the order the index lists formats and a build makes them.
_FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    """Make ``fmt`` buildable (after those already registered); a name is registered once."""
    if fmt.name in _FORMATS:
        raise ValueError(f"format '{fmt.name}' is already registered")
    _FORMATS[fmt.name] = fmt
    return fmt


def unregister_format(name: str) -> None:
    """Forget the format called ``name``."""
    del _FORMATS[name]


def formats() -> tuple[Format, ...]:
    """Every registered format, in order."""
    return tuple(_FORMATS.values())


def format_names() -> tuple[str, ...]:
    """The names of every registered format, in order."""
    return tuple(_FORMATS)


def find_format(name: str) -> Format | None:
    """The format called ``name``, or None when there is none."""
    return _FORMATS.get(name)


def get_format(name: str) -> Format:
    """The format called ``name``; asking for an unregistered one is a programming error."""
    return _FORMATS[name]


# --- where a brief's file lives -------------------------------------------------------------

#: An edition id: "general", a focus id, or focus ids joined with "+".
EDITION_ID = re.compile(rf"{ID_PATTERN.pattern}(?:\+{ID_PATTERN.pattern})*")
#: A brief's path in the output folder: ``<article>/<edition>.<extension>``.
_BRIEF_PATH = re.compile(rf"({ID_PATTERN.pattern})/({EDITION_ID.pattern})\.([a-z0-9]+)")


@dataclass(frozen=True)
class BriefPath:
    """The parts of a brief's path in the output folder."""

    article: str
    edition_id: str
    extension: str


def brief_path(article: str, edition_id: str, fmt: str) -> str:
    """Where the brief of ``article`` in ``edition_id`` and format ``fmt`` goes, with "/"."""
    return f"{article}/{edition_id}.{get_format(fmt).extension}"


def parse_brief_path(path: str) -> BriefPath | None:
    """The parts of a path :func:`brief_path` makes, or None for any other path."""
    match = _BRIEF_PATH.fullmatch(path)
    return BriefPath(*match.groups()) if match else None


# --- rendering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderContext:
    """What a renderer needs besides the brief: the look, the templates, the sibling formats."""

    theme: Theme
    #: Template folders, searched in order (the project's first, then the built-in ones).
    template_dirs: tuple[Path, ...]
    #: Every format built for this brief, so each can link to the others.
    formats: tuple[str, ...] = field(default_factory=format_names)
    #: Where the output folder is published (ending in "/"), if the project says; else "".
    base_url: str = ""
    #: Who publishes the briefs (``sources/project.yaml``), shown on each first page; or None.
    organisation: Organisation | None = None
    #: Whether a page-1 picture of each PDF brief is published beside it (``<edition>.png``).
    thumbnails: bool = False
    #: Where renderers keep what they compile (templates) from one build to the next, or None
    #: to keep nothing. It changes no byte of any output, so it takes no part in comparisons.
    compiled: CompiledStore | None = field(default=None, compare=False)

    def published_url(self, brief: Brief, fmt: str) -> str:
        """The web address of ``brief`` in ``fmt`` once published, or "" without a base URL."""
        if not self.base_url:
            return ""
        return self.base_url + brief_path(brief.article.slug, brief.edition.id, fmt)

    def preview_url(self, brief: Brief) -> str:
        """The web address of the page-1 picture of ``brief``'s PDF, or "" when none is
        published."""
        if not (self.base_url and self.thumbnails and "pdf" in self.formats):
            return ""
        return f"{self.base_url}{brief.article.slug}/{brief.edition.id}.png"


class CompiledStore(Protocol):
    """Entries kept between builds, by name: read at once, written only if the build succeeds.

    An entry that cannot be read, or was damaged, reads as None: the caller compiles again.
    """

    def read(self, name: str) -> bytes | None: ...

    def keep(self, name: str, data: bytes) -> None:
        """Hold ``data`` as entry ``name``, to be written once the build has succeeded."""


class Renderer(Protocol):
    """The interface of a renderer module."""

    def render(self, brief: Brief, context: RenderContext) -> bytes: ...

    def prepare(self, context: RenderContext) -> None:
        """Do the work every brief of ``context`` shares (fonts, templates) ahead of the first."""


def renderer(fmt: str) -> Renderer:
    """The renderer module of the format called ``fmt``, imported on first use."""
    return cast(Renderer, importlib.import_module(get_format(fmt).module))


# --- the formats make-brief ships -----------------------------------------------------------
# Their hooks import the renderer only when called: knowing about a format costs nothing.

_PDF_PAGES = re.compile(rb"/Count (\d+) /Kids")


def _pdf_pages(data: bytes) -> int | None:
    """Pages of a PDF written by ReportLab, read from its page tree root."""
    match = _PDF_PAGES.search(data)
    return int(match.group(1)) if match else None


def _pdf_glyph_warnings(article: Article, context: RenderContext) -> Warnings:
    from .pdf.fonts import keep_faces_in
    from .pdf.scripts import glyph_warnings

    # The first brief's faces are parsed here: kept in the build's store like the rest.
    keep_faces_in(context.compiled)
    return glyph_warnings(article, context.theme)


def _pdf_check(inputs: CheckInputs, warnings: Warnings) -> list[BriefError]:
    """The theme's fonts must register; then every character of an article needs a font."""
    from . import pdf

    theme = inputs.context.theme
    problems: list[BriefError] = []
    if collect(lambda: pdf.fonts_for(theme), problems) is not None:
        for article in inputs.articles:
            warnings += _pdf_glyph_warnings(article, inputs.context)
    return problems


def _html_template_problems(template_dirs: tuple[Path, ...]) -> list[BriefError]:
    from . import html

    return html.template_problems(html.environment(template_dirs))


def _html_check(inputs: CheckInputs, warnings: Warnings) -> list[BriefError]:
    """Render every brief, which finds what only rendering shows (undefined variables)."""
    from . import html

    problems: list[BriefError] = []
    for brief in inputs.briefs:
        collect(partial(html.render, brief, inputs.context), problems)
    return problems


register_format(
    Format(
        name="pdf",
        extension="pdf",
        module=f"{__name__}.pdf",
        label="PDF",
        media_type="application/pdf",
        count_pages=_pdf_pages,
        article_warnings=_pdf_glyph_warnings,
        check_briefs=_pdf_check,
    )
)
register_format(
    Format(
        name="html",
        extension="html",
        module=f"{__name__}.html",
        label="HTML",
        media_type="text/html",
        # The page links to the PDF, when one is built.
        links_to_other_formats=True,
        check_templates=_html_template_problems,
        check_briefs=_html_check,
    )
)


# --- what renderers share -------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A stretch of a block with one highlight state, as runs cut at the highlight's edges."""

    highlighted: bool
    runs: tuple[Run, ...]


def pieces(item: BriefBlock) -> list[Piece]:
    """Cut a block's runs where highlights start and end, so a renderer can wrap each piece."""
    if not item.highlights:  # most blocks: one piece, nothing to cut
        runs = tuple(run for run in item.block.runs if run.text or run.note)
        return [Piece(False, runs)] if runs else []
    edges = {p for span in item.highlights for p in (span.start, span.end)}
    cuts = sorted({0, len(item.block.text)} | edges)
    result: list[Piece] = []
    for a, b in pairwise(cuts):
        highlighted = any(s.start <= a and b <= s.end for s in item.highlights)
        runs = tuple(_slice_runs(item.block.runs, a, b))
        if result and result[-1].highlighted == highlighted:
            result[-1] = Piece(highlighted, result[-1].runs + runs)
        elif runs:
            result.append(Piece(highlighted, runs))
    return result


def clip(item: BriefBlock, start: int, end: int) -> BriefBlock:
    """The stretch ``[start, end)`` of a block's text as a block of its own, highlights kept."""
    from ..model import BriefBlock, Span

    block = item.block
    runs = tuple(_slice_runs(block.runs, start, end))
    spans = tuple(
        Span(max(s.start, start) - start, min(s.end, end) - start)
        for s in item.highlights
        if s.start < end and s.end > start
    )
    return BriefBlock(replace(block, runs=runs), spans)


def _slice_runs(runs: tuple[Run, ...], start: int, end: int) -> Iterator[Run]:
    offset = 0
    for run in runs:
        low, high = max(start, offset), min(end, offset + len(run.text))
        if low < high:
            yield replace(run, text=run.text[low - offset : high - offset])
        elif run.note and start <= offset <= end and (offset > start or start == 0):
            yield run  # a footnote reference (no text) goes with the text before it
        offset += len(run.text)
