"""sources/project.yaml: the publishing base URL, read and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.sources import Project
from pipeline.sources.config import ProjectConfig, read_config


def _project(tmp_path: Path, settings: str | None) -> Project:
    (tmp_path / "sources").mkdir()
    if settings is not None:
        (tmp_path / "sources" / "project.yaml").write_text(settings, encoding="utf-8")
    return Project.at(tmp_path)


def test_no_settings_file_means_no_base_url(tmp_path: Path) -> None:
    assert read_config(_project(tmp_path, None), []) == ProjectConfig(base_url="")


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("https://example.org/briefs/", "https://example.org/briefs/"),
        ("https://example.org/briefs", "https://example.org/briefs/"),
        ("http://example.org", "http://example.org/"),
    ],
)
def test_base_url_always_ends_with_a_slash(tmp_path: Path, written: str, read: str) -> None:
    assert read_config(_project(tmp_path, f"base_url: {written}\n"), []).base_url == read


@pytest.mark.parametrize(
    "value",
    [
        "ftp://example.org/",
        "example.org/briefs",
        "javascript:alert(1)",
        '"https://a.org/x y"',
        "[1, 2]",
        '"https://a.org/\\"><script>"',
    ],
)
def test_a_base_url_that_is_not_a_web_address_is_an_error_with_its_line(
    tmp_path: Path, value: str
) -> None:
    project = _project(tmp_path, f"# where we publish\nbase_url: {value}\n")
    with pytest.raises(ConfigError) as caught:
        read_config(project, [])
    assert caught.value.path == tmp_path / "sources" / "project.yaml"
    assert caught.value.line == 2
    assert "base_url" in caught.value.message


def test_unknown_setting_is_a_warning_naming_it(tmp_path: Path) -> None:
    warnings: list = []
    read_config(_project(tmp_path, "base_url: https://a.org/\nbase_ulr: x\n"), warnings)
    assert [(w.line, "base_ulr" in w.message) for w in warnings] == [(2, True)]


@pytest.mark.parametrize("text", ["base_url: [\n", "- just\n- a list\n"])
def test_malformed_settings_are_an_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError):
        read_config(_project(tmp_path, text), [])
