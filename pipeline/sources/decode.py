"""Source files as text: UTF-8 decoded, ``\\n`` line endings, no characters that cannot be shown."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefError, SourceError, kind_of
from .problems import SourceWarning, Warnings

# C0 and C1 control characters but tab, line feed and carriage return; noncharacters.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)
)
#: C0 and C1 control characters except tab and newline, Unicode noncharacters and surrogates. In
#: text off the web they are debris, never content: HTML forbids them and a PDF has no glyph for
#: them, so they are removed when a source is read (with a warning), before YAML or Markdown sees
#: them. A surrogate is half of a UTF-16 pair and no character at all: UTF-8 cannot even be
#: written with one, so only a YAML escape ("\\ud800") can make one.
UNSHOWABLE = re.compile(f"[{_CONTROLS}\ud800-\udfff]")
#: The largest source file make-brief reads. A book-length article is about 1 MB of text; a
#: file bigger than this is a mistake (or an attack), and reading it would exhaust memory.
MAX_SOURCE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    """A source file's text, and the SHA-256 of exactly the bytes it was decoded from."""

    text: str
    sha256: str


def read_source(path: Path, warnings: Warnings | None = None) -> SourceText:
    """A source file's text (see :func:`read_text`) with the SHA-256 of the bytes it came from.

    The file is read once, so what a build keys a brief on is what it parsed, even when the
    file is saved again while the build runs.
    """
    data = read_source_bytes(path)
    text = _strip_unshowable(decode_text(data, path), path, warnings)
    return SourceText(text, hashlib.sha256(data).hexdigest())


def read_source_bytes(path: Path) -> bytes:
    """The bytes of a source file, which must be a regular file of at most
    :data:`MAX_SOURCE_BYTES` (a link to one is followed).

    A FIFO or a device is refused before reading, so it can neither hang a build nor feed it
    without end.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno in (errno.ENXIO, errno.EOPNOTSUPP):  # a socket
            raise SourceError(
                "is a socket, not a regular file: a source must be one", path
            ) from None
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise SourceError(
                f"is a link to '{os.readlink(path)}', which does not exist: point it at the "
                "file, or remove it",
                path,
            ) from None
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from exc
    # Checked before the descriptor becomes a file object: Python refuses a directory there
    # with an IsADirectoryError that names neither the path nor what to do.
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise SourceError(f"is {kind_of(mode)}, not a regular file: a source must be one", path)
    with os.fdopen(fd, "rb") as handle:
        os.set_blocking(fd, True)
        try:
            data = handle.read(MAX_SOURCE_BYTES + 1)
        except OSError as exc:
            raise SourceError(f"cannot read: {exc.strerror or exc}", path) from exc
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(
            f"is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB, the most a source file "
            "may be: split it, or remove what is not article text",
            path,
        )
    return data


def is_present(path: Path) -> bool:
    """Whether anything is at ``path``, a dangling symbolic link included.

    For an optional source (``project.yaml``, ``theme.yaml``, ``labels.yaml``): anything there
    goes to its reader, which refuses a folder or a dangling link by name, where
    ``Path.is_file`` would take it for no file and build without it, silently.
    """
    return os.path.lexists(path)


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

    Only a regular file of at most :data:`MAX_SOURCE_BYTES` is read (see
    :func:`read_source_bytes`).

    Line endings become ``\\n`` and control characters are removed, each removal reported in
    ``warnings`` when given.
    """
    return read_source(path, warnings).text


def read_config_text(path: Path, error: type[BriefError] = SourceError) -> str:
    """The text of a settings file (``focuses.yaml``, ``project.yaml``, ``theme.yaml``,
    ``labels.yaml``), read as :func:`read_text` reads a source.

    A character that cannot be shown is ``error`` at its line, not removed: settings are
    written by hand, so one is a slip to fix (often pasted), as a YAML escape making one is
    (see :func:`pipeline.sources.yamldoc.parse`); removed, it would change a keyword or a
    colour without a word.
    """
    text = decode_text(read_source_bytes(path), path)
    found = list(UNSHOWABLE.finditer(text))
    if found:
        codes = ", ".join(dict.fromkeys(f"U+{ord(m.group()):04X}" for m in found))
        raise error(
            f"holds {len(found)} control character(s) ({codes}), which cannot be shown: "
            "remove them",
            path,
            text.count("\n", 0, found[0].start()) + 1,
        )
    return text


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
