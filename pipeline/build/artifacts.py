"""What a build records about each file it writes: the manifest's entry, and what the index says
about an article."""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..render import get_format

if TYPE_CHECKING:
    from ..model import Article

#: A SHA-256 as the manifest gives it: 64 lowercase hex digits.
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Thumbnail:
    """The page-1 picture of a PDF brief, beside it (``<slug>/<edition>.png``)."""

    path: str
    bytes: int
    sha256: str
    width: int
    height: int

    def to_json(self) -> dict[str, object]:
        """The entry under its PDF's ``thumbnail`` key in the manifest."""
        return {
            "path": self.path,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "width": self.width,
            "height": self.height,
        }

    @classmethod
    def from_json(cls, data: object, pdf_path: str) -> Thumbnail:
        """An entry :meth:`to_json` wrote for the PDF at ``pdf_path``; anything else raises."""
        if not isinstance(data, Mapping) or set(data) != {
            "path",
            "bytes",
            "sha256",
            "width",
            "height",
        }:
            raise TypeError("unexpected thumbnail entry")
        path, sha = data["path"], data["sha256"]
        numbers = [data[key] for key in ("bytes", "width", "height")]
        stem = pdf_path.rpartition(".")[0]
        if path != f"{stem}.png" or not isinstance(sha, str) or not SHA256_PATTERN.fullmatch(sha):
            raise ValueError("unexpected thumbnail path or hash")
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            raise TypeError("thumbnail sizes must be numbers")
        size, width, height = (int(str(n)) for n in numbers)
        return cls(path, size, sha, width, height)


@dataclass(frozen=True)
class Artifact:
    """A file written (or found up to date) by a build, as the manifest lists it."""

    #: The article's slug.
    article: str
    #: The id of the edition ("general", "security", "security+human-rights"); the manifest
    #: calls it ``focus``.
    edition_id: str
    #: The format's name.
    format: str
    #: Relative to the output folder, with forward slashes.
    path: str
    bytes: int
    sha256: str
    #: Pages, for a format that has them.
    pages: int | None = None
    #: The page-1 picture written beside a PDF, when thumbnails are made.
    thumbnail: Thumbnail | None = None

    @classmethod
    def of(
        cls, article: str, edition_id: str, fmt: str, path: str, data: builtins.bytes
    ) -> Artifact:
        """The entry of a file of format ``fmt`` holding ``data``."""
        count_pages = get_format(fmt).count_pages
        return cls(
            article=article,
            edition_id=edition_id,
            format=fmt,
            path=path,
            bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            pages=count_pages(data) if count_pages is not None else None,
        )

    def to_json(self) -> dict[str, object]:
        """The manifest's entry."""
        data: dict[str, object] = {
            "article": self.article,
            "focus": self.edition_id,
            "format": self.format,
            "path": self.path,
            "bytes": self.bytes,
            "sha256": self.sha256,
        }
        if self.pages is not None:
            data["pages"] = self.pages
        if self.thumbnail is not None:
            data["thumbnail"] = self.thumbnail.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Artifact:
        """An entry :meth:`to_json` wrote; anything else raises KeyError, TypeError or
        ValueError. (What a manifest or state file says ends up in the index page, so a value
        of any other shape is refused, not shown.)"""
        pages = data.get("pages")
        size = data["bytes"]
        if not isinstance(size, int) or not (pages is None or isinstance(pages, int)):
            raise TypeError("bytes and pages must be numbers")
        known = {"article", "focus", "format", "path", "bytes", "sha256", "pages", "thumbnail"}
        unknown = set(data) - known
        if unknown:
            raise TypeError(f"unexpected keys {sorted(unknown)}")
        text = {key: data[key] for key in ("article", "focus", "format", "path", "sha256")}
        if not all(isinstance(value, str) for value in text.values()):
            raise TypeError("article, focus, format, path and sha256 must be text")
        if not SHA256_PATTERN.fullmatch(str(text["sha256"])):
            raise ValueError("sha256 must be a SHA-256 in hex")
        return cls(
            article=str(text["article"]),
            edition_id=str(text["focus"]),
            format=str(text["format"]),
            path=str(text["path"]),
            bytes=size,
            sha256=str(text["sha256"]),
            pages=pages,
            thumbnail=(
                Thumbnail.from_json(data["thumbnail"], str(text["path"]))
                if data.get("thumbnail") is not None
                else None
            ),
        )


@dataclass(frozen=True)
class ArticleInfo:
    """What the index and the feed say about an article."""

    title: str
    author_name: str
    lang: str = "en"
    #: The article's one-sentence summary (its dek), or "".
    summary: str = ""
    #: The date its briefs show, ISO 8601 ("2023-05-01"), or "" when not recorded.
    date: str = ""

    @classmethod
    def of(cls, article: Article, fallback: dt.date) -> ArticleInfo:
        """What the index says of ``article``, dated ``fallback`` when it has no date."""
        return cls(
            article.title,
            article.author.name,
            article.lang,
            article.summary or "",
            (article.date or fallback).isoformat(),
        )
