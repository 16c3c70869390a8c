"""Page-1 thumbnails of PDF briefs, for the index page and for social cards.

Rendered with pypdfium2 (PDFium, from PyPI: the optional extra ``thumbnails``) at one fixed
width, and written as PNG by hand: one IHDR, one IDAT compressed at a fixed level, IEND, and no
chunk that holds a time, a gamma guess or software name. The same PDF and PDFium give the same
bytes. Without pypdfium2 a build makes no thumbnails and says so once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .artifacts import Artifact, Thumbnail
from .outdir import write_if_changed

#: Thumbnails are this many pixels wide (the height follows the page).
WIDTH = 320
EXTENSION = ".png"
#: The zlib level of a thumbnail's pixels. Measured on a 320 x 453 page (435 KB of pixels):
#: level 9 takes 28 ms and gives 39.3 KB, level 6 5 ms and 40.5 KB (+3 %): 9 made a PDF
#: brief's thumbnail cost most of what rendering the brief did.
PNG_COMPRESSION = 6
INSTALL_NOTE = "no thumbnails: install pypdfium2 for them (pip install 'make-brief[thumbnails]')"


def renderer_version() -> str:
    """What renders the thumbnails (``pypdfium2-5.15.2``), or "" when pypdfium2 is missing.

    Found without importing it: a build with nothing to render never loads PDFium. The version
    is read from the name of the one ``pypdfium2-VERSION.dist-info`` folder beside the package,
    as installers lay it out; importlib.metadata, which brings email, zipfile and more into
    every build, is asked only when that is not how it was installed.
    """
    spec = importlib.util.find_spec("pypdfium2")
    if spec is None:
        return ""
    found = _dist_info_version("pypdfium2", spec.submodule_search_locations)
    if found is not None:
        return f"pypdfium2-{found}"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"pypdfium2-{version('pypdfium2')}"
    except PackageNotFoundError:
        return ""


def _dist_info_version(name: str, package_dirs: Iterable[str] | None) -> str | None:
    """The version in the name of the single ``NAME-VERSION.dist-info`` folder beside the
    package folder, or None when there is none or more than one."""
    folders = list(package_dirs or ())
    if len(folders) != 1:
        return None
    prefix, suffix = f"{name}-", ".dist-info"
    try:
        names = os.listdir(Path(folders[0]).parent)
    except OSError:
        return None
    versions = [
        n[len(prefix) : -len(suffix)] for n in names if n.startswith(prefix) and n.endswith(suffix)
    ]
    return versions[0] if len(versions) == 1 and versions[0] else None


def thumbnail_path(pdf_path: str) -> str:
    """Where the thumbnail of the PDF at ``pdf_path`` goes: beside it, ending in ``.png``."""
    stem, _, _ = pdf_path.rpartition(".")
    return stem + EXTENSION


@dataclass(frozen=True)
class Picture:
    """A rendered thumbnail: its size in pixels, the pixels, and (:attr:`png`) its file."""

    width: int
    height: int
    #: The pixels: ``height`` rows of 8-bit RGB, ``stride`` bytes apart.
    rgb: bytes = field(repr=False)
    stride: int

    @cached_property
    def png(self) -> bytes:
        """The PNG of the pixels, compressed when first asked for.

        That is when the thumbnail is written: a build rendering in this process writes in a
        thread of its own, where zlib compresses without holding the interpreter while the next
        brief renders.
        """
        return png_bytes(self.rgb, self.width, self.height, self.stride)

    def __getstate__(self) -> dict[str, object]:
        # From a worker process, a picture is sent as its PNG, compressed there: the pixels
        # are ten times the bytes, and the process that writes would compress them all.
        return {
            "width": self.width,
            "height": self.height,
            "rgb": b"",
            "stride": 0,
            "png": self.png,
        }


def render_thumbnail(pdf: bytes, width: int = WIDTH) -> Picture:
    """Page 1 of ``pdf`` as an RGB PNG ``width`` pixels wide."""
    import pypdfium2  # type: ignore[import-untyped]

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        page_width, _ = page.get_size()
        bitmap = page.render(scale=width / page_width, rev_byteorder=True, may_draw_forms=False)
        pixels = bytes(bitmap.buffer)
        stride, columns, rows, channels = (
            bitmap.stride,
            bitmap.width,
            bitmap.height,
            bitmap.n_channels,
        )
        page.close()
    finally:
        document.close()
    if channels != 3:
        raise ValueError(f"unexpected bitmap with {channels} channels")
    return Picture(columns, rows, pixels, stride)


def png_bytes(rgb: bytes, width: int, height: int, stride: int) -> bytes:
    """An 8-bit RGB PNG of ``rgb`` (rows of ``stride`` bytes), with nothing but the pixels."""
    row = width * 3
    raw = b"".join(b"\x00" + rgb[y * stride : y * stride + row] for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, PNG_COMPRESSION))
        + chunk(b"IEND", b"")
    )


def write_thumbnail(out_dir: Path, pdf: Artifact, picture: Picture) -> Thumbnail:
    """Write ``picture`` beside the PDF ``pdf`` (atomically, unless it is there already) and
    return its manifest entry."""
    entry = thumbnail_of(pdf, picture)
    write_if_changed(out_dir / entry.path, picture.png, out_dir)
    return entry


def thumbnail_of(pdf: Artifact, picture: Picture) -> Thumbnail:
    """The manifest entry of ``picture`` beside the PDF ``pdf``."""
    sha256 = hashlib.sha256(picture.png).hexdigest()
    return Thumbnail(
        thumbnail_path(pdf.path), len(picture.png), sha256, picture.width, picture.height
    )
