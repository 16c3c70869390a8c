"""Build, then rebuild on every save, in one warm process.

The first build imports the renderers, registers the fonts, compiles the templates and reads the
sources; every later build in the process reuses all of it, and the content-hashed plan
(:mod:`.plan`) rebuilds only the briefs a change touches. A change under the theme's folder
(templates, ``theme.yaml``, font files, label catalogues) throws the compiled templates and the
registered fonts away first, since the caches holding them are keyed by folder and font name,
not by content. A change to make-brief's own code needs a new process.

A broken save is reported and leaves the output folder as the last good build left it (a build
writes nothing until its sources and first briefs are sound); the next good save recovers.

The output folder deleted (or its manifest: ``rm -rf build/*``) after a good build is built
again at once, as a save would build it: no watched folder reports that, so the loop also
looks at the output folder whenever the watched ones have been quiet for a moment.

The loop is :func:`watch` over any iterable of change batches: the command line feeds it
:func:`file_changes` (``watchfiles``), tests feed it lists of paths. :class:`Rebuilder` handles
one batch.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefError, ConfigError
from ..sources import Project
from .options import BuildOptions, BuildResult, Progress
from .publish import MANIFEST
from .run import build

__all__ = ["Outcome", "Rebuilder", "file_changes", "forget_theme", "watch", "watched_folders"]


@dataclass(frozen=True)
class Outcome:
    """One build of the watch loop: what it did, or the error that stopped it."""

    #: The files that set it off (empty for the first build).
    changed: tuple[Path, ...]
    result: BuildResult | None = None
    error: BriefError | None = None
    #: Whether the compiled templates and fonts were thrown away before it.
    theme_changed: bool = False

    @property
    def rebuilt(self) -> tuple[str, ...]:
        """Paths (inside the output folder) of the files the build wrote."""
        if self.result is None:
            return ()
        return tuple(artifact.path for artifact in self.result.built)


def watched_folders(project: Project) -> tuple[Path, ...]:
    """The folders whose changes rebuild: the sources and the theme's templates/ folder."""
    return tuple(folder for folder in (project.sources, project.templates_dir) if folder.is_dir())


def forget_theme() -> None:
    """Drop what the process keeps of the templates, theme and fonts, so the next build reads
    them again: compiled templates, the stylesheet, label catalogues, registered fonts and the
    character maps of fallback fonts."""
    from ..render import labels
    from ..render.html.environment import _environment, read_stylesheet
    from ..render.pdf import fonts, scripts
    from ..sources import theme

    for cached in (
        theme._builtin_theme,
        _environment,
        read_stylesheet,
        labels._labels,
        labels._parsed,  # its check depends on the labels the templates ask for
        labels._asked_for,
        fonts.register_source,
        fonts.register_family,
        fonts.register_fallbacks,
        scripts.coverage,
        scripts._first_font,
    ):
        cached.cache_clear()
    fonts._DEFERRED.clear()


class Rebuilder:
    """Builds a project again and again in this process; :meth:`handle` takes one batch."""

    def __init__(
        self, project: Project, options: BuildOptions, progress: Progress | None = None
    ) -> None:
        self.project, self.options, self.progress = project, options, progress
        self.out_dir = (options.out_dir or project.root / "build").absolute()
        self._theme_dir = project.templates_dir.absolute()
        #: Whether the last build succeeded: only then is a missing output folder one to
        #: build again (after a failure, building again would fail again, every moment).
        self._built = False

    def first(self) -> Outcome:
        """The build the watch starts with."""
        return self._build((), theme_changed=False)

    def output_lost(self) -> bool:
        """Whether the output folder of the last good build is gone: every build writes its
        manifest, so a folder without one was deleted (or emptied) by hand."""
        return self._built and not (self.out_dir / MANIFEST).exists()

    def relevant(self, paths: Iterable[Path]) -> tuple[Path, ...]:
        """The changed paths that can change a brief: not those inside the output folder."""
        kept = []
        for path in paths:
            absolute = path.absolute()
            if absolute == self.out_dir or self.out_dir in absolute.parents:
                continue
            kept.append(path)
        return tuple(sorted(set(kept)))

    def handle(self, paths: Collection[Path]) -> Outcome | None:
        """Rebuild after the changes ``paths``; None when none of them can change a brief.

        An empty batch (the watched folders were quiet) rebuilds only when the output folder
        was lost (see :meth:`output_lost`); ``changed`` is then the output folder.
        """
        changed = self.relevant(paths)
        if not changed:
            if not self.output_lost():
                return None
            return self._build((self.out_dir,), theme_changed=False)
        theme = any(
            p.absolute() == self._theme_dir or self._theme_dir in p.absolute().parents
            for p in changed
        )
        if theme:
            forget_theme()
        return self._build(changed, theme)

    def _build(self, changed: tuple[Path, ...], theme_changed: bool) -> Outcome:
        self._built = False
        try:
            result = build(self.project, self.options, self.progress)
        except BriefError as exc:
            return Outcome(changed, error=exc, theme_changed=theme_changed)
        self._built = True
        return Outcome(changed, result, theme_changed=theme_changed)


def watch(
    rebuilder: Rebuilder,
    changes: Iterable[Collection[Path]],
    report: Callable[[Outcome], None],
) -> None:
    """Build once, then once per batch of ``changes`` that can change a brief, reporting each.

    Returns when ``changes`` ends; Ctrl-C raises KeyboardInterrupt with the output folder
    unlocked and published (see :func:`pipeline.build.build`).
    """
    report(rebuilder.first())
    for batch in changes:
        outcome = rebuilder.handle(batch)
        if outcome is not None:
            report(outcome)


def file_changes(
    folders: Collection[Path], debounce_ms: int = 50, quiet_ms: int = 500
) -> Iterator[set[Path]]:
    """Batches of changed files under ``folders``, as ``watchfiles`` reports them, and an
    empty batch after each ``quiet_ms`` without a change (see :meth:`Rebuilder.handle`).

    An editor's save (a temporary file, a rename, a write) arrives as one batch; watchfiles'
    default filter leaves out editors' swap files, ``__pycache__`` and ``.git``. A missing
    watchfiles is reported here, before the first build.
    """
    try:
        import watchfiles
    except ImportError:
        raise ConfigError(
            "make-brief watch needs the watchfiles package: pip install 'make-brief[watch]'"
        ) from None

    def batches() -> Iterator[set[Path]]:
        for batch in watchfiles.watch(
            *folders,
            debounce=debounce_ms,
            step=20,
            rust_timeout=quiet_ms,
            yield_on_timeout=True,
            raise_interrupt=True,
            ignore_permission_denied=True,
        ):
            yield {Path(path) for _, path in batch}

    return batches()
