"""Source files as text: UTF-8 decoded, ``\\n`` line endings, no characters that cannot be shown."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SourceError
from .problems import SourceWarning, Warnings

#: C0 and C1 control characters except tab and newline, Unicode noncharacters and surrogates. In
#: text off the web they are debris, never content: HTML forbids them and a PDF has no glyph for
#: them, so they are removed when a source is read (with a warning), before YAML or Markdown sees
#: them. A surrogate is half of a UTF-16 pair and no character at all: UTF-8 cannot even be
#: written with one, so only a YAML escape ("\\ud800") can make one.
UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)


#: A high surrogate followed by a low one: a character beyond U+FFFF written as UTF-16 escapes.
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def join_surrogates(text: str) -> str:
    """``text`` with each pair of surrogates (``"\\ud83d\\ude00"``, as JSON writes an emoji)
    made the one character it stands for; a surrogate on its own is left as it is."""
    return _SURROGATE_PAIR.sub(
        lambda pair: pair.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text
    )


def read_text(path: Path, warnings: Warnings | None = None) -> str:
    """A source file's text; invalid UTF-8 is an error giving the line and byte offset.

    Line endings become ``\\n`` and control characters are removed, each removal reported in
    ``warnings`` when given.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from exc
    return _strip_unshowable(decode_text(data, path), path, warnings)


def decode_text(data: bytes, path: Path | str, encoding: str = "utf-8") -> str:
    """Bytes as text with ``\\n`` line endings and no byte-order mark.

    A byte the encoding cannot read is an error giving its line and byte offset.
    """
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"not valid {encoding.upper()} at byte {exc.start} "
            f"(byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path,
            line,
        ) from exc
    # Windows and old Mac line endings are the same lines; a BOM is not text.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _strip_unshowable(text: str, path: Path, warnings: Warnings | None) -> str:
    found = list(UNSHOWABLE.finditer(text))
    if not found:
        return text
    if warnings is not None:
        codes = ", ".join(dict.fromkeys(f"U+{ord(m.group()):04X}" for m in found))
        line = text.count("\n", 0, found[0].start()) + 1
        warnings.append(
            SourceWarning(
                f"removed {len(found)} control character(s) ({codes}): they cannot be shown",
                path,
                line,
            )
        )
    return UNSHOWABLE.sub("", text)
