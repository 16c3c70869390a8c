"""What a build keeps between runs to go faster: ``.make-brief-cache/`` in the output folder.

It holds compiled templates (see :mod:`pipeline.render.html.compiled`) and parsed font faces
(see :mod:`pipeline.render.pdf.facecache`), each a file named by a hash of everything it
depends on. The folder changes no byte of any output and is safe to
delete at any time but during a build. A build reads entries as it goes and writes the new ones
only once it has succeeded, through a temporary file and a rename, so a failed build leaves no
entry behind; an entry that cannot be read (missing, damaged, a link, a folder) is made
again. Nothing there is followed out of the output folder: its folder and files are opened as
every file of the output folder is (see :mod:`.outdir`), and an entry that cannot be written
safely is not written.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BriefError
from .outdir import read_regular, write_atomic

CACHE_DIR = ".make-brief-cache"
#: What an entry's name may be: no separator, no dot, never a temporary file's name.
_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")


class OutputCache:
    """The cache folder of one output folder, as one build uses it (a
    :class:`~pipeline.render.CompiledStore`)."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        #: Entries made by this build, by name: written by :meth:`commit`.
        self.pending: dict[str, bytes] = {}

    def __getstate__(self) -> dict[str, object]:
        # A worker process reads entries; what it compiles stays with it (the build process
        # compiles every template before it starts workers).
        return {"out_dir": self.out_dir, "pending": {}}

    def path(self, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise ValueError(f"not a cache entry name: {name!r}")
        return self.out_dir / CACHE_DIR / name

    def read(self, name: str) -> bytes | None:
        """Entry ``name``, or None when there is none that can be read."""
        if name in self.pending:
            return self.pending[name]
        try:
            return read_regular(self.path(name), self.out_dir)
        except (OSError, BriefError):  # unreadable, or a link, folder or FIFO in its place
            return None

    def keep(self, name: str, data: bytes) -> None:
        """Hold entry ``name`` until :meth:`commit`."""
        self.path(name)  # a bad name fails now, not when the build is done
        self.pending[name] = data

    def commit(self) -> None:
        """Write the entries this build made: call it once the build has succeeded.

        Each is written whole or not at all; one that cannot be (a full disk, a link in its
        place) is left out, and the next build compiles it again.
        """
        for name, data in sorted(self.pending.items()):
            try:
                write_atomic(self.path(name), data, self.out_dir, durable=False)
            except (OSError, BriefError):
                continue
        self.pending.clear()
