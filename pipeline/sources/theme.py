"""The theme: page size, margins, fonts, sizes and colours, read from ``theme.yaml``.

The built-in ``templates/theme.yaml`` holds every default; a project's own ``templates/theme.yaml``
is merged over it key by key, so users tune data rather than code.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, raise_problems
from . import yamldoc
from .patterns import COLOR_PATTERN

THEME_FILE = "theme.yaml"
PAGE_SIZES_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
FACES = ("regular", "bold", "italic", "bold_italic")


def builtin_templates_dir() -> Path:
    """The templates shipped with make-brief (the repository's own ``templates/``)."""
    # The package's folder, as an installed or editable make-brief has it on disk; asking
    # importlib.resources would import zipfile, tempfile and shutil into every run.
    templates = importlib.import_module("pipeline.templates")
    return Path(str(templates.__file__)).resolve().parent


@dataclass(frozen=True)
class FontFamily:
    """Candidate font files for each face, in order of preference."""

    regular: tuple[str, ...]
    bold: tuple[str, ...]
    italic: tuple[str, ...]
    bold_italic: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    """Everything about a brief's look that users tune without touching code."""

    page_size: str
    #: Margins in millimetres: top, right, bottom, left.
    margins_mm: tuple[float, float, float, float]
    body_font: FontFamily
    heading_font: FontFamily
    mono_font: FontFamily
    #: Font files tried, in order, for characters the faces lack; missing files are skipped.
    fallback_fonts: tuple[str, ...]
    sizes: Mapping[str, float]
    colors: Mapping[str, str]
    #: Folders the theme's relative font paths are resolved against, project first.
    search_dirs: tuple[Path, ...]

    @property
    def page_size_mm(self) -> tuple[float, float]:
        return PAGE_SIZES_MM[self.page_size.lower()]


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` merged over ``base``, recursively for nested mappings."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the theme: {exc}", path) from exc
    data = yamldoc.parse(text, path, "not valid YAML", error=ConfigError).data or {}
    if not isinstance(data, dict):
        raise ConfigError("the theme must be a mapping of settings", path, 1)
    return data


def template_dirs(templates_dir: Path | None) -> tuple[Path, ...]:
    """The template search path: the project's ``templates/`` first, then the built-in one."""
    builtin = builtin_templates_dir()
    if templates_dir is None or templates_dir.resolve() == builtin.resolve():
        return (builtin,)
    return (templates_dir, builtin)


def load_theme(templates_dir: Path | None) -> Theme:
    """The built-in theme with the project's ``theme.yaml`` (if any) merged over it."""
    dirs = template_dirs(templates_dir)
    data = _read(dirs[-1] / THEME_FILE)
    if len(dirs) > 1 and (dirs[0] / THEME_FILE).is_file():
        data = merge(data, _read(dirs[0] / THEME_FILE))
    return _theme(data, dirs[0] / THEME_FILE, dirs)


def _theme(data: Mapping[str, Any], path: Path, dirs: tuple[Path, ...]) -> Theme:
    try:
        page = data["page"]
        size = str(page["size"])
        if size.lower() not in PAGE_SIZES_MM:
            raise ConfigError(f"page size must be A4 or Letter, not '{size}'", path)
        margins = page["margins_mm"]
        margins_mm = tuple(float(margins[k]) for k in ("top", "right", "bottom", "left"))
        fonts = data["fonts"]
        sizes = {str(k): float(v) for k, v in data["sizes"].items()}
        colors = {str(k): str(v) for k, v in data["colors"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"theme setting missing or malformed: {exc}", path) from exc
    raise_problems(
        [
            ConfigError(
                f"colour '{name}' must be a hex colour such as \"#1d1d1f\", not '{value}'", path
            )
            for name, value in colors.items()
            if not COLOR_PATTERN.fullmatch(value)
        ]
    )
    return Theme(
        page_size=size,
        margins_mm=margins_mm,  # type: ignore[arg-type]
        body_font=_family(fonts.get("body"), path),
        heading_font=_family(fonts.get("heading"), path),
        mono_font=_family(fonts.get("mono"), path),
        fallback_fonts=_fallbacks(fonts.get("fallback"), path),
        sizes=sizes,
        colors=colors,
        search_dirs=dirs,
    )


def _family(spec: object, path: Path) -> FontFamily:
    if not isinstance(spec, Mapping) or "regular" not in spec:
        raise ConfigError("each font family needs at least a 'regular' face", path)

    def face(name: str) -> tuple[str, ...]:
        value = spec.get(name) or spec["regular"]
        return tuple(str(v) for v in (value if isinstance(value, list) else [value]))

    return FontFamily(*(face(name) for name in FACES))


def _fallbacks(spec: object, path: Path) -> tuple[str, ...]:
    if spec is None:
        return ()
    if not isinstance(spec, list) or not all(isinstance(item, str) and item for item in spec):
        raise ConfigError("fonts: fallback must be a list of font files", path)
    return tuple(spec)
