"""Static TrueType faces made from variable fonts, once per machine.

ReportLab draws a variable font's default outlines only. The Source families come from PyPI as
variable fonts, so each other weight is made with fontTools' instancer, reproducibly (the same
file gives the same bytes), and kept in the user's cache folder under a name that holds a hash
of the variable file and the location, so an upgraded font package (or fontTools) makes new faces.

Only what ReportLab reads is kept: the layout tables (GSUB, GPOS...) it never applies are
dropped before instancing, which makes a face in about a second instead of fifteen.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
from pathlib import Path
from typing import Any

#: Bumped when the recipe below changes, so faces made by an older one are made again.
RECIPE = "1"
#: Tables ReportLab neither reads nor embeds; the instancer is slow on the layout ones.
_DROPPED = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "STAT", "DSIG", "HVAR", "VVAR", "MVAR")


def cache_dir() -> Path:
    """Where made faces are kept: ``MAKE_BRIEF_CACHE``, else the platform's user cache folder."""
    explicit = os.environ.get("MAKE_BRIEF_CACHE")
    if explicit:
        return Path(explicit) / "fonts"
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "make-brief" / "fonts"


def static_face(source: Path, location: tuple[tuple[str, float], ...], name: str) -> Path | bytes:
    """The static face of ``source`` at ``location``: a cached file, or bytes if none can be kept.

    ``name`` (``mb-SourceSans3-Bold``) gives the face its family and style names, so the PDF's
    font list says which face it embeds.
    """
    # fontTools publishes no type hints; what is used of it is plain attribute access.
    import fontTools  # type: ignore[import-untyped]

    data = source.read_bytes()
    recipe = repr((RECIPE, fontTools.version, location)).encode()
    key = hashlib.sha256(data + recipe).hexdigest()[:16]
    target = cache_dir() / f"{name.removeprefix('mb-')}-{key}.ttf"
    if target.is_file():
        return target
    made = _instantiate(data, location, name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed: a build running at the same time never reads
        # half a face.
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        partial.write_bytes(made)
        os.replace(partial, target)
    except OSError:
        return made
    return target


def _instantiate(data: bytes, location: tuple[tuple[str, float], ...], name: str) -> bytes:
    # Imported only when a face is first made: a build with every face cached never needs it.
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
    from fontTools.varLib import instancer  # type: ignore[import-untyped]

    # The head table's modification time stays the variable file's: same input, same bytes.
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    for tag in _DROPPED:
        if tag in font:
            del font[tag]
    wanted = dict(location)
    # Every axis is pinned (one left out would stay variable): those not named at their default.
    pinned = {
        axis.axisTag: wanted.get(axis.axisTag, axis.defaultValue) for axis in font["fvar"].axes
    }
    static = instancer.instantiateVariableFont(font, pinned, updateFontNames=False)
    _rename(static, name)
    out = io.BytesIO()
    static.save(out, reorderTables=True)
    return out.getvalue()


def _rename(font: Any, name: str) -> None:
    """Family, style, full and PostScript names for the face (``SourceSans3-Bold``)."""
    postscript = name.removeprefix("mb-")
    family_key, _, style = postscript.partition("-")
    names = font["name"]
    family = names.getDebugName(16) or names.getDebugName(1) or family_key
    bold = "Bold" in style
    italic = "Italic" in style
    subfamily = " ".join(word for word, on in (("Bold", bold), ("Italic", italic)) if on)
    subfamily = subfamily or "Regular"
    for name_id in (16, 17, 25):
        names.removeNames(nameID=name_id)
    names.setName(family, 1, 3, 1, 0x409)
    names.setName(subfamily, 2, 3, 1, 0x409)
    names.setName(f"{family} {subfamily}", 4, 3, 1, 0x409)
    names.setName(postscript, 6, 3, 1, 0x409)
    os2 = font["OS/2"]
    # fsSelection: italic (bit 0), bold (bit 5), regular (bit 6); head.macStyle: bold, italic.
    os2.fsSelection = (os2.fsSelection & ~0b1100001) | (
        (1 if italic else 0) | (0b100000 if bold else 0) | (0 if bold or italic else 0b1000000)
    )
    font["head"].macStyle = (1 if bold else 0) | (2 if italic else 0)
