"""Build one article of 2,000 paragraphs (PDF and HTML, general edition) and report its cost.

    python benchmarks/long_article.py [--paragraphs N] [--trace]

Prints the wall time, the pages written and the process's peak resident set size (ru_maxrss)
before and after the build; with --trace also the peak of Python's own allocations, traced by
tracemalloc (which makes the build several times slower, so the time is then not comparable).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

from pipeline.build import BuildOptions, build
from pipeline.sources import Project

REPO = Path(__file__).resolve().parent.parent
SENTENCES = (
    "Negotiators met again in Geneva to discuss security guarantees and the human rights of "
    "detainees. The regional impact of sanctions on trade with neighbouring countries was "
    "debated at length. Observers said the military balance had not changed since the last "
    "round of talks."
)


def write_project(root: Path, paragraphs: int) -> None:
    """The repository's sources and templates, plus one article of ``paragraphs`` paragraphs."""
    shutil.copytree(REPO / "sources", root / "sources")
    sections = []
    for number in range(paragraphs):
        if number % 20 == 0:
            sections.append(f"## Part {number // 20 + 1}\n")
        sections.append(f"Paragraph {number + 1}. {SENTENCES}\n")
    article = "---\ntitle: A very long article\nauthor: cassie-grissom\ndate: 2024-01-01\n---\n"
    (root / "sources" / "articles" / "very-long.md").write_text(article + "\n".join(sections))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=2000)
    parser.add_argument("--trace", action="store_true", help="also trace Python allocations")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, args.paragraphs)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if args.trace:
            tracemalloc.start()
        started = time.perf_counter()
        result = build(
            Project.at(root),
            BuildOptions(focuses=("general",), articles=("very-long",), out_dir=root / "build"),
        )
        seconds = time.perf_counter() - started
        _, traced_peak = tracemalloc.get_traced_memory()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pdf = next(a for a in result.built if a.format == "pdf")
    html = next(a for a in result.built if a.format == "html")
    print(f"paragraphs: {args.paragraphs}")
    print(f"pdf: {pdf.pages} pages, {pdf.bytes / 1024:.0f} KB; html: {html.bytes / 1024:.0f} KB")
    print(f"build time: {seconds:.1f} s" + (" (tracemalloc on)" if args.trace else ""))
    if args.trace:
        print(f"peak traced Python allocations: {traced_peak / 2**20:.1f} MiB")
    print(
        f"peak RSS: {rss_before / 1024:.0f} MiB before the build, {rss_after / 1024:.0f} MiB after"
    )


if __name__ == "__main__":
    main()
