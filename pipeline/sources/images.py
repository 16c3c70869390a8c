"""An article's images: ``![alt](path "caption")`` -> a checked, read :class:`Figure`.

An image must be a PNG or JPEG file of the project's own, under ``sources/``: its path is
relative to the article's file, as any Markdown viewer takes it, and must not lead out of
``sources/``, not even through a symbolic link. Nothing is fetched: a remote address is an
error, so a build never depends on the network, and SVG is refused (it can hold scripts and
links to other files, and neither format could draw it safely).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..errors import SourceError
from ..model import Figure
from .decode import read_source_bytes

#: Larger images are refused rather than decoded: a small file can declare a vast image.
MAX_PIXELS = 40_000_000
#: A URL scheme ("https:", "data:", "file:") or a network path ("//host/...").
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class ImageReader:
    """Reads the images of one article: ``article`` is its file, ``sources`` the project's
    ``sources/`` folder."""

    article: Path
    sources: Path

    def figure(self, src: str, alt: str, caption: str, line: int) -> Figure:
        """The image ``src`` as the article at ``line`` names it, read and checked; any
        problem is a :class:`SourceError` at that line of the article."""

        def problem(what: str) -> SourceError:
            return SourceError(what, self.article, line)

        shown = src.strip()
        if not shown:
            raise problem("an image has no path: write ![what it shows](path/to/image.png)")
        if _REMOTE.match(shown):
            raise problem(
                f"image '{shown}' is not a local file: images are never fetched, so save it "
                "under sources/ and give its path"
            )
        relative = unquote(shown)
        if PurePosixPath(relative).is_absolute() or Path(relative).is_absolute():
            raise problem(
                f"image '{shown}' has an absolute path: give its path from the article's "
                "folder, inside sources/"
            )
        sources = self.sources.resolve()
        candidate = self.article.parent / relative
        resolved = candidate.resolve()
        if not resolved.is_relative_to(sources):
            raise problem(
                f"image '{shown}' is outside sources/ (a link that leads out counts too): "
                "copy the image into sources/"
            )
        if not resolved.exists():
            where = resolved.relative_to(sources.parent).as_posix()
            raise problem(f"image '{shown}' not found (looked for {where})")
        if not alt.strip():
            raise problem(
                f"image '{shown}' has no alt text: say what it shows between the brackets, "
                f"![what it shows]({shown}), for readers who cannot see it"
            )
        try:
            data = read_source_bytes(resolved)
        except SourceError as exc:
            raise problem(f"image '{shown}' {exc.message}") from None
        media_type = _media_type(data)
        if media_type is None:
            if _is_svg(data, resolved):
                raise problem(f"image '{shown}' is SVG, which is not supported: export it as PNG")
            raise problem(f"image '{shown}' is not a PNG or JPEG image")
        width, height = _size(data, problem, shown)
        return Figure(
            source=resolved.relative_to(sources.parent).as_posix(),
            alt=" ".join(alt.split()),
            caption=" ".join(caption.split()),
            media_type=media_type,
            width=width,
            height=height,
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
        )


def _media_type(data: bytes) -> str | None:
    return next((t for magic, t in _SIGNATURES.items() if data.startswith(magic)), None)


def _is_svg(data: bytes, path: Path) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return path.suffix.lower() in (".svg", ".svgz") or head.startswith((b"<svg", b"<?xml"))


def _size(data: bytes, problem: Callable[[str], SourceError], shown: str) -> tuple[int, int]:
    """The image's size in pixels, once Pillow has decoded the whole file."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise problem(
                        f"image '{shown}' is {width} x {height} pixels, more than the "
                        f"{MAX_PIXELS // 1_000_000} million a brief takes: make it smaller"
                    )
                image.load()
    except SourceError:
        raise
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as exc:
        raise problem(f"image '{shown}' cannot be read: {exc}") from None
    if not width or not height:
        raise problem(f"image '{shown}' is empty")
    return width, height
