"""benchmarks/calibrate.py: keyword weights moved toward what labellers accept."""

from __future__ import annotations

from types import ModuleType

import yaml

from .read import REPO, benchmark_module


def calibrate() -> ModuleType:
    return benchmark_module("calibrate")


def test_rewriting_the_focuses_keeps_every_keyword_comment_and_other_field() -> None:
    tool = calibrate()
    text = (REPO / "sources" / "focuses.yaml").read_text(encoding="utf-8")
    lines = tool.keyword_lines(text)
    parsed = yaml.safe_load(text)
    # Every keyword, and each focus's countries setting (weighed as a keyword is).
    assert len(lines) == sum(len(f["keywords"]) + ("countries" in f) for f in parsed.values())
    assert tool.rewrite(text, {}) == text
    doubled = {(f, k): w * 2 for _, f, k, w in lines}
    rewritten = yaml.safe_load(tool.rewrite(text, doubled))
    for focus, definition in parsed.items():
        moved = ("keywords", "countries")
        assert {k: v for k, v in definition.items() if k not in moved} == {
            k: v for k, v in rewritten[focus].items() if k not in moved
        }
        if "countries" in definition:
            assert rewritten[focus]["countries"] == 2 * definition["countries"]
        for before, after in zip(definition["keywords"], rewritten[focus]["keywords"], strict=True):
            (word, weight), (word_after, weight_after) = _pair(before), _pair(after)
            assert word == word_after and weight_after == 2 * weight


def _pair(item: object) -> tuple[str, float]:
    if isinstance(item, dict):
        ((word, weight),) = item.items()
        return word, float(weight)
    return str(item), 1.0


def test_a_keyword_labellers_reject_loses_weight_and_one_they_accept_gains() -> None:
    tool = calibrate()
    evidence = {
        ("security", "noise"): tool.Evidence(
            40, 2, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
        ),
        ("security", "signal"): tool.Evidence(
            40, 36, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
        ),
        ("security", "rare"): tool.Evidence(1, 1, {"a"}),
    }
    current = {("security", "noise"): 1.0, ("security", "signal"): 1.0, ("security", "rare"): 1.0}
    weights = tool.calibrated(evidence, current)
    assert weights["security", "noise"] < 1.0 < weights["security", "signal"]
    # One sentence in one article is little evidence: the weight hardly moves.
    assert abs(weights["security", "rare"] - 1.0) < 0.15
    assert all(tool.BOUNDS[0] <= w <= tool.BOUNDS[1] for w in weights.values())


def test_the_countries_weight_is_rewritten_in_place_with_its_comment() -> None:
    tool = calibrate()
    text = "security:\n  countries: 0.6   # states against states\n  keywords:\n    - war\n"
    weights = {("security", tool.COUNTRIES): 0.75}
    assert (
        tool.rewrite(text, weights).split("\n")[1] == "  countries: 0.75   # states against states"
    )
