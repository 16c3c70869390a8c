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
- precision: the share of takeaways some labeller accepts (strong or acceptable in a complete
  pass, or listed in the exhaustive one); ``majority_precision``, the share more than half of
  the passes accept; ``first_pass_precision``, the first labeller's alone, as the figures
  before the later passes did;
- strong: the share of takeaways among some labeller's own picks (its strong sentences);
- self-contained: the share of takeaways that open with no word leaning on the sentence before
  (checked here with a list of its own, not the one tailoring uses);
- padding: focuses the labellers call sparse that still got takeaways or an "In focus" section;
- shape: takeaways that are not a whole sentence of a paragraph (a heading, list item, fragment).

Each of first section, precision and strong share comes with a 90% interval (``*_90``), from
drawing the split's articles again with replacement: how far it could move on other articles
like these (see :func:`intervals`).

``LABELLING.md`` says how the passes were made and how they decide together. For scale, each
labeller's own picks are scored against the other labellers' passes by the same rules: what a
second expert's choice scores.

The keyword model is make-brief's default; the semantic model is measured beside it when its
extra is installed (``pip install 'make-brief[semantic]'``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
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


@dataclass(frozen=True)
class Pass:
    """One labeller's judgement of one article for one focus."""

    accepted: frozenset[str]
    strong: frozenset[str] = frozenset()
    first_section: tuple[str, ...] | None = None  # None: this pass did not judge sections
    sparse: bool = False


@dataclass(frozen=True)
class Judgement:
    """Every labelling pass of one article for one focus, and what they decide together."""

    passes: tuple[Pass, ...]

    def votes(self, text: str) -> int:
        return sum(text in p.accepted for p in self.passes)

    def acceptable(self, text: str) -> bool:
        """Some labeller accepts it."""
        return self.votes(text) > 0

    def agreed(self, text: str) -> bool:
        """More than half of the labellers accept it."""
        return 2 * self.votes(text) > len(self.passes)

    def strong(self, text: str) -> bool:
        return any(text in p.strong for p in self.passes)

    @property
    def sparse(self) -> bool | None:
        """True or False when more than half of the labellers say so; None when they split."""
        said = sum(p.sparse for p in self.passes)
        if 2 * said > len(self.passes):
            return True
        if 2 * (len(self.passes) - said) > len(self.passes):
            return False
        return None

    @property
    def first_sections(self) -> set[str]:
        return {t for p in self.passes for t in p.first_section or ()}


def _texts(sentences: list[str] | None) -> frozenset[str]:
    return frozenset(normal(s) for s in sentences or [])


def _full_pass(label: dict) -> Pass:  # type: ignore[type-arg]
    strong = _texts(label.get("strong"))
    return Pass(
        accepted=strong | _texts(label.get("acceptable")),
        strong=strong,
        first_section=tuple(label.get("first_section") or ()),
        sparse=bool(label.get("sparse")),
    )


def judgements(labels: dict) -> dict[str, Judgement]:  # type: ignore[type-arg]
    """Each focus's passes from a label file: ``focuses`` (the first labeller), ``exhaustive``
    (a list of every acceptable sentence; an empty one calls the focus sparse) and ``passes``
    (further labellers, each in the form of ``focuses``)."""
    found = {}
    for focus in FOCUSES:
        passes = [_full_pass(labels["focuses"][focus])]
        exhaustive = labels.get("exhaustive") or {}
        if focus in exhaustive:
            listed = _texts(exhaustive[focus])
            passes.append(Pass(accepted=listed, sparse=not listed))
        passes += [_full_pass(more[focus]) for more in labels.get("passes") or []]
        found[focus] = Judgement(tuple(passes))
    return found


@dataclass
class Counts:
    """The raw counts behind each figure."""

    clear: int = 0
    first_ok: int = 0
    takeaways: int = 0
    labelled: int = 0
    agreed: int = 0
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
    disputed_cases: int = 0

    def figures(self) -> dict[str, float | int]:
        def share(a: int, b: int) -> float:
            return round(100 * a / b, 1) if b else 0.0

        return {
            "first_section_pct": share(self.first_ok, self.clear),
            "clear_cases": self.clear,
            "precision_pct": share(self.labelled, self.focused_takeaways),
            "majority_precision_pct": share(self.agreed, self.focused_takeaways),
            "first_pass_precision_pct": share(self.first_pass, self.focused_takeaways),
            "strong_pct": share(self.strong, self.focused_takeaways),
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
            "disputed_cases": self.disputed_cases,
        }


@dataclass
class Case:
    """One article and focus: what the brief chose and how the labels judge it."""

    article: str
    focus: str
    sparse_label: bool | None
    first: str
    first_ok: bool | None
    takeaways: list[tuple[str, str]] = field(default_factory=list)
    brief_sparse: bool = False


def project_of(tmp: Path, articles: list[Path], authors: Path = SET / "authors") -> Project:
    """A project at ``tmp`` of these article files, ``authors`` and the built-in focuses."""
    sources = tmp / "sources"
    (sources / "articles").mkdir(parents=True)
    for path in articles:
        shutil.copy(path, sources / "articles")
    shutil.copytree(authors, sources / "authors")
    shutil.copy(REPO / "sources" / "focuses.yaml", sources / "focuses.yaml")
    return Project.at(tmp)


def labelled_project(tmp: Path, only: tuple[str, ...]) -> Project:
    """A project of every labelled article, or ``only`` those."""
    slugs = [label.stem for label in sorted((SET / "labels").glob("*.yaml"))]
    chosen = [SET / "articles" / f"{slug}.md" for slug in slugs if not only or slug in only]
    return project_of(tmp, chosen)


def labels_of(slug: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((SET / "labels" / f"{slug}.yaml").read_text("utf-8"))  # type: ignore[no-any-return]


def evaluate(
    split: str, only: tuple[str, ...] = (), model: str = "keyword"
) -> tuple[Counts, list[Case]]:
    """Score every labelled article of ``split`` ("tune", "test" or "all"), or ``only`` some,
    with the relevance ``model`` ("keyword" or "semantic")."""
    counts, cases = Counts(), []
    with tempfile.TemporaryDirectory() as tmp:
        sources = read_project(labelled_project(Path(tmp), only), [])
        everyone = tuple(sources.focuses.values())
        for article in sources.articles:
            labels = labels_of(article.slug)
            if split != "all" and labels.get("split") != split:
                continue
            paragraphs = {normal(b.text) for b in article.blocks() if b.kind == "paragraph"}
            for focus, judgement in judgements(labels).items():
                edition = resolve_editions((focus,), sources.focuses)[0]
                brief = emphasise(article, edition, everyone, dt.date(2026, 1, 1), model)
                first_pass = judgement.passes[0].accepted
                cases.append(
                    _score(counts, article.slug, focus, judgement, first_pass, brief, paragraphs)
                )
    return counts, cases


def _score(
    counts: Counts,
    slug: str,
    focus: str,
    judgement: Judgement,
    first_pass: frozenset[str],
    brief,  # type: ignore[no-untyped-def]
    paragraphs: set[str],
) -> Case:
    sparse = judgement.sparse
    first = brief.in_focus[0].title if brief.in_focus else ""
    case = Case(slug, focus, sparse, first, None, brief_sparse=bool(getattr(brief, "sparse", 0)))
    if sparse:
        counts.sparse_cases += 1
        if brief.takeaways or brief.in_focus:
            counts.padded += 1
        counts.padded_takeaways += len(brief.takeaways)
    elif sparse is None:
        counts.disputed_cases += 1
    else:
        counts.focused_cases += 1
        if case.brief_sparse:
            counts.silenced += 1
        if judgement.first_sections:
            counts.clear += 1
            case.first_ok = first in judgement.first_sections
            counts.first_ok += case.first_ok
    for takeaway in brief.takeaways:
        text = normal(takeaway)
        verdict = (
            "strong"
            if judgement.strong(text)
            else "acceptable"
            if judgement.acceptable(text)
            else "other"
        )
        case.takeaways.append((verdict, takeaway))
        counts.takeaways += 1
        counts.self_contained += not _LEANING.match(text) and not text[:1].islower()
        counts.bad_shape += not any(text in p for p in paragraphs) or not text.endswith(
            (".", "!", "?", '"', "”", "’", ")")
        )
        if sparse is False:
            counts.focused_takeaways += 1
            counts.labelled += verdict != "other"
            counts.agreed += judgement.agreed(text)
            counts.first_pass += text in first_pass
            counts.strong += verdict == "strong"
    return case


def agreement(split: str) -> dict[str, float | int]:
    """The labellers scored as a model is: each labeller's own picks (its strong sentences)
    against the other labellers' passes, on ``split``'s focused cases."""
    picks = accepted = agreed = strong = 0
    for path in sorted((SET / "labels").glob("*.yaml")):
        labels = labels_of(path.stem)
        if split != "all" and labels.get("split") != split:
            continue
        for judgement in judgements(labels).values():
            if judgement.sparse is not False:
                continue
            for i, own in enumerate(judgement.passes):
                others = Judgement(judgement.passes[:i] + judgement.passes[i + 1 :])
                for text in own.strong:
                    picks += 1
                    accepted += others.acceptable(text)
                    agreed += others.agreed(text)
                    strong += others.strong(text)

    def share(a: int) -> float:
        return round(100 * a / picks, 1) if picks else 0.0

    return {
        "labeller_picks": picks,
        "labeller_precision_pct": share(accepted),
        "labeller_majority_precision_pct": share(agreed),
        "labeller_strong_pct": share(strong),
    }


#: Draws of the articles, with replacement, for the intervals :func:`intervals` gives.
DRAWS = 1000


def intervals(cases: list[Case]) -> dict[str, tuple[float, float]]:
    """90% intervals of the first-section, precision and strong figures, by drawing the
    split's articles again with replacement (the same draws every run): how far the figures
    could move on another set of articles like these. A change whose effect is well inside
    them is not shown to be better or worse by this split alone."""
    by_article: dict[str, list[tuple[int, int, int, int, int]]] = {}
    for case in cases:
        takeaways = [v for v, _ in case.takeaways] if case.sparse_label is False else []
        by_article.setdefault(case.article, []).append(
            (
                case.first_ok is not None,
                bool(case.first_ok),
                len(takeaways),
                sum(v != "other" for v in takeaways),
                sum(v == "strong" for v in takeaways),
            )
        )
    totals = [tuple(map(sum, zip(*rows, strict=True))) for rows in by_article.values()]
    draw = random.Random(0)
    samples: dict[str, list[float]] = {
        "first_section_pct": [],
        "precision_pct": [],
        "strong_pct": [],
    }
    for _ in range(DRAWS if totals else 0):
        clear, first, taken, labelled, strong = map(
            sum, zip(*draw.choices(totals, k=len(totals)), strict=True)
        )
        for name, part, whole in (
            ("first_section_pct", first, clear),
            ("precision_pct", labelled, taken),
            ("strong_pct", strong, taken),
        ):
            if whole:
                samples[name].append(100 * part / whole)
    found = {}
    for name, values in samples.items():
        values.sort()
        if values:
            found[name] = (
                round(values[int(0.05 * len(values))], 1),
                round(values[int(0.95 * len(values)) - 1], 1),
            )
    return found


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
    results: dict[str, dict[str, dict[str, float | int | str]]] = {}
    for split in splits:
        results[split] = {"labellers": agreement(split)}
        for model in models:
            counts, cases = evaluate(split, model=model)
            results[split][model] = counts.figures()
            for name, (low, high) in intervals(cases).items():
                results[split][model][f"{name}_90"] = f"{low}-{high}"
            if args.details:
                _print_details(split, model, cases)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    columns = [(split, model) for split in results for model in models]
    names = list(results[splits[0]][models[0]])  # the intervals last, as they were added
    print(f"{'figure':30}" + "".join(f"{f'{s} ({m})':>17}" for s, m in columns))
    for name in names:
        print(f"{name:30}" + "".join(f"{results[s][m][name]:>17}" for s, m in columns))
    print("\nthe labellers scored as a model is, each one's picks against the others' passes:")
    for split in results:
        agreed = results[split]["labellers"]
        print(
            f"  {split}: {agreed['labeller_picks']} picks, precision "
            f"{agreed['labeller_precision_pct']}% (majority "
            f"{agreed['labeller_majority_precision_pct']}%), strong "
            f"{agreed['labeller_strong_pct']}%"
        )
    if not semantic.available():
        print(f"(the semantic model is not installed: {semantic.INSTALL})")


def _print_details(split: str, model: str, cases: list[Case]) -> None:
    for case in cases:
        mark = {None: " ", True: "+", False: "x"}[case.first_ok]
        state = {True: "sparse-label", None: "disputed", False: ""}[case.sparse_label]
        said = "SAID-SPARSE" if case.brief_sparse else ""
        print(f"[{split} {model}] {case.article} / {case.focus} {state} {said}")
        print(f"   {mark} first: {case.first or '-'}")
        for verdict, text in case.takeaways:
            print(f"   {verdict[:3]}  {text[:150]}")


if __name__ == "__main__":
    main()
