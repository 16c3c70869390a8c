"""A whole project's sources: focuses, authors and articles, read on past errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from ..errors import BriefError, SourceError, raise_problems
from ..model import Article, Author, Focus
from .articles import read_article
from .authors import read_author
from .focuses import read_focuses
from .problems import SourceWarning, Warnings, collect
from .project import Project, select_article_paths


@dataclass(frozen=True)
class Sources:
    """Everything read from a project's ``sources/``."""

    articles: tuple[Article, ...]
    authors: Mapping[str, Author]
    focuses: Mapping[str, Focus]


def read_sources(
    project: Project, warnings: Warnings, slugs: tuple[str, ...] = ()
) -> tuple[Sources, list[BriefError]]:
    """Read the focuses, authors and articles (only ``slugs`` when given), reading on past errors.

    Returns what could be read and every problem found, so ``make-brief check`` can go on to
    check templates against the articles that did read.
    """
    problems: list[BriefError] = []
    focuses: dict[str, Focus] = {}
    if not project.focuses_file.exists():
        problems.append(
            SourceError(
                "no focuses.yaml: define the focuses a brief can take", project.focuses_file
            )
        )
    else:
        focuses = collect(partial(read_focuses, project.focuses_file, warnings), problems) or {}
    authors: dict[str, Author] = {}
    broken: list[str] = []
    for path in project.author_paths():
        author = collect(partial(read_author, path, warnings), problems)
        if author is not None:
            authors[author.id] = author
        else:
            broken.append(path.stem)
    paths = select_article_paths(project, slugs)
    if not paths:
        problems.append(
            SourceError("no articles: add sources/articles/<slug>.md", project.articles_dir)
        )
    articles = []
    for path in paths:
        article = collect(partial(read_article, path, authors, warnings, broken), problems)
        if article is not None:
            articles.append(article)
            warnings.extend(_unknown_tailored_focuses(article, focuses))
    return Sources(tuple(articles), authors, focuses), problems


def read_project(project: Project, warnings: Warnings, slugs: tuple[str, ...] = ()) -> Sources:
    """Read the focuses, authors and articles (only ``slugs`` when given).

    Every broken source is reported: one problem is raised as itself, several together as a
    :class:`ProblemList`.
    """
    sources, problems = read_sources(project, warnings, slugs)
    raise_problems(problems)
    return sources


def _unknown_tailored_focuses(
    article: Article, focuses: Mapping[str, Focus]
) -> list[SourceWarning]:
    """A warning for each focus an article's ``tailoring`` names that the project does not have."""
    if not focuses:
        return []
    return [
        SourceWarning(
            f"'tailoring' names focus '{t.focus}', which sources/focuses.yaml does not define",
            article.path,
            None,
        )
        for t in article.tailoring
        if t.focus not in focuses
    ]
