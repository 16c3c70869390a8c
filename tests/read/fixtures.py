"""Where the tests find what they read: the repository (its seed project) and the fixture
projects under tests/fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"


def import_project(root: Path, *authors: str) -> Path:
    """A brief project to import into at ``root``: the repository's focuses and templates, no
    article, and the repository's ``authors`` (ids)."""
    (root / "sources" / "articles").mkdir(parents=True)
    (root / "sources" / "authors").mkdir()
    shutil.copy(REPO / "sources" / "focuses.yaml", root / "sources" / "focuses.yaml")
    for author in authors:
        shutil.copy(REPO / "sources" / "authors" / f"{author}.md", root / "sources" / "authors")
    shutil.copytree(
        REPO / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root
