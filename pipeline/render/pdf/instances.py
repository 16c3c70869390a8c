"""The static faces make-brief ships in ``faces/``, cut from the Source families' variable fonts.

ReportLab draws only a variable font's default outlines, and Source Serif 4, Source Sans 3 and
Source Code Pro reach PyPI only as variable fonts (the ``fontpkg-*`` packages). So make-brief
ships static cuts of the faces a brief uses, made by this module, reproducibly (the same packages
and fontTools give the same bytes):

    pip install -e '.[fonts]' && python -m pipeline.render.pdf.instances

The SIL Open Font License reserves the name "Source" for the original fonts, so the cuts are
named Brief Serif, Brief Sans and Brief Mono; their licence travels beside them (``OFL.txt``).
Only what ReportLab reads is kept: the layout tables (GSUB, GPOS...) it never applies are
dropped, which also makes each face in about a second instead of fifteen.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from typing import Any

#: Where the cuts are written: the package folder the theme's families point into.
FACES_DIR = Path(__file__).resolve().parent / "faces"
#: Tables ReportLab neither reads nor embeds; the instancer is slow on the layout ones.
_DROPPED = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "STAT", "DSIG", "HVAR", "VVAR", "MVAR")
#: The body's optical size: text sizes (the default, 20, is for display).
_TEXT_SIZE = 12.0

#: (family, file stem, source package, source file, axis values) for every face shipped.
CUTS: tuple[tuple[str, str, str, str, tuple[tuple[str, float], ...]], ...] = tuple(
    (family, f"{stem}-{style}", package, file, tuple(sorted({**axes, "wght": weight}.items())))
    for family, stem, package, upright, italic, axes in (
        (
            "Brief Serif",
            "BriefSerif",
            "fontpkg_source_serif_4",
            "files/SourceSerif4[opsz,wght].ttf",
            "files/SourceSerif4-Italic[opsz,wght].ttf",
            {"opsz": _TEXT_SIZE},
        ),
        (
            "Brief Sans",
            "BriefSans",
            "fontpkg_source_sans_3",
            "files/SourceSans3[wght].ttf",
            "files/SourceSans3-Italic[wght].ttf",
            {},
        ),
        (
            "Brief Mono",
            "BriefMono",
            "fontpkg_source_code_pro",
            "files/SourceCodePro[wght].ttf",
            "files/SourceCodePro-Italic[wght].ttf",
            {},
        ),
    )
    for style, file, weight in (
        ("Regular", upright, 400.0),
        ("Bold", upright, 700.0),
        ("Italic", italic, 400.0),
        ("BoldItalic", italic, 700.0),
    )
)


def main() -> None:
    """Write every cut into ``faces/``, and the licence beside them."""
    licence = None
    for family, stem, package, file, location in CUTS:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            sys.exit(f"error: {package} is not installed: pip install -e '.[fonts]'")
        folder = Path(next(iter(spec.submodule_search_locations)))
        data = (folder / file).read_bytes()
        (FACES_DIR / f"{stem}.ttf").write_bytes(_instantiate(data, location, f"mb-{stem}", family))
        licence = licence or folder / "LICENSE"
        print(f"wrote {FACES_DIR / stem}.ttf")
    if licence is not None and licence.is_file():
        (FACES_DIR / "OFL.txt").write_bytes(licence.read_bytes())


def _instantiate(
    data: bytes, location: tuple[tuple[str, float], ...], name: str, family: str
) -> bytes:
    # fontTools comes with the fonts extra only: a build never cuts a face.
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped, import-not-found, unused-ignore]
    from fontTools.varLib import instancer  # type: ignore[import-untyped, import-not-found, unused-ignore]

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
    _rename(static, name, family)
    out = io.BytesIO()
    static.save(out, reorderTables=True)
    return out.getvalue()


def _rename(font: Any, name: str, family: str) -> None:
    """Family, style, full and PostScript names for the face (``BriefSans-Bold``)."""
    postscript = name.removeprefix("mb-")
    _, _, style = postscript.partition("-")
    names = font["name"]
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


if __name__ == "__main__":
    main()
