"""Plan the artifacts, render them, write them atomically, and record them in the manifest.

The library reports progress through a callback and never prints; the CLI decides what to show.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from pathlib import Path

from . import __version__
from .emphasis import emphasise
from .errors import BriefError, BuildError, RenderError, UsageProblem
from .model import Article, Edition, Focus
from .render import FORMATS, RenderContext, renderer
from .sources import Project, Warnings, read_project
from .theme import load_theme

GENERAL = "general"
ALL = "all"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BuildOptions:
    """What to build, as the command line asked."""

    focuses: tuple[str, ...] = (ALL,)
    formats: tuple[str, ...] = tuple(FORMATS)
    articles: tuple[str, ...] = ()
    out_dir: Path | None = None


@dataclass(frozen=True)
class Target:
    """One file to produce: an article in one edition and one format."""

    article: Article
    edition: Edition
    fmt: str

    @property
    def relpath(self) -> str:
        """Path inside the output folder, always with forward slashes."""
        return f"{self.article.slug}/{self.edition.id}.{self.fmt}"

    @property
    def name(self) -> str:
        """How messages name the unit: article, edition and format."""
        return f"{self.article.slug} [{self.edition.id}, {self.fmt}]"


@dataclass(frozen=True)
class Artifact:
    """A file written (or found up to date) by a build, as the manifest lists it."""

    article: str
    focus: str
    format: str
    path: str
    bytes: int
    sha256: str
    pages: int | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "article": self.article,
            "focus": self.focus,
            "format": self.format,
            "path": self.path,
            "bytes": self.bytes,
            "sha256": self.sha256,
        }
        if self.pages is not None:
            data["pages"] = self.pages
        return data


@dataclass
class BuildResult:
    """What a build did."""

    out_dir: Path
    built: list[Artifact] = field(default_factory=list)
    warnings: Warnings = field(default_factory=list)
    seconds: float = 0.0


class Progress(Protocol):
    """Where a build reports what it does; the CLI turns this into lines or a progress bar."""

    def start(self, total: int) -> None:
        """The build is about to produce ``total`` artifacts."""

    def done(self, status: str, artifact: Artifact) -> None:
        """One artifact is finished; ``status`` says how ("built", "up to date")."""


def resolve_editions(specs: Sequence[str], focuses: Mapping[str, Focus]) -> tuple[Edition, ...]:
    """Turn ``--focus`` values into editions: ids, ``general``, ``all`` and ``a+b`` combinations."""
    editions: dict[str, Edition] = {}
    for spec in specs or (ALL,):
        if spec == ALL:
            editions[GENERAL] = Edition(GENERAL, ())
            editions.update({fid: Edition(fid, (f,)) for fid, f in focuses.items()})
            continue
        if spec == GENERAL:
            editions[GENERAL] = Edition(GENERAL, ())
            continue
        ids = [part.strip() for part in spec.split("+")]
        unknown = [i for i in ids if i not in focuses]
        if unknown or not all(ids):
            valid = ", ".join([*focuses, GENERAL, ALL])
            raise UsageProblem(f"unknown focus '{unknown[0] if unknown else spec}' (valid: {valid})")
        chosen = tuple(focuses[i] for i in dict.fromkeys(ids))
        edition_id = "+".join(f.id for f in chosen)
        editions[edition_id] = Edition(edition_id, chosen)
    return tuple(editions.values())


def brief_date(article: Article, environ: Mapping[str, str] = os.environ) -> dt.date:
    """The date a brief shows: the article's, else SOURCE_DATE_EPOCH's, else today (UTC)."""
    if article.date is not None:
        return article.date
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise BuildError(f"SOURCE_DATE_EPOCH must be a number of seconds, not '{epoch}'") from None
    return dt.datetime.now(dt.UTC).date()


def plan(articles: Iterable[Article], editions: Sequence[Edition], formats: Sequence[str]) -> list[Target]:
    """Every target, in a stable order: article, then edition, then format."""
    return [Target(a, e, f) for a in articles for e in editions for f in formats]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, so it appears whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates owner-only files; published briefs get the usual permissions.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_PAGES = re.compile(rb"/Count (\d+) /Kids")


def count_pages(pdf: bytes) -> int | None:
    """Pages of a PDF written by ReportLab, read from its page tree root."""
    match = _PAGES.search(pdf)
    return int(match.group(1)) if match else None


def render_target(target: Target, context: RenderContext, focuses: Sequence[Focus]) -> bytes:
    """Render one target; a failure names the article, edition and format."""
    brief = emphasise(target.article, target.edition, focuses, brief_date(target.article))
    try:
        return renderer(target.fmt).render(brief, context)
    except BriefError:
        raise
    except Exception as exc:  # a renderer bug or a ReportLab layout failure
        raise RenderError(f"cannot build {target.name}: {type(exc).__name__}: {exc}", target.article.path) from exc


def _artifact(target: Target, data: bytes) -> Artifact:
    return Artifact(
        article=target.article.slug,
        focus=target.edition.id,
        format=target.fmt,
        path=target.relpath,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pages=count_pages(data) if target.fmt == "pdf" else None,
    )


def build(project: Project, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build every requested brief of ``project`` into the output folder."""
    started = time.perf_counter()
    out_dir = options.out_dir or project.root / "build"
    result = BuildResult(out_dir)
    sources = read_project(project, result.warnings, options.articles)
    editions = resolve_editions(options.focuses, sources.focuses)
    theme = load_theme(project.templates_dir)
    context = RenderContext(
        theme=theme,
        template_dirs=tuple(d for d in theme.search_dirs if d.is_dir()),
        formats=options.formats,
    )
    focuses = tuple(sources.focuses.values())
    if "pdf" in options.formats:
        from .render.scripts import glyph_warnings

        for article in sources.articles:
            result.warnings += glyph_warnings(article, theme)
    targets = plan(sources.articles, editions, options.formats)
    if progress:
        progress.start(len(targets))
    # A broken template fails every HTML brief alike: render one before writing anything, so
    # such a build stops with the earlier outputs untouched.
    first_html = next((t for t in targets if t.fmt == "html"), None)
    preflight = render_target(first_html, context, focuses) if first_html else b""
    for target in targets:
        data = preflight if target is first_html else render_target(target, context, focuses)
        write_atomic(out_dir / target.relpath, data)
        artifact = _artifact(target, data)
        result.built.append(artifact)
        if progress:
            progress.done("built", artifact)
    write_manifest(out_dir, result.built)
    result.seconds = time.perf_counter() - started
    return result


def read_manifest(out_dir: Path) -> list[Artifact]:
    """The artifacts an earlier build recorded, or none when there is no readable manifest."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return [Artifact(**item) for item in data["artifacts"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def write_manifest(out_dir: Path, artifacts: Iterable[Artifact]) -> None:
    """Merge ``artifacts`` into the manifest, keeping earlier entries whose files still exist."""
    merged = {a.path: a for a in read_manifest(out_dir) if (out_dir / a.path).is_file()}
    merged.update({a.path: a for a in artifacts})
    manifest = {
        "generator": f"make-brief {__version__}",
        "artifacts": [merged[path].to_json() for path in sorted(merged)],
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_atomic(out_dir / MANIFEST, text.encode("utf-8"))
