#!/usr/bin/env python3
"""What tagging costs: median PDF render time of one brief with and without the PDF/UA layer.

    python benchmarks/tagging.py [--renders 50] [--project DIR] [--article SLUG] [--focus ID]

Run it with the Python that has make-brief installed (pip install -e .).

"Without" is the same renderer with pipeline.render.pdf.pdfua switched off: Tags hands back each
flowable unwrapped, and the canvas draws, ends pages and saves as ReportLab's own Canvas does
(no marked content, no structure tree, no XMP or output intent). Renders alternate between
the two, after one warm-up render of each, so both meet the same caches. Times are the
process's CPU time (time.process_time), so other processes on a busy machine count for less
than in wall-clock time. Prints both medians and the difference in milliseconds and per cent.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from reportlab.pdfgen.canvas import Canvas

from pipeline.build import brief_date, resolve_editions
from pipeline.emphasis import emphasise
from pipeline.model import Brief
from pipeline.render import RenderContext, pdf
from pipeline.render.pdf.pdfua import TaggedCanvas, Tags
from pipeline.sources import Project, read_project
from pipeline.sources.theme import load_theme

REPO = Path(__file__).resolve().parent.parent


class _Untagged(Tags):
    """Tags that tag nothing: every flowable goes into the story as it is."""

    def _tagged(self, flowable: Any, *args: Any, **kwargs: Any) -> Any:
        return flowable

    def decoration(self, flowable: Any) -> Any:
        return flowable


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


@contextmanager
def untagged() -> Iterator[None]:
    """Render without the PDF/UA layer, as the renderer did before it."""
    canvas = {
        name: getattr(Canvas, name)
        for name in ("__init__", "drawText", "linkURL", "linkRect", "showPage", "save")
    }
    markers = dict.fromkeys(
        ("begin_artifact", "end_artifact", "begin_content", "end_content"), _nothing
    )
    with (
        mock.patch.object(pdf, "Tags", _Untagged),
        mock.patch.multiple(TaggedCanvas, **canvas, **markers),
    ):
        yield


def _brief(project_dir: Path, slug: str, focus: str) -> tuple[Brief, RenderContext]:
    project = Project.at(project_dir)
    sources = read_project(project, [], (slug,) if slug else ())
    theme = load_theme(project.templates_dir)
    context = RenderContext(
        theme=theme, template_dirs=tuple(d for d in theme.search_dirs if d.is_dir())
    )
    (edition,) = resolve_editions((focus,), sources.focuses)
    article = sources.articles[0]
    return emphasise(
        article, edition, tuple(sources.focuses.values()), brief_date(article)
    ), context


def _time(render: Callable[[], bytes]) -> float:
    started = time.process_time()
    render()
    return time.process_time() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=50, help="renders of each kind (default 50)")
    parser.add_argument(
        "--project", type=Path, default=REPO, help="brief project (default: the seed)"
    )
    parser.add_argument("--article", default="", help="article slug (default: the first)")
    parser.add_argument("--focus", default="human-rights", help="edition (default human-rights)")
    args = parser.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    brief, context = _brief(args.project, args.article, args.focus)

    def tagged() -> bytes:
        return pdf.render(brief, context)

    def plain() -> bytes:
        with untagged():
            return pdf.render(brief, context)

    with_tags, without = tagged(), plain()
    assert b"/StructTreeRoot" in with_tags and b"/StructTreeRoot" not in without
    times: dict[str, list[float]] = {"tagged": [], "untagged": []}
    for _ in range(args.renders):
        times["untagged"].append(_time(plain))
        times["tagged"].append(_time(tagged))
    base, tagged_ms = (statistics.median(times[k]) * 1000 for k in ("untagged", "tagged"))
    print(f"{brief.article.slug} [{brief.edition.id}], {args.renders} renders of each")
    print(f"  without tagging  {base:7.2f} ms  ({len(without) / 1024:.0f} KB)")
    print(f"  with tagging     {tagged_ms:7.2f} ms  ({len(with_tags) / 1024:.0f} KB)")
    print(f"  tagging costs    {tagged_ms - base:7.2f} ms  ({(tagged_ms - base) / base:+.1%})")


if __name__ == "__main__":
    main()
