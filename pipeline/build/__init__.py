"""Plan the artifacts, skip what is up to date, render the rest, write atomically, publish.

A build goes in four steps:

1. **Read what every target shares** (focuses, theme) and fail on a broken one before anything
   else, reporting every broken source at once.
2. **Plan** (with the output folder locked): compare content hashes of the raw input files
   with what :mod:`pipeline.state` recorded. Outputs whose article or focus is gone are marked
   for removal; an output whose key and file are unchanged is up to date; the rest are jobs.
   Only the articles of jobs are parsed (with every author), and one HTML brief is rendered
   first: a broken source or template stops the build here, having written nothing.
3. **Render the jobs**, in this process or in a pool of worker processes. A worker gets the
   parsed article, an edition and a format (small to pickle) and hands the bytes back; only
   this process writes, so what is on disk is always what the state and manifest say.
4. **Publish**: the manifest, the index page and the state, each written only if it changed,
   and the zip when asked for. This also runs when a job failed, so the manifest describes
   exactly the files on disk before the error is raised.

The library reports progress through a callback and never prints; the CLI decides what to show.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..sources.config import read_config
from ..errors import (
    BriefError,
    BuildError,
    RenderError,
    SourceError,
    UsageProblem,
    raise_problems,
)
from .fingerprint import Fingerprints, HashCache, file_sha256
from ..model import Article, Edition, Focus
from .outdir import LOCK_NAME, OutputLock, write_atomic
from .publish import (
    INDEX,
    INDEX_TEMPLATE,
    MANIFEST,
    ArticleInfo,
    Artifact,
    inputs_digest,
    write_dist,
    write_manifest,
)
from ..render import FORMATS, RenderContext, renderer
from ..sources import (
    Project,
    Warnings,
    read_focuses,
    read_project,
    read_sources,
    select_article_paths,
)
from .state import STATE_FILE, ArticleRecord, BuildState, OutputRecord
from ..sources.theme import load_theme

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .shard import Shard, ShardOutput

__all__ = [
    "ALL",
    "GENERAL",
    "MANIFEST",
    "Artifact",
    "BuildOptions",
    "BuildResult",
    "Progress",
    "Target",
    "brief_date",
    "build",
    "count_pages",
    "default_jobs",
    "render_target",
    "resolve_editions",
    "write_atomic",
]

GENERAL = "general"
ALL = "all"
#: A worker process costs about as much to start, feed and stop as rendering a few briefs:
#: a pool gets one worker for every this many jobs (up to --jobs), and none below two.
JOBS_PER_WORKER = 4


@dataclass(frozen=True)
class BuildOptions:
    """What to build, as the command line asked."""

    focuses: tuple[str, ...] = (ALL,)
    formats: tuple[str, ...] = tuple(FORMATS)
    articles: tuple[str, ...] = ()
    out_dir: Path | None = None
    #: Worker processes; None means one per CPU. With 1 (or one job) no pool is started.
    jobs: int | None = None
    #: Rebuild every requested target even when it is up to date.
    force: bool = False
    #: Also write a reproducible zip of the briefs, the index and the manifest here.
    dist: Path | None = None
    #: Build only this part of the targets (for splitting a build across CI runners).
    shard: Shard | None = None


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


@dataclass
class BuildResult:
    """What a build did."""

    out_dir: Path
    built: list[Artifact] = field(default_factory=list)
    up_to_date: list[Artifact] = field(default_factory=list)
    #: Outputs deleted because their article or focus is gone from the sources.
    removed: list[Artifact] = field(default_factory=list)
    #: Every artifact in the output folder, as the manifest lists them (sorted by path).
    artifacts: list[Artifact] = field(default_factory=list)
    inputs_sha256: str = ""
    warnings: Warnings = field(default_factory=list)
    seconds: float = 0.0
    #: The entries of the zip written for ``BuildOptions.dist``.
    dist: list[str] = field(default_factory=list)


class Progress(Protocol):
    """Where a build reports what it does; the CLI turns this into lines or a progress bar."""

    def start(self, total: int) -> None:
        """The build is about to render ``total`` artifacts."""

    def done(self, status: str, artifact: Artifact) -> None:
        """One artifact is settled; ``status`` is "built", "up to date" or "removed"."""


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
            raise UsageProblem(
                f"unknown focus '{unknown[0] if unknown else spec}' (valid: {valid})"
            )
        chosen = tuple(focuses[i] for i in dict.fromkeys(ids))
        edition_id = "+".join(f.id for f in chosen)
        editions[edition_id] = Edition(edition_id, chosen)
    return tuple(editions.values())


def fallback_date(environ: Mapping[str, str] = os.environ) -> dt.date:
    """The date of a brief whose article has none: SOURCE_DATE_EPOCH's (UTC), else today (UTC)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise BuildError(
                f"SOURCE_DATE_EPOCH must be a number of seconds, not '{epoch}'"
            ) from None
    return dt.datetime.now(dt.UTC).date()


def brief_date(article: Article, environ: Mapping[str, str] = os.environ) -> dt.date:
    """The date a brief shows: the article's, else SOURCE_DATE_EPOCH's, else today (UTC)."""
    return article.date if article.date is not None else fallback_date(environ)


def default_jobs() -> int:
    """One worker per CPU this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_PAGES = re.compile(rb"/Count (\d+) /Kids")


def count_pages(pdf: bytes) -> int | None:
    """Pages of a PDF written by ReportLab, read from its page tree root."""
    match = _PAGES.search(pdf)
    return int(match.group(1)) if match else None


def render_target(
    target: Target, context: RenderContext, focuses: Sequence[Focus], date: dt.date | None = None
) -> bytes:
    """Render one target; an unexpected failure names the article, edition and format.

    ``date`` is the date the brief shows; by default the article's, else SOURCE_DATE_EPOCH's.
    """
    # Imported here: a build with nothing to render never needs the scoring code.
    from ..emphasis import emphasise

    try:
        brief = emphasise(
            target.article, target.edition, focuses, date or brief_date(target.article)
        )
        return renderer(target.fmt).render(brief, context)
    except BriefError:
        raise  # it names its own file and line: a template or theme, the same for every brief
    except Exception as exc:  # a renderer bug or a ReportLab layout failure
        raise RenderError(
            f"cannot build {target.name}: {type(exc).__name__}: {exc}", target.article.path
        ) from exc


# --- jobs: what a worker process receives and returns ----------------------------------------


@dataclass(frozen=True)
class Job:
    """A target to render: the parsed article (small to pickle), an edition and a format."""

    #: Position in the plan, so failures are reported in a stable order.
    order: int
    article: Article
    #: SHA-256 of the article file as planned: what the output is keyed on.
    article_sha256: str
    edition: Edition
    fmt: str

    @property
    def slug(self) -> str:
        return self.article.slug

    @property
    def relpath(self) -> str:
        return f"{self.slug}/{self.edition.id}.{self.fmt}"

    @property
    def name(self) -> str:
        return f"{self.slug} [{self.edition.id}, {self.fmt}]"


@dataclass(frozen=True)
class Shared:
    """What every job of a build needs besides its own target."""

    context: RenderContext
    focuses: tuple[Focus, ...]
    #: The date of briefs whose article has none.
    fallback_date: dt.date


@dataclass(frozen=True)
class Rendered:
    """A job and the bytes it rendered."""

    job: Job
    data: bytes


def run_job(job: Job, shared: Shared) -> Rendered:
    """Render one job's brief (in a worker process or in this one)."""
    target = Target(job.article, job.edition, job.fmt)
    date = job.article.date or shared.fallback_date
    return Rendered(job, render_target(target, shared.context, shared.focuses, date))


def _warm(shared: Shared, formats: set[str]) -> None:
    """Load what every brief of ``formats`` shares, so worker processes forked after it have it.

    Only an optimisation: a broken template or font is reported by the first brief, in order.
    """
    from ..emphasis import matcher

    with contextlib.suppress(Exception):
        for focus in shared.focuses:
            matcher(focus.keywords)
        for fmt in sorted(formats):
            renderer(fmt).prepare(shared.context)


def _quiet_worker() -> None:
    # Ctrl-C reaches every process of the group; the parent stops the pool in order, so the
    # workers leave it to the parent rather than each printing a traceback.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def pool_size(workers: int, jobs: int) -> int:
    """Worker processes for ``jobs`` jobs: at most ``workers``, each with
    :data:`JOBS_PER_WORKER` jobs or more; 0 or 1 means rendering in this process."""
    return min(workers, jobs // JOBS_PER_WORKER)


def start_pool(workers: int, warm: Callable[[], None] | None = None) -> Executor:
    """Start ``workers`` worker processes now, each a copy of this process as it is.

    ``warm`` runs here first, so the workers inherit what it loads (fonts, templates). A pool
    started before the articles are read gives workers whose memory does not grow with the
    number of articles a build has.
    """
    # Imported here: multiprocessing costs start-up time a small build does not need.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if warm is not None:
        warm()
    # Forked workers start at once with this process's imported modules and registered fonts;
    # Linux is where fork is safe and the default start method may not be it (Python 3.14).
    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_quiet_worker)
    # With fork, the first task starts every worker: fork them before this process grows.
    pool.submit(_quiet_worker).result()
    return pool


def execute(
    jobs: Sequence[Job],
    shared: Shared,
    workers: int,
    on_result: Callable[[Rendered], None],
    pool: Executor | None = None,
) -> None:
    """Render ``jobs``, calling ``on_result`` in this process for each success as it arrives.

    In ``pool`` when given, else in up to ``workers`` worker processes, each with at least
    :data:`JOBS_PER_WORKER` jobs; with fewer jobs than that, in this process. On the first
    failure no new job starts; jobs already running finish and are delivered, then the failure
    of the earliest job (in plan order) is raised.
    """
    if pool is None:
        workers = pool_size(workers, len(jobs))
        if workers <= 1:
            for job in jobs:
                on_result(run_job(job, shared))
            return
        with start_pool(workers) as started:
            execute(jobs, shared, workers, on_result, started)
        return
    from concurrent.futures import as_completed

    failures: list[tuple[int, BaseException]] = []
    futures = {pool.submit(run_job, job, shared): job for job in jobs}
    try:
        for future in as_completed(futures):
            # Forget each job once delivered: its bytes are on disk, and a build of
            # thousands of briefs would otherwise hold every one of them until the end.
            job = futures.pop(future)
            if future.cancelled():
                continue
            error = future.exception()
            if error is None:
                on_result(future.result())
                continue
            if not failures:
                for pending in futures:
                    pending.cancel()
            if not isinstance(error, BriefError):  # a worker died, or could not be reached
                message = f"cannot build {job.name}: {type(error).__name__}: {error}"
                error = BuildError(message, job.article.path)
            failures.append((job.order, error))
    except BaseException:
        for pending in futures:
            pending.cancel()
        raise
    if failures:
        raise min(failures, key=lambda item: item[0])[1]


# --- the build --------------------------------------------------------------------------------


def select_articles(project: Project, slugs: Sequence[str]) -> list[Path]:
    """The article files to build: all of them, or those named; a project with none is an error."""
    paths = select_article_paths(project, slugs)
    if not paths:
        raise SourceError("no articles: add sources/articles/<slug>.md", project.articles_dir)
    return paths


def build(project: Project, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build every requested brief of ``project`` that is not up to date, and publish the lot.

    Every source that has to be read, and the HTML template, are checked before anything is
    written: a broken one is raised (several together as a :class:`ProblemList`) with the
    output folder as it was. A brief that fails after that is raised once the manifest, index
    and state describe the files on disk; the failed briefs keep their last good version.
    """
    started = time.perf_counter()
    run = _Build(project, options, progress)
    with OutputLock(run.out_dir):
        run.run()
    run.result.seconds = time.perf_counter() - started
    return run.result


def merge(project: Project, folders: Sequence[Path], out_dir: Path | None = None) -> BuildResult:
    """Combine the output folders of a build's shards (``--shard K/N``) into one output folder.

    The folders must hold every part of one build, each once, built from the sources,
    templates and code of ``project`` as they are now; the output folder must be new or empty.
    Every file is checked against its part's manifest as it is copied, and the manifest and
    index are made as a whole build makes them: the folder is byte for byte what ``make-brief``
    without ``--shard`` writes, and later builds into it are incremental as usual.
    """
    from .shard import check_parts, read_shard_output  # only merging needs the shard files

    started = time.perf_counter()
    parts = [read_shard_output(folder) for folder in folders]
    check_parts(parts)
    first = parts[0]
    options = BuildOptions(
        focuses=first.focuses, formats=first.formats, articles=first.articles, out_dir=out_dir
    )
    run = _Build(project, options, None)
    with OutputLock(run.out_dir):
        run.merge(parts)
    run.result.seconds = time.perf_counter() - started
    return run.result


class _Build:
    """One build's working state; :func:`build` and :func:`merge` are its only users."""

    def __init__(self, project: Project, options: BuildOptions, progress: Progress | None):
        self.project, self.options, self.progress = project, options, progress
        self.out_dir = options.out_dir or project.root / "build"
        self.result = BuildResult(self.out_dir)
        try:
            if not project.focuses_file.is_file():
                raise SourceError(
                    "no focuses.yaml: define the focuses a brief can take", project.focuses_file
                )
            self.focuses = read_focuses(project.focuses_file)
            theme = load_theme(project.templates_dir)
        except BriefError:
            # Report every broken source at once, as check does, when there are several.
            read_project(project, [], options.articles)
            raise
        self.editions = resolve_editions(options.focuses, self.focuses)
        self.article_paths = select_articles(project, options.articles)
        self.formats = tuple(dict.fromkeys(options.formats))
        self.accent = theme.colors["accent"]
        self.context = RenderContext(
            theme=theme,
            template_dirs=tuple(d for d in theme.search_dirs if d.is_dir()),
            formats=self.formats,
            base_url=read_config(project, self.result.warnings).base_url,
        )
        self.existing = {p.stem for p in project.article_paths()}
        self.fallback = fallback_date()
        self.state = BuildState()
        self.hashes = HashCache()

    def run(self) -> None:
        """Plan, check, then write: nothing is written until the plan is known to be sound."""
        self.state = BuildState.load(self.out_dir)
        self.hashes = HashCache(self.state.hashes)
        self.fingerprints = Fingerprints.of(
            self.context.theme, self.focuses, INDEX_TEMPLATE, self.hashes
        )
        vanished = self._vanished()
        self._check_outputs()
        stale = self._plan()
        shared = Shared(self.context, tuple(self.focuses.values()), self.fallback)
        with contextlib.ExitStack() as stack:
            pool = self._pool(stale, shared)
            if pool is not None:
                stack.enter_context(pool)
            self._render(stale, shared, vanished, pool)
        if self.options.dist is not None:
            epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip() or None
            dist = write_dist(self.out_dir, self.options.dist, self.result.artifacts, epoch)
            self.result.dist = dist

    def _pool(
        self, stale: Mapping[Path, list[tuple[Edition, str]]], shared: Shared
    ) -> Executor | None:
        """Worker processes for a build with enough to render, started before any article is read.

        Forked from this process while it is small, and warmed up first (fonts, templates,
        keyword patterns), so each worker's memory stays the same however many articles the
        build reads; the two briefs rendered here before writing leave the rest to share.
        """
        targets = [fmt for targets in stale.values() for _, fmt in targets]
        workers = pool_size(self.options.jobs or default_jobs(), len(targets) - len(set(targets)))
        if workers <= 1:
            return None
        return start_pool(workers, lambda: _warm(shared, set(targets)))

    def _render(
        self,
        stale: Mapping[Path, list[tuple[Edition, str]]],
        shared: Shared,
        vanished: list[OutputRecord],
        pool: Executor | None,
    ) -> None:
        """Read the stale articles, check the first brief of each format, then render the rest."""
        jobs = self._jobs(stale)
        # The first brief of each format is rendered here, before anything is written: a broken
        # template or font setting fails every brief alike, so the build stops with the output
        # folder untouched.
        first: dict[str, Job] = {}
        for job in jobs:
            first.setdefault(job.fmt, job)
        preflight = [run_job(job, shared) for job in first.values()]

        try:
            self._remove(vanished)
            if self.progress:
                self.progress.start(len(jobs))
                for artifact in self.result.up_to_date:
                    self.progress.done("up to date", artifact)
            for rendered in preflight:
                self._record(rendered)
            done = {job.order for job in first.values()}
            rest = [job for job in jobs if job.order not in done]
            execute(rest, shared, self.options.jobs or default_jobs(), self._record, pool)
        except BaseException:
            # The failure that stopped the build is the one to report.
            with contextlib.suppress(BriefError):
                self._publish()
            raise
        self._publish()

    # -- planning: nothing here writes --

    def _vanished(self) -> list[OutputRecord]:
        """Forget outputs whose article or focus is gone from the sources; return them."""
        gone = []
        for path, record in sorted(self.state.outputs.items()):
            artifact = record.artifact
            focus_ids = [] if artifact.focus == GENERAL else artifact.focus.split("+")
            if (
                artifact.article not in self.existing
                or not all(fid in self.focuses for fid in focus_ids)
                or artifact.format not in FORMATS
            ):
                gone.append(record)
                del self.state.outputs[path]
        for slug in list(self.state.articles):
            if slug not in self.existing:
                del self.state.articles[slug]
        return gone

    def _check_outputs(self) -> None:
        """Make the recorded outputs match the disk: drop missing files, re-describe changed ones.

        A file whose size and mtime are as recorded is taken as unchanged; otherwise it is
        hashed. A file changed by hand is listed as it now is, with no key, so it is rebuilt
        whenever it is asked for.
        """
        for path, record in list(self.state.outputs.items()):
            target = self.out_dir / path
            try:
                stat = target.stat()
            except OSError:
                del self.state.outputs[path]
                continue
            if stat.st_size == record.artifact.bytes and stat.st_mtime_ns == record.mtime_ns:
                continue
            data = target.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest == record.artifact.sha256:
                self.state.outputs[path] = replace(record, mtime_ns=stat.st_mtime_ns)
                continue
            artifact = replace(
                record.artifact,
                bytes=len(data),
                sha256=digest,
                pages=count_pages(data) if record.artifact.format == "pdf" else None,
            )
            changed = replace(record, artifact=artifact, key="", mtime_ns=stat.st_mtime_ns)
            self.state.outputs[path] = changed

    def _plan(self) -> dict[Path, list[tuple[Edition, str]]]:
        """Record up-to-date targets in the result; return the rest by article file."""
        stale: dict[Path, list[tuple[Edition, str]]] = {}
        shard = self.options.shard
        for path in self.article_paths:
            slug = path.stem
            sha = self.hashes.sha256(path) or ""
            recorded = self.state.articles.get(slug)
            known = recorded if recorded is not None and recorded.sha256 == sha else None
            for edition in self.editions:
                if shard is not None and not shard.holds(slug, edition.id):
                    continue
                for fmt in self.formats:
                    output = self.state.outputs.get(f"{slug}/{edition.id}.{fmt}")
                    if (
                        not self.options.force
                        and known is not None
                        and output is not None
                        and output.key == self._key(edition, fmt, known)
                    ):
                        self.result.up_to_date.append(output.artifact)
                    else:
                        stale.setdefault(path, []).append((edition, fmt))
        return stale

    def _jobs(self, stale: Mapping[Path, list[tuple[Edition, str]]]) -> list[Job]:
        """Read the articles to rebuild (and every author): all their problems, or the jobs."""
        if not stale:
            return []
        slugs = tuple(path.stem for path in stale)
        sources, problems = read_sources(self.project, self.result.warnings, slugs)
        raise_problems(problems)
        by_slug = {article.slug: article for article in sources.articles}
        jobs: list[Job] = []
        for path, targets in stale.items():
            article = by_slug[path.stem]
            if any(fmt == "pdf" for _, fmt in targets):
                # Imported here: it brings ReportLab, which a build without PDFs never needs.
                from ..render.pdf.scripts import glyph_warnings

                self.result.warnings += glyph_warnings(article, self.context.theme)
            sha = self.hashes.sha256(path) or ""
            self.state.articles[article.slug] = ArticleRecord(
                sha,
                article.author.id,
                article.date is not None,
                ArticleInfo(article.title, article.author.name, article.lang),
            )
            jobs += [Job(len(jobs) + i, article, sha, e, f) for i, (e, f) in enumerate(targets)]
        return jobs

    def _key(self, edition: Edition, fmt: str, article: ArticleRecord) -> str:
        return self.fingerprints.target_key(
            fmt=fmt,
            formats=self.formats,
            article_sha256=article.sha256,
            author_sha256=self.hashes.sha256(self.project.authors_dir / f"{article.author}.md"),
            focus_ids=[f.id for f in edition.focuses],
            date=None if article.dated else self.fallback.isoformat(),
            base_url=self.context.base_url,
        )

    # -- writing --

    def _remove(self, records: list[OutputRecord]) -> None:
        """Delete the outputs of vanished articles and focuses."""
        for record in records:
            target = self.out_dir / record.artifact.path
            try:
                target.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                self.state.outputs[record.artifact.path] = record  # still there, still listed
                raise BuildError(f"cannot remove: {exc.strerror or exc}", target) from exc
            with contextlib.suppress(OSError):  # not empty, or already gone
                target.parent.rmdir()
            self.result.removed.append(record.artifact)
            if self.progress:
                self.progress.done("removed", record.artifact)

    def _record(self, rendered: Rendered) -> None:
        """Write one rendered brief and record it."""
        job, data = rendered.job, rendered.data
        target = self.out_dir / job.relpath
        try:
            write_atomic(target, data)
            mtime_ns = target.stat().st_mtime_ns
        except OSError as exc:
            raise BuildError(f"cannot write: {exc.strerror or exc}", target) from exc
        artifact = Artifact(
            article=job.slug,
            focus=job.edition.id,
            format=job.fmt,
            path=job.relpath,
            bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            pages=count_pages(data) if job.fmt == "pdf" else None,
        )
        key = self._key(job.edition, job.fmt, self.state.articles[job.slug])
        record = OutputRecord(artifact, key, mtime_ns, job.edition.title, job.edition.color)
        self.state.outputs[job.relpath] = record
        self.result.built.append(artifact)
        if self.progress:
            self.progress.done("built", artifact)

    def _publish(self) -> None:
        """Write the manifest, the index and the state, each only if it changed."""
        outputs = self.state.outputs
        artifacts = sorted((r.artifact for r in outputs.values()), key=lambda a: a.path)
        self.result.artifacts = artifacts
        self.result.inputs_sha256 = inputs_digest({p: r.key for p, r in outputs.items()})
        self.state.hashes = self.hashes.used
        try:
            shard = self._shard_record()
            write_manifest(self.out_dir, artifacts, self.result.inputs_sha256, shard)
            self._publish_index(artifacts)
            self.state.save(self.out_dir)
        except OSError as exc:
            where = exc.filename or self.out_dir
            raise BuildError(f"cannot write: {exc.strerror or exc}", where) from exc

    def _edition(self, record: OutputRecord) -> tuple[str, str | None]:
        """Title and colour of an output adopted from a manifest, from the focuses as they are."""
        edition = resolve_editions([record.artifact.focus], self.focuses)[0]
        return edition.title, edition.color

    def _publish_index(self, artifacts: list[Artifact]) -> None:
        articles = {slug: r.info for slug, r in self.state.articles.items()}
        editions = {
            r.artifact.focus: (r.edition_title, r.color) if r.edition_title else self._edition(r)
            for r in self.state.outputs.values()
        }
        order = [GENERAL, *self.focuses]
        inputs = (
            self.fingerprints.index_templates,
            self.fingerprints.toolchain,
            self.accent,
            artifacts,
            sorted(articles.items()),
            sorted(editions.items()),
            order,
        )
        digest = hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()
        index = self.out_dir / INDEX
        recorded = self.state.index
        if recorded.get("inputs") == digest and file_sha256(index) == recorded.get("sha256"):
            return
        from .index import index_bytes, index_entries  # only to render it: it brings Jinja2

        entries = index_entries(artifacts, articles, editions, order)
        data = index_bytes(entries, self.context.template_dirs, self.accent)
        write_atomic(index, data)
        self.state.index = {"inputs": digest, "sha256": hashlib.sha256(data).hexdigest()}

    # -- shards --

    def _whole_inputs(self) -> str:
        """A hash of everything the whole build reads, whichever part of it this process builds.

        Equal for every shard of one build, and different when anything that changes a brief
        or the index differs: sources, focuses, templates, theme, fonts, code, options, date.
        """
        fingerprints = self.fingerprints
        whole = [
            fingerprints.toolchain,
            fingerprints.index_templates,
            fingerprints.all_focuses,
            [(p.stem, self.hashes.sha256(p)) for p in self.article_paths],
            [(p.stem, self.hashes.sha256(p)) for p in self.project.author_paths()],
            [edition.id for edition in self.editions],
            list(self.formats),
            self.fallback.isoformat(),
            self.context.base_url,
        ]
        return hashlib.sha256(json.dumps(whole).encode("utf-8")).hexdigest()

    def _shard_record(self) -> dict[str, object] | None:
        """What a shard's manifest says about it: the part, the whole, and how it was asked for."""
        shard = self.options.shard
        if shard is None:
            return None
        return {
            **shard.to_json(self._whole_inputs()),
            "focuses": list(self.options.focuses),
            "formats": list(self.formats),
            "articles": list(self.options.articles),
        }

    def merge(self, parts: Sequence[ShardOutput]) -> None:
        """Copy every part's files here, checked, and publish them as one build."""
        present = sorted(p.name for p in self.out_dir.iterdir() if p.name != LOCK_NAME)
        if present:
            raise BuildError(
                f"not empty (it holds {', '.join(present[:3])}{'...' if len(present) > 3 else ''}"
                "): merge shards into a new folder",
                self.out_dir,
            )
        self.hashes = HashCache()
        self.fingerprints = Fingerprints.of(
            self.context.theme, self.focuses, INDEX_TEMPLATE, self.hashes
        )
        if self._whole_inputs() != parts[0].inputs_sha256:
            raise BuildError(
                "the shards were built from other sources, templates, code or SOURCE_DATE_EPOCH "
                f"than {self.project.root.resolve()} has now: merge from the checkout they were "
                "built from",
                parts[0].folder,
            )
        merged = BuildState()
        for part in parts:
            state = _part_state(part)
            for path, record in sorted(state.outputs.items()):
                target = self.out_dir / path
                data = (part.folder / path).read_bytes()
                if hashlib.sha256(data).hexdigest() != record.artifact.sha256:
                    raise BuildError("changed since its shard was built", part.folder / path)
                write_atomic(target, data)
                merged.outputs[path] = replace(record, mtime_ns=target.stat().st_mtime_ns)
            merged.articles.update(state.articles)
        self.state = merged
        self._publish()


def _part_state(part: ShardOutput) -> BuildState:
    """A shard's build state: it holds each file's input key, and must match the manifest."""
    if not (part.folder / STATE_FILE).is_file():
        raise BuildError(
            f"no {STATE_FILE}: copy the whole output folder of the shard build, hidden files too",
            part.folder,
        )
    state = BuildState.load(part.folder)
    keys = {path: r.artifact.sha256 for path, r in state.outputs.items() if r.key}
    if keys != dict(part.artifacts):
        raise BuildError(
            f"{STATE_FILE} does not describe the files the manifest lists", part.folder
        )
    return state
