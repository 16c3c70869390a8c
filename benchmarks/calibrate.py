"""Keyword weights that follow the labels: how often a keyword's sentences are ones a labeller
accepts, turned into the weight that keyword carries.

    python benchmarks/calibrate.py                      # the evidence for each keyword
    python benchmarks/calibrate.py --write OUT.yaml     # sources/focuses.yaml, weights calibrated

It reads the labelled articles of one split of ``benchmarks/relevance/`` (``tune`` unless told;
never calibrate on the articles you then report on) and, for each built-in focus and keyword,
counts the sentences that could be a takeaway and that the keyword matches, and how many of them
some labeller accepts for that focus. A sentence in an article the labellers call sparse on the
focus counts as not accepted: the keyword was a false signal there.

A keyword's *lift* is its sentences' acceptance over the focus's acceptance across all its
keywords' sentences. The new weight moves from the current one toward the lift, by how much
evidence there is:

    weight = (evidence * lift + PRIOR * current) / (evidence + PRIOR)

where ``evidence`` is the number of sentences, but at most ``PER_ARTICLE`` per article the
keyword appears in, so that one article full of a word ("famine" in a famine's history) cannot
decide its weight. A keyword no labelled sentence matches keeps its weight. Weights stay within
``BOUNDS`` and are rounded to one decimal, as a person would write them. Each run moves the
weights further toward what the labels show; the built-in focuses were calibrated once from
their hand-set weights, with the tune split.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from relevance import FOCUSES, REPO, judgements, labelled_project, labels_of, normal

from pipeline.emphasis.scoring import COUNTRIES, units_of, weigh
from pipeline.sources import read_project

PRIOR = 20.0
PER_ARTICLE = 4
BOUNDS = (0.25, 3.0)
FOCUSES_FILE = REPO / "sources" / "focuses.yaml"


@dataclass
class Evidence:
    """What the labels say about one keyword of one focus."""

    sentences: int = 0
    accepted: int = 0
    articles: set[str] = field(default_factory=set)

    @property
    def weight_of_evidence(self) -> int:
        return min(self.sentences, PER_ARTICLE * len(self.articles))


def gather(split: str) -> dict[tuple[str, str], Evidence]:
    """Each (focus, keyword)'s evidence on ``split``."""
    evidence: dict[tuple[str, str], Evidence] = defaultdict(Evidence)
    with tempfile.TemporaryDirectory() as tmp:
        sources = read_project(labelled_project(Path(tmp), ()), [])
        for article in sources.articles:
            labels = labels_of(article.slug)
            if split != "all" and labels.get("split") != split:
                continue
            units = units_of(article).items
            for focus, judgement in judgements(labels).items():
                weighing = weigh(article, sources.focuses[focus], "keyword")
                for unit, weight in zip(units, weighing.sentences, strict=True):
                    if unit.unfit:
                        continue
                    accepted = judgement.sparse is False and judgement.acceptable(
                        normal(unit.sentence.text)
                    )
                    for keyword, _count in weight.terms:
                        found = evidence[focus, keyword]
                        found.sentences += 1
                        found.accepted += accepted
                        found.articles.add(article.slug)
    return evidence


def calibrated(
    evidence: dict[tuple[str, str], Evidence], current: dict[tuple[str, str], float]
) -> dict[tuple[str, str], float]:
    """The new weight of every keyword with evidence."""
    base = {}
    for focus in FOCUSES:
        mine = [e for (f, _), e in evidence.items() if f == focus]
        sentences = sum(e.sentences for e in mine)
        base[focus] = sum(e.accepted for e in mine) / sentences if sentences else 0.0
    weights = {}
    for (focus, keyword), found in evidence.items():
        if not base[focus] or (focus, keyword) not in current:
            continue
        lift = found.accepted / found.sentences / base[focus]
        weight = found.weight_of_evidence
        new = (weight * lift + PRIOR * current[focus, keyword]) / (weight + PRIOR)
        weights[focus, keyword] = round(min(max(new, BOUNDS[0]), BOUNDS[1]), 1)
    return weights


_FOCUS_LINE = re.compile(r"^([a-z0-9][a-z0-9-]*):\s*$")
_KEYWORDS_LINE = re.compile(r"^  keywords:\s*$")
_KEYWORD_LINE = re.compile(r"^(    - )(.+?)(?::\s*([0-9.]+))?\s*$")
_COUNTRIES_LINE = re.compile(r"^  countries:\s*([0-9.]+)\s*(#.*)?$")
_COUNTRIES_NUMBER = re.compile(r"^(  countries:\s*)[0-9.]+")


def keyword_lines(text: str) -> list[tuple[int, str, str, float]]:
    """(line index, focus, keyword, weight) for each keyword line of a focuses file, and for
    its ``countries:`` setting, which weighs a sentence naming two countries as a keyword does
    (under the term the scores call it, ``COUNTRIES``)."""
    found, focus, in_keywords = [], "", False
    for number, line in enumerate(text.split("\n")):
        if head := _FOCUS_LINE.match(line):
            focus, in_keywords = head[1], False
        elif countries := _COUNTRIES_LINE.match(line):
            found.append((number, focus, COUNTRIES, float(countries[1])))
            in_keywords = False
        elif _KEYWORDS_LINE.match(line):
            in_keywords = True
        elif in_keywords and (item := _KEYWORD_LINE.match(line)):
            found.append((number, focus, item[2], float(item[3] or 1)))
        elif in_keywords and line.strip() and not line.lstrip().startswith("#"):
            in_keywords = line.startswith("    ")
    return found


def rewrite(text: str, weights: dict[tuple[str, str], float]) -> str:
    """``text`` with each calibrated keyword's weight replaced, comments and order kept."""
    lines = text.split("\n")
    for number, focus, keyword, _ in keyword_lines(text):
        if (focus, keyword) not in weights:
            continue
        weight = weights[focus, keyword]
        if keyword == COUNTRIES:
            # The setting's comment, if any, stays where it is.
            # Only the number changes: a comment after it stays, spacing and all.
            lines[number] = _COUNTRIES_NUMBER.sub(f"\\g<1>{weight:g}", lines[number], count=1)
        else:
            lines[number] = f"    - {keyword}" + ("" if weight == 1 else f": {weight:g}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "test", "all"), default="tune")
    parser.add_argument("--write", type=Path, metavar="OUT.yaml", help="write calibrated focuses")
    args = parser.parse_args()
    text = FOCUSES_FILE.read_text(encoding="utf-8")
    current = {(f, k): w for _, f, k, w in keyword_lines(text)}
    evidence = gather(args.split)
    weights = calibrated(evidence, current)
    print(f"{'focus':16} {'keyword':28} {'sentences':>9} {'accepted':>8} {'now':>5} {'new':>5}")
    for (focus, keyword), found in sorted(evidence.items(), key=lambda kv: -kv[1].sentences):
        if (focus, keyword) in weights:
            share = f"{100 * found.accepted / found.sentences:.0f}%"
            print(
                f"{focus:16} {keyword:28} {found.sentences:>9} {share:>8} "
                f"{current[focus, keyword]:>5g} {weights[focus, keyword]:>5g}"
            )
    if args.write:
        args.write.write_text(rewrite(text, weights), encoding="utf-8")
        print(f"wrote {args.write}", file=sys.stderr)


if __name__ == "__main__":
    main()
