"""Where a theme's font names lead: a family make-brief brings, a file beside the theme, a system
font, or a font shipped with ReportLab.

A theme names each face by one of:

* a **family** make-brief installs with itself (:data:`FAMILIES`, such as ``Source Serif 4``):
  the face of that family matching the key it is listed under (``bold``, ``italic``...);
* a **file relative to the theme's templates/ folder** (``fonts/MySerif-Bold.ttf``), looked up in
  the project's templates/ first, then in the built-in one;
* ``system:FILE``, a font file installed on the machine, found in the system's font folders;
* ``Vera``, ``VeraBd``, ``VeraIt`` or ``VeraBI``, the fonts inside ReportLab.

No theme names an absolute path: the same theme works on every machine. This module only finds
files (the build's fingerprint hashes them without importing a renderer); the PDF renderer turns
nothing else.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: Fonts shipped inside ReportLab, usable by name in a theme.
BUNDLED = frozenset({"Vera", "VeraBd", "VeraIt", "VeraBI"})
SYSTEM_PREFIX = "system:"
FACES = ("regular", "bold", "italic", "bold_italic")
_FACE_NAMES = {
    "regular": "Regular",
    "bold": "Bold",
    "italic": "Italic",
    "bold_italic": "BoldItalic",
}


@dataclass(frozen=True)
class FontSource:
    """One face found on the machine, ready to register."""

    path: Path
    #: The name the face is registered under (ReportLab's, in paragraph markup).
    name: str
    #: Which font of a collection (``.ttc``) the face is.
    index: int = 0


@dataclass(frozen=True)
class _Family:
    """A font family that comes with make-brief: the package it is in and its faces' files."""

    package: str
    #: The file of each face (regular, bold, italic, bold_italic), in the package's folder.
    faces: Mapping[str, str]
    #: Which font of a collection file the family is.
    index: int = 0


def _static(stem: str) -> _Family:
    """A family make-brief ships itself, as static cuts (see pipeline.render.pdf.instances)."""
    return _Family(
        "pipeline.render.pdf",
        {face: f"faces/{stem}-{name}.ttf" for face, name in _FACE_NAMES.items()},
    )


def _default_weight(package: str, upright: str, italic: str | None = None) -> _Family:
    """A variable family used at its files' default weight: a fallback draws what the faces
    lack, so its bold and italic are its regular and its italic file as they are."""
    slanted = italic or upright
    return _Family(
        package, {"regular": upright, "bold": upright, "italic": slanted, "bold_italic": slanted}
    )


#: The families that come with make-brief, by name; every one is SIL OFL 1.1 but WenQuanYi Micro
#: Hei (Apache 2.0). Brief Serif, Brief Sans and Brief Mono are make-brief's own static cuts of
#: Source Serif 4, Source Sans 3 and Source Code Pro, named apart from them as the licence asks.
FAMILIES: Mapping[str, _Family] = {
    "Brief Serif": _static("BriefSerif"),
    "Brief Sans": _static("BriefSans"),
    "Brief Mono": _static("BriefMono"),
    "Noto Sans": _default_weight(
        "manimgx_fonts", "NotoSans[wght].ttf", "NotoSans-Italic[wght].ttf"
    ),
    "Noto Sans Arabic": _default_weight("manimgx_fonts", "NotoSansArabic[wght].ttf"),
    "Noto Sans Hebrew": _default_weight("manimgx_fonts", "NotoSansHebrew[wght].ttf"),
    # Hangul, kana and CJK ideographs in one TrueType collection (the first font is the
    # proportional one); it has one weight.
    "WenQuanYi Micro Hei": _Family(
        "paperang_p2_fonts_cjk", dict.fromkeys(_FACE_NAMES, "fonts/wqy-microhei.ttc")
    ),
}
_BY_KEY = {name.casefold(): name for name in FAMILIES}


def family_name(candidate: str) -> str | None:
    """The family ``candidate`` names (in any case), or None if it names no packaged family."""
    return _BY_KEY.get(candidate.strip().casefold())


@cache
def _package_dir(package: str) -> Path | None:
    # find_spec locates the package without importing it.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _reportlab_fonts() -> Path:
    folder = _package_dir("reportlab")
    if folder is None:
        raise ModuleNotFoundError("reportlab")
    return folder / "fonts"


def system_font_dirs() -> tuple[Path, ...]:
    """The folders this operating system keeps installed fonts in, the user's first."""
    home = Path.home()
    if sys.platform == "win32":
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        windows = Path(os.environ.get("WINDIR", "C:/Windows"))
        return (local / "Microsoft" / "Windows" / "Fonts", windows / "Fonts")
    if sys.platform == "darwin":
        return (home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"))
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return (
        data / "fonts",
        home / ".fonts",
        Path("/usr/local/share/fonts"),
        Path("/usr/share/fonts"),
    )


@cache
def _system_font(file_name: str) -> Path | None:
    for folder in system_font_dirs():
        if folder.is_dir():
            for path in sorted(folder.rglob(file_name)):
                if path.is_file():
                    return path
    return None


def _stem_name(path: Path) -> str:
    # The name goes into paragraph markup (<font face="...">), so it keeps to safe characters.
    return "mb-" + re.sub(r"[^A-Za-z0-9-]", "-", path.stem)


def locate(candidate: str, face: str, search_dirs: tuple[Path, ...]) -> FontSource | None:
    """The font ``candidate`` names for ``face``, or None if it is not on this machine."""
    if candidate in BUNDLED:
        path = _reportlab_fonts() / f"{candidate}.ttf"
        return FontSource(path, _stem_name(path))
    family = family_name(candidate)
    if family is not None:
        spec = FAMILIES[family]
        folder = _package_dir(spec.package)
        if folder is None:
            return None
        name = "mb-" + family.replace(" ", "") + "-" + _FACE_NAMES[face]
        return FontSource(folder / spec.faces[face], name, spec.index)
    if candidate.startswith(SYSTEM_PREFIX):
        found = _system_font(candidate[len(SYSTEM_PREFIX) :].strip())
        return None if found is None else FontSource(found, _stem_name(found))
    for folder in search_dirs:
        path = folder / candidate
        if path.is_file():
            return FontSource(path, _stem_name(path))
    return None


def problem(candidate: str) -> str | None:
    """What is wrong with a font name in a theme, or None if it may name a font."""
    if not candidate.strip():
        return "a font name is empty"
    if family_name(candidate) or candidate in BUNDLED:
        return None
    if candidate.startswith(SYSTEM_PREFIX):
        name = candidate[len(SYSTEM_PREFIX) :].strip()
        if name and not _leaves(name):
            return None
        # Found by a search of the system's font folders, so it may not lead out of them.
        return f"'{candidate}': give system: a font file's name, such as system:DejaVuSans.ttf"
    if _absolute(candidate):
        return (
            f"'{candidate}' is an absolute path, which no other machine has, leading out of "
            f"templates/: name a family "
            f"({', '.join(FAMILIES)}), a file relative to templates/, or system:FILE"
        )
    if _leaves(candidate):
        # Nothing is read outside the project's sources and templates (and the fonts of the
        # machine, asked for by system:).
        return (
            f"'{candidate}' leads out of templates/: keep the project's fonts in templates/ "
            "(or name a family, or system:FILE)"
        )
    return None


def _absolute(path: str) -> bool:
    """Whether ``path`` is absolute here or on Windows (``C:\\x``, ``\\\\server\\share``)."""
    return Path(path).is_absolute() or bool(re.match(r"[A-Za-z]:[\\/]|[\\/]{2}", path))


def _leaves(path: str) -> bool:
    """Whether a relative ``path`` can lead out of the folder it is looked up in, on any
    machine: by ``..``, or as Windows reads it, from the root of a drive (``\\x.ttf``) or
    from wherever a drive's current folder is (``C:x.ttf``)."""
    if _absolute(path) or re.match(r"[A-Za-z]:|[\\/]", path):
        return True
    return ".." in re.split(r"[\\/]", path)


def candidates_in(
    names: tuple[str, ...], face: str, search_dirs: tuple[Path, ...]
) -> Iterator[FontSource]:
    """The fonts among ``names`` found on this machine, in order."""
    for name in names:
        found = locate(name, face, search_dirs)
        if found is not None:
            yield found
