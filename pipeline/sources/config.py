"""The project's own settings, from the optional ``sources/project.yaml``.

- ``base_url``: where the output folder is published. With it, each PDF's first page gives the
  web address of the same brief in HTML, so a reader of the printout can find the online version.
  Without it, briefs carry no absolute addresses.
- ``relevance``: how tailoring weighs a sentence for a focus: ``keyword`` (the default: the
  focus's keywords, weighed against the article) or ``semantic`` (keywords plus the meaning of
  each sentence, from a local model in the ``semantic`` extra).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from . import yamldoc
from .decode import read_text
from .problems import SourceWarning, Warnings
from .project import Project

CONFIG_FILE = "project.yaml"
KEYS = frozenset({"base_url", "relevance"})
#: The relevance models a project may choose, the default first.
RELEVANCE_MODELS = ("keyword", "semantic")
_URL = re.compile(r"https?://[^\s/?#]+(?:/[^\s?#]*)?", re.IGNORECASE)
_UNSAFE_URL_CHARS = set("\"'<>\\`{}|^")


@dataclass(frozen=True)
class ProjectConfig:
    """Settings that concern the whole project rather than one source."""

    #: Where the output folder is published, ending in "/" (``https://example.org/briefs/``);
    #: ``build/<slug>/<edition>.html`` is then at ``<base_url><slug>/<edition>.html``.
    #: Empty when the project does not say.
    base_url: str = ""
    #: The relevance model tailoring weighs sentences with (one of RELEVANCE_MODELS).
    relevance: str = "keyword"


def config_path(project: Project) -> Path:
    """Where a project keeps its settings."""
    return project.sources / CONFIG_FILE


def read_config(project: Project, warnings: Warnings) -> ProjectConfig:
    """The project's settings; defaults when ``sources/project.yaml`` does not exist."""
    path = config_path(project)
    if not path.is_file():
        return ProjectConfig()
    document = yamldoc.parse(read_text(path), path, "not valid YAML", error=ConfigError)
    data = document.data or {}
    if not isinstance(data, dict):
        raise ConfigError("project settings must be YAML keys and values (a mapping)", path, 1)
    lines = document.key_lines()
    for key in sorted(set(map(str, data)) - KEYS):
        known = ", ".join(sorted(KEYS))
        warnings.append(
            SourceWarning(f"unknown setting '{key}' (known: {known})", path, lines.get(key))
        )
    return ProjectConfig(
        base_url=_base_url(data.get("base_url"), path, lines.get("base_url")),
        relevance=_relevance(data.get("relevance"), path, lines.get("relevance")),
    )


def _relevance(value: object, path: Path, line: int | None) -> str:
    if value is None:
        return RELEVANCE_MODELS[0]
    if value not in RELEVANCE_MODELS:
        valid = ", ".join(RELEVANCE_MODELS)
        raise ConfigError(f"relevance must be one of {valid}, not {value!r}", path, line)
    if value == "semantic":
        # Said here, where the setting is, rather than by the first brief that needs the model.
        from ..emphasis import semantic

        if not semantic.available():
            raise ConfigError(
                f"relevance: semantic needs the 'semantic' extra: {semantic.INSTALL}", path, line
            )
    return str(value)


def _base_url(value: object, path: Path, line: int | None) -> str:
    if value is None or value == "":
        return ""
    url = value.strip() if isinstance(value, str) else ""
    if not _URL.fullmatch(url) or _UNSAFE_URL_CHARS & set(url):
        raise ConfigError(
            "base_url must be an http or https address such as https://example.org/briefs/, "
            f"not {value!r}",
            path,
            line,
        )
    return url if url.endswith("/") else url + "/"
