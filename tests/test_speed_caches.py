"""What builds keep between runs to start faster changes no byte of what they write, and the
import-time work they skip is still done when it is needed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .read import REPO


def briefs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in (".pdf", ".html")
    }


def test_reportlab_url_pattern_compiles_on_use_and_re_compile_is_restored() -> None:
    code = (
        "import re; original = re.compile\n"
        "import pipeline.render.pdf\n"
        "from reportlab.platypus import paragraph\n"
        "assert re.compile is original\n"
        "assert paragraph.uri_pat._compiled is None\n"
        "pairs = paragraph._uri_split_pairs('https://example.org/a/b')\n"
        "assert pairs[0] == ('https://example.org/a/', 'b'), pairs\n"
        "assert isinstance(paragraph.uri_pat._compiled, re.Pattern)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_reportlab_cjk_wrap_pattern_compiles_on_use_as_the_same_pattern() -> None:
    code = (
        "import re\n"
        "import pipeline.render.pdf\n"
        "from reportlab.lib import textsplit\n"
        "assert textsplit.rx._compiled is None\n"
        "assert textsplit.rx.sub(r'\\1|', 'a\\u4e2d\\u2e7f\\u2e80') == 'a\\u4e2d|\\u2e7f\\u2e80|'\n"
        "assert textsplit.rx._compiled is re.compile('([\\u2e80-\\uffff])', re.UNICODE)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_a_build_imports_no_network_code(seed_project: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pipeline", "--out", str(tmp_path / "o"), "-q"],
        cwd=seed_project,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    names = set(re.findall(r"\|\s+([\w.]+)$", result.stderr, re.M))
    assert "reportlab.platypus.paragraph" in names  # it did render
    assert not names & {"ssl", "urllib.request", "http.client", "xml.sax.saxutils"}
