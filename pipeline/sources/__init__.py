"""Source files -> Article, Author and Focus, with validation and FILE:LINE errors.

Readers never print: a problem that stops a source raises :class:`SourceError` (several
independent problems in one file are raised together as a :class:`ProblemList`, so a user fixes
them in one go); a problem worth telling but not fatal (an unknown front-matter key, an empty
section, a stripped control character) is appended to the ``warnings`` list the caller passes in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from . import yamlfast
from ..errors import BriefError, ConfigError, ProblemList, SourceError, raise_problems
from ..model import Article, Author, Block, Focus, Section

if TYPE_CHECKING:
    from .markdown import Heading

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COLOR_PATTERN = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
#: Focus ids with a meaning of their own on the command line.
RESERVED_FOCUS_IDS = frozenset({"general", "all"})

ARTICLE_KEYS = frozenset({"title", "author", "date", "summary", "source_url", "license", "lang"})
AUTHOR_KEYS = frozenset({"name", "role", "url"})
LANG_PATTERN = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
FRONT_MATTER_FENCE = "---"
#: C0 and C1 control characters except tab and newline, and Unicode noncharacters. In text off the
#: web they are debris, never content: HTML forbids them and a PDF has no glyph for them, so they
#: are removed when a source is read (with a warning), before YAML or Markdown sees them.
_UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)

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
            # The absolute path: "error: .: no sources/" would not tell the user where they are.
            raise ConfigError(
                "no sources/ directory here: run make-brief in a brief project "
                "or pass --project DIR",
                root.resolve(),
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


def read_text(path: Path, warnings: Warnings | None = None) -> str:
    """A source file's text; invalid UTF-8 is an error giving the line and byte offset.

    Line endings become ``\\n`` and control characters are removed, each removal reported in
    ``warnings`` when given.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from exc
    return _strip_unshowable(decode_text(data, path), path, warnings)


def decode_text(data: bytes, path: Path | str, encoding: str = "utf-8") -> str:
    """Bytes as text with ``\\n`` line endings and no byte-order mark.

    A byte the encoding cannot read is an error giving its line and byte offset.
    """
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"not valid {encoding.upper()} at byte {exc.start} "
            f"(byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path,
            line,
        ) from exc
    # Windows and old Mac line endings are the same lines; a BOM is not text.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _strip_unshowable(text: str, path: Path, warnings: Warnings | None) -> str:
    found = list(_UNSHOWABLE.finditer(text))
    if not found:
        return text
    if warnings is not None:
        codes = ", ".join(dict.fromkeys(f"U+{ord(m.group()):04X}" for m in found))
        line = text.count("\n", 0, found[0].start()) + 1
        warnings.append(
            SourceWarning(
                f"removed {len(found)} control character(s) ({codes}): they cannot be shown",
                path,
                line,
            )
        )
    return _UNSHOWABLE.sub("", text)


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
        raise SourceError(
            "front matter is not closed: add a '---' line after it", path, 1
        ) from None
    raw = "\n".join(lines[1:end])
    data = (
        load_yaml(raw, path, "front matter is not valid YAML", first_line=2) if raw.strip() else {}
    )
    if not isinstance(data, dict):
        raise SourceError("front matter must be YAML keys and values (a mapping)", path, 2)
    return data, "\n".join(lines[end + 1 :]), end + 2


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is checked (and located) like any value
    instead of failing the whole file."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, path: Path, what: str, first_line: int = 1) -> Any:
    """Parse YAML (dates stay text); a syntax error names its line.

    ``first_line`` is the line of ``text`` in its file, for front matter below a ``---`` line.
    """
    return load_yaml_document(text, path, what, first_line)[1]


def load_yaml_document(
    text: str, path: Path, what: str, first_line: int = 1
) -> tuple[yaml.Node | None, Any]:
    """Like :func:`load_yaml`, with the node tree too, whose marks locate each key."""
    try:
        node, data = yamlfast.document(text, _Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SourceError(f"{what}: {problem}", path, line) from exc
    return node, _without_unshowable(data)


def _without_unshowable(value: Any) -> Any:
    """``value`` with control characters removed from its strings: YAML escapes such as "\\a"
    make them after the file's own were removed."""
    if isinstance(value, str):
        return _UNSHOWABLE.sub("", value)
    if isinstance(value, list):
        return [_without_unshowable(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_unshowable(item) for key, item in value.items()}
    return value


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
            SourceWarning(
                f"unknown front-matter key '{key}' (known: {hint})", path, _key_line(text, key)
            )
        )


def _required_text(data: Mapping[str, Any], key: str, text: str, path: Path) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise SourceError(
            f"'{key}' is missing or empty in the front matter", path, _key_line(text, key) or 1
        )
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


def _optional_url(data: Mapping[str, Any], key: str, text: str, path: Path) -> str:
    from .markdown import safe_href  # the Markdown reader loads only where text is parsed

    url = _optional_text(data, key, text, path)
    if url and safe_href(url) is None:
        raise SourceError(
            f"'{key}' must be an http, https or mailto link, not '{url}'",
            path,
            _key_line(text, key),
        )
    return url


def _check_id(stem: str, path: Path, what: str) -> str:
    if not ID_PATTERN.fullmatch(stem):
        raise SourceError(
            f"{what} '{stem}' must be lowercase letters, digits and single hyphens "
            "(like us-north-korea); rename the file",
            path,
        )
    return stem


def _attempt(problems: list[BriefError], check: Callable[[], T], fallback: T) -> T:
    """Run one independent check of a source; on a problem record it and go on with ``fallback``."""
    try:
        return check()
    except ProblemList as many:
        problems.extend(many.problems)
    except BriefError as exc:
        problems.append(exc)
    return fallback


def _read_front_matter(
    path: Path, problems: list[BriefError], warnings: Warnings
) -> tuple[str, dict[str, Any], str, int]:
    """Text, front matter, body and body line; a file that cannot be split stops here."""
    try:
        text = read_text(path, warnings)
        data, body, body_line = split_front_matter(text, path)
    except SourceError as exc:
        problems.append(exc)
        raise_problems(problems)
        raise
    return text, data, body, body_line


# --- authors ----------------------------------------------------------------------------------


def read_author(path: Path, warnings: Warnings) -> Author:
    """Read ``sources/authors/<id>.md``; every problem in the file is reported together."""
    from .markdown import parse_body  # a no-change build reads no Markdown: not even the reader

    problems: list[BriefError] = []
    author_id = _attempt(problems, lambda: _check_id(path.stem, path, "author id"), path.stem)
    text, data, body, body_line = _read_front_matter(path, problems, warnings)
    _warn_unknown_keys(data, AUTHOR_KEYS, text, path, warnings)
    name = _attempt(problems, lambda: _required_text(data, "name", text, path), "")
    role = _attempt(problems, lambda: _optional_text(data, "role", text, path), "")
    url = _attempt(problems, lambda: _optional_url(data, "url", text, path), "")
    bio = tuple(item for item in parse_body(body, body_line) if isinstance(item, Block))
    raise_problems(problems)
    return Author(id=author_id, name=name, bio=bio, path=path, role=role, url=url)


def read_authors(project: Project, warnings: Warnings) -> dict[str, Author]:
    """Every author of the project, by id."""
    return {
        author.id: author for author in (read_author(p, warnings) for p in project.author_paths())
    }


# --- articles ---------------------------------------------------------------------------------


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
    from .markdown import parse_body

    problems: list[BriefError] = []
    slug = _attempt(problems, lambda: _check_id(path.stem, path, "article slug"), path.stem)
    text, data, body, body_line = _read_front_matter(path, problems, warnings)
    _warn_unknown_keys(data, ARTICLE_KEYS, text, path, warnings)
    title = _attempt(problems, lambda: _required_text(data, "title", text, path), "")
    author = _attempt(problems, lambda: _author(data, text, path, authors, broken_authors), None)
    lang = _attempt(problems, lambda: _lang(data, text, path), "en")
    date = _attempt(problems, lambda: _date(data.get("date"), text, path), None)
    summary = _attempt(problems, lambda: _optional_text(data, "summary", text, path), "")
    source_url = _attempt(problems, lambda: _optional_url(data, "source_url", text, path), "")
    license_ = _attempt(problems, lambda: _optional_text(data, "license", text, path), "")
    lede, sections = _attempt(
        problems, lambda: _sections(parse_body(body, body_line), path, warnings), ((), ())
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
    )


def _author(
    data: Mapping[str, Any],
    text: str,
    path: Path,
    authors: Mapping[str, Author],
    broken: Collection[str],
) -> Author:
    author_id = _required_text(data, "author", text, path)
    author = authors.get(author_id)
    if author is not None:
        return author
    line = _key_line(text, "author")
    if author_id in broken:
        raise SourceError(
            f"author '{author_id}' cannot be used until sources/authors/{author_id}.md is fixed",
            path,
            line,
        )
    known = ", ".join(sorted({*authors, *broken})) or "none: add sources/authors/<id>.md"
    raise SourceError(f"unknown author '{author_id}' (known authors: {known})", path, line)


def _lang(data: Mapping[str, Any], text: str, path: Path) -> str:
    lang = _optional_text(data, "lang", text, path) or "en"
    if not LANG_PATTERN.fullmatch(lang):
        raise SourceError(
            f"'lang' must be a language tag such as en or fr-CA, not '{lang}'",
            path,
            _key_line(text, "lang"),
        )
    return lang


def _date(value: object, text: str, path: Path) -> dt.date | None:
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
            path,
            _key_line(text, "date"),
        ) from None


def _sections(
    items: list[Block | Heading], path: Path, warnings: Warnings
) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
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


# --- focuses ----------------------------------------------------------------------------------


def read_focuses(path: Path) -> dict[str, Focus]:
    """Read ``sources/focuses.yaml``: a mapping from focus id to its definition.

    Every broken focus is reported, not only the first.
    """
    text = read_text(path)
    root, data = load_yaml_document(text, path, "not valid YAML")
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise SourceError(
            "must be a mapping from focus id to its title, keywords and color", path, 1
        )
    lines = {str(key.value): _key_lines(key, value) for key, value in root.value}
    focuses: dict[str, Focus] = {}
    problems: list[BriefError] = []
    for focus_id, spec in data.items():
        focus = _attempt(
            problems, lambda i=str(focus_id), s=spec: _focus(i, s, path, lines.get(i, {})), None
        )
        if focus is not None:
            focuses[focus.id] = focus
    raise_problems(problems)
    if not focuses:
        raise SourceError("defines no focus", path, 1)
    return focuses


def _key_lines(key: yaml.Node, value: yaml.Node) -> dict[str, int]:
    """1-based lines of a focus (under "") and of each of its settings, to point at the culprit."""
    lines = {"": key.start_mark.line + 1}
    if isinstance(value, yaml.MappingNode):
        lines.update({str(k.value): k.start_mark.line + 1 for k, _ in value.value})
    return lines


def _focus(focus_id: str, spec: object, path: Path, lines: Mapping[str, int]) -> Focus:
    """One focus; every problem with it is reported together."""

    def fail(message: str, key: str = "") -> SourceError:
        return SourceError(f"focus '{focus_id}': {message}", path, lines.get(key) or lines.get(""))

    problems: list[BriefError] = []
    if not ID_PATTERN.fullmatch(focus_id):
        problems.append(fail("the id must be lowercase letters, digits and single hyphens"))
    elif focus_id in RESERVED_FOCUS_IDS:
        problems.append(fail(f"'{focus_id}' is reserved on the command line; choose another id"))
    if not isinstance(spec, dict):
        problems.append(fail("must be a mapping with title, description, keywords and color"))
        raise_problems(problems)
        raise AssertionError("unreachable")
    title = spec.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(fail("'title' is missing or empty", "title"))
    description = spec.get("description", "")
    if not isinstance(description, str):
        problems.append(fail("'description' must be text", "description"))
    keywords = spec.get("keywords")
    cleaned: tuple[str, ...] = ()
    if not isinstance(keywords, list) or not keywords:
        problems.append(fail("has no keywords: give a list of words and phrases", "keywords"))
    elif not all(isinstance(k, str) and k.strip() for k in keywords):
        problems.append(fail("every keyword must be a non-empty word or phrase", "keywords"))
    else:
        cleaned = tuple(k.strip() for k in keywords)
    color = spec.get("color")
    if not isinstance(color, str) or not COLOR_PATTERN.fullmatch(color.strip()):
        problems.append(
            fail(f"'color' must be a hex colour such as \"#8e2c48\", not {color!r}", "color")
        )
    raise_problems(problems)
    assert isinstance(title, str) and isinstance(description, str) and isinstance(color, str)
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
    return _attempt(problems, check, None)


def read_sources(
    project: Project, warnings: Warnings, slugs: tuple[str, ...] = ()
) -> tuple[Sources, list[BriefError]]:
    """Read the focuses, authors and articles (only ``slugs`` when given), reading on past errors.

    Returns what could be read and every problem found, so ``make-brief check`` can go on to
    check templates against the articles that did read.
    """
    problems: list[BriefError] = []
    focuses: dict[str, Focus] = {}
    if not project.focuses_file.is_file():
        problems.append(
            SourceError(
                "no focuses.yaml: define the focuses a brief can take", project.focuses_file
            )
        )
    else:
        focuses = collect(lambda: read_focuses(project.focuses_file), problems) or {}
    authors: dict[str, Author] = {}
    broken: list[str] = []
    for path in project.author_paths():
        author = collect(lambda p=path: read_author(p, warnings), problems)  # type: ignore[misc]
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
        read = lambda p=path: read_article(p, authors, warnings, broken)  # type: ignore[misc]  # noqa: E731
        article = collect(read, problems)
        if article is not None:
            articles.append(article)
    return Sources(tuple(articles), authors, focuses), problems


def read_project(project: Project, warnings: Warnings, slugs: tuple[str, ...] = ()) -> Sources:
    """Read the focuses, authors and articles (only ``slugs`` when given).

    Every broken source is reported: one problem is raised as itself, several together as a
    :class:`ProblemList`.
    """
    sources, problems = read_sources(project, warnings, slugs)
    raise_problems(problems)
    return sources


def select_article_paths(project: Project, slugs: Sequence[str]) -> list[Path]:
    """The article files to read: all of them, or those named (an unknown name is an error)."""
    paths = project.article_paths()
    if not slugs:
        return paths
    by_slug = {p.stem: p for p in paths}
    unknown = [s for s in slugs if s not in by_slug]
    if unknown:
        known = ", ".join(sorted(by_slug)) or "none"
        raise SourceError(f"no article '{unknown[0]}' (articles: {known})", project.articles_dir)
    return [by_slug[s] for s in dict.fromkeys(slugs)]
