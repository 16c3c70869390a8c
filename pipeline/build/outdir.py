"""Safe changes to the output folder: files that appear whole or not at all, and the build lock.

Every file a build publishes goes through a temporary file beside its destination and one
``os.replace``, so a reader (or a crash) never sees half a file. The lock keeps two builds from
interleaving their writes into one folder.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import BuildError

LOCK_NAME = ".make-brief.lock"


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path``; on success it is renamed onto ``path``.

    If the block raises, the temporary file is removed and ``path`` is left as it was.
    """
    # Imported here: a build with nothing to write never needs it.
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates owner-only files; published briefs get the usual permissions.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, whole or not at all."""
    with atomic_writer(path) as handle:
        handle.write(data)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless ``path`` already holds exactly it; True when written.

    A rebuild with nothing changed must leave every file untouched (same inode, same mtime).
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Where the Windows lock's byte lies: past the pid, which the loser reads for its message
#: (Windows keeps a locked byte from every other reader).
_WINDOWS_LOCK_OFFSET = 1 << 20


def _try_lock(fd: int) -> bool:
    """Lock the open file exclusively without waiting; False when another process holds it.

    The platform's module is imported here, so importing make-brief needs neither.
    """
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


class OutputLock:
    """An exclusive, non-blocking lock on an output folder, held for the length of a build.

    The lock is ``flock`` (on Windows, a locked byte past the pid) on ``DIR/.make-brief.lock``,
    which holds the owner's pid for the message the loser sees. The file is removed on release;
    a process that locked the file just as its owner removed it notices that the path now names
    another file and tries again, so two builds can never both believe they hold the lock.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_NAME
        self.out_dir = out_dir
        self._fd: int | None = None
        self._created = False

    def acquire(self) -> None:
        """Take the lock or raise :class:`BuildError` naming the build that holds it."""
        self._created = not self.out_dir.exists()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                taken = _try_lock(fd)
            except OSError as exc:
                os.close(fd)
                raise BuildError(f"cannot lock: {exc.strerror or exc}", self.path) from exc
            if not taken:
                os.close(fd)
                raise BuildError(self._held_message(), self.path) from None
            if self._still_linked(fd):
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Remove the lock file, then let go of the lock (and of the folder, if it stayed empty)."""
        if self._fd is None:
            return
        if sys.platform == "win32":
            # Windows removes no open file: close (which unlocks) first. A build that locks
            # the file in between holds it open, so the removal fails and its lock stays.
            os.close(self._fd)
            with contextlib.suppress(OSError):
                self.path.unlink()
        else:
            self.path.unlink(missing_ok=True)
            os.close(self._fd)
        self._fd = None
        if self._created:
            # A build that stopped before writing leaves no empty output folder behind.
            with contextlib.suppress(OSError):
                self.out_dir.rmdir()

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def _still_linked(self, fd: int) -> bool:
        try:
            return os.stat(self.path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            return False

    def _held_message(self) -> str:
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            pid = ""
        owner = f" (pid {pid})" if pid.isdigit() else ""
        return f"another make-brief is building into {self.out_dir}/{owner}"
