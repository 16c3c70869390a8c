"""A brief project's folders, and which source files are in them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, SourceError
from .problems import SourceWarning


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
        return _sources_in(self.articles_dir)

    def author_paths(self) -> list[Path]:
        """Every author file, sorted so builds are deterministic."""
        return _sources_in(self.authors_dir)

    def misnamed_sources(self) -> list[SourceWarning]:
        """A warning for each Markdown file in ``articles/`` or ``authors/`` that is not read.

        Only ``<id>.md`` is a source (PRODUCT.md's format, and what the folders are globbed
        for); ``foo.markdown`` or ``foo.MD`` are what other tools save, and would otherwise
        leave an article out of every build without a word. A hidden file is no one's source.
        """
        warnings = []
        folders = ((self.articles_dir, "article", "slug"), (self.authors_dir, "author", "id"))
        for folder, kind, ids in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                suffix = path.suffix
                if suffix == ".md" or suffix.lower() not in MARKDOWN_SUFFIXES:
                    continue
                if path.name.startswith(".") or not path.is_file():
                    continue
                warnings.append(
                    SourceWarning(
                        f"not read: only <{ids}>.md files are {kind}s; rename it to {path.stem}.md",
                        path,
                    )
                )
        return warnings

    def image_paths(self) -> list[Path]:
        """Every file under sources/ a figure could show (PNG, JPEG), sorted."""
        return sorted(
            p for p in self.sources.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
        )


#: What Markdown files are named elsewhere (Pandoc's and GitHub's extensions), compared in
#: lowercase: a file with one of them in articles/ or authors/, but for ``.md`` itself, was
#: meant as a source (see :meth:`Project.misnamed_sources`).
MARKDOWN_SUFFIXES = frozenset(
    {".md", ".markdown", ".mdown", ".mdwn", ".mkd", ".mkdn", ".mkdown", ".mdtxt", ".mdtext"}
)

#: The files an article's figure may show (see :mod:`pipeline.sources.images`).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})


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


def _sources_in(folder: Path) -> list[Path]:
    """The ``<id>.md`` files of ``folder``, sorted.

    The suffix is compared exactly: Windows and macOS match ``*.md`` case-insensitively, so
    ``foo.MD`` would be read there and left out on Linux (and warned of everywhere, see
    :meth:`Project.misnamed_sources`). One project builds the same everywhere.
    """
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.suffix == ".md")
