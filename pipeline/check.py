"""``make-brief check``: read every source, focus, theme and template, and report every problem."""

from __future__ import annotations

from dataclasses import dataclass, field

from .build import GENERAL, brief_date, resolve_editions
from .build.dates import fallback_date
from .build.index import own_index_templates, try_index_of
from .build.options import JSON_SCHEMA, warnings_json
from .emphasis import emphasise
from .errors import BriefError, ProblemList
from .model import Brief, Edition
from .render import CheckInputs, RenderContext, formats
from .render.labels import label_problems
from .sources import Project, Warnings, collect, read_sources
from .sources.config import read_config
from .sources.theme import load_theme, template_dirs


@dataclass
class CheckReport:
    """What ``check`` looked at."""

    articles: int = 0
    authors: int = 0
    focuses: int = 0
    warnings: Warnings = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """What ``make-brief check --json`` prints for a project that passed (one that fails
        prints nothing on standard output: its problems go to standard error as usual)."""
        return {
            "schema": JSON_SCHEMA,
            "ok": True,
            "articles": self.articles,
            "authors": self.authors,
            "focuses": self.focuses,
            "warnings": warnings_json(self.warnings),
        }


def check_project(project: Project) -> CheckReport:
    """Validate the whole project and write nothing.

    Reading goes on past every error, so one run lists every broken source, focus, theme setting
    and template; the problems are raised together as a :class:`ProblemList`. Each format then
    checks what it needs (its templates; with the theme, its fonts, or a brief of every article
    that could be read rendered through its templates, which finds undefined variables).
    """
    report = CheckReport()
    report.warnings.extend(project.misnamed_sources())
    sources, problems = read_sources(project, report.warnings)
    config = collect(lambda: read_config(project, report.warnings), problems)
    dirs = tuple(d for d in template_dirs(project.templates_dir) if d.is_dir())
    template_problems: list[BriefError] = label_problems(dirs)
    for fmt in formats():
        if fmt.check_templates is not None:
            template_problems += fmt.check_templates(dirs)
    problems += template_problems
    theme = collect(lambda: load_theme(project.templates_dir), problems)
    if theme is not None:
        # Briefs are weighed against the focuses: without a readable one there is nothing to
        # render, and through broken templates nothing to learn.
        briefs: tuple[Brief, ...] = ()
        if not template_problems and sources.focuses:
            focuses = tuple(sources.focuses.values())
            general = Edition(GENERAL, ())
            briefs = tuple(
                emphasise(article, general, focuses, brief_date(article))
                for article in sources.articles
            )
        inputs = CheckInputs(
            RenderContext(theme=theme, template_dirs=dirs), sources.articles, briefs
        )
        for fmt in formats():
            if fmt.check_briefs is not None:
                problems += fmt.check_briefs(inputs, report.warnings)
        if not template_problems and own_index_templates(dirs):
            # A project's own index page, rendered as a build of every edition would list it:
            # one that reads a brief's value wrong fails here, not at the build.
            collect(
                lambda: try_index_of(
                    sources.articles,
                    resolve_editions((), sources.focuses),
                    dirs,
                    theme.colors["accent"],
                    bool(config and config.base_url),
                    fallback_date(),
                ),
                problems,
            )
    if problems:
        # The same template error shows once, not once for every article rendered through it.
        unique = {str(problem): problem for problem in problems}
        raise ProblemList(list(unique.values()))
    report.articles = len(sources.articles)
    report.authors = len(sources.authors)
    report.focuses = len(sources.focuses)
    return report
