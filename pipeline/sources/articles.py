"""``sources/articles/<slug>.md`` -> Article: front matter, then a body split into sections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BriefError, SourceError, raise_problems
from ..model import Article, Author, Block, Section
from .frontmatter import FrontMatter, file_id, read_front_matter
from .patterns import LANG_PATTERN
from .problems import SourceWarning, Warnings, attempt
from .tailoring import KEY as TAILORING
from .tailoring import read_tailoring

if TYPE_CHECKING:
    from .markdown import Heading

ARTICLE_KEYS = frozenset(
    {"title", "author", "date", "summary", "source_url", "license", "lang", TAILORING}
)


def read_article(
    path: Path,
    authors: Mapping[str, Author],
    warnings: Warnings,
    broken_authors: Collection[str] = (),
) -> Article:
    """Read ``sources/articles/<slug>.md`` and link it to its author.

    Every problem in the file is reported together. ``broken_authors`` names author files that
    exist but have errors of their own, so an article by one is not told its author is unknown.
    """
    from .images import ImageReader
    from .markdown import parse_body  # a no-change build reads no Markdown: not even the reader

    problems: list[BriefError] = []
    slug = attempt(problems, lambda: file_id(path, "article slug"), path.stem)
    front = read_front_matter(path, problems, warnings)
    front.warn_unknown_keys(ARTICLE_KEYS, warnings)
    title = attempt(problems, lambda: front.required_text("title"), "")
    author = attempt(problems, lambda: _author(front, authors, broken_authors), None)
    lang = attempt(problems, lambda: _lang(front), "en")
    date = attempt(problems, lambda: _date(front), None)
    summary = attempt(problems, lambda: front.optional_text("summary"), "")
    source_url = attempt(problems, lambda: front.optional_url("source_url"), "")
    license_ = attempt(problems, lambda: front.optional_text("license"), "")
    notes: list[Block] = []  # footnotes are kept apart from the sections they are read in
    # Images are found from the article's folder, and must be in sources/ (its parent).
    images = ImageReader(path, path.parent.parent)
    lede, sections = attempt(
        problems,
        lambda: _sections(
            _apart(parse_body(front.body, front.body_line, front.path, images, warnings), notes),
            path,
            warnings,
        ),
        ((), ()),
    )
    tailoring = attempt(
        problems,
        lambda: read_tailoring(
            front, lede + tuple(b for s in sections for b in s.blocks), sections, warnings
        ),
        (),
    )
    raise_problems(problems)
    assert author is not None  # raise_problems raised if the author was not found
    return Article(
        slug=slug,
        path=path,
        title=title,
        author=author,
        sections=sections,
        lede=lede,
        date=date,
        summary=summary,
        source_url=source_url,
        license=license_,
        lang=lang,
        tailoring=tailoring,
        notes=tuple(notes),
        source_sha256=front.sha256,
    )


def _apart(items: list[Block | Heading], notes: list[Block]) -> list[Block | Heading]:
    """``items`` without the footnotes, which go to ``notes``, in order."""
    notes += [item for item in items if isinstance(item, Block) and item.kind == "note"]
    return [item for item in items if not (isinstance(item, Block) and item.kind == "note")]


def _author(front: FrontMatter, authors: Mapping[str, Author], broken: Collection[str]) -> Author:
    author_id = front.required_text("author")
    author = authors.get(author_id)
    if author is not None:
        return author
    line = front.lines.get("author")
    if author_id in broken:
        raise SourceError(
            f"author '{author_id}' cannot be used until sources/authors/{author_id}.md is fixed",
            front.path,
            line,
        )
    known = ", ".join(sorted({*authors, *broken})) or "none: add sources/authors/<id>.md"
    raise SourceError(f"unknown author '{author_id}' (known authors: {known})", front.path, line)


def _lang(front: FrontMatter) -> str:
    lang = front.optional_text("lang") or "en"
    if not LANG_PATTERN.fullmatch(lang):
        raise SourceError(
            f"'lang' must be a language tag such as en or fr-CA, not '{lang}'",
            front.path,
            front.lines.get("lang"),
        )
    return lang


def _date(front: FrontMatter) -> dt.date | None:
    value = front.data.get("date")
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        # A date, or a date and time of which the date counts.
        return dt.datetime.fromisoformat(str(value).strip()).date()
    except ValueError:
        raise SourceError(
            f"'date' must be an ISO 8601 date such as 2023-05-01, not '{value}'",
            front.path,
            front.lines.get("date"),
        ) from None


def _sections(
    items: list[Block | Heading], path: Path, warnings: Warnings
) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """The lede (blocks before the first heading) and the sections, each from its heading on."""
    from .markdown import Heading

    lede: list[Block] = []
    groups: list[tuple[Heading, list[Block]]] = []
    for item in items:
        if isinstance(item, Heading):
            groups.append((item, []))
        elif groups:
            groups[-1][1].append(item)
        else:
            lede.append(item)
    if not groups:
        raise SourceError("no sections: start each section with a '## Heading' line", path)
    sections: list[Section] = []
    problems: list[BriefError] = []
    for heading, blocks in groups:
        if not heading.title:
            problems.append(SourceError("a section heading is empty", path, heading.line))
            continue
        if heading.notes:
            warnings.append(
                SourceWarning(
                    f"the footnote reference in heading '{heading.title}' is not shown (a '## ' "
                    "heading is plain text): put it in the section's text",
                    path,
                    heading.line,
                )
            )
        if not blocks:
            warnings.append(
                SourceWarning(
                    f"section '{heading.title}' is empty and is left out", path, heading.line
                )
            )
            continue
        sections.append(Section(heading.title, tuple(blocks), heading.line, len(sections)))
    raise_problems(problems)
    if not sections:
        raise SourceError("every section is empty: the article has no text to brief", path)
    return tuple(lede), tuple(sections)
