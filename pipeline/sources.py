"""Source files -> Article, Author and Focus, with validation and FILE:LINE errors.

Readers never print: a problem that stops a source raises :class:`SourceError`; a problem worth
telling but not fatal (an unknown front-matter key, an empty section) is appended to the
``warnings`` list the caller passes in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .errors import BriefError, ConfigError, ProblemList, SourceError
from .markdown import Heading, parse_body
from .model import Article, Author, Block, Focus, Section

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COLOR_PATTERN = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
#: Focus ids with a meaning of their own on the command line.
RESERVED_FOCUS_IDS = frozenset({"general", "all"})

ARTICLE_KEYS = frozenset({"title", "author", "date", "summary", "source_url", "license", "lang"})
AUTHOR_KEYS = frozenset({"name", "role", "url"})
LANG_PATTERN = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
FRONT_MATTER_FENCE = "---"

T = TypeVar("T")


@dataclass(frozen=True)
class SourceWarning:
    """Something worth telling about a source that does not stop the build."""

    message: str
    path: Path
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


Warnings = list[SourceWarning]


@dataclass(frozen=True)
class Project:
    """Where a brief project keeps its sources, templates and output."""

    root: Path

    @classmethod
    def at(cls, root: Path) -> Project:
        """The project rooted at ``root``; a folder without ``sources/`` is an error."""
        if not (root / "sources").is_dir():
            raise ConfigError(
                "no sources/ directory here: run make-brief in a brief project "
                "or pass --project DIR",
                root,
            )
        return cls(root)

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def articles_dir(self) -> Path:
        return self.sources / "articles"

    @property
    def authors_dir(self) -> Path:
        return self.sources / "authors"

    @property
    def focuses_file(self) -> Path:
        return self.sources / "focuses.yaml"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def article_paths(self) -> list[Path]:
        """Every article file, sorted so builds are deterministic."""
        return sorted(self.articles_dir.glob("*.md")) if self.articles_dir.is_dir() else []

    def author_paths(self) -> list[Path]:
        return sorted(self.authors_dir.glob("*.md")) if self.authors_dir.is_dir() else []


# --- files and front matter -------------------------------------------------------------------


def read_text(path: Path) -> str:
    """A source file's text; invalid UTF-8 is an error giving the line and byte offset."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"not valid UTF-8 at byte {exc.start} (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8",
            path,
            line,
        ) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """Split ``---`` YAML front matter from the body.

    Returns the front matter as a mapping, the body, and the 1-based line the body starts on.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise SourceError(
            "no front matter: the file must start with a '---' line, then YAML keys, then '---'",
            path,
            1,
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise SourceError("front matter is not closed: add a '---' line after it", path, 1) from None
    raw = "\n".join(lines[1:end])
    try:
        data = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SourceError(f"front matter is not valid YAML: {problem}", path, line) from exc
    if not isinstance(data, dict):
        raise SourceError("front matter must be YAML keys and values (a mapping)", path, 2)
    return data, "\n".join(lines[end + 1 :]), end + 2


def _key_line(text: str, key: str) -> int | None:
    """The line of ``key:`` in the front matter, for pointing at it."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _warn_unknown_keys(
    data: Mapping[str, Any], known: frozenset[str], text: str, path: Path, warnings: Warnings
) -> None:
    for key in sorted(set(map(str, data)) - known):
        hint = ", ".join(sorted(known))
        warnings.append(
            SourceWarning(f"unknown front-matter key '{key}' (known: {hint})", path, _key_line(text, key))
        )


def _required_text(data: Mapping[str, Any], key: str, text: str, path: Path) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise SourceError(f"'{key}' is missing or empty in the front matter", path, _key_line(text, key) or 1)
    if not isinstance(value, str | int | float):
        raise SourceError(f"'{key}' must be text", path, _key_line(text, key))
    return str(value).strip()


def _optional_text(data: Mapping[str, Any], key: str, text: str, path: Path) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise SourceError(f"'{key}' must be text", path, _key_line(text, key))
    return str(value).strip()


def _check_id(stem: str, path: Path, what: str) -> str:
    if not ID_PATTERN.fullmatch(stem):
        raise SourceError(
            f"{what} '{stem}' must be lowercase letters, digits and single hyphens "
            "(like us-north-korea); rename the file",
            path,
        )
    return stem


# --- authors ----------------------------------------------------------------------------------


def read_author(path: Path, warnings: Warnings) -> Author:
    """Read ``sources/authors/<id>.md``."""
    author_id = _check_id(path.stem, path, "author id")
    text = read_text(path)
    data, body, body_line = split_front_matter(text, path)
    _warn_unknown_keys(data, AUTHOR_KEYS, text, path, warnings)
    name = _required_text(data, "name", text, path)
    bio = tuple(item for item in parse_body(body, body_line) if isinstance(item, Block))
    return Author(
        id=author_id,
        name=name,
        bio=bio,
        path=path,
        role=_optional_text(data, "role", text, path),
        url=_optional_text(data, "url", text, path),
    )


def read_authors(project: Project, warnings: Warnings) -> dict[str, Author]:
    """Every author of the project, by id."""
    return {author.id: author for author in (read_author(p, warnings) for p in project.author_paths())}


# --- articles ---------------------------------------------------------------------------------


def read_article(path: Path, authors: Mapping[str, Author], warnings: Warnings) -> Article:
    """Read ``sources/articles/<slug>.md`` and link it to its author."""
    slug = _check_id(path.stem, path, "article slug")
    text = read_text(path)
    data, body, body_line = split_front_matter(text, path)
    _warn_unknown_keys(data, ARTICLE_KEYS, text, path, warnings)
    title = _required_text(data, "title", text, path)
    author_id = _required_text(data, "author", text, path)
    author = authors.get(author_id)
    if author is None:
        known = ", ".join(sorted(authors)) or "none: add sources/authors/<id>.md"
        raise SourceError(
            f"unknown author '{author_id}' (known authors: {known})", path, _key_line(text, "author")
        )
    lang = _optional_text(data, "lang", text, path) or "en"
    if not LANG_PATTERN.fullmatch(lang):
        raise SourceError(f"'lang' must be a language tag such as en or fr-CA, not '{lang}'", path)
    lede, sections = _sections(parse_body(body, body_line), path, warnings)
    return Article(
        slug=slug,
        path=path,
        title=title,
        author=author,
        sections=sections,
        lede=lede,
        date=_date(data.get("date"), text, path),
        summary=_optional_text(data, "summary", text, path),
        source_url=_optional_text(data, "source_url", text, path),
        license=_optional_text(data, "license", text, path),
        lang=lang,
    )


def _date(value: object, text: str, path: Path) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SourceError(
            f"'date' must be an ISO 8601 date such as 2023-05-01, not '{value}'",
            path,
            _key_line(text, "date"),
        ) from None


def _sections(
    items: list[Block | Heading], path: Path, warnings: Warnings
) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
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
    for heading, blocks in groups:
        if not heading.title:
            raise SourceError("a section heading is empty", path, heading.line)
        if not blocks:
            warnings.append(
                SourceWarning(f"section '{heading.title}' is empty and is left out", path, heading.line)
            )
            continue
        sections.append(Section(heading.title, tuple(blocks), heading.line, len(sections)))
    if not sections:
        raise SourceError("every section is empty: the article has no text to brief", path)
    return tuple(lede), tuple(sections)


# --- focuses ----------------------------------------------------------------------------------


def read_focuses(path: Path) -> dict[str, Focus]:
    """Read ``sources/focuses.yaml``: a mapping from focus id to its definition."""
    text = read_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SourceError(f"not valid YAML: {problem}", path, mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise SourceError("must be a mapping from focus id to its title, keywords and color", path, 1)
    lines = {str(key.value): key.start_mark.line + 1 for key, _ in root.value}
    focuses: dict[str, Focus] = {}
    for focus_id, spec in data.items():
        focuses[str(focus_id)] = _focus(str(focus_id), spec, path, lines.get(str(focus_id)))
    if not focuses:
        raise SourceError("defines no focus", path, 1)
    return focuses


def _focus(focus_id: str, spec: object, path: Path, line: int | None) -> Focus:
    def fail(message: str) -> SourceError:
        return SourceError(f"focus '{focus_id}': {message}", path, line)

    if not ID_PATTERN.fullmatch(focus_id):
        raise fail("the id must be lowercase letters, digits and single hyphens")
    if focus_id in RESERVED_FOCUS_IDS:
        raise fail(f"'{focus_id}' is reserved on the command line; choose another id")
    if not isinstance(spec, dict):
        raise fail("must be a mapping with title, description, keywords and color")
    title = spec.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("'title' is missing or empty")
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise fail("'description' must be text")
    keywords = spec.get("keywords")
    if not isinstance(keywords, list) or not keywords:
        raise fail("has no keywords: give a list of words and phrases")
    cleaned = tuple(str(k).strip() for k in keywords if str(k).strip() and k is not None)
    if len(cleaned) != len(keywords) or not all(isinstance(k, str) for k in keywords):
        raise fail("every keyword must be a non-empty word or phrase")
    color = spec.get("color")
    if not isinstance(color, str) or not COLOR_PATTERN.fullmatch(color.strip()):
        raise fail(f"'color' must be a hex colour such as \"#8e2c48\", not {color!r}")
    return Focus(focus_id, title.strip(), description.strip(), cleaned, color.strip().lower(), path)


# --- the whole project ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sources:
    """Everything read from a project's ``sources/``."""

    articles: tuple[Article, ...]
    authors: Mapping[str, Author]
    focuses: Mapping[str, Focus]


def collect(check: Callable[[], T], problems: list[BriefError]) -> T | None:
    """Run ``check``; record a project error instead of raising it (for reporting all at once)."""
    try:
        return check()
    except ProblemList as many:
        problems.extend(many.problems)
    except BriefError as exc:
        problems.append(exc)
    return None


def read_project(
    project: Project, warnings: Warnings, slugs: tuple[str, ...] = (), all_problems: bool = False
) -> Sources:
    """Read the focuses, authors and articles (only ``slugs`` when given).

    With ``all_problems`` every broken source is read and reported together in a
    :class:`ProblemList`; otherwise the first problem is raised.
    """
    problems: list[BriefError] = []

    def guard(check: Callable[[], T]) -> T | None:
        if not all_problems:
            return check()
        return collect(check, problems)

    if not project.focuses_file.is_file():
        guard(_missing(project.focuses_file, "no focuses.yaml: define the focuses a brief can take"))
        focuses: dict[str, Focus] = {}
    else:
        focuses = guard(lambda: read_focuses(project.focuses_file)) or {}
    authors: dict[str, Author] = {}
    for path in project.author_paths():
        author = guard(lambda p=path: read_author(p, warnings))  # type: ignore[misc]
        if author is not None:
            authors[author.id] = author
    paths = project.article_paths()
    if slugs:
        paths = _select(paths, slugs, project)
    elif not paths:
        guard(_missing(project.articles_dir, "no articles: add sources/articles/<slug>.md"))
    articles = []
    for path in paths:
        article = guard(lambda p=path: read_article(p, authors, warnings))  # type: ignore[misc]
        if article is not None:
            articles.append(article)
    if problems:
        raise ProblemList(problems)
    return Sources(tuple(articles), authors, focuses)


def _missing(path: Path, message: str) -> Callable[[], None]:
    def fail() -> None:
        raise SourceError(message, path)

    return fail


def _select(paths: list[Path], slugs: tuple[str, ...], project: Project) -> list[Path]:
    by_slug = {p.stem: p for p in paths}
    unknown = [s for s in slugs if s not in by_slug]
    if unknown:
        known = ", ".join(sorted(by_slug)) or "none"
        raise SourceError(f"no article '{unknown[0]}' (articles: {known})", project.articles_dir)
    return [by_slug[s] for s in dict.fromkeys(slugs)]
