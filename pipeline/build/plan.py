"""What a build is made from, and what of it is stale.

The inputs every target shares (focuses, theme, templates, the editions and formats asked for)
are read first, and a broken one fails the build before anything else. The plan then compares
the content hashes of the raw input files with what the state recorded: outputs whose article,
focus or format is gone are to be removed; an output whose key and file are unchanged is up to
date; the rest are stale. Planning reads no article and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BriefError, SourceError, UsageProblem, raise_problems
from ..model import Edition, Focus
from ..render import CompiledStore, RenderContext, brief_path, find_format, format_names
from ..render.labels import label_problems
from ..sources import Project, Warnings, read_focuses, select_article_paths
from ..sources.config import config_path, read_config
from ..sources.theme import load_theme
from .artifacts import Artifact
from .dates import fallback_date
from .editions import GENERAL, resolve_editions
from .fingerprint import Fingerprints, HashCache, organisation_digest
from .options import BuildOptions
from .state import ArticleRecord, BuildState, OutputRecord
from .thumbnails import renderer_version

if TYPE_CHECKING:
    from .sign import SigningKey


@dataclass(frozen=True)
class BuildInputs:
    """What every target of one build shares, read before anything else."""

    project: Project
    #: Focus id -> focus, as ``focuses.yaml`` defines them.
    focuses: Mapping[str, Focus]
    #: The editions asked for.
    editions: tuple[Edition, ...]
    #: The article files asked for.
    article_paths: tuple[Path, ...]
    #: The format names asked for, without repeats.
    formats: tuple[str, ...]
    context: RenderContext
    #: The slugs of every article the project has (asked for or not).
    existing: frozenset[str]
    #: The date of briefs whose article has none.
    fallback: dt.date
    #: The relevance model briefs are weighed with (``relevance:`` in project.yaml).
    relevance: str = "keyword"
    #: What signs the PDF briefs (``--sign``), or None.
    signing: SigningKey | None = None
    #: What renders the PDF briefs' thumbnails (``pypdfium2-5.15.2``), or "" for none.
    thumbnails: str = ""

    def publishing(self, fmt: str) -> str:
        """What a target's key adds for signing and thumbnails: a signed PDF's certificate,
        the thumbnail renderer of a PDF, and for the HTML whether its social card has one."""
        parts = []
        if self.thumbnails:
            parts.append(f"thumbnails:{self.thumbnails}" if fmt == "pdf" else "preview")
        if self.signing is not None and fmt == "pdf":
            from .sign import signing_fingerprint

            parts.append(signing_fingerprint(self.signing))
        return " ".join(parts)

    @property
    def accent(self) -> str:
        """The theme's accent colour."""
        return self.context.theme.colors["accent"]

    @property
    def edition_order(self) -> tuple[str, ...]:
        """Edition ids in the order the project defines them, the general edition first."""
        return (GENERAL, *self.focuses)

    def whole_build_sha256(self, fingerprints: Fingerprints, hashes: HashCache) -> str:
        """A hash of everything the whole build reads (see :meth:`Fingerprints.whole_build`)."""
        return fingerprints.whole_build(
            articles=[(p.stem, hashes.sha256(p)) for p in self.article_paths],
            authors=[(p.stem, hashes.sha256(p)) for p in self.project.author_paths()],
            images=[
                (p.relative_to(self.project.root).as_posix(), hashes.sha256(p))
                for p in self.project.image_paths()
            ],
            edition_ids=[edition.id for edition in self.editions],
            formats=self.formats,
            date=self.fallback.isoformat(),
            base_url=self.context.base_url,
            organisation=organisation_digest(self.context.organisation),
            publishing=[self.publishing(fmt) for fmt in self.formats],
        )


def read_inputs(
    project: Project,
    options: BuildOptions,
    warnings: Warnings,
    compiled: CompiledStore | None = None,
) -> BuildInputs:
    """Read what every target shares; a broken source is raised with every other one.

    ``compiled`` is where the renderers keep compiled templates between builds.
    """
    try:
        if not project.focuses_file.exists():  # a FIFO or a folder is reported by its reader
            raise SourceError(
                "no focuses.yaml: define the focuses a brief can take", project.focuses_file
            )
        focuses = read_focuses(project.focuses_file)
        theme = load_theme(project.templates_dir)
        # Every brief takes its words from the labels: a broken one would fail the build
        # half-way, after the briefs that do not use it were written.
        raise_problems(label_problems(tuple(d for d in theme.search_dirs if d.is_dir())))
    except BriefError:
        # Report every broken source at once, as check does, when there are several.
        from ..sources import read_project

        read_project(project, [], options.articles)
        raise
    editions = resolve_editions(options.focuses, focuses)
    # Told on every build, not only when an article is rebuilt: adding foo.markdown changes
    # no brief, and the build that ignores it is the one the user wonders about.
    warnings.extend(project.misnamed_sources())
    article_paths = select_articles(project, options.articles)
    formats = tuple(dict.fromkeys(options.formats))
    unknown = [name for name in formats if find_format(name) is None]
    if unknown:
        valid = ", ".join(format_names())
        raise UsageProblem(f"unknown format '{unknown[0]}' (valid: {valid})")
    config = read_config(project, warnings)
    signing = None
    if options.sign:
        from .sign import load_signing_key

        signing = load_signing_key(config.sign_key, config.sign_certificate, config_path(project))
    thumbnails = renderer_version() if "pdf" in formats else ""
    context = RenderContext(
        theme=theme,
        template_dirs=tuple(d for d in theme.search_dirs if d.is_dir()),
        formats=formats,
        base_url=config.base_url,
        organisation=config.organisation,
        thumbnails=bool(thumbnails),
        compiled=compiled,
    )
    return BuildInputs(
        project=project,
        focuses=focuses,
        editions=editions,
        article_paths=tuple(article_paths),
        formats=formats,
        context=context,
        existing=frozenset(p.stem for p in project.article_paths()),
        fallback=fallback_date(),
        relevance=config.relevance,
        signing=signing,
        thumbnails=thumbnails,
    )


def select_articles(project: Project, slugs: Sequence[str]) -> list[Path]:
    """The article files to build: all of them, or those named; a project with none is an error."""
    paths = select_article_paths(project, slugs)
    if not paths:
        raise SourceError("no articles: add sources/articles/<slug>.md", project.articles_dir)
    return paths


@dataclass(frozen=True)
class Keys:
    """The input key of any target of one build (see :meth:`Fingerprints.target_key`)."""

    inputs: BuildInputs
    fingerprints: Fingerprints
    hashes: HashCache

    def of(
        self,
        edition: Edition,
        fmt: str,
        article: ArticleRecord,
        author_sha256: str | None = None,
        images: Sequence[tuple[str, str | None]] | None = None,
    ) -> str:
        """The key of ``article`` in ``edition`` and format ``fmt``.

        ``author_sha256`` is the hash of the author file's bytes a brief was rendered from,
        and ``images`` the (path, hash) of each image it shows; by default, of the files as
        they are now (the images the article showed when last read).
        """
        inputs = self.inputs
        if author_sha256 is None:
            author = inputs.project.authors_dir / f"{article.author}.md"
            author_sha256 = self.hashes.sha256(author)
        if images is None:
            root = inputs.project.root
            images = [(path, self.hashes.sha256(root / path)) for path, _ in article.images]
        return self.fingerprints.target_key(
            fmt=fmt,
            formats=inputs.formats,
            article_sha256=article.sha256,
            author_sha256=author_sha256,
            focus_ids=[f.id for f in edition.focuses],
            date=None if article.dated else inputs.fallback.isoformat(),
            base_url=inputs.context.base_url,
            images=images,
            organisation=organisation_digest(inputs.context.organisation),
            publishing=inputs.publishing(fmt),
        )


@dataclass(frozen=True)
class Target:
    """One file to build: an article file in one edition and one format."""

    article_path: Path
    edition: Edition
    #: The format's name.
    fmt: str


@dataclass(frozen=True)
class Plan:
    """What a build has to do."""

    #: Outputs whose article, focus or format is gone: to delete.
    vanished: tuple[OutputRecord, ...]
    #: Outputs that are up to date.
    up_to_date: tuple[Artifact, ...]
    #: What to build, in order: by article file, then edition, then format.
    stale: tuple[Target, ...]
    #: Every edition the output folder holds or is to hold, by id.
    editions: Mapping[str, Edition]


def plan(
    inputs: BuildInputs, options: BuildOptions, state: BuildState, out_dir: Path, keys: Keys
) -> Plan:
    """Settle ``state`` with the sources and with ``out_dir``, then sort the targets asked for.

    Vanished outputs are forgotten and files changed on disk re-described, so ``state`` says
    what the folder holds once the vanished files are deleted.
    """
    shard = options.shard
    # Every shard's briefs, not only this one's: the part holding a brief under an edition's
    # old id must drop it when another part writes it under the new one, or the merged folder
    # would list the edition twice.
    building = {
        (path.stem, edition.id, fmt)
        for path in inputs.article_paths
        for edition in inputs.editions
        for fmt in inputs.formats
    }
    recorded = state.editions(inputs.focuses)
    vanished = state.forget_vanished(inputs.existing, recorded, building)
    state.match_disk(out_dir)
    up_to_date: list[Artifact] = []
    stale: list[Target] = []
    for path in inputs.article_paths:
        slug = path.stem
        sha = keys.hashes.sha256(path) or ""
        record = state.articles.get(slug)
        known = record if record is not None and record.sha256 == sha else None
        for edition in inputs.editions:
            if shard is not None and not shard.holds(slug, edition.id):
                continue
            for fmt in inputs.formats:
                output = state.outputs.get(brief_path(slug, edition.id, fmt))
                if (
                    not options.force
                    and known is not None
                    and output is not None
                    and output.key == keys.of(edition, fmt, known)
                ):
                    up_to_date.append(output.artifact)
                else:
                    stale.append(Target(path, edition, fmt))
    editions = {eid: e for eid, e in recorded.items() if e is not None}
    editions.update({edition.id: edition for edition in inputs.editions})
    return Plan(tuple(vanished), tuple(up_to_date), tuple(stale), editions)
