"""Renderers: one module per format, each ``render(brief, context) -> bytes``.

The registry maps a format name to its module and imports it only when a brief of that format
is rendered, so a build that renders no PDF never pays for importing ReportLab.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Protocol

from ..model import Brief, BriefBlock, Run, Span
from ..sources.theme import Theme

#: Format name -> module under pipeline.render. Adding a format means adding one module here.
FORMATS: dict[str, str] = {"pdf": "pdf", "html": "html"}
#: Formats whose output depends on which other formats are built (the HTML page links to the
#: PDF only when there is one), so an incremental build knows what to rebuild.
LINKS_TO_OTHER_FORMATS = frozenset({"html"})


@dataclass(frozen=True)
class RenderContext:
    """What a renderer needs besides the brief: the look, the templates, the sibling formats."""

    theme: Theme
    #: Template folders, searched in order (the project's first, then the built-in ones).
    template_dirs: tuple[Path, ...]
    #: Every format built for this brief, so each can link to the others.
    formats: tuple[str, ...] = field(default=tuple(FORMATS))
    #: Where the output folder is published (ending in "/"), if the project says; else "".
    base_url: str = ""

    def published_url(self, brief: Brief, fmt: str) -> str:
        """The web address of ``brief`` in ``fmt`` once published, or "" without a base URL."""
        if not self.base_url:
            return ""
        return f"{self.base_url}{brief.article.slug}/{brief.edition.id}.{fmt}"


class Renderer(Protocol):
    """The interface of a renderer module."""

    def render(self, brief: Brief, context: RenderContext) -> bytes: ...

    def prepare(self, context: RenderContext) -> None:
        """Do the work every brief of ``context`` shares (fonts, templates) ahead of the first."""


def renderer(fmt: str) -> Renderer:
    """The renderer module for ``fmt``, imported on first use."""
    module: Renderer = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")  # type: ignore[assignment]
    return module


@dataclass(frozen=True)
class Piece:
    """A stretch of a block with one highlight state, as runs cut at the highlight's edges."""

    highlighted: bool
    runs: tuple[Run, ...]


def pieces(item: BriefBlock) -> list[Piece]:
    """Cut a block's runs where highlights start and end, so a renderer can wrap each piece."""
    if not item.highlights:  # most blocks: one piece, nothing to cut
        runs = tuple(run for run in item.block.runs if run.text)
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
        offset += len(run.text)
