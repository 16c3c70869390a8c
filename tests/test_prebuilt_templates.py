"""The built-in templates' shipped Python is what Jinja2 generates from them now, gives the
same pages as compiling them, and is never given to a template it was not generated from."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest

from pipeline.build import BuildOptions, build
from pipeline.render.html import compiled, prebuilt
from pipeline.sources import Project

from .conftest import forget_compiled_templates

DAY = 1_700_000_000


@pytest.fixture
def compiles(jinja_compiles: list[str]) -> list[str]:
    return jinja_compiles


def published(out: Path) -> dict[str, bytes]:
    """Every file of the output folder but its bookkeeping (state, lock, cache)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def run(project: Path, out: Path) -> None:
    build(Project.at(project), BuildOptions(out_dir=out, jobs=1))


def test_the_shipped_python_is_what_jinja2_generates_from_the_templates_now() -> None:
    shipped = json.loads(prebuilt.PREBUILT.read_text(encoding="utf-8"))
    fresh = prebuilt.generate(prebuilt.builtin_environment())
    assert shipped == fresh, (
        "a built-in template changed: write the shipped Python again with\n"
        '    python -c "from pipeline.render.html import prebuilt; prebuilt.write()"'
    )
    assert prebuilt.PREBUILT.read_text(encoding="utf-8") == prebuilt.text(fresh)


def test_a_cold_build_compiles_no_built_in_template_and_writes_the_same_files(
    seed_project: Path, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    run(seed_project, seed_project / "shipped")
    assert compiles == []
    from_shipped = published(seed_project / "shipped")
    assert any(path.endswith(".html") for path in from_shipped)

    monkeypatch.setattr(compiled, "prebuilt_code", lambda *args: None)
    forget_compiled_templates()
    run(seed_project, seed_project / "compiled")
    assert sorted(compiles) == sorted(prebuilt.TEMPLATES)
    assert published(seed_project / "compiled") == from_shipped


def test_an_edited_template_is_compiled_from_its_own_source(
    seed_project: Path, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    page = seed_project / "templates" / "brief.html.j2"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</body>", "<p>edited</p></body>"),
        encoding="utf-8",
    )
    run(seed_project, seed_project / "build")
    assert compiles == ["brief.html.j2"]
    html = next((seed_project / "build").rglob("general.html")).read_text(encoding="utf-8")
    assert "<p>edited</p>" in html


def test_other_environments_are_not_given_the_shipped_python() -> None:
    env = prebuilt.builtin_environment()
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, "macros.html.j2")
    checksum = jinja2.bccache.BytecodeCache().get_source_checksum(source)
    assert prebuilt.prebuilt_code(env, "macros.html.j2", filename, checksum) is not None
    other = jinja2.Environment(autoescape=True, trim_blocks=True)
    assert prebuilt.prebuilt_code(other, "macros.html.j2", filename, checksum) is None
    assert prebuilt.prebuilt_code(env, "brief.html.j2", filename, checksum) is None
    assert prebuilt.prebuilt_code(env, "macros.html.j2", filename, "0" * 40) is None
