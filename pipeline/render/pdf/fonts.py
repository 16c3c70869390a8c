"""TrueType font registration for the PDF renderer, once per process.

Every face is embedded (ReportLab subsets TrueType fonts), so no page refers to an unembedded
Type 1 base font. A theme lists candidate files per face; the first that exists is used. Its
``fallback`` list names fonts for the characters the faces lack (Arabic, Hangul, CJK...): every
listed file found on the machine is named, and a missing one is skipped, since no machine has them
all. A fallback font is read only when a character first needs it: reading a CJK font takes
longer than rendering a brief, and a brief in a script the faces cover never needs one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ...errors import ConfigError
from ...sources.theme import FontFamily
from .internals import mapped

#: Not bold or italic, and bold or italic, as ``addMapping`` takes them.
_FLAGS: tuple[Literal[0, 1], ...] = (0, 1)
#: Fonts shipped inside ReportLab, usable by name in a theme.
BUNDLED = {"Vera", "VeraBd", "VeraIt", "VeraBI"}


@dataclass(frozen=True)
class RegisteredFamily:
    """ReportLab font names of a family's faces, ready for styles and ``<b>``/``<i>`` markup."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


def _resolve(candidates: tuple[str, ...], search_dirs: tuple[Path, ...]) -> Path:
    for candidate in candidates:
        if candidate in BUNDLED:
            return _bundled_dir() / f"{candidate}.ttf"
        path = Path(candidate)
        options = [path] if path.is_absolute() else [d / path for d in search_dirs]
        for option in options:
            if option.is_file():
                return option
    raise ConfigError(
        f"no font file found among: {', '.join(candidates)}", search_dirs[0] / "theme.yaml"
    )


@cache
def _bundled_dir() -> Path:
    import reportlab

    return Path(reportlab.__file__).parent / "fonts"


#: Fallback fonts named but not read yet, by ReportLab font name (see ensure_registered).
_DEFERRED: dict[str, Path] = {}


def font_name(path: Path) -> str:
    """The ReportLab name a font file is registered under."""
    # The name goes into paragraph markup (<font face="...">), so it keeps to safe characters.
    return "mb-" + re.sub(r"[^A-Za-z0-9-]", "-", path.stem)


@cache
def register_file(path: Path) -> str:
    """Register one TrueType file and return its ReportLab font name."""
    name = font_name(path)
    try:
        pdfmetrics.registerFont(TTFont(name, str(path)))
    except (TTFError, OSError) as exc:
        raise ConfigError(f"cannot use font {path}: {exc}", path) from exc
    return name


@cache
def register_family(family: FontFamily, search_dirs: tuple[Path, ...]) -> RegisteredFamily:
    """Register a family's four faces and map them so ``<b>`` and ``<i>`` pick the right face."""
    names = [
        register_file(_resolve(faces, search_dirs))
        for faces in (family.regular, family.bold, family.italic, family.bold_italic)
    ]
    regular, bold, italic, bold_italic = names
    faces: tuple[tuple[str, Literal[0, 1], Literal[0, 1]], ...] = (
        (regular, 0, 0),
        (bold, 1, 0),
        (italic, 0, 1),
        (bold_italic, 1, 1),
    )
    for face, is_bold, is_italic in faces:
        addMapping(regular, is_bold, is_italic, face)
    return RegisteredFamily(regular, bold, italic, bold_italic)


def _existing(candidate: str, search_dirs: tuple[Path, ...]) -> Path | None:
    if candidate in BUNDLED:
        return _bundled_dir() / f"{candidate}.ttf"
    path = Path(candidate)
    options = [path] if path.is_absolute() else [d / path for d in search_dirs]
    return next((option for option in options if option.is_file()), None)


@cache
def register_fallbacks(
    candidates: tuple[str, ...], search_dirs: tuple[Path, ...]
) -> tuple[str, ...]:
    """Name every fallback font found on the machine, in the theme's order.

    Each is read on first use (:func:`ensure_registered`), and mapped as its own bold and
    italic, so a fallback run inside ``<b>`` keeps its font.
    """
    names = []
    for candidate in candidates:
        path = _existing(candidate, search_dirs)
        if path is None:
            continue
        name = font_name(path)
        _DEFERRED.setdefault(name, path)
        for is_bold in _FLAGS:
            for is_italic in _FLAGS:
                # A fallback that is also a theme face (DejaVu Sans is both) keeps the family's
                # bold and italic: mapping it onto itself would draw every bold heading regular.
                if not mapped(name, is_bold, is_italic):
                    addMapping(name, is_bold, is_italic, name)
        names.append(name)
    return tuple(dict.fromkeys(names))


def ensure_registered(name: str) -> None:
    """Read a fallback font named by :func:`register_fallbacks` if it is not read yet.

    Every use of a fallback font goes through the character map (``scripts.coverage``), which
    calls this first. Any other name is left alone.
    """
    path = _DEFERRED.get(name)
    if path is not None:
        register_file(path)
