"""Source files -> Article, Author and Focus, with validation and FILE:LINE errors.

The readers, one module each: :mod:`.project` (the folders), :mod:`.decode` (a file's text),
:mod:`.yamldoc` (YAML with positions), :mod:`.frontmatter`, :mod:`.authors`, :mod:`.articles`,
:mod:`.focuses`, and :mod:`.read` (the whole project at once); :mod:`.markdown` parses bodies,
:mod:`.config` reads ``project.yaml`` and :mod:`.theme` the theme. How they report is in
:mod:`.problems`. The names other stages use are importable from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import imported_on_first_use
from .patterns import COLOR_PATTERN, ID_PATTERN, LANG_PATTERN
from .problems import SourceWarning, Warnings, collect
from .project import Project, select_article_paths

if TYPE_CHECKING:
    from .articles import ARTICLE_KEYS, read_article
    from .authors import AUTHOR_KEYS, read_author, read_authors
    from .decode import decode_text, read_text
    from .focuses import RESERVED_FOCUS_IDS, read_focuses
    from .frontmatter import FRONT_MATTER_FENCE, split_front_matter
    from .read import Sources, read_project, read_sources

#: Names whose modules are imported on first use: a build that reads no article (nothing
#: changed) never needs the article, author and front matter readers, and one its stamp shows
#: is up to date (see pipeline.build.stamp) not even YAML.
_LATER = {
    "decode_text": ".decode",
    "read_text": ".decode",
    "RESERVED_FOCUS_IDS": ".focuses",
    "read_focuses": ".focuses",
    "ARTICLE_KEYS": ".articles",
    "read_article": ".articles",
    "AUTHOR_KEYS": ".authors",
    "read_author": ".authors",
    "read_authors": ".authors",
    "FRONT_MATTER_FENCE": ".frontmatter",
    "split_front_matter": ".frontmatter",
    "Sources": ".read",
    "read_project": ".read",
    "read_sources": ".read",
}

__all__ = [
    "ARTICLE_KEYS",
    "AUTHOR_KEYS",
    "COLOR_PATTERN",
    "FRONT_MATTER_FENCE",
    "ID_PATTERN",
    "LANG_PATTERN",
    "RESERVED_FOCUS_IDS",
    "Project",
    "SourceWarning",
    "Sources",
    "Warnings",
    "collect",
    "decode_text",
    "read_article",
    "read_author",
    "read_authors",
    "read_focuses",
    "read_project",
    "read_sources",
    "read_text",
    "select_article_paths",
    "split_front_matter",
]


__getattr__ = imported_on_first_use(__name__, globals(), _LATER)
