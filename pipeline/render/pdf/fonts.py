"""TrueType font registration for the PDF renderer, once per process.

Every face is embedded (ReportLab subsets TrueType fonts), so no page refers to an unembedded
Type 1 base font. A theme lists candidate fonts per face (a family make-brief brings, a file
beside the theme, ``system:FILE``, see :mod:`pipeline.sources.fontfiles`); the first found is
used. Its ``fallback`` list names fonts for the characters the faces lack (Arabic, Hangul,
CJK...): every listed font found on the machine is named, and a missing one is skipped. A
fallback font is read only when a character first needs it: reading a CJK font takes longer
than rendering a brief, and a brief in a script the faces cover never needs one.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFStreamFilterZCompress
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont, TTFontFace

from ...errors import ConfigError
from ...sources.fontfiles import FontSource, candidates_in
from ...sources.theme import FontFamily
from . import facecache
from .internals import mapped, registered_fonts

if TYPE_CHECKING:
    from .. import CompiledStore

__all__ = [
    "RegisteredFamily",
    "ensure_registered",
    "keep_faces_in",
    "register_fallbacks",
    "register_family",
]

#: Not bold or italic, and bold or italic, as ``addMapping`` takes them.
_FLAGS: tuple[Literal[0, 1], ...] = (0, 1)


@dataclass(frozen=True)
class RegisteredFamily:
    """ReportLab font names of a family's faces, ready for styles and ``<b>``/``<i>`` markup."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


def _resolve(candidates: tuple[str, ...], face: str, search_dirs: tuple[Path, ...]) -> FontSource:
    found = next(candidates_in(candidates, face, search_dirs), None)
    if found is None:
        raise ConfigError(
            f"no font found for the {face.replace('_', ' ')} face among: {', '.join(candidates)}",
            search_dirs[0] / "theme.yaml",
        )
    return found


#: How many subsets of one face are remembered; past it the face starts again. A brief's
#: subsets are few (one for most faces) and recur: ReportLab's first subset of a face holds
#: the ASCII characters at their own codes, then any others in the order a brief first draws
#: them, so briefs drawing only ASCII share it, and the editions of one article often do.
_SUBSETS_KEPT = 64


def _remembered(memory: dict[Any, bytes], key: Any, make: Callable[[], bytes]) -> bytes:
    """``memory[key]``, made by ``make`` the first time; the memory starts again when full."""
    found = memory.get(key)
    if found is None:
        if len(memory) >= _SUBSETS_KEPT:
            memory.clear()
        found = memory[key] = make()
    return found


class _RememberedFlate(PDFStreamFilterZCompress):
    """ReportLab's Flate filter, each of the font programs it compresses remembered.

    The bytes are the filter's own (the same zlib level), so a stream compressed from memory is
    byte for byte the one compressed afresh.
    """

    def __init__(self) -> None:
        self._compressed: dict[bytes, bytes] = {}

    def encode(self, text: Any) -> bytes:
        compress = super().encode
        return _remembered(self._compressed, text, lambda: compress(text))


#: A parsed face's attributes that a cache entry leaves out: the file's bytes (read from the
#: file again), where it was read from, and a function ReportLab's parser makes.
_NOT_KEPT = frozenset({"_ttf_data", "filename", "_pdfScale"})


class RememberingFace(TTFontFace):
    """A parsed TrueType face that makes each of its subsets once per process.

    Every PDF embeds the subset of each face it draws with: ReportLab cuts the font program
    for the characters of that subset and compresses it, for every brief again: about 6% of
    the cost of the seed's brief. A subset is the same font program whenever its characters
    are the same, in the same order (the program depends on nothing else): the seed's four
    editions cut 12 subsets of which 6 differ, the 200 PDF briefs of the 50-article corpus 600
    of which 10 differ. This face remembers the program and its compressed bytes for each
    sequence of characters it has cut.
    """

    def __init__(
        self, filename: str, subfontIndex: int = 0, store: CompiledStore | None = None
    ) -> None:
        """Parse the face, or take its parsed state from ``store`` (see :mod:`.facecache`)
        when an earlier build kept it there; a face parsed here is given to ``store``."""
        if store is None:
            super().__init__(filename, validate=0, subfontIndex=subfontIndex)
        else:
            with open(filename, "rb") as handle:
                data = handle.read()
            name = facecache.entry_name(data, subfontIndex)
            entry = store.read(name)
            kept = facecache.unpack(entry) if entry is not None else None
            if kept is not None:
                pdfmetrics.TypeFace.__init__(self, None)
                self.__dict__.update(kept)
                self.filename, self._ttf_data = filename, data
                self._pdfScale = facecache.scale_for(self.unitsPerEm)
            else:
                # Parsed from the bytes just read and hashed, not read from the file again.
                super().__init__(io.BytesIO(data), validate=0, subfontIndex=subfontIndex)
                self.filename = filename
                state = {k: v for k, v in vars(self).items() if k not in _NOT_KEPT}
                packed = facecache.pack(state)
                if packed is not None:
                    store.keep(name, packed)
        self._subsets: dict[tuple[int, ...], bytes] = {}
        self._flate = _RememberedFlate()

    def makeSubset(self, subset: Any) -> bytes:
        make = super().makeSubset
        return _remembered(self._subsets, tuple(subset), lambda: make(subset))

    def addSubsetObjects(self, doc: Any, fontname: str, subset: Any) -> Any:
        descriptor = super().addSubsetObjects(doc, fontname, subset)  # type: ignore[no-untyped-call]
        # The font program's stream, by the name ReportLab gave it just now: compressed (when
        # the document compresses) with the filter that remembers.
        program = doc.idToObject[f"fontFile:{self.filename}({fontname})"]
        if program.filters:
            program.filters = [self._flate]
        return descriptor


@dataclass
class _FaceStore:
    """Where faces parsed in this process are kept between builds: the store of the build
    under way (see :func:`keep_faces_in`), or None to keep nothing."""

    store: CompiledStore | None = None


#: The process's binding: faces are parsed once per process, for whichever build needs one
#: first, as ReportLab's font registry is the process's.
_faces = _FaceStore()


def keep_faces_in(store: CompiledStore | None) -> None:
    """Read and keep parsed faces in ``store`` from now on (each build sets its own)."""
    _faces.store = store


#: Fallback fonts named but not read yet, by ReportLab font name (see ensure_registered).
_DEFERRED: dict[str, FontSource] = {}


class LazyTTFont(TTFont):
    """A TrueType font whose file is parsed the first time its tables are needed.

    A theme names twelve faces and a brief typically draws with four: parsing a face's tables
    costs about as much as laying out a page, so each waits until a width, a glyph or the
    embedding asks for it. Everything else is what :class:`TTFont` sets up.
    """

    def __init__(self, source: FontSource) -> None:
        # Not TTFont.__init__, which parses the file at once; the same attributes otherwise.
        self.fontName = source.name
        self.source = source
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        unshaped = rl_config.unShapedFontGlob or ()
        self.shapable = not any(fnmatch(source.name, glob) for glob in unshaped)

    def __getattr__(self, name: str) -> Any:
        # Called only for attributes not set: ``face`` until the file is parsed.
        if name != "face":
            raise AttributeError(name)
        source = self.source
        try:
            face = RememberingFace(str(source.path), source.index, _faces.store)
        except (TTFError, OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"cannot use font {source.path}: {exc}", source.path) from exc
        self.face = face
        return face

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        """``text`` as (subset, codes) runs, as :meth:`TTFont.splitString` gives them.

        ReportLab's loop assigns each new character a code in a subset, one character at a
        time. Drawing asks for every line and run, and after a brief's first lines nearly
        every character already has its code: such text is looked up all at once, and only
        text with a character still to assign (or none in the font) goes through ReportLab's.
        """
        state = self.state.get(doc)
        if state is None or not isinstance(text, str):
            return super().splitString(text, doc, encoding)
        assignments = state.assignments
        plain = text.replace("\u00a0", " ")
        if not plain:
            return []
        # The characters with a code, kept beside ReportLab's assignments, which only grow
        # (in order): each new one is added once.
        known: set[str] | None = getattr(state, "_assigned_characters", None)
        if known is None:
            known = state._assigned_characters = set()
        if len(known) != len(assignments):
            known.update(map(chr, islice(assignments, len(known), None)))
        if not known.issuperset(plain):
            return super().splitString(text, doc, encoding)
        try:
            # Each character as its code (translate reads the assignments as its table): all
            # in the first subset, as nearly all Latin text is, when every code is a byte.
            return [(0, plain.translate(assignments).encode("latin-1"))]
        except UnicodeEncodeError:
            pass
        codes = [assignments[code] for code in map(ord, plain)]
        runs: list[tuple[int, bytes]] = []
        start = 0
        for at in range(1, len(codes) + 1):
            if at == len(codes) or codes[at] >> 8 != codes[start] >> 8:
                runs.append((codes[start] >> 8, bytes(code & 0xFF for code in codes[start:at])))
                start = at
        return runs


@cache
def register_source(source: FontSource) -> str:
    """Register one face, to be read when first used (:class:`LazyTTFont`); return its name.

    ``pdfmetrics.registerFont`` would read the face to index it by its internal name; the font
    goes into the same registry without that, and maps to itself inside ``<b>`` and ``<i>`` as
    ``registerFont`` maps it. A face that cannot be opened fails here, one whose tables are
    broken when a brief first uses it.
    """
    try:
        with open(source.path, "rb") as handle:
            handle.read(4)
    except OSError as exc:
        raise ConfigError(f"cannot use font {source.path}: {exc}", source.path) from exc
    registered_fonts()[source.name] = LazyTTFont(source)
    pdfmetrics.registerFontFamily(source.name)
    return source.name


@cache
def register_family(family: FontFamily, search_dirs: tuple[Path, ...]) -> RegisteredFamily:
    """Register a family's four faces and map them so ``<b>`` and ``<i>`` pick the right face."""
    faces_by_key = {
        "regular": family.regular,
        "bold": family.bold,
        "italic": family.italic,
        "bold_italic": family.bold_italic,
    }
    names = [
        register_source(_resolve(candidates, face, search_dirs))
        for face, candidates in faces_by_key.items()
    ]
    regular, bold, italic, bold_italic = names
    faces: tuple[tuple[str, Literal[0, 1], Literal[0, 1]], ...] = (
        (regular, 0, 0),
        (bold, 1, 0),
        (italic, 0, 1),
        (bold_italic, 1, 1),
    )
    for face, is_bold, is_italic in faces:
        addMapping(regular, is_bold, is_italic, face)
    return RegisteredFamily(regular, bold, italic, bold_italic)


@cache
def register_fallbacks(
    candidates: tuple[str, ...], search_dirs: tuple[Path, ...]
) -> tuple[str, ...]:
    """Name every fallback font found on the machine, in the theme's order.

    Each is read on first use (:func:`ensure_registered`), and mapped as its own bold and
    italic, so a fallback run inside ``<b>`` keeps its font.
    """
    names = []
    for source in candidates_in(candidates, "regular", search_dirs):
        name = source.name
        _DEFERRED.setdefault(name, source)
        for is_bold in _FLAGS:
            for is_italic in _FLAGS:
                # A fallback that is also a theme face keeps the family's bold and italic:
                # mapping it onto itself would draw every bold heading regular.
                if not mapped(name, is_bold, is_italic):
                    addMapping(name, is_bold, is_italic, name)
        names.append(name)
    return tuple(dict.fromkeys(names))


def ensure_registered(name: str) -> None:
    """Read a fallback font named by :func:`register_fallbacks` if it is not read yet.

    Every use of a fallback font goes through the character map (``scripts.coverage``), which
    calls this first. Any other name is left alone.
    """
    source = _DEFERRED.get(name)
    if source is not None:
        register_source(source)
