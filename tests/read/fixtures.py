"""Where the tests find what they read: the repository (its seed project) and the fixture
projects under tests/fixtures."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
