"""One build, from the sources to a published output folder.

Everything a target shares is read first (:func:`pipeline.build.plan.read_inputs`); then, with
the output folder locked, the build plans, reads the stale articles, renders one brief of each
format before writing anything, deletes what vanished, renders the rest and publishes.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BriefError, BuildError, raise_problems
from ..render import get_format
from ..sources import Project
from . import stamp
from .artifacts import ArticleInfo, Artifact, Thumbnail
from .cache import OutputCache
from .dates import source_date_epoch
from .fingerprint import Fingerprints, HashCache
from .garbage import warming_up
from .index import (
    INDEX_TEMPLATE,
    IndexInputs,
    own_index_templates,
    own_templates,
    try_index,
)
from .options import BuildOptions, BuildResult, Progress
from .outdir import OutputLock, remove_file, sweep_temporary, write_atomic
from .plan import BuildInputs, Keys, Plan, Target, plan, read_inputs
from .publish import check_dist, publish, write_dist
from .signals import signals_held, terminate_as_interrupt
from .state import ArticleRecord, BuildState, OutputRecord
from .thumbnails import INSTALL_NOTE, thumbnail_of, write_thumbnail

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ..model import Edition
    from .workers import Job, Rendered, Shared


def build(project: Project, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build every requested brief of ``project`` that is not up to date, and publish the lot.

    Every source that has to be read, and the first brief of each format, are checked before
    anything is written: a broken one is raised (several together as a :class:`ProblemList`)
    with the output folder as it was. A brief that fails after that is raised once the
    manifest, index and state describe the files on disk; the failed briefs keep their last
    good version.
    """
    with warming_up() as warmed:
        return _build(project, options, progress, warmed)


def _build(
    project: Project, options: BuildOptions, progress: Progress | None, warmed: Callable[[], None]
) -> BuildResult:
    started = time.perf_counter()
    started_ns = time.time_ns()  # before anything is read: what the stamp's entries are held to
    out_dir = options.out_dir or project.root / "build"
    _check_out_dir(out_dir, project)
    result = BuildResult(out_dir)
    if options.dist is not None:
        protected = [
            (out_dir, "the output folder"),
            (project.sources, "sources/"),
            (project.templates_dir, "templates/"),
        ]
        check_dist(options.dist, protected)
    cache = OutputCache(out_dir)
    inputs = read_inputs(project, options, result.warnings, cache)
    with terminate_as_interrupt(), OutputLock(out_dir):
        # Nothing else writes here while the lock is held: a temporary file is what a killed
        # build left.
        sweep_temporary(out_dir)
        stamp.forget(out_dir)  # a build that fails or is killed leaves no stamp to replay
        job = _Build(inputs, options, result, progress, warmed)
        job.run()
        cache.commit()  # only now: a build that failed leaves no entry behind
        stamp.record(inputs, options, result, list(job.hashes.used), started_ns)
    result.seconds = time.perf_counter() - started
    return result


def _check_out_dir(out_dir: Path, project: Project) -> None:
    """Refuse an output folder inside ``sources/`` or ``templates/``: its briefs would be read
    back as sources or templates, and every build would change what the next one is made of."""
    # realpath, not Path.resolve: an --out that is a link in a loop is for the lock to report
    # (:class:`OutputLock`), which Python 3.11's resolve would raise RuntimeError for first.
    where = Path(os.path.realpath(out_dir))
    for folder, name in ((project.sources, "sources/"), (project.templates_dir, "templates/")):
        if where.is_relative_to(folder.resolve()):
            raise BuildError(
                f"is inside {name}: write the briefs to a folder outside the sources and "
                "templates (the default is build/)",
                out_dir,
            )


def publish_folder(
    out_dir: Path,
    inputs: BuildInputs,
    state: BuildState,
    hashes: HashCache,
    fingerprints: Fingerprints,
    editions: Mapping[str, Edition],
    result: BuildResult,
    shard: Mapping[str, object] | None = None,
) -> None:
    """Publish what ``state`` records (see :func:`pipeline.build.publish.publish`) into
    ``result``."""
    state.hashes = hashes.used
    index = index_inputs(inputs, fingerprints, editions)
    published = publish(out_dir, state, index, shard, inputs.context.base_url)
    result.artifacts = published.artifacts
    result.inputs_sha256 = published.inputs_sha256


def index_inputs(
    inputs: BuildInputs, fingerprints: Fingerprints, editions: Mapping[str, Edition]
) -> IndexInputs:
    """What the index page of the build is made from besides the files it lists."""
    return IndexInputs(
        compiled=inputs.context.compiled,
        template_dirs=inputs.context.template_dirs,
        accent=inputs.accent,
        templates_sha256=fingerprints.index_templates,
        toolchain_sha256=fingerprints.toolchain,
        edition_order=inputs.edition_order,
        editions=editions,
    )


def fingerprints_of(inputs: BuildInputs, hashes: HashCache) -> Fingerprints:
    """The hashes every target of the build shares."""
    return Fingerprints.of(
        inputs.context.theme, inputs.focuses, INDEX_TEMPLATE, hashes, inputs.relevance
    )


class _Build:
    """One build's writing: what it deleted, wrote and recorded, reported as it goes."""

    def __init__(
        self,
        inputs: BuildInputs,
        options: BuildOptions,
        result: BuildResult,
        progress: Progress | None,
        warmed: Callable[[], None],
    ):
        self.inputs, self.options, self.result, self.progress = inputs, options, result, progress
        #: Called once what every brief shares is loaded (see :mod:`.garbage`).
        self.warmed = warmed
        self.out_dir = result.out_dir
        self.state = BuildState.load(self.out_dir)
        self.hashes = HashCache(self.state.hashes)
        self.fingerprints = fingerprints_of(inputs, self.hashes)
        self.keys = Keys(inputs, self.fingerprints, self.hashes)

    def run(self) -> None:
        """Plan, check, then write: nothing is written until the plan is known to be sound."""
        todo = plan(self.inputs, self.options, self.state, self.out_dir, self.keys)
        self.result.up_to_date.extend(todo.up_to_date)
        if (
            "pdf" in self.inputs.formats
            and not self.inputs.thumbnails
            and self.inputs.context.base_url
        ):
            # Said to a project that publishes (base_url), whose index and social cards would
            # show them; a laptop build without the extra is not told at every run.
            self.result.notes.append(INSTALL_NOTE)
        if todo.stale:
            self._render(todo)
        else:  # nothing to render: the rendering code is never imported
            self._try_templates(todo, [])
            self._write(todo, lambda: None)
        if self.options.dist is not None:
            artifacts = self.result.artifacts
            dist = write_dist(self.out_dir, self.options.dist, artifacts, source_date_epoch())
            self.result.dist = dist

    def _render(self, todo: Plan) -> None:
        """Read the stale articles, check the first brief of each format, then render the rest,
        in worker processes when there are enough of them (:func:`.workers.pool_size`)."""
        from .workers import Shared, default_jobs, execute, run_job

        shared = Shared(
            self.inputs.context,
            tuple(self.inputs.focuses.values()),
            self.inputs.fallback,
            self.inputs.relevance,
            self.inputs.signing,
            bool(self.inputs.thumbnails),
        )
        with contextlib.ExitStack() as stack:
            pool = self._pool(todo.stale, shared)
            if pool is not None:
                stack.enter_context(pool)
            jobs = self._jobs(todo.stale)
            # The first brief of each format is rendered here, before anything is written: a
            # broken template or font setting fails every brief alike, so the build stops with
            # the output folder untouched.
            first: dict[str, Job] = {}
            for job in jobs:
                first.setdefault(job.fmt, job)
            preflight = [run_job(job, shared) for job in first.values()]
            self.warmed()
            self._try_templates(todo, preflight, jobs)
            done = {job.order for job in first.values()}
            rest = [job for job in jobs if job.order not in done]
            workers = self.options.jobs or default_jobs()
            # The briefs rendered so far are written while the rest render: each waits for the
            # disk (see _execute_here), which would otherwise hold the build up.
            self._write(
                todo,
                lambda: execute(rest, shared, workers, self._record, pool, preflight),
            )

    def _try_templates(
        self, todo: Plan, preflight: list[Rendered], jobs: Sequence[Job] = ()
    ) -> None:
        """Before anything is written, compile a project's own templates and render the index
        page they make, listing what the output folder will hold: the briefs rendered so far,
        and each of the other ``jobs`` with the size, hash, pages and picture of the one of its
        format rendered (a page that reads the third article, or every file's pages, renders
        as it will with them all), so a template that fails leaves every earlier output as it
        was. The built-in templates are not tried: they compile, and render any list of
        briefs."""
        if not (todo.stale or todo.vanished):
            return
        dirs = self.inputs.context.template_dirs
        if own_templates(dirs):
            # Every one compiled, so one a brief includes only now and then fails here too.
            from ..render import html

            raise_problems(
                html.template_problems(html.environment(dirs, self.inputs.context.compiled))
            )
        if not own_index_templates(dirs):
            return
        gone = {record.artifact.path for record in todo.vanished}
        outputs = {path: r for path, r in self.state.outputs.items() if path not in gone}
        first = {rendered.job.fmt: rendered for rendered in preflight}
        shape = {
            fmt: Artifact.of("", "", fmt, "", rendered.data) for fmt, rendered in first.items()
        }
        for job in (*jobs, *(rendered.job for rendered in preflight)):
            stand_in = first.get(job.fmt)
            if stand_in is None:
                continue
            artifact = replace(
                shape[job.fmt], article=job.slug, edition_id=job.edition.id, path=job.relpath
            )
            if stand_in.thumbnail is not None:
                artifact = replace(artifact, thumbnail=thumbnail_of(artifact, stand_in.thumbnail))
            edition = job.edition
            outputs[job.relpath] = OutputRecord(artifact, "", -1, edition.title, edition.color)
        inputs = index_inputs(self.inputs, self.fingerprints, todo.editions)
        try_index(
            BuildState(self.state.articles, outputs),
            replace(inputs, feed=bool(self.inputs.context.base_url)),
        )

    def _pool(self, stale: tuple[Target, ...], shared: Shared) -> Executor | None:
        """Worker processes for a build with enough to render, started before any article is read.

        Forked from this process while it is small, and warmed up first (fonts, templates,
        keyword patterns), so each worker's memory stays the same however many articles the
        build reads; the briefs rendered here before writing (one per format) leave the rest
        to share. A build with fewer jobs renders in this process: for the seed project's
        eight briefs on two cores, a pool of two costs 40% more CPU and is no faster.
        """
        from .workers import default_jobs, pool_size, start_pool, warm_up

        formats = {target.fmt for target in stale}
        workers = pool_size(self.options.jobs or default_jobs(), len(stale) - len(formats))
        if workers <= 1:
            return None

        def warm() -> None:
            warm_up(shared, formats)
            # Before the fork: the workers collect as usual, and never walk what they inherit.
            self.warmed()

        return start_pool(workers, warm)

    def _write(self, todo: Plan, render: Callable[[], None]) -> None:
        """Delete what vanished, write the briefs as ``render`` delivers them (those rendered
        so far first), then publish: also after a failure, so the manifest describes the
        files on disk."""
        try:
            self._remove(todo.vanished)
            if self.progress:
                self.progress.start(len(todo.stale))
                for artifact in self.result.up_to_date:
                    self.progress.done("up to date", artifact)
            render()
        except BaseException:
            # The failure that stopped the build is the one to report.
            with contextlib.suppress(BriefError):
                self._publish(todo.editions)
            raise
        self._publish(todo.editions)

    def _jobs(self, stale: tuple[Target, ...]) -> list[Job]:
        """Read the articles to rebuild (and every author): all their problems, or the jobs."""
        if not stale:
            return []
        by_path: dict[Path, list[Target]] = {}
        for target in stale:
            by_path.setdefault(target.article_path, []).append(target)
        slugs = tuple(path.stem for path in by_path)
        project = self.inputs.project
        from ..sources import read_sources

        sources, problems = read_sources(project, self.result.warnings, slugs)
        raise_problems(problems)
        by_slug = {article.slug: article for article in sources.articles}
        from .workers import Job

        jobs: list[Job] = []
        for path, targets in by_path.items():
            article = by_slug[path.stem]
            for fmt in dict.fromkeys(target.fmt for target in targets):
                article_warnings = get_format(fmt).article_warnings
                if article_warnings is not None:
                    self.result.warnings += article_warnings(article, self.inputs.context)
            # The hash of the bytes parsed, not of the file now: saved again while this build
            # runs, the article must still look changed to the next one.
            sha = article.source_sha256
            self.state.articles[article.slug] = ArticleRecord(
                sha,
                article.author.id,
                article.date is not None,
                ArticleInfo.of(article, self.inputs.fallback),
                tuple(dict.fromkeys((f.source, f.sha256) for f in article.figures())),
            )
            first = len(jobs)
            jobs += [Job(first + i, article, sha, t.edition, t.fmt) for i, t in enumerate(targets)]
        return jobs

    def _remove(self, records: tuple[OutputRecord, ...]) -> None:
        """Delete the outputs of vanished articles, focuses and formats."""
        for record in records:
            target = self.out_dir / record.artifact.path
            try:
                if record.artifact.thumbnail is not None:
                    remove_file(self.out_dir / record.artifact.thumbnail.path, self.out_dir)
                removed = remove_file(target, self.out_dir)
            except OSError as exc:
                self.state.outputs[record.artifact.path] = record  # still there, still listed
                raise BuildError(f"cannot remove: {exc.strerror or exc}", target) from exc
            if not removed:
                continue
            self.result.removed.append(record.artifact)
            if self.progress:
                self.progress.done("removed", record.artifact)

    def _record(self, rendered: Rendered) -> None:
        """Write one rendered brief and record it."""
        job, data = rendered.job, rendered.data
        target = self.out_dir / job.relpath
        artifact = Artifact.of(job.slug, job.edition.id, job.fmt, job.relpath, data)
        previous = self.state.outputs.get(job.relpath)
        old = previous.artifact.thumbnail if previous is not None else None
        picture = rendered.thumbnail
        author = job.article.author.source_sha256 or None
        article = self.state.articles[job.slug]
        key = self.keys.of(job.edition, job.fmt, article, author, article.images)
        # Ctrl-C or SIGTERM between the rename and the record would publish a manifest that
        # names the old file's hash beside the new file: they wait until both are done.
        with signals_held():
            beside = old  # the picture beside the PDF on disk
            try:
                if picture is not None:
                    # The thumbnail first: a PDF on disk never names a picture that is not there.
                    beside = write_thumbnail(self.out_dir, artifact, picture)
                    artifact = replace(artifact, thumbnail=beside)
                elif old is not None:
                    remove_file(self.out_dir / old.path, self.out_dir)
                    beside = None
                mtime_ns = write_atomic(target, data, self.out_dir).st_mtime_ns
            except OSError as exc:
                self._keep_described(job.relpath, previous, beside)
                raise BuildError(f"cannot write: {exc.strerror or exc}", target) from exc
            record = OutputRecord(artifact, key, mtime_ns, job.edition.title, job.edition.color)
            self.state.outputs[job.relpath] = record
        self.result.built.append(artifact)
        if self.progress:
            self.progress.done("built", artifact)

    def _keep_described(
        self, relpath: str, previous: OutputRecord | None, beside: Thumbnail | None
    ) -> None:
        """After a PDF could not be written (a full disk), keep the manifest true of the picture
        already changed beside it: the last good PDF is listed with the picture now on disk, and
        a first build's picture, which no PDF has, is removed."""
        if previous is not None:
            if beside != previous.artifact.thumbnail:
                artifact = replace(previous.artifact, thumbnail=beside)
                self.state.outputs[relpath] = replace(previous, artifact=artifact)
        elif beside is not None:
            with contextlib.suppress(OSError):
                remove_file(self.out_dir / beside.path, self.out_dir)

    def _publish(self, editions: Mapping[str, Edition]) -> None:
        """Write the manifest, the index and the state, each only if it changed."""
        shard = self.options.shard
        record = None
        if shard is not None:
            whole = self.inputs.whole_build_sha256(self.fingerprints, self.hashes)
            options = self.options
            record = shard.to_json(whole, options.focuses, self.inputs.formats, options.articles)
        publish_folder(
            self.out_dir,
            self.inputs,
            self.state,
            self.hashes,
            self.fingerprints,
            editions,
            self.result,
            record,
        )
