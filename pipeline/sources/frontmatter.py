"""Sources written as YAML front matter and a Markdown body: articles and authors.

A :class:`FrontMatter` is such a file split in two, with the line of every key, and checks its
values one key at a time, each problem pointing at the key's line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import BriefError, SourceError, raise_problems
from . import yamldoc
from .decode import read_source
from .patterns import ID_PATTERN
from .problems import SourceWarning, Warnings

FRONT_MATTER_FENCE = "---"
#: Lines that close front matter: YAML's own end-of-document marker is accepted too.
_CLOSING_FENCES = (FRONT_MATTER_FENCE, "...")


@dataclass(frozen=True)
class FrontMatter:
    """A source file split at its front matter: the keys, where each is, and the body."""

    path: Path
    data: dict[str, Any]
    #: The 1-based line of each front-matter key in the file.
    lines: Mapping[str, int]
    body: str
    #: The 1-based line of the file on which the body starts.
    body_line: int
    #: SHA-256 of the bytes the file was read from ("" when parsed from text).
    sha256: str = ""
    #: The YAML document, which locates values below the top level; None when it is empty.
    document: yamldoc.YamlDocument | None = None

    def line_at(self, *keys: str | int) -> int | None:
        """The line of the value at ``keys`` (see :meth:`yamldoc.YamlDocument.line_at`), or of
        its top-level key where the document does not locate it."""
        line = self.document.line_at(*keys) if self.document is not None else None
        return line or self.lines.get(str(keys[0]))

    def warn_unknown_keys(self, known: frozenset[str], warnings: Warnings) -> None:
        """Warn of each key outside ``known``: it is usually a typo."""
        for key in sorted(set(map(str, self.data)) - known):
            hint = ", ".join(sorted(known))
            warnings.append(
                SourceWarning(
                    f"unknown front-matter key '{key}' (known: {hint})",
                    self.path,
                    self.lines.get(key),
                )
            )

    def required_text(self, key: str) -> str:
        """The text of ``key``, which must be given and not empty."""
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise SourceError(
                f"'{key}' is missing or empty in the front matter",
                self.path,
                self.lines.get(key) or 1,
            )
        return self._text(key, value)

    def optional_text(self, key: str) -> str:
        """The text of ``key``, empty when not given."""
        value = self.data.get(key)
        return "" if value is None else self._text(key, value)

    def optional_url(self, key: str) -> str:
        """The link of ``key``, empty when not given; only one a reader may follow."""
        from .markdown import safe_href  # the Markdown reader loads only where text is parsed

        url = self.optional_text(key)
        if url and safe_href(url) is None:
            raise SourceError(
                f"'{key}' must be an http, https or mailto link, not '{url}'",
                self.path,
                self.lines.get(key),
            )
        return url

    def _text(self, key: str, value: object) -> str:
        if not isinstance(value, str | int | float):
            raise SourceError(f"'{key}' must be text", self.path, self.lines.get(key))
        if not isinstance(value, str) and self.document is not None:
            # A number is shown as written: YAML reads "3.10" as 3.1 and "0x1F" as 31.
            value = self.document.written(key) or value
        return str(value).strip()


def parse_front_matter(text: str, path: Path, warnings: Warnings | None = None) -> FrontMatter:
    """Split ``---`` YAML front matter from the body of a source's text; a control character
    a YAML escape makes is removed with a warning in ``warnings`` (without, an error)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise SourceError(
            "no front matter: the file must start with a '---' line, then YAML keys, then '---'",
            path,
            1,
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in _CLOSING_FENCES)
    except StopIteration:
        raise SourceError(
            "front matter is not closed: add a '---' line after it", path, 1
        ) from None
    raw = "\n".join(lines[1:end])
    body, body_line = "\n".join(lines[end + 1 :]), end + 2
    if not raw.strip():
        return FrontMatter(path, {}, {}, body, body_line)
    document = yamldoc.parse(
        raw, path, "front matter is not valid YAML", first_line=2, warnings=warnings
    )
    if not isinstance(document.data, dict):
        raise SourceError("front matter must be YAML keys and values (a mapping)", path, 2)
    return FrontMatter(
        path, document.data, document.key_lines(), body, body_line, document=document
    )


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """Split ``---`` YAML front matter from the body.

    Returns the front matter as a mapping, the body, and the 1-based line the body starts on.
    """
    front = parse_front_matter(text, path)
    return front.data, front.body, front.body_line


def read_front_matter(path: Path, problems: list[BriefError], warnings: Warnings) -> FrontMatter:
    """Read and split a source file; one that cannot be split stops here, with ``problems``."""
    try:
        source = read_source(path, warnings)
        return replace(parse_front_matter(source.text, path, warnings), sha256=source.sha256)
    except SourceError as exc:
        problems.append(exc)
        raise_problems(problems)
        raise


def file_id(path: Path, what: str) -> str:
    """The id a source file's name gives it (``what`` it is, for the error): its stem."""
    if not ID_PATTERN.fullmatch(path.stem):
        raise SourceError(
            f"{what} '{path.stem}' must be lowercase letters, digits and single hyphens "
            "(like us-north-korea); rename the file",
            path,
        )
    return path.stem
