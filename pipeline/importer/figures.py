"""A saved page's images: which are files next to the page, and where their copies go.

A browser's "Save page" writes the images into a folder beside the page (``page_files/``) and
points each ``<img src>`` at its copy. An image becomes a figure only when its file is there: a
PNG or JPEG (told by its bytes, not its name) inside the page's folder. Anything else, a remote
address, a path leading out of the folder (``../``, an absolute path, a link pointing away), a
missing file, is left out and listed with its alt text, and is never read. The copies go to
``sources/articles/<slug>/``, and the article names them relative to its own file
(``<slug>/<name>``), as the article reader and any Markdown viewer resolve them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from .slugs import slugify
from .units import Drop, Page, Unit

#: What the first bytes of a PNG and of a JPEG are.
_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"))
#: An address with a scheme ("https:", "data:") or a network path ("//host/..."): not a file.
_REMOTE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
#: No image of an article is this large; a bigger file is not copied into the sources.
_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Image:
    """An image file a figure shows: where it is, its bytes, and the extension they call for."""

    path: Path
    data: bytes
    suffix: str


def _reason_not_found(src: str, folder: Path | None) -> tuple[str, Image | None]:
    """The image file ``src`` names, or why it is not imported."""
    if not src:
        return "image without a source", None
    if _REMOTE.match(src):
        return f"remote image: {src}", None
    relative = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if folder is None:
        return f"image not found: {src}", None
    root = folder.resolve()
    if Path(relative).is_absolute():
        return f"image outside the page's folder: {src}", None
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        return f"image outside the page's folder: {src}", None
    if not path.is_file():
        return f"image not found: {src}", None
    try:
        if path.stat().st_size > _MAX_BYTES:
            return f"image larger than {_MAX_BYTES // 2**20} MB: {src}", None
        data = path.read_bytes()
    except OSError:
        return f"image not readable: {src}", None
    suffix = next((ext for magic, ext in _MAGIC if data.startswith(magic)), "")
    if not suffix:
        return f"not a PNG or JPEG image: {src}", None
    return "", Image(path, data, suffix)


def find_images(page: Page, folder: Path | None) -> tuple[Page, dict[str, Image]]:
    """The page with each figure's ``src`` resolved to its file, or the figure dropped.

    ``folder`` is the saved page's folder; None when the page has none (standard input), so
    that no image is found. Returns the images by their resolved path.
    """
    units: list[Unit] = []
    drops = list(page.drops)
    images: dict[str, Image] = {}
    for unit in page.units:
        if unit.kind != "figure":
            units.append(unit)
            continue
        reason, image = _reason_not_found(unit.src, folder)
        if image is not None and not unit.text:
            reason, image = "image without alt text", None
        if image is None:
            drops.append(Drop(unit.text or unit.src, unit.line, reason))
            if unit.caption and unit.caption != unit.text:
                drops.append(Drop(unit.caption, unit.line, "caption of a missing image"))
            continue
        images[str(image.path)] = image
        units.append(replace(unit, src=str(image.path)))
    drops.sort(key=lambda d: d.line)
    return replace(page, units=tuple(units), drops=tuple(drops)), images


@dataclass(frozen=True)
class FigureCopy:
    """An image an import copies into the sources."""

    source: Path
    #: Where the copy goes: ``sources/articles/<slug>/<name>``.
    target: Path
    #: The same place relative to the article's file (``<slug>/<name>``), as the article
    #: names it.
    reference: str
    data: bytes


def plan_copies(
    figures: Sequence[Unit], images: dict[str, Image], sources: Path, slug: str
) -> tuple[FigureCopy, ...]:
    """Where each figure's image is copied: one file an image, named after it, never twice."""
    copies: dict[str, FigureCopy] = {}
    taken: set[str] = set()
    for unit in figures:
        if unit.src in copies:
            continue
        image = images[unit.src]
        stem = slugify(image.path.stem, 40) or "figure"
        name, n = f"{stem}{image.suffix}", 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}{image.suffix}"
        taken.add(name)
        reference = f"{slug}/{name}"
        target = sources / "articles" / reference
        copies[unit.src] = FigureCopy(image.path, target, reference, image.data)
    return tuple(copies.values())
