"""Shared fixtures: the repository's own project, fixture projects, and readers of the output."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def seed_project(tmp_path: Path) -> Path:
    """A copy of the repository's own brief project (sources and templates)."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.fixture
def fixture_project(tmp_path: Path) -> Callable[[str], Path]:
    """Copy ``tests/fixtures/<name>`` into a temporary folder and return its path."""

    def copy(name: str) -> Path:
        root = tmp_path / name
        shutil.copytree(FIXTURES / name, root)
        return root

    return copy


def pdf_text(path: Path) -> str:
    """Every page's text, as pypdf extracts it, with whitespace collapsed."""
    reader = PdfReader(path)
    return collapse(" ".join(page.extract_text() for page in reader.pages))


def collapse(text: str) -> str:
    """Whitespace runs become one space, so text compares across line breaks."""
    return re.sub(r"\s+", " ", text).strip()


def parse_html(path: Path) -> BeautifulSoup:
    """Parse an HTML file as a browser would tokenise it (BeautifulSoup over html.parser)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
