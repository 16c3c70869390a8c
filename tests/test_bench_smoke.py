"""The benchmark harness runs end to end and reports every figure (structure only, not speed).

Speed is measured by ``benchmarks/run.py`` itself, never by a timed test: its smoke mode runs each
measurement once on tiny inputs, and this test checks that the JSON it writes holds every figure,
its floor and ratio, and every corpus run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .read import REPO

FIGURES = {
    "pdf_brief_seed",
    "html_brief_seed",
    "pdf_brief_long",
    "html_brief_long",
    "pdf_brief_seed_peak_alloc",
    "pdf_brief_long_peak_alloc",
    "cold_build_seed",
    "nochange_build_seed",
    "python_startup",
    "cold_build_seed_peak_rss",
    "nochange_build_seed_peak_rss",
    "nochange_heavy_imports",
    "worker_peak_rss",
    "build_peak_rss",
    "watch_save_to_briefs",
    "pdf_corpus_jobs1",
    "pdf_corpus_jobs2_speedup",
    "peer_typst_process",
    "peer_typst_in_process",
    "peer_weasyprint_process",
    "peer_weasyprint_in_process",
    "peer_pandoc_html_process",
    "jobs2_speedup",
}
#: Figures held to a target of the issue; each must say whether it was met.
TARGETS = {
    "pdf_brief_seed",
    "html_brief_seed",
    "pdf_brief_long",
    "html_brief_long",
    "cold_build_seed",
    "nochange_build_seed",
    "nochange_heavy_imports",
    "worker_peak_rss",
    "jobs2_speedup",
    "watch_save_to_briefs",
    "pdf_corpus_jobs1",
    "pdf_corpus_jobs2_speedup",
}
FIGURE_KEYS = {
    "name",
    "value",
    "unit",
    "floor",
    "floor_name",
    "target",
    "met",
    "note",
    "ratio",
    "cpu",
    "floor_cpu",
}
CORPUS_KEYS = {
    "articles",
    "jobs",
    "artifacts",
    "seconds",
    "cpu_seconds",
    "artifacts_per_second",
    "floor_seconds",
    "ratio",
    "peak_rss",
    "worker_peak_rss",
}


def test_smoke_run_writes_every_figure_with_its_floor(tmp_path: Path) -> None:
    target = tmp_path / "smoke.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--smoke", "--json", str(target)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["smoke"] is True
    assert report["machine"]["cpus"] >= 1
    figures = report["figures"]
    assert set(figures) >= FIGURES, FIGURES - set(figures)
    for name, figure in figures.items():
        assert set(figure) == FIGURE_KEYS, name
        assert figure["value"] >= 0, name
        if figure["floor"]:
            assert figure["ratio"] == figure["value"] / figure["floor"], name
    for name in ("pdf_brief_seed", "cold_build_seed", "nochange_build_seed"):
        assert figures[name]["value"] > 0 and figures[name]["floor"] > 0, name
    for name in ("cold_build_seed", "nochange_build_seed"):
        assert figures[name]["cpu"] > 0 and figures[name]["floor_cpu"] > 0, name
    assert set(report["targets"]) >= TARGETS, TARGETS - set(report["targets"])
    assert all(isinstance(met, bool) for met in report["targets"].values())
    corpus = report["corpus"]
    assert corpus and all(set(row) == CORPUS_KEYS for row in corpus)
    assert {row["articles"] for row in corpus} == set(report["plan"]["corpus_sizes"])
    assert {row["jobs"] for row in corpus} == {1, 2}
    for row in corpus:
        assert row["artifacts"] == row["articles"] * 4 * 2
        assert row["seconds"] > 0 and row["peak_rss"] > 0
    assert isinstance(report["checks"]["nochange_imports"], list)
    # The table printed for people holds the same figures.
    for name in FIGURES:
        assert f"| {name} |" in result.stdout, name


def test_the_tagging_benchmark_renders_with_and_without_the_pdfua_layer() -> None:
    """``benchmarks/tagging.py`` switches the tagged canvas off method by method: a method the
    canvas gains and the switch misses breaks the untagged render, so it runs here once."""
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "tagging.py"), "--renders", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "without tagging" in done.stdout and "with tagging" in done.stdout
