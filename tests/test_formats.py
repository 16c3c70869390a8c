"""A format is one declaration and one renderer module: registering a new one makes it buildable
with nothing else changed. This module is the toy format's renderer (plain text)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pipeline.build import BuildOptions, build
from pipeline.model import Brief
from pipeline.render import (
    Format,
    RenderContext,
    format_names,
    register_format,
    unregister_format,
)
from pipeline.sources import Project

TEXT = Format(
    name="txt",
    extension="txt",
    module=__name__,
    label="Text",
    media_type="text/plain",
    # One page per section, to show a format counting its own pages.
    count_pages=lambda data: data.count(b"\f") + 1,
)


def render(brief: Brief, context: RenderContext) -> bytes:
    """The toy format: the title, the edition, then each section's title and text."""
    parts = [f"{brief.article.title}\n{brief.edition.title}\n"]
    for section in brief.sections:
        text = "\n".join(item.block.text for item in section.blocks)
        parts.append(f"{section.title}\n{text}\n")
    return "\f".join(parts).encode("utf-8")


def prepare(context: RenderContext) -> None:
    """Nothing is shared between the toy format's briefs."""


@pytest.fixture
def text_format() -> Iterator[Format]:
    register_format(TEXT)
    try:
        yield TEXT
    finally:
        unregister_format(TEXT.name)


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return fixture_project("build-small")


def test_a_registered_format_is_built_listed_and_indexed(
    text_format: Format, project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert "txt" in format_names()
    options = BuildOptions(out_dir=out, formats=("html", "txt"), jobs=1)
    result = build(Project.at(project), options)

    texts = sorted(a.path for a in result.built if a.format == "txt")
    assert texts and all(path.endswith(".txt") for path in texts)
    general = next(path for path in texts if path.endswith("/general.txt"))
    assert (out / general).read_text(encoding="utf-8").split("\n")[1] == "General edition"

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {a["path"]: a for a in manifest["artifacts"] if a["format"] == "txt"}
    assert sorted(listed) == texts
    for path, entry in listed.items():
        data = (out / path).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["pages"] == data.count(b"\f") + 1
        assert entry["focus"] == Path(path).stem

    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"]: a for a in index.find_all("a") if str(a.get("href", "")).endswith(".txt")}
    assert sorted(links) == texts
    # The format's name or its label, whichever the index template shows.
    assert all(a.get_text(strip=True) in ("TXT", "Text") for a in links.values())

    again = build(Project.at(project), options)
    assert again.built == [] and len(again.up_to_date) == len(result.built)


def test_an_unregistered_format_is_not_built_by_default() -> None:
    assert "txt" not in format_names()
    assert "txt" not in BuildOptions().formats
