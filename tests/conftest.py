"""Shared fixtures: the repository's own project, fixture projects, and readers of the output."""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
import pytest

from .read import FIXTURES, REPO


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


# --- external tools ---------------------------------------------------------------------------


def in_ci() -> bool:
    """Whether the suite runs in CI, where every external tool must be present."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing_tool(message: str) -> None:
    """Stop a test that lacks an external tool: a skip on a laptop, a failure in CI.

    In CI a missing validator means the install step in ``.ci/run`` is broken, and a skipped
    validator would let broken output through, so it must fail loudly.
    """
    if in_ci():
        pytest.fail(f"{message} (CI=true: validator tools must be installed by .ci/run)")
    pytest.skip(message)


def require_command(name: str, install_hint: str) -> str:
    """The path of the command ``name``, or skip/fail with how to install it."""
    path = shutil.which(name)
    if path is None:
        missing_tool(f"{name} is not installed: {install_hint}")
        raise AssertionError("unreachable")  # missing_tool always raises
    return path


#: How to get poppler, whose pdftotext some tests read a PDF back with.
POPPLER = "apt-get install poppler-utils (macOS: brew install poppler)"


def require_pdftotext() -> str:
    """poppler's pdftotext, or skip/fail with how to install it."""
    return require_command("pdftotext", POPPLER)


def require_file(path: Path, install_hint: str) -> Path:
    """``path`` if it exists, or skip/fail with how to install it."""
    if not path.is_file():
        missing_tool(f"{path} not found: {install_hint}")
    return path


def forget_compiled_templates() -> None:
    """Forget the templates this process compiled, as a new make-brief process would not have."""
    # The module: ``pipeline.render.html.environment`` is also the name of its function.
    environment = importlib.import_module("pipeline.render.html.environment")
    environment._environment.cache_clear()
    environment.read_stylesheet.cache_clear()


@pytest.fixture
def jinja_compiles(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The templates Jinja2 compiles from source, in a process that has compiled none yet."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        names.append(name or "")
        return real(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    forget_compiled_templates()
    yield names
    forget_compiled_templates()
