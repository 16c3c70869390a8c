"""benchmarks/label_sheet.py: the sheets labellers read and the label files made from them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from .read import REPO, benchmark_module

SET = REPO / "benchmarks" / "relevance"


def label_sheet() -> ModuleType:
    return benchmark_module("label_sheet")


def test_every_sentence_a_sheet_labeller_chose_is_on_the_articles_sheet() -> None:
    """The later passes were answered on these sheets: each sentence they name is one of the
    article's sheet sentences, so a change to how make-brief splits sentences shows here."""
    tool = label_sheet()
    sheets = tool.sheet(sorted((SET / "articles").glob("*.md")), SET / "authors")
    assert len(sheets) == len(list((SET / "labels").glob("*.yaml")))
    for slug, text in sheets.items():
        sentences, headings = tool.read_sheet(text)
        labels = yaml.safe_load((SET / "labels" / f"{slug}.yaml").read_text(encoding="utf-8"))
        for judged in labels.get("passes") or []:
            for focus in judged.values():
                assert set(focus["first_section"]) <= headings, slug
                named = set(focus["strong"]) | set(focus["acceptable"])
                assert named <= set(sentences.values()), (slug, named - set(sentences.values()))


def test_answers_become_a_label_file_and_a_wrong_number_is_an_error(tmp_path: Path) -> None:
    tool = label_sheet()
    article = SET / "articles" / "mekong-river-commission.md"
    text = tool.sheet([article], SET / "authors")["mekong-river-commission"]
    sheet = tmp_path / "mekong-river-commission.txt"
    sheet.write_text(text, encoding="utf-8")
    sentences, headings = tool.read_sheet(text)
    heading = sorted(headings)[0]
    answer = {
        "focuses": {
            "security": {"sparse": True, "first_section": [], "strong": [], "acceptable": []},
            "human-rights": {"sparse": True, "first_section": [], "strong": [], "acceptable": []},
            "regional-impact": {
                "sparse": False,
                "first_section": [heading],
                "strong": ["S003"],
                "acceptable": ["S001", "S003"],
            },
        }
    }
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(yaml.safe_dump(answer), encoding="utf-8")
    second.write_text(yaml.safe_dump(answer), encoding="utf-8")
    labels = tool.collect(sheet, [first, second], "test")
    regional = labels["focuses"]["regional-impact"]
    assert regional["strong"] == [sentences["S003"]]
    assert regional["acceptable"] == [sentences["S001"]]  # a strong one is not listed twice
    assert labels["passes"] == [labels["focuses"]]
    answer["focuses"]["regional-impact"]["strong"] = ["S999"]
    second.write_text(yaml.safe_dump(answer), encoding="utf-8")
    with pytest.raises(tool.AnswerError, match=r"b\.yaml: regional-impact: no sentence S999"):
        tool.collect(sheet, [first, second], "test")


def test_an_article_that_cannot_be_read_is_an_error_line_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "no-sections.md"
    broken.write_text("---\ntitle: Loose\nauthor: wikipedia-contributors\n---\n\nText.\n", "utf-8")
    tool = REPO / "benchmarks" / "label_sheet.py"
    done = subprocess.run(
        [sys.executable, str(tool), "sheet", str(broken), "--out", str(tmp_path / "sheets")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"error: {broken}: no sections: start each section with a '## Heading' line"
    ]
    assert not list((tmp_path / "sheets").glob("*.txt"))
