"""How well tailoring picks what an expert picks, on real articles labelled blind.

    python benchmarks/relevance.py                 # every article, the tune and test splits apart
    python benchmarks/relevance.py --split test    # only the articles kept unseen while tuning
    python benchmarks/relevance.py --json          # the figures as JSON
    python benchmarks/relevance.py --details       # every brief's choices against its labels

``benchmarks/relevance/`` holds the articles (``articles/``), their authors and the labels
(``labels/<slug>.yaml``), made by readers who never saw a brief of them; ``LABELLING.md`` says
how. Each article is built as a brief for each built-in focus (``sources/focuses.yaml``) and
scored against its labels:

- first section: the first "In focus" section is one the labeller accepts (clear cases: a focus
  the article is not sparse on, with at least one acceptable first section);
- precision: the share of takeaways a labeller accepts: marked strong or acceptable in the first
  pass, or listed in the second, exhaustive pass (``exhaustive:``); ``first_pass_precision``
  counts the first pass alone, as the figures before the second pass did;
- strong: the share of takeaways among the labeller's strong set;
- self-contained: the share of takeaways that open with no word leaning on the sentence before
  (checked here with a list of its own, not the one tailoring uses);
- padding: focuses the labeller called sparse that still got takeaways or an "In focus" section;
- shape: takeaways that are not a whole sentence of a paragraph (a heading, list item, fragment).

For scale, ``labeller agreement`` scores the labellers against each other: of the first pass's
strong sentences (its picks for a brief), the share the second, exhaustive pass accepts; and of
everything the first pass accepts, the share the second does. A model's takeaways are scored
against both passes at once, so a second expert's picks would score somewhat above the first
figure, not at 100%.

The keyword model is make-brief's default; the semantic model is measured beside it when its
extra is installed (``pip install 'make-brief[semantic]'``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SET = HERE / "relevance"
sys.path.insert(0, str(REPO))

from pipeline.build import resolve_editions  # noqa: E402
from pipeline.emphasis import emphasise, semantic  # noqa: E402
from pipeline.sources import Project, read_project  # noqa: E402

FOCUSES = ("security", "human-rights", "regional-impact")
_CITATION = re.compile(r"\[(?:\d{1,4}|[a-z]{1,2}|note \d{1,3}|[a-z][a-z ]{2,30})\]")
_SPACE = re.compile(r"\s+")
# Openers that make a sentence lean on the one before: the benchmark's own list, wider than a
# tailoring rule would dare to be, so that it does not grade the model by the model's own rule.
_LEANING = re.compile(
    r"""^["'“‘(]?(?:however|but|and|or|yet|so|also|moreover|furthermore|additionally|thus|hence|
    therefore|consequently|meanwhile|nevertheless|nonetheless|instead|similarly|likewise|then|
    later|subsequently|finally|still|besides|indeed|in\s+addition|as\s+a\s+result|in\s+turn|
    in\s+response|by\s+contrast|in\s+contrast|at\s+the\s+same\s+time|despite\s+this|such|
    this|these|that|those|it|its|they|their|them|he|his|him|she|her|the\s+latter|the\s+former|
    both|another|other|the\s+same)\b""",
    re.IGNORECASE | re.VERBOSE,
)


def normal(text: str) -> str:
    """Text as labels and briefs are compared: no citation markers, one space, straight edges."""
    return _SPACE.sub(" ", _CITATION.sub("", text)).strip()


@dataclass
class Counts:
    """The raw counts behind each figure."""

    clear: int = 0
    first_ok: int = 0
    takeaways: int = 0
    labelled: int = 0
    first_pass: int = 0
    strong: int = 0
    self_contained: int = 0
    bad_shape: int = 0
    sparse_cases: int = 0
    padded: int = 0
    padded_takeaways: int = 0
    silenced: int = 0
    focused_cases: int = 0
    focused_takeaways: int = 0

    def figures(self) -> dict[str, float | int]:
        def share(a: int, b: int) -> float:
            return round(100 * a / b, 1) if b else 0.0

        return {
            "first_section_pct": share(self.first_ok, self.clear),
            "clear_cases": self.clear,
            "precision_pct": share(self.labelled, self.takeaways),
            "first_pass_precision_pct": share(self.first_pass, self.takeaways),
            "strong_pct": share(self.strong, self.takeaways),
            "self_contained_pct": share(self.self_contained, self.takeaways),
            "bad_shape": self.bad_shape,
            "takeaways": self.takeaways,
            "takeaways_per_focused_case": round(self.focused_takeaways / self.focused_cases, 2)
            if self.focused_cases
            else 0.0,
            "sparse_cases": self.sparse_cases,
            "padded_sparse_cases": self.padded,
            "takeaways_on_sparse": self.padded_takeaways,
            "focused_cases_called_sparse": self.silenced,
        }


@dataclass
class Case:
    """One article and focus: what the brief chose and how the labels judge it."""

    article: str
    focus: str
    sparse_label: bool
    first: str
    first_ok: bool | None
    takeaways: list[tuple[str, str]] = field(default_factory=list)
    brief_sparse: bool = False


def _project(tmp: Path, only: tuple[str, ...]) -> Project:
    sources = tmp / "sources"
    (sources / "articles").mkdir(parents=True)
    for label in sorted((SET / "labels").glob("*.yaml")):
        if not only or label.stem in only:
            shutil.copy(SET / "articles" / f"{label.stem}.md", sources / "articles")
    shutil.copytree(SET / "authors", sources / "authors")
    shutil.copy(REPO / "sources" / "focuses.yaml", sources / "focuses.yaml")
    return Project.at(tmp)


def evaluate(
    split: str, only: tuple[str, ...] = (), model: str = "keyword"
) -> tuple[Counts, list[Case]]:
    """Score every labelled article of ``split`` ("tune", "test" or "all"), or ``only`` some,
    with the relevance ``model`` ("keyword" or "semantic")."""
    counts, cases = Counts(), []
    with tempfile.TemporaryDirectory() as tmp:
        sources = read_project(_project(Path(tmp), only), [])
        everyone = tuple(sources.focuses.values())
        for article in sources.articles:
            labels = yaml.safe_load((SET / "labels" / f"{article.slug}.yaml").read_text("utf-8"))
            if split != "all" and labels.get("split") != split:
                continue
            paragraphs = {normal(b.text) for b in article.blocks() if b.kind == "paragraph"}
            for focus in FOCUSES:
                label = labels["focuses"][focus]
                edition = resolve_editions((focus,), sources.focuses)[0]
                brief = emphasise(article, edition, everyone, dt.date(2026, 1, 1), model)
                exhaustive = (labels.get("exhaustive") or {}).get(focus)
                cases.append(
                    _score(counts, article.slug, focus, label, exhaustive, brief, paragraphs)
                )
    return counts, cases


def _score(
    counts: Counts, slug: str, focus: str, label: dict, exhaustive, brief, paragraphs
) -> Case:  # type: ignore[no-untyped-def]
    sparse = bool(label.get("sparse"))
    first = brief.in_focus[0].title if brief.in_focus else ""
    strong = {normal(s) for s in label.get("strong") or []}
    listed = {normal(s) for s in label.get("acceptable") or []} | strong
    acceptable = listed | {normal(s) for s in exhaustive or []}
    case = Case(slug, focus, sparse, first, None, brief_sparse=bool(getattr(brief, "sparse", 0)))
    if sparse:
        counts.sparse_cases += 1
        if brief.takeaways or brief.in_focus:
            counts.padded += 1
        counts.padded_takeaways += len(brief.takeaways)
    else:
        counts.focused_cases += 1
        if case.brief_sparse:
            counts.silenced += 1
        if label.get("first_section"):
            counts.clear += 1
            case.first_ok = first in label["first_section"]
            counts.first_ok += case.first_ok
    for takeaway in brief.takeaways:
        text = normal(takeaway)
        verdict = "strong" if text in strong else "acceptable" if text in acceptable else "other"
        case.takeaways.append((verdict, takeaway))
        counts.takeaways += 1
        counts.self_contained += not _LEANING.match(text) and not text[:1].islower()
        counts.bad_shape += not any(text in p for p in paragraphs) or not text.endswith(
            (".", "!", "?", '"', "”", "’", ")")
        )
        if not sparse:
            counts.focused_takeaways += 1
            counts.labelled += verdict != "other"
            counts.first_pass += text in listed
            counts.strong += verdict == "strong"
    return case


def agreement(split: str) -> dict[str, float | int]:
    """How far the two labelling passes agree on ``split``'s focused cases (see the docstring)."""
    strong_kept = strong_all = first_kept = first_all = 0
    for path in sorted((SET / "labels").glob("*.yaml")):
        labels = yaml.safe_load(path.read_text("utf-8"))
        if split != "all" and labels.get("split") != split:
            continue
        for focus in FOCUSES:
            label = labels["focuses"][focus]
            if label.get("sparse"):
                continue
            strong = {normal(s) for s in label.get("strong") or []}
            first = strong | {normal(s) for s in label.get("acceptable") or []}
            second = {normal(s) for s in (labels.get("exhaustive") or {}).get(focus) or []}
            strong_kept, strong_all = strong_kept + len(strong & second), strong_all + len(strong)
            first_kept, first_all = first_kept + len(first & second), first_all + len(first)
    return {
        "strong_accepted_by_second_pass_pct": round(100 * strong_kept / strong_all, 1)
        if strong_all
        else 0.0,
        "first_pass_accepted_by_second_pass_pct": round(100 * first_kept / first_all, 1)
        if first_all
        else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "test", "all"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--model", choices=("keyword", "semantic"), help="only this model")
    args = parser.parse_args()
    splits = [args.split] if args.split else ["tune", "test", "all"]
    models = ["keyword", "semantic"] if semantic.available() else ["keyword"]
    if args.model:
        models = [args.model]
    results: dict[str, dict[str, dict[str, float | int]]] = {}
    for split in splits:
        results[split] = {"labellers": agreement(split)}
        for model in models:
            counts, cases = evaluate(split, model=model)
            results[split][model] = counts.figures()
            if args.details:
                _print_details(split, model, cases)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    columns = [(split, model) for split in results for model in models]
    names = list(results[splits[0]][models[0]])
    print(f"{'figure':30}" + "".join(f"{f'{s} ({m})':>17}" for s, m in columns))
    for name in names:
        print(f"{name:30}" + "".join(f"{results[s][m][name]:>17}" for s, m in columns))
    print("\nlabeller agreement (the ceiling for scale):")
    for split in results:
        agreed = results[split]["labellers"]
        print(
            f"  {split}: the second pass accepts "
            f"{agreed['strong_accepted_by_second_pass_pct']}% of the first pass's strong "
            f"sentences and {agreed['first_pass_accepted_by_second_pass_pct']}% of all it accepts"
        )
    if not semantic.available():
        print(f"(the semantic model is not installed: {semantic.INSTALL})")


def _print_details(split: str, model: str, cases: list[Case]) -> None:
    for case in cases:
        mark = {None: " ", True: "+", False: "x"}[case.first_ok]
        state = "sparse-label" if case.sparse_label else ""
        said = "SAID-SPARSE" if case.brief_sparse else ""
        print(f"[{split} {model}] {case.article} / {case.focus} {state} {said}")
        print(f"   {mark} first: {case.first or '-'}")
        for verdict, text in case.takeaways:
            print(f"   {verdict[:3]}  {text[:150]}")


if __name__ == "__main__":
    main()
