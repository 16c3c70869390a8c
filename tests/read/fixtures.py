"""Where the tests find what they read: the repository (its seed project) and the fixture
projects under tests/fixtures."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.importer import ImportPlan
    from pipeline.model import Article

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


def read_back(plan: ImportPlan) -> Article:
    """The article an import wrote, read back as a build reads it; it must read cleanly."""
    from pipeline.sources import Project, SourceWarning, read_article, read_authors

    warnings: list[SourceWarning] = []
    authors = read_authors(Project(plan.project_root), warnings)
    article = read_article(plan.article_path, authors, warnings)
    assert warnings == []
    return article


def benchmark_module(name: str) -> ModuleType:
    """``benchmarks/NAME.py``, loaded as the module ``NAME`` (the benchmarks import each other
    by name, and their dataclasses look their module up)."""
    if name != "relevance":
        benchmark_module("relevance")
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def relevance_benchmark() -> ModuleType:
    """``benchmarks/relevance.py``, loaded as a module: its ``evaluate`` scores briefs of the
    labelled articles against their labels."""
    return benchmark_module("relevance")
