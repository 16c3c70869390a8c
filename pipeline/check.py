"""``make-brief check``: read every source, focus, theme and template, and report every problem."""

from __future__ import annotations

from dataclasses import dataclass, field

from .build import GENERAL, brief_date
from .emphasis import emphasise
from .errors import BriefError, ProblemList
from .model import Edition
from .render import RenderContext
from .sources import Project, Warnings, collect, read_project
from .theme import load_theme


@dataclass
class CheckReport:
    """What ``check`` looked at."""

    articles: int = 0
    authors: int = 0
    focuses: int = 0
    warnings: Warnings = field(default_factory=list)


def check_project(project: Project) -> CheckReport:
    """Validate the whole project and write nothing; raise :class:`ProblemList` listing all problems."""
    report = CheckReport()
    problems: list[BriefError] = []
    sources = collect(lambda: read_project(project, report.warnings, all_problems=True), problems)
    theme = collect(lambda: load_theme(project.templates_dir), problems)
    if theme is not None:
        from .render import html, pdf

        dirs = tuple(d for d in theme.search_dirs if d.is_dir())
        context = RenderContext(theme=theme, template_dirs=dirs)
        collect(lambda: pdf.fonts_for(theme), problems)
        if sources is not None:
            focuses = tuple(sources.focuses.values())
            for article in sources.articles:
                brief = emphasise(article, Edition(GENERAL, ()), focuses, brief_date(article))
                collect(lambda b=brief: html.render(b, context), problems)  # type: ignore[misc]
        else:
            env = html.environment(dirs)
            for name in (html.BRIEF_TEMPLATE, html.STYLESHEET):
                collect(lambda n=name: html.get_template(env, n), problems)  # type: ignore[misc]
    if problems:
        raise ProblemList(problems)
    assert sources is not None
    report.articles = len(sources.articles)
    report.authors = len(sources.authors)
    report.focuses = len(sources.focuses)
    return report
