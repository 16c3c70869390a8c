"""Rendering jobs, in this process or in a pool of worker processes.

A worker gets the parsed article, an edition and a format (small to pickle) and hands the bytes
back; only the parent process writes, so what is on disk is always what the state and manifest
say.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import BriefError, BuildError, RenderError
from ..model import Article, Edition, Focus
from ..render import RenderContext, brief_path, renderer
from .signals import signals_held

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .sign import SigningKey
    from .thumbnails import Picture

#: A worker process costs about as much to start, feed and stop as rendering a few briefs:
#: a pool gets one worker for every this many jobs (up to --jobs), and none below two.
JOBS_PER_WORKER = 4


@dataclass(frozen=True)
class Job:
    """A brief to render: the parsed article (small to pickle), an edition and a format."""

    #: Position in the plan, so failures are reported in a stable order.
    order: int
    article: Article
    #: SHA-256 of the article file as planned: what the output is keyed on.
    article_sha256: str
    edition: Edition
    #: The format's name.
    fmt: str

    @property
    def slug(self) -> str:
        return self.article.slug

    @property
    def relpath(self) -> str:
        """Path inside the output folder, always with forward slashes."""
        return brief_path(self.slug, self.edition.id, self.fmt)

    @property
    def name(self) -> str:
        """How messages name the unit: article, edition and format."""
        return f"{self.slug} [{self.edition.id}, {self.fmt}]"


@dataclass(frozen=True)
class Shared:
    """What every job of a build needs besides its own target."""

    context: RenderContext
    focuses: tuple[Focus, ...]
    #: The date of briefs whose article has none.
    fallback_date: dt.date
    #: The relevance model briefs are weighed with.
    relevance: str = "keyword"
    #: What signs every PDF brief, or None.
    signing: SigningKey | None = None
    #: Whether to render a page-1 thumbnail of every PDF brief.
    thumbnails: bool = False


@dataclass(frozen=True)
class Rendered:
    """A job and the bytes it rendered (a PDF signed when asked), with its thumbnail."""

    job: Job
    data: bytes
    thumbnail: Picture | None = None


def run_job(job: Job, shared: Shared) -> Rendered:
    """Render one job's brief (in a worker process or in this one).

    An unexpected failure names the article, edition and format.
    """
    # Imported here: a build with nothing to render never needs the scoring code.
    from ..emphasis import emphasise

    date = job.article.date or shared.fallback_date
    thumbnail = None
    try:
        brief = emphasise(job.article, job.edition, shared.focuses, date, shared.relevance)
        data = renderer(job.fmt).render(brief, shared.context)
        if job.fmt == "pdf" and shared.signing is not None:
            from .sign import sign_pdf

            data = sign_pdf(data, shared.signing, date, job.article.title)
        if job.fmt == "pdf" and shared.thumbnails:
            from .thumbnails import render_thumbnail

            thumbnail = render_thumbnail(data)
    except BriefError:
        raise  # it names its own file and line: a template or theme, the same for every brief
    except Exception as exc:  # a renderer bug or a ReportLab layout failure
        raise RenderError(
            f"cannot build {job.name}: {type(exc).__name__}: {exc}", job.article.path
        ) from exc
    return Rendered(job, data, thumbnail)


def default_jobs() -> int:
    """One worker per CPU this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pool_size(workers: int, jobs: int) -> int:
    """Worker processes for ``jobs`` jobs: at most ``workers``, each with
    :data:`JOBS_PER_WORKER` jobs or more; 0 or 1 means rendering in this process."""
    return min(workers, jobs // JOBS_PER_WORKER)


def warm_up(shared: Shared, formats: Collection[str]) -> None:
    """Load what every brief of ``formats`` shares, so worker processes forked after it have it.

    Only an optimisation: a broken template or font is reported by the first brief, in order.
    """
    from ..emphasis import matcher

    with contextlib.suppress(Exception):
        for focus in shared.focuses:
            matcher(focus.keywords)
        for fmt in sorted(formats):
            renderer(fmt).prepare(shared.context)


def _init_worker(parent: int) -> None:
    """Set up a worker process of the build process ``parent``."""
    import signal

    # Ctrl-C reaches every process of the group, and SIGTERM every process of a systemd unit
    # or container: the parent stops the pool in order, so the workers leave it to the parent
    # rather than each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _exit_with_parent(parent)


def _exit_with_parent(parent: int) -> None:
    """End this worker as soon as ``parent`` dies, however it dies.

    A worker whose parent was killed (``kill -9``, the OOM killer) would otherwise wait on its
    task queue for ever. On Linux the kernel sends SIGKILL (``PR_SET_PDEATHSIG``); elsewhere,
    or if that cannot be set, a thread checks the parent's pid once a second.
    """
    if not (sys.platform.startswith("linux") and _set_parent_death_signal()):
        import threading

        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the signal was set
        os._exit(1)


def _set_parent_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False if that failed."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _ready() -> None:
    """A task that does nothing: running it starts the pool's workers."""


def start_pool(workers: int, warm: Callable[[], None] | None = None) -> Executor:
    """Start ``workers`` worker processes now, each a copy of this process as it is.

    ``warm`` runs here first, so the workers inherit what it loads (fonts, templates). A pool
    started before the articles are read gives workers whose memory does not grow with the
    number of articles a build has. The workers hold no lock of this process's and end when
    it ends, even when it is killed.
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
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),)
    )
    # With fork, the first task starts every worker: fork them before this process grows.
    pool.submit(_ready).result()
    return pool


def execute(
    jobs: Sequence[Job],
    shared: Shared,
    workers: int,
    on_result: Callable[[Rendered], None],
    pool: Executor | None = None,
    ready: Sequence[Rendered] = (),
) -> None:
    """Render ``jobs``, calling ``on_result`` in this process for each success as it arrives;
    the briefs already rendered (``ready``: a build's first of each format) are delivered
    first, while the jobs render.

    In ``pool`` when given, else in up to ``workers`` worker processes, each with at least
    :data:`JOBS_PER_WORKER` jobs; with fewer jobs than that, in this process. On the first
    failure no new job starts; jobs already running finish and are delivered, then the failure
    of the earliest job (in plan order) is raised.
    """
    if pool is None:
        workers = pool_size(workers, len(jobs))
        if workers <= 1:
            _execute_here(jobs, shared, on_result, ready)
            return
        with start_pool(workers) as started:
            execute(jobs, shared, workers, on_result, started, ready)
        return
    from concurrent.futures import as_completed

    failures: list[tuple[int, BaseException]] = []
    futures = {pool.submit(run_job, job, shared): job for job in jobs}
    try:
        for done in ready:  # while the workers render
            on_result(done)
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


def _execute_here(
    jobs: Sequence[Job],
    shared: Shared,
    on_result: Callable[[Rendered], None],
    ready: Sequence[Rendered] = (),
) -> None:
    """Render ``jobs`` in this process, each delivered to ``on_result`` in a thread of its own
    while the next one renders; the briefs already rendered (``ready``) are delivered first,
    while the first job renders.

    ``on_result`` writes the files, and waits for each to reach the disk before renaming it
    into place: a few milliseconds a file in which this process would otherwise do nothing, as
    long as rendering a short brief's PDF. Delivered in a thread, that wait overlaps the next
    brief's rendering (the wait does not hold the interpreter). Rendering stays in this thread
    (ReportLab and the scoring code are not made for threads), and the deliveries are still one
    at a time and in order. A delivery that fails stops the build before the next one, as when
    they were made here; and whatever stops the build (a failed brief, Ctrl-C) waits for the
    delivery under way, so what is on disk is what the build recorded.
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="make-brief-write") as writer:
        delivering: Future[None] | None = None
        try:
            if ready:
                delivering = writer.submit(_deliver_each, ready, on_result)
            for job in jobs:
                if delivering is not None and delivering.done():
                    delivering.result()  # a failed write stops the build before the next brief
                rendered = run_job(job, shared)
                if delivering is not None:
                    delivering.result()
                delivering = writer.submit(on_result, rendered)
            if delivering is not None:
                delivering.result()
        except BaseException as stopped:
            # The delivery under way finishes first; had it failed, that failure came first. A
            # second Ctrl-C must not cut the wait short: the main thread would leave while the
            # writer renames a brief that no manifest then records.
            with signals_held():
                failed = delivering.exception() if delivering is not None else None
            if failed is None or failed is stopped:
                raise
            raise failed from stopped


def _deliver_each(ready: Sequence[Rendered], on_result: Callable[[Rendered], None]) -> None:
    for done in ready:
        on_result(done)
