"""Safe changes to the output folder: files that appear whole or not at all, and the build lock.

Every file a build publishes goes through a temporary file beside its destination and one
``os.replace``, so a reader (or a crash) never sees half a file. The lock keeps two builds from
interleaving their writes into one folder.

Inside an output folder (and a shard folder a merge reads) make-brief never follows a symbolic
link and never opens anything but a regular file: each folder on the way is opened with
``O_NOFOLLOW`` relative to the one before it, each file with ``O_NOFOLLOW | O_NONBLOCK`` and
checked with ``fstat``. The folder was restored from a cache, or copied from another runner: a
link in it must not make a build write, delete or publish a file elsewhere, and a FIFO or a
device must not hang it. Finding one is an error naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import BuildError, kind_of, shown_name

LOCK_NAME = ".make-brief.lock"
#: The temporary files :func:`atomic_writer` makes: ``.<name>.<random>.tmp``.
TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{6,}\.tmp")

# Flags a platform lacks (Windows has no O_NOFOLLOW or O_DIRECTORY) count as none, so that
# make-brief imports everywhere.
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NO_LINKS = getattr(os, "O_NOFOLLOW", 0)
_NOFOLLOW = (
    getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
)


def refusal(path: Path, mode: int | None) -> BuildError:
    """The error for ``path`` (under an output folder) being other than a regular file.

    ``mode`` is its ``lstat`` mode; None when a folder on the way to it is not a folder.
    """
    if mode is None:
        return BuildError("is not a folder: make-brief keeps briefs in folders here", path)
    if stat.S_ISLNK(mode):
        return BuildError(
            "is a symbolic link: make-brief does not follow links in an output folder; remove it",
            path,
        )
    if stat.S_ISDIR(mode):
        return BuildError("is a folder where make-brief keeps a file: remove it", path)
    return BuildError(f"is {kind_of(mode)}, not a regular file: remove it", path)


def _no_folder(out_dir: Path) -> BuildError:
    """The error for an output folder that cannot be made because it, or a folder on the way
    to it, is there but is not a folder: a file, a link to nothing, a FIFO..."""
    blocking = next(
        (
            where
            for where in (*reversed(out_dir.parents), out_dir)
            if os.path.lexists(where) and not where.is_dir()
        ),
        out_dir,
    )
    what = _what_is(blocking)
    if blocking == out_dir and not os.path.exists(out_dir):  # a link to nothing, or a loop
        return BuildError(f"is {what}: name a folder to build into", out_dir)
    if blocking == out_dir:
        return BuildError(f"is {what}, not a folder: name a folder to build into", out_dir)
    return BuildError(
        f"cannot create the output folder: a folder above it is {what} ({shown_name(blocking)})",
        out_dir,
    )


def _what_is(path: Path) -> str:
    """What ``path``, which is not a folder, is: "a file", "a symbolic link to /x, which does
    not exist"..."""
    try:
        mode = os.stat(path, follow_symlinks=False).st_mode
    except OSError:
        return "missing"  # gone since it was looked at
    if not stat.S_ISLNK(mode):
        return kind_of(mode)
    target = os.readlink(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"a symbolic link to {target}, which leads round in a loop"
        return f"a symbolic link to {target}, which does not exist"
    return f"a symbolic link to {target}, {kind_of(mode)}"


def _lstat_mode(name: str, dir_fd: int) -> int | None:
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except OSError:
        return None


def _split(path: Path, within: Path | None) -> tuple[Path, tuple[str, ...], str]:
    """``path`` as (the folder trusted as it is, folders below it, the file's name)."""
    if within is None:
        return path.parent, (), path.name
    parts = path.relative_to(within).parts
    if not parts or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{path} is not a file inside {within}")
    return within, parts[:-1], parts[-1]


@contextmanager
def _folder(root: Path, parts: Sequence[str], create: bool) -> Iterator[int | None]:
    """A descriptor of ``root/parts...``, each part opened without following a link.

    ``root`` itself is taken as the caller named it. Yields None when a part is missing and
    ``create`` is false; a part that is a link or not a folder is an error naming it.
    """
    if create and not parts:
        root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, _DIR_FLAGS)
    try:
        for i, part in enumerate(parts):
            try:
                child = os.open(part, _DIR_FLAGS | _NO_LINKS, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    yield None
                    return
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
                child = os.open(part, _DIR_FLAGS | _NO_LINKS, dir_fd=fd)
            except OSError as exc:
                if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
                mode = _lstat_mode(part, fd)
                where = root.joinpath(*parts[: i + 1])
                link = mode is not None and stat.S_ISLNK(mode)
                raise refusal(where, mode if link else None) from None
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def _open_regular(name: str, dir_fd: int, path: Path, flags: int = os.O_RDONLY) -> int | None:
    """Open the regular file ``name`` in ``dir_fd`` without following a link; None if missing."""
    try:
        fd = os.open(name, flags | _NOFOLLOW, 0o644, dir_fd=dir_fd)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EOPNOTSUPP):
            raise refusal(path, _lstat_mode(name, dir_fd)) from None
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise refusal(path, mode)
    os.set_blocking(fd, True)
    return fd


def read_regular(path: Path, within: Path | None = None) -> bytes | None:
    """The bytes of the regular file ``path``, or None when it (or a folder on the way) is missing.

    With ``within``, no folder from there down to ``path`` may be a link; ``path`` itself never
    may. A link, a folder, a FIFO or a device is an error naming it (see :func:`refusal`).
    """
    root, parts, name = _split(path, within)
    with _folder(root, parts, create=False) as dir_fd:
        if dir_fd is None:
            return None
        fd = _open_regular(name, dir_fd, path)
        if fd is None:
            return None
        with os.fdopen(fd, "rb") as handle:
            return handle.read()


def stat_regular(path: Path, within: Path | None = None) -> os.stat_result | None:
    """``lstat`` of the regular file ``path`` (None when missing); anything else is an error."""
    root, parts, name = _split(path, within)
    with _folder(root, parts, create=False) as dir_fd:
        if dir_fd is None:
            return None
        try:
            result = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
    if not stat.S_ISREG(result.st_mode):
        raise refusal(path, result.st_mode)
    return result


@contextmanager
def atomic_writer(
    path: Path, within: Path | None = None, durable: bool = True
) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path``; on success it is renamed onto ``path``.

    ``durable`` waits for the bytes to reach the disk before the rename, so that a crash of
    the machine leaves the old file or the new one; a cache, which checks what it reads, can
    do without.

    If the block raises, the temporary file is removed and ``path`` is left as it was. With
    ``within``, the folders from there down are created as needed and none may be a link; an
    existing ``path`` must be a regular file (a rename would replace a link, but a link there
    is a sign of tampering worth stopping for).
    """
    root, parts, name = _split(path, within)
    with _folder(root, parts, create=True) as dir_fd:
        assert dir_fd is not None  # created
        while True:
            tmp = f".{name}.{os.urandom(6).hex()}.tmp"
            try:
                # Created with the usual permissions (the umask applies), never through a link.
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
                fd = os.open(tmp, flags, 0o666, dir_fd=dir_fd)
            except FileExistsError:
                continue
            break
        try:
            os.set_blocking(fd, True)
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
            mode = _lstat_mode(name, dir_fd)
            if mode is not None and not stat.S_ISREG(mode):
                raise refusal(path, mode)
            os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dir_fd)
            raise


def write_atomic(
    path: Path, data: bytes, within: Path | None = None, durable: bool = True
) -> os.stat_result:
    """Write ``data`` to ``path`` through a temporary file beside it, whole or not at all.

    Returns the written file's status (its mtime, for the build state). ``durable``: as for
    :func:`atomic_writer`.
    """
    with atomic_writer(path, within, durable) as handle:
        handle.write(data)
        handle.flush()
        written = os.fstat(handle.fileno())
    return written


def write_if_changed(path: Path, data: bytes, within: Path | None = None) -> bool:
    """Write ``data`` atomically unless ``path`` already holds exactly it; True when written.

    A rebuild with nothing changed must leave every file untouched (same inode, same mtime).
    """
    if read_regular(path, within) == data:
        return False
    write_atomic(path, data, within)
    return True


def remove_file(path: Path, within: Path) -> bool:
    """Delete ``path`` (no folder on the way from ``within`` may be a link), then its folder if
    that is left empty and is not ``within``. False when it was not there."""
    root, parts, name = _split(path, within)
    with _folder(root, parts, create=False) as dir_fd:
        if dir_fd is None:
            return False
        try:
            os.unlink(name, dir_fd=dir_fd)  # a link is removed, never followed
        except FileNotFoundError:
            return False
    if parts:
        with _folder(root, parts[:-1], create=False) as parent_fd:
            if parent_fd is not None:
                with contextlib.suppress(OSError):  # not empty, or already gone
                    os.rmdir(parts[-1], dir_fd=parent_fd)
    return True


def sweep_temporary(out_dir: Path) -> list[Path]:
    """Delete the temporary files an earlier build left when it was killed; return them.

    Looks in ``out_dir`` and the folders directly in it (where briefs are), following no link.
    Only call it holding the lock: then no other build is writing one of them.
    """
    swept: list[Path] = []

    def sweep(fd: int, where: Path, depth: int) -> None:
        for entry in os.scandir(fd):
            if entry.is_dir(follow_symlinks=False):
                if depth == 0:
                    with contextlib.suppress(OSError):
                        child = os.open(entry.name, _DIR_FLAGS | _NO_LINKS, dir_fd=fd)
                        try:
                            sweep(child, where / entry.name, 1)
                        finally:
                            os.close(child)
            elif TEMPORARY.fullmatch(entry.name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.name, dir_fd=fd)
                    swept.append(where / entry.name)

    with _folder(out_dir, (), create=False) as fd:
        assert fd is not None
        sweep(fd, out_dir, 0)
    return swept


#: Locks this process holds; a forked child closes its copies (see :func:`_forget_locks`).
_HELD: weakref.WeakSet[OutputLock] = weakref.WeakSet()


def _forget_locks() -> None:
    """In a forked child: close the inherited lock descriptors without unlocking.

    ``flock`` belongs to the open file, which a fork shares: a worker that kept its copy would
    hold the lock after its parent died, and refuse every later build until it was killed.
    Closing the copy (never ``LOCK_UN``, which would free the parent's lock) leaves the lock
    with the parent alone.
    """
    for lock in list(_HELD):
        if lock._fd is not None:
            with contextlib.suppress(OSError):
                os.close(lock._fd)
        lock._fd = None
        lock._created = False
    _HELD.clear()


if hasattr(os, "register_at_fork"):  # POSIX only; Windows does not fork
    os.register_at_fork(after_in_child=_forget_locks)


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
    Processes forked while it is held do not hold it.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_NAME
        self.out_dir = out_dir
        self._fd: int | None = None
        self._created = False

    def acquire(self) -> None:
        """Take the lock or raise :class:`BuildError` naming the build that holds it."""
        self._created = not os.path.lexists(self.out_dir)
        self._make_folder()
        with _folder(self.out_dir, (), create=False) as dir_fd:
            assert dir_fd is not None
            while True:
                try:
                    fd = _open_regular(LOCK_NAME, dir_fd, self.path, os.O_RDWR | os.O_CREAT)
                except OSError as exc:
                    raise BuildError(
                        f"cannot create the lock file: {exc.strerror or exc}", self.path
                    ) from exc
                assert fd is not None  # created
                try:
                    taken = _try_lock(fd)
                except OSError as exc:
                    os.close(fd)
                    raise BuildError(f"cannot lock: {exc.strerror or exc}", self.path) from exc
                if not taken:
                    os.close(fd)
                    raise BuildError(self._held_message(dir_fd), self.path) from None
                if self._still_linked(fd, dir_fd):
                    break
                os.close(fd)
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError as exc:  # a full disk: the file is created, its one line is not
            self.release()
            raise BuildError(
                f"cannot write the lock file: {exc.strerror or exc}", self.path
            ) from exc
        _HELD.add(self)

    def _make_folder(self) -> None:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise _no_folder(self.out_dir) from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _no_folder(self.out_dir) from None
            raise BuildError(
                f"cannot create the output folder: {exc.strerror or exc}", self.out_dir
            ) from exc
        if not self.out_dir.is_dir():
            raise BuildError("is not a folder: name a folder to build into", self.out_dir)

    def release(self) -> None:
        """Remove the lock file, then let go of the lock (and of the folder, if it stayed empty)."""
        if self._fd is None:
            return
        _HELD.discard(self)
        if sys.platform == "win32":
            # Windows removes no open file: close (which unlocks) first. A build that locks
            # the file in between holds it open, so the removal fails and its lock stays.
            os.close(self._fd)
            with contextlib.suppress(OSError):
                self.path.unlink()
        else:
            self.path.unlink(missing_ok=True)  # unlink removes a link, never what it names
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

    def _still_linked(self, fd: int, dir_fd: int) -> bool:
        try:
            return (
                os.stat(LOCK_NAME, dir_fd=dir_fd, follow_symlinks=False).st_ino
                == os.fstat(fd).st_ino
            )
        except FileNotFoundError:
            return False

    def _held_message(self, dir_fd: int) -> str:
        pid = ""
        with contextlib.suppress(OSError, UnicodeDecodeError, BuildError):
            fd = _open_regular(LOCK_NAME, dir_fd, self.path)
            if fd is not None:
                with os.fdopen(fd, "rb") as handle:
                    pid = handle.read(32).decode("ascii").strip()
        owner = f" (pid {pid})" if pid.isdigit() else ""
        return f"another make-brief is building into {self.out_dir}/{owner}"
