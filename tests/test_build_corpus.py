"""benchmarks/make_corpus.py: a valid, reproducible project of N articles for timing builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.check import check_project
from pipeline.sources import Project

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "make_corpus.py"


def make_corpus(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(out), *args], capture_output=True, text=True
    )


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_the_corpus_is_a_valid_project_of_the_requested_size(tmp_path: Path) -> None:
    done = make_corpus(tmp_path / "c", "--articles", "4", "--authors", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote 4 articles")
    report = check_project(Project.at(tmp_path / "c"))
    assert (report.articles, report.authors, report.focuses) == (4, 2, 3)
    dated = [
        p for p in (tmp_path / "c/sources/articles").glob("*.md") if "\ndate: " in p.read_text()
    ]
    assert 0 < len(dated) < 4


def test_the_same_arguments_give_the_same_files_and_longer_articles_on_request(
    tmp_path: Path,
) -> None:
    make_corpus(tmp_path / "a", "--articles", "3")
    make_corpus(tmp_path / "b", "--articles", "3")
    assert files(tmp_path / "a") == files(tmp_path / "b")
    make_corpus(tmp_path / "long", "--articles", "3", "--paragraphs", "10")
    short = (tmp_path / "a/sources/articles/article-0001.md").stat().st_size
    long = (tmp_path / "long/sources/articles/article-0001.md").stat().st_size
    assert long > 3 * short


def test_an_existing_corpus_is_replaced_only_with_force(tmp_path: Path) -> None:
    make_corpus(tmp_path / "c", "--articles", "3")
    refused = make_corpus(tmp_path / "c", "--articles", "2")
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert make_corpus(tmp_path / "c", "--articles", "2", "--force").returncode == 0
    assert len(list((tmp_path / "c/sources/articles").glob("*.md"))) == 2
