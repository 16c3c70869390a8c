"""The relevance model a project chooses (``relevance:`` in sources/project.yaml), end to end.

The keyword model is the default; the semantic one (the ``semantic`` extra) is chosen per
project, weighs every brief of the build, is part of each brief's key (switching rebuilds), and
is what ``make-brief explain`` explains unless told otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.emphasis import semantic
from pipeline.errors import ConfigError
from pipeline.sources import Project
from pipeline.sources.config import read_config

from .read import relevance_benchmark

needs_semantic = pytest.mark.skipif(
    not semantic.available(), reason=f"the semantic extra is not installed: {semantic.INSTALL}"
)


def _settings(root: Path, text: str) -> Path:
    path = root / "sources" / "project.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(root: Path, out: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(root), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in {".pdf", ".html"} and p.parent != out
    }


def test_keyword_is_the_default(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    assert read_config(Project.at(tmp_path), []).relevance == "keyword"


def test_an_unknown_model_is_an_error_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    path = _settings(tmp_path, "base_url: https://example.org/\nrelevance: fuzzy\n")
    with pytest.raises(ConfigError) as caught:
        read_config(Project.at(tmp_path), [])
    assert (caught.value.path, caught.value.line) == (path, 2)
    assert "keyword, semantic" in caught.value.message


def test_semantic_without_its_extra_is_one_line_naming_the_setting_and_the_install(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic, "_missing", lambda: "the Python package 'onnxruntime' ...")
    _settings(seed_project, "relevance: semantic\n")
    out = seed_project / "build"
    result = CliRunner().invoke(main, ["--project", str(seed_project), "--out", str(out)])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: ") and "project.yaml:1: " in line
    assert semantic.INSTALL in line
    assert not out.exists()


@needs_semantic
def test_a_semantic_build_is_deterministic_and_switching_model_rebuilds(
    seed_project: Path,
) -> None:
    keyword = seed_project / "keyword"
    _build(seed_project, keyword, "--jobs", "1")
    _settings(seed_project, "relevance: semantic\n")
    first, second = seed_project / "first", seed_project / "second"
    _build(seed_project, first, "--jobs", "1")
    _build(seed_project, second, "--jobs", "2")
    assert _files(first) == _files(second)
    assert _files(first).keys() == _files(keyword).keys()

    # The same output folder: a change of model is a change of every focused brief's input.
    summary = _build(seed_project, keyword, "--jobs", "1")
    focused = [name for name in _files(keyword) if "/general." not in name]
    assert f"{len(_files(keyword))} built" in summary, summary
    assert focused, "the seed has focused editions"
    assert _files(keyword) == _files(first)


@needs_semantic
def test_explain_uses_the_projects_model_unless_told(seed_project: Path) -> None:
    _settings(seed_project, "relevance: semantic\n")
    slug = sorted((seed_project / "sources" / "articles").glob("*.md"))[0].stem
    args = ["explain", "--project", str(seed_project), "-a", slug, "-f", "human-rights"]
    said = CliRunner().invoke(main, [*args, "--json"])
    assert said.exit_code == 0, said.output
    assert json.loads(said.output)["model"] == "semantic"
    said = CliRunner().invoke(main, [*args, "--model", "keyword"])
    assert said.exit_code == 0, said.output
    assert "(keyword relevance)" in said.output.splitlines()[0]


@needs_semantic
def test_the_semantic_signal_ranks_by_meaning_not_by_shared_words() -> None:
    query = "people forced from their homes, abuses, humanitarian need"
    close = "Thousands of families fled the shelling and now live in tents without clean water."
    far = "The central bank raised interest rates by half a point to curb inflation."
    near, away = semantic.similarities([close, far], [query])
    assert near > away + 0.1
    # Rounded to 4 decimals, so every run gives the same values.
    assert semantic.similarities([close, far], [query]) == (near, away)
    assert all(round(v, 4) == v for v in (near, away))


@needs_semantic
def test_meaning_alone_never_pads_a_focus_the_article_does_not_touch() -> None:
    """Similarities are scaled to the article's own best sentence, so every article has a
    sentence "closest" to any focus: on the labelled articles a labeller called sparse on a
    focus (two economies on security, OPEC on human rights), the semantic model must still give
    no takeaway and no section "In focus"."""
    relevance = relevance_benchmark()
    counts, _ = relevance.evaluate(
        "tune", only=("economy-of-greece", "economy-of-kenya", "opec"), model="semantic"
    )
    figures = counts.figures()
    assert figures["sparse_cases"] == 3
    assert figures["padded_sparse_cases"] == 0
    assert figures["takeaways_on_sparse"] == 0
