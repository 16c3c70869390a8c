"""Parsed font faces kept between builds (``pipeline/render/pdf/facecache.py``): a face read
from the cache is the face parsed from its file, briefs drawn with it are byte for byte the
same, and an entry that is damaged, or a face an entry cannot hold, is parsed again."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import reportlab
from reportlab.pdfbase.ttfonts import TTFNameBytes

from pipeline.build import BuildOptions, build
from pipeline.build.cache import CACHE_DIR
from pipeline.render.pdf import facecache, fonts
from pipeline.render.pdf.internals import registered_fonts
from pipeline.sources import Project

from .conftest import forget_compiled_templates

FACES = Path(fonts.__file__).with_name("faces")
DAY = 1_700_000_000


class Store(dict[str, bytes]):
    """A store as a build's cache is one, in memory."""

    def read(self, name: str) -> bytes | None:
        return self.get(name)

    def keep(self, name: str, data: bytes) -> None:
        self[name] = data


def state(face: fonts.RememberingFace) -> dict[str, object]:
    """What a face knows of its font, without what it makes of it as it is used."""
    return {k: v for k, v in vars(face).items() if k not in ("_pdfScale", "_subsets", "_flate")}


@pytest.mark.parametrize("path", sorted(FACES.glob("*.ttf")), ids=lambda p: p.stem)
def test_a_face_read_from_the_store_is_the_face_parsed_from_its_file(path: Path) -> None:
    plain = fonts.RememberingFace(str(path))
    store = Store()
    parsed = fonts.RememberingFace(str(path), 0, store)
    assert list(store) == [facecache.entry_name(path.read_bytes(), 0)]
    kept = fonts.RememberingFace(str(path), 0, store)
    for face in (parsed, kept):
        assert state(face).keys() == state(plain).keys()
        for name, value in state(plain).items():
            assert state(face)[name] == value, name
            assert type(state(face)[name]) is type(value), name
        assert [face._pdfScale(x) for x in (0, 1, 333, 2048)] == [
            plain._pdfScale(x) for x in (0, 1, 333, 2048)
        ]
    assert isinstance(kept.name, TTFNameBytes) and kept.name.ustr == plain.name.ustr
    # The subset a brief embeds, cut from the restored face, is the same font program.
    glyphs = sorted(plain.charToGlyph)[:90]
    assert kept.makeSubset(glyphs) == plain.makeSubset(glyphs)


def test_entries_are_named_by_the_file_its_face_and_reportlab(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = (FACES / "BriefSerif-Regular.ttf").read_bytes()
    name = facecache.entry_name(data, 0)
    assert name.startswith("ttf-") and len(name) == 44
    assert facecache.entry_name(data, 1) != name
    assert facecache.entry_name(data + b"\0", 0) != name
    monkeypatch.setattr(reportlab, "Version", reportlab.Version + ".1")
    assert facecache.entry_name(data, 0) != name


def test_a_state_an_entry_cannot_hold_exactly_is_not_kept() -> None:
    name = TTFNameBytes(b"Brief Serif")
    assert facecache.unpack(facecache.pack({"name": name, "widths": {32: 250}}) or b"") == {
        "name": name,
        "widths": {32: 250},
    }

    class Width(int):
        pass

    # A set, a subclass marshal would write as its base, a name inside a container (which
    # would come back as plain bytes), a function: nothing is kept rather than something else.
    for state_ in (
        {"glyphs": {1, 2}},
        {"widths": {32: Width(250)}},
        {"names": [name]},
        {"scale": lambda x: x},
    ):
        assert facecache.pack(state_) is None, state_


def test_damaged_entries_are_not_read() -> None:
    entry = facecache.pack({"unitsPerEm": 1000, "hmetrics": [(500, 0), (250, 10)]})
    assert entry is not None and facecache.unpack(entry) is not None
    flipped = bytearray(entry)
    flipped[-3] ^= 0xFF
    for damaged in (entry[: len(entry) // 2], bytes(flipped), b"garbage", b""):
        assert facecache.unpack(damaged) is None


@pytest.fixture
def forget_parsed_faces() -> Iterator[Callable[[], None]]:
    """Make every registered face be parsed again on its next use, as in a new process."""

    def forget() -> None:
        for font in registered_fonts().values():
            if isinstance(font, fonts.LazyTTFont):
                font.__dict__.pop("face", None)

    forget()
    yield forget
    forget()


def test_briefs_drawn_with_faces_from_the_cache_are_byte_identical(
    fixture_project: Callable[[str], Path],
    forget_parsed_faces: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    project = fixture_project("scripts")  # Latin, Arabic, Hebrew, Devanagari, CJK...
    out = project / "build"

    def built(**options: object) -> dict[str, bytes]:
        forget_parsed_faces()
        forget_compiled_templates()
        build(Project.at(project), BuildOptions(out_dir=out, jobs=1, **options))  # type: ignore[arg-type]
        return {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*.pdf"))
            if CACHE_DIR not in p.parts
        }

    read: list[bool] = []
    real_unpack = facecache.unpack

    def counted(entry: bytes) -> dict[str, object] | None:
        found = real_unpack(entry)
        read.append(found is not None)
        return found

    monkeypatch.setattr(facecache, "unpack", counted)
    parsed = built()
    assert parsed and read == []
    kept = sorted((out / CACHE_DIR).glob("ttf-*"))
    assert len(kept) >= 4, "a face for each script the briefs draw"

    from_cache = built(force=True)
    assert read and all(read), "every face came from the cache"
    assert from_cache == parsed

    # A damaged entry is a miss: its face is parsed from its file and kept again, whole.
    whole = kept[0].read_bytes()
    kept[0].write_bytes(whole[: len(whole) // 3])
    read.clear()
    assert built(force=True) == parsed
    assert read.count(False) == 1
    assert kept[0].read_bytes() == whole

    # The same briefs with no cache at all.
    shutil.rmtree(out / CACHE_DIR)
    assert built(force=True) == parsed
