"""The project's own settings, from the optional ``sources/project.yaml``.

Today it holds one setting, ``base_url``: where the output folder is published. With it, each
PDF's first page gives the web address of the same brief in HTML, so a reader of the printout
can find the online version. Without the file, briefs carry no absolute addresses.
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
KEYS = frozenset({"base_url", "sign"})
SIGN_KEYS = frozenset({"key", "certificate"})
_URL = re.compile(r"https?://[^\s/?#]+(?:/[^\s?#]*)?", re.IGNORECASE)
_UNSAFE_URL_CHARS = set("\"'<>\\`{}|^")


@dataclass(frozen=True)
class ProjectConfig:
    """Settings that concern the whole project rather than one source."""

    #: Where the output folder is published, ending in "/" (``https://example.org/briefs/``);
    #: ``build/<slug>/<edition>.html`` is then at ``<base_url><slug>/<edition>.html``.
    #: Empty when the project does not say.
    base_url: str = ""
    #: ``sign: {key: FILE, certificate: FILE}``: the PEM files ``make-brief --sign`` uses
    #: when the environment names none, relative to the project; None when not set.
    sign_key: Path | None = None
    sign_certificate: Path | None = None


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
    sign_key, sign_certificate = _sign_paths(data.get("sign"), path, lines.get("sign"))
    return ProjectConfig(
        base_url=_base_url(data.get("base_url"), path, lines.get("base_url")),
        sign_key=sign_key,
        sign_certificate=sign_certificate,
    )


def _sign_paths(value: object, path: Path, line: int | None) -> tuple[Path | None, Path | None]:
    """``sign: {key: FILE, certificate: FILE}`` as two paths (relative to the project)."""
    if value is None:
        return None, None
    if (
        not isinstance(value, dict)
        or set(map(str, value)) != SIGN_KEYS
        or not all(isinstance(v, str) and v.strip() for v in value.values())
    ):
        raise ConfigError(
            "sign must name two PEM files: sign: {key: FILE, certificate: FILE}", path, line
        )
    root = path.parent.parent  # sources/project.yaml -> the project
    key, certificate = (str(value[name]).strip() for name in ("key", "certificate"))
    return root / key, root / certificate


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
