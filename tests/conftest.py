"""Shared fixtures: the repository's own project, fixture projects, and readers of the output."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .readers import FIXTURES, REPO


@pytest.fixture
def seed_project(tmp_path: Path) -> Path:
    """A copy of the repository's own brief project (sources and templates)."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(
        REPO / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


@pytest.fixture
def fixture_project(tmp_path: Path) -> Callable[[str], Path]:
    """Copy ``tests/fixtures/<name>`` into a temporary folder and return its path."""

    def copy(name: str) -> Path:
        root = tmp_path / name
        shutil.copytree(FIXTURES / name, root)
        return root

    return copy
