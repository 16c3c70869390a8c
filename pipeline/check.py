"""``make-brief check``: read every source, focus, theme and template, and report every problem."""

from __future__ import annotations

from dataclasses import dataclass, field

from .build import GENERAL, brief_date
from .sources.config import read_config
from .emphasis import emphasise
from .errors import ProblemList
from .model import Edition
from .render import RenderContext
from .sources import Project, Warnings, collect, read_sources
from .sources.theme import load_theme, template_dirs


@dataclass
class CheckReport:
    """What ``check`` looked at."""

    articles: int = 0
    authors: int = 0
    focuses: int = 0
    warnings: Warnings = field(default_factory=list)


def check_project(project: Project) -> CheckReport:
    """Validate the whole project and write nothing.

    Reading goes on past every error, so one run lists every broken source, focus, theme setting
    and template; the problems are raised together as a :class:`ProblemList`. Templates are
    rendered against every article that could be read, which finds undefined variables.
    """
    report = CheckReport()
    sources, problems = read_sources(project, report.warnings)
    collect(lambda: read_config(project, report.warnings), problems)
    from .render import html, pdf

    dirs = tuple(d for d in template_dirs(project.templates_dir) if d.is_dir())
    template_problems = html.template_problems(html.environment(dirs))
    problems += template_problems
    theme = collect(lambda: load_theme(project.templates_dir), problems)
    if theme is not None:
        context = RenderContext(theme=theme, template_dirs=dirs)
        if collect(lambda: pdf.fonts_for(theme), problems) is not None:
            from .render.pdf.scripts import glyph_warnings

            for article in sources.articles:
                report.warnings += glyph_warnings(article, theme)
        # Briefs are weighed against the focuses: without a readable one there is nothing to render.
        if not template_problems and sources.focuses:
            focuses = tuple(sources.focuses.values())
            for article in sources.articles:
                brief = emphasise(article, Edition(GENERAL, ()), focuses, brief_date(article))
                collect(lambda b=brief: html.render(b, context), problems)  # type: ignore[misc]
    if problems:
        # The same template error shows once, not once for every article rendered through it.
        unique = {str(problem): problem for problem in problems}
        raise ProblemList(list(unique.values()))
    report.articles = len(sources.articles)
    report.authors = len(sources.authors)
    report.focuses = len(sources.focuses)
    return report
