"""Build every brief project the validator tests check, once per test session.

The projects are this repository's own (the seed) and every folder under ``tests/fixtures/``
that has ``sources/`` and builds; a fixture that is broken on purpose fails to build and is
left out (``excluded`` says why), since there is no output to validate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from pipeline.build import ALL, BuildOptions, brief_date, build, resolve_editions
from pipeline.emphasis import emphasise
from pipeline.errors import BriefError
from pipeline.model import Brief
from pipeline.sources import Project, read_project
from pipeline.sources.config import read_config
from pipeline.sources.theme import Theme, load_theme

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SEED = "seed"
#: Fixed so that briefs without a date of their own are the same all session.
SOURCE_DATE_EPOCH = "1700000000"


@dataclass(frozen=True)
class BuiltBrief:
    """One brief as built: its model, where its files are, and the theme it was laid out with."""

    project: str
    brief: Brief
    theme: Theme
    base_url: str
    out_dir: Path

    @property
    def id(self) -> str:
        return f"{self.project}/{self.brief.article.slug}/{self.brief.edition.id}"

    @property
    def relpath(self) -> str:
        return f"{self.brief.article.slug}/{self.brief.edition.id}"

    @property
    def html(self) -> Path:
        return self.out_dir / f"{self.relpath}.html"

    @property
    def pdf(self) -> Path:
        return self.out_dir / f"{self.relpath}.pdf"


@dataclass(frozen=True)
class Builds:
    """Everything one session built."""

    briefs: tuple[BuiltBrief, ...]
    #: Every HTML page to validate: the briefs and each project's index.html, if it has one.
    pages: tuple[Path, ...]
    #: Fixture projects that did not build, with the reason.
    excluded: dict[str, str]


def project_roots() -> list[tuple[str, Path]]:
    """The seed project and every fixture project, by name."""
    fixtures = (
        sorted(p for p in FIXTURES.iterdir() if (p / "sources").is_dir())
        if FIXTURES.is_dir()
        else []
    )
    return [(SEED, REPO), *((p.name, p) for p in fixtures)]


def build_all(out_root: Path) -> Builds:
    """Build every project into ``out_root/<name>`` and describe what was built."""
    with mock.patch.dict(os.environ, {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}):
        return _build_all(out_root)


def _build_all(out_root: Path) -> Builds:
    briefs: list[BuiltBrief] = []
    pages: list[Path] = []
    excluded: dict[str, str] = {}
    for name, root in project_roots():
        out_dir = out_root / name
        try:
            project = Project.at(root)
            build(project, BuildOptions(focuses=(ALL,), out_dir=out_dir))
        except BriefError as exc:
            if name == SEED:
                raise
            excluded[name] = str(exc)
            continue
        sources = read_project(project, [])
        theme = load_theme(project.templates_dir)
        base_url = read_config(project, []).base_url
        focuses = tuple(sources.focuses.values())
        for article in sources.articles:
            for edition in resolve_editions((ALL,), sources.focuses):
                brief = emphasise(article, edition, focuses, brief_date(article))
                built = BuiltBrief(name, brief, theme, base_url, out_dir)
                briefs.append(built)
                pages.append(built.html)
        if (out_dir / "index.html").is_file():
            pages.append(out_dir / "index.html")
    return Builds(tuple(briefs), tuple(pages), excluded)
