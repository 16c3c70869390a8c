"""Fixtures for the validator tests: the built briefs, and the external tools that check them.

Every brief is built once per session (at collection, so each test can be parametrised by
brief); the tools are located once. A missing tool skips its tests on a laptop, with how to
install it, and fails them in CI (see tests/conftest.py).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from ..conftest import missing_tool, require_command, require_file
from .briefs import REPO, Builds, build_all

NPM_HINT = "run `npm ci --prefix .ci` (Node.js and npm) in the repository"
NODE_MODULES = Path(os.environ.get("MAKE_BRIEF_NODE_MODULES", REPO / ".ci" / "node_modules"))
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
APT_HINT = "on Debian or Ubuntu, `apt-get install {}`; with Homebrew, `brew install {}`"


@functools.cache
def _builds() -> Builds:
    out = Path(tempfile.mkdtemp(prefix="make-brief-validators-"))
    return build_all(out)


@functools.cache
def _vnu() -> subprocess.Popen[str] | None:
    """The Nu Html Checker over every page, started as soon as the pages exist.

    The JVM takes seconds to start and check; running beside the PDF and browser tests keeps
    it off the suite's critical path. None when Java or the checker is missing.
    """
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        return None
    command = [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always"]
    return subprocess.Popen(
        [*command, *map(str, _builds().pages)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _uses_vnu(item: pytest.Item) -> bool:
    return "vnu_report" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the Nu Html Checker's tests last, so the checker works while the others run."""
    items.sort(key=_uses_vnu)


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(_uses_vnu(item) for item in session.items):
        _vnu()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _vnu.cache_info().currsize and (checker := _vnu()) is not None and checker.poll() is None:
        checker.kill()
        checker.communicate()
    if _builds.cache_info().currsize:
        shutil.rmtree(_builds().briefs[0].out_dir.parent, ignore_errors=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise ``built`` by brief and ``page`` by HTML page, named by where they come from."""
    if "built" in metafunc.fixturenames:
        briefs = _builds().briefs
        metafunc.parametrize("built", briefs, ids=[b.id for b in briefs])
    if "page" in metafunc.fixturenames:
        pages = _builds().pages
        root = _builds().briefs[0].out_dir.parent
        metafunc.parametrize("page", pages, ids=[p.relative_to(root).as_posix() for p in pages])


@pytest.fixture(scope="session")
def builds() -> Builds:
    return _builds()


# --- tools ------------------------------------------------------------------------------------


def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a validator, capturing its output as text."""
    return subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=300, **kwargs
    )


@pytest.fixture(scope="session")
def poppler() -> dict[str, str]:
    """The poppler command-line tools, by name."""
    hint = APT_HINT.format("poppler-utils", "poppler")
    return {
        name: require_command(name, hint)
        for name in ("pdfinfo", "pdffonts", "pdftotext", "pdftoppm")
    }


@pytest.fixture(scope="session")
def qpdf() -> str:
    return require_command("qpdf", APT_HINT.format("qpdf", "qpdf"))


@pytest.fixture(scope="session")
def vnu_report(builds: Builds) -> dict[str, list[dict[str, Any]]]:
    """The Nu Html Checker's messages for every page, from one run over all of them."""
    require_command("java", APT_HINT.format("default-jre-headless", "openjdk"))
    require_file(VNU_JAR, NPM_HINT)
    checker = _vnu()
    assert checker is not None
    _, errors = checker.communicate(timeout=300)
    assert checker.returncode == 0, errors
    report = json.loads(errors)
    messages: dict[str, list[dict[str, Any]]] = {}
    for message in report["messages"]:
        url = message.get("url", "")
        key = str(Path(unquote(urlparse(url).path)).resolve()) if url else ""
        messages.setdefault(key, []).append(message)
    return messages


@pytest.fixture(scope="session")
def axe_source() -> str:
    return require_file(AXE_JS, NPM_HINT).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session, driven by Playwright.

    Debian's chromium (or the one MAKE_BRIEF_CHROMIUM names) is preferred; Playwright's own
    download is used when there is none, as on a laptop after `playwright install chromium`.
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        missing_tool("Playwright is not installed: pip install -e '.[test]'")
        raise
    executable = (
        os.environ.get("MAKE_BRIEF_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        except Error as exc:
            hint = (
                APT_HINT.format("chromium", "--cask chromium")
                + ", or `playwright install chromium`"
            )
            missing_tool(f"cannot start Chromium ({str(exc).splitlines()[0]}): {hint}")
            raise
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def tab(browser: Any) -> Iterator[Any]:
    """One browser tab for the session's page loads; each test sets the emulation it needs."""
    page = browser.new_page()
    yield page
    page.close()
