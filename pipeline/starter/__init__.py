"""``make-brief init``: a new brief project, ready to build, in any folder.

The files come from ``files/`` beside this module: an example article and author, the built-in
focuses, an empty ``templates/`` with a note on what may go there, a ``.gitignore`` and the
scheduled rebuild workflow. Dot files are kept without their dot in the package (``gitignore``,
``github/``), since packaging tools skip hidden files, and get it back when written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import BriefError

FILES = Path(__file__).resolve().parent / "files"
#: Package path -> path in the project, for the files that are hidden in a project.
_DOTTED = {"gitignore": ".gitignore", "github": ".github"}
#: Stands for the version of make-brief that started the project, in the workflow.
_VERSION_MARK = '"{version}"'


class InitError(BriefError):
    """A folder ``make-brief init`` will not write into."""


@dataclass(frozen=True)
class Started:
    """What :func:`init` did."""

    root: Path
    #: Files written, relative to ``root``, in order.
    written: tuple[Path, ...]
    #: Files left as they were because they were there already.
    kept: tuple[Path, ...]


def starter_files() -> list[tuple[Path, Path]]:
    """Every starter file as (its place in the package, its place in a project), sorted."""
    pairs = []
    for source in sorted(FILES.rglob("*")):
        if source.is_file():
            parts = source.relative_to(FILES).parts
            target = Path(_DOTTED.get(parts[0], parts[0]), *parts[1:])
            pairs.append((source, target))
    return sorted(pairs, key=lambda pair: pair[1].as_posix())


def init(root: Path, force: bool = False) -> Started:
    """Write a new project into ``root``, which must be empty or missing unless ``force``.

    No existing file is ever overwritten: with ``force``, files already there are kept.
    """
    if root.exists() and not root.is_dir():
        raise InitError("not a folder", root)
    if root.is_dir() and any(root.iterdir()) and not force:
        raise InitError(
            "the folder is not empty; start a project in an empty folder, or add the starter "
            "files that are missing with --force (no file is overwritten)",
            root,
        )
    written, kept = [], []
    for source, relative in starter_files():
        target = root / relative
        data = source.read_bytes()
        if relative.name == "rebuild-briefs.yml":
            data = data.replace(_VERSION_MARK.encode(), f'"{__version__}"'.encode())
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # "x": created here, or left alone if it appeared meanwhile; never overwritten.
            with target.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            kept.append(relative)
            continue
        except OSError as exc:
            raise InitError(f"cannot write: {exc.strerror or exc}", target) from exc
        written.append(relative)
    return Started(root, tuple(written), tuple(kept))
