"""``sources/authors/<id>.md`` -> Author: name, role and link in front matter, the bio as body."""

from __future__ import annotations

from pathlib import Path

from ..errors import BriefError, raise_problems
from ..model import Author, Block
from .frontmatter import file_id, read_front_matter
from .problems import Warnings, attempt
from .project import Project

AUTHOR_KEYS = frozenset({"name", "role", "url"})


def read_author(path: Path, warnings: Warnings) -> Author:
    """Read ``sources/authors/<id>.md``; every problem in the file is reported together."""
    from .markdown import parse_body  # a no-change build reads no Markdown: not even the reader

    problems: list[BriefError] = []
    author_id = attempt(problems, lambda: file_id(path, "author id"), path.stem)
    front = read_front_matter(path, problems, warnings)
    front.warn_unknown_keys(AUTHOR_KEYS, warnings)
    name = attempt(problems, lambda: front.required_text("name"), "")
    role = attempt(problems, lambda: front.optional_text("role"), "")
    url = attempt(problems, lambda: front.optional_url("url"), "")
    bio = tuple(
        item
        for item in parse_body(front.body, front.body_line, front.path, warnings=warnings)
        if isinstance(item, Block)
    )
    raise_problems(problems)
    return Author(
        id=author_id,
        name=name,
        bio=bio,
        path=path,
        role=role,
        url=url,
        source_sha256=front.sha256,
    )


def read_authors(project: Project, warnings: Warnings) -> dict[str, Author]:
    """Every author of the project, by id."""
    return {
        author.id: author for author in (read_author(p, warnings) for p in project.author_paths())
    }
