"""Why a brief's tailoring came out as it did: every section's and sentence's score and reasons.

:func:`explain` makes the same choices :func:`pipeline.emphasis.emphasise` makes, from the same
weights, and keeps the reasons: the keywords that matched where, those that did not count and
why, which threshold put a section in focus or in context, and why a strong sentence is not a
takeaway. It is how a user tunes a focus without reading code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Article, Edition, Focus
from . import brief as rules
from .places import country_name
from .scoring import ON_FOCUS, units_of, weigh

#: How many of the best sentences an explanation lists, besides every takeaway.
SENTENCES_SHOWN = 15


@dataclass(frozen=True)
class SectionReport:
    """One section: its score, what it was made of, and where the brief puts it."""

    title: str
    score: float
    on_focus: int
    sentences: int
    #: The keywords that counted in it, most frequent first, with their counts.
    terms: tuple[tuple[str, int], ...]
    title_terms: tuple[str, ...]
    #: "in focus (1st)", or "context: " and the threshold it missed.
    placement: str


@dataclass(frozen=True)
class SentenceReport:
    """One sentence among the best: its score, what matched, and what the brief does with it."""

    section: str
    text: str
    score: float
    #: How much it reads like a key point (1 and up), which orders takeaways after the score.
    salience: float
    terms: tuple[tuple[str, int], ...]
    #: "takeaway", "takeaway (pinned)", "highlighted", or why it is neither.
    verdict: str


@dataclass(frozen=True)
class Explanation:
    """An article weighed for an edition, with every reason."""

    article: str
    edition: str
    #: The relevance model the scores come from ("keyword" or "semantic").
    model: str
    sparse: bool
    #: Which rule made the brief sparse ("" when it is not), as the summary says it.
    why_sparse: str
    #: One line on the whole: how much of the article is on the focus, and what follows.
    summary: str
    thresholds: tuple[tuple[str, float], ...]
    sections: tuple[SectionReport, ...]
    sentences: tuple[SentenceReport, ...]
    #: Keywords found that did not count, each with why and how often.
    ignored: tuple[tuple[str, str, int], ...]
    #: Keywords that count for less because they are in many of the article's paragraphs.
    common: tuple[tuple[str, float], ...]
    #: The countries the title names, which stand in every sentence for a focus that sets
    #: ``countries:`` (a sentence naming one other relates the two); empty when none does.
    title_countries: tuple[str, ...] = ()


def explain(
    article: Article,
    edition: Edition,
    all_focuses: Sequence[Focus],
    model: str = "keyword",
    every: bool = False,
) -> Explanation:
    """Weigh ``article`` for ``edition`` as a brief does with the relevance ``model``, and say
    why for every choice: for the best ``SENTENCES_SHOWN`` sentences and the takeaways, or,
    with ``every``, for every sentence that matched the focus at all."""
    weighing = edition.focuses or tuple(all_focuses)
    weighed = rules.weigh_edition(article, edition, all_focuses, model)
    units = units_of(article).items
    per_focus = [weigh(article, focus, model) for focus in weighing]
    titles = {s.index: s.title for s in article.sections}
    order = {index: rank for rank, index in enumerate(weighed.in_focus, start=1)}
    sections = []
    for section in article.sections:
        i = section.index
        counts: Counter[str] = Counter()
        for unit, *weights in zip(units, *(w.sentences for w in per_focus), strict=True):
            if unit.section == i:
                for weight in weights:
                    counts.update(dict(weight.terms))
        sections.append(
            SectionReport(
                section.title,
                round(weighed.section_scores[i], 3),
                max(w.sections[i].on_focus for w in per_focus),
                per_focus[0].sections[i].sentences if per_focus else 0,
                tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]),
                tuple(dict.fromkeys(t for w in per_focus for t in w.sections[i].title_terms)),
                _placement(weighed, i, order, edition),
            )
        )

    takeaways = {id(t) for t in weighed.takeaways}
    highlighted = {id(h) for h in weighed.highlights}
    pinned = {text for f in edition.focuses if (t := article.tailoring_for(f.id)) for text in t.pin}
    ranked = sorted(range(len(units)), key=lambda i: (-weighed.scored[i].score, i))
    # The best sentences, and every takeaway wherever it ranks: a takeaway chosen for its
    # salience, or pinned, may score below the fifteenth sentence, and the brief shows it.
    best = ranked if every else ranked[:SENTENCES_SHOWN]
    shown = [i for i in best if weighed.scored[i].score > 0]
    shown += [i for i in ranked if id(weighed.scored[i]) in takeaways and i not in shown]
    sentences = []
    for i in sorted(shown, key=ranked.index):
        item = weighed.scored[i]
        if id(item) in takeaways:
            verdict = "takeaway (pinned)" if item.unit.sentence.text in pinned else "takeaway"
        elif weighed.sparse:
            verdict = "not a takeaway: the article is sparse on the focus"
        else:
            reason = weighed.passed_over.get(i, f"scores under {ON_FOCUS}, the on-focus mark")
            verdict = ("highlighted; " if id(item) in highlighted else "") + "not a takeaway: "
            verdict += reason
        terms: Counter[str] = Counter()
        for w in per_focus:
            terms.update(dict(w.sentences[i].terms))
        sentences.append(
            SentenceReport(
                titles.get(item.unit.section, "(lede)"),
                item.unit.sentence.text,
                round(item.score, 3),
                item.unit.salience,
                tuple(sorted(terms.items())),
                verdict,
            )
        )

    ignored: Counter[tuple[str, str]] = Counter()
    for w in per_focus:
        for sentence in w.sentences:
            ignored.update(sentence.ignored)
    common = sorted(
        {(k, round(r, 3)) for w in per_focus for k, r in w.rarity if r < 1.0},
        key=lambda kv: (kv[1], kv[0]),
    )
    on_focus = sum(1 for s in weighed.scored if s.score >= ON_FOCUS)
    return Explanation(
        article=article.slug,
        edition=edition.id,
        model=model,
        sparse=weighed.sparse,
        why_sparse=weighed.why_sparse,
        summary=_summary(weighed, on_focus, len(units), len(article.sections), edition),
        thresholds=(
            ("on_focus", ON_FOCUS),
            ("in_focus", rules.IN_FOCUS),
            ("in_focus_share_of_best", rules.IN_FOCUS_SHARE),
            ("takeaway", rules.TAKEAWAY),
            ("takeaway_share_of_best", rules.TAKEAWAY_SHARE),
            ("takeaway_alone", rules.TAKEAWAY_ALONE),
            ("takeaway_after_first_in_long_article", rules.TAKEAWAY_MORE),
            ("long_article_sentences", rules.LONG_ARTICLE),
            ("takeaways_max", weighed.most_takeaways),
            ("highlight_max_share", rules.HIGHLIGHT_MAX_SHARE),
            ("sparse_below_sentences", rules.SPARSE_SENTENCES),
            ("sparse_below_share", rules.SPARSE_SHARE),
            ("gathered_share", rules.GATHERED_SHARE),
            ("gathered_paragraph_share", rules.GATHERED_PARAGRAPH),
            ("gathered_needs_sections", rules.GATHERED_SECTIONS),
        ),
        sections=tuple(sections),
        sentences=tuple(sentences),
        ignored=tuple(
            (k, why, n) for (k, why), n in sorted(ignored.items(), key=lambda kv: -kv[1])[:20]
        ),
        common=tuple(common),
        title_countries=tuple(
            sorted(country_name(code) for code in units_of(article).title_countries)
        )
        if any(focus.countries for focus in weighing)
        else (),
    )


def _placement(weighed: rules.Weighed, index: int, order: dict[int, int], edition: Edition) -> str:
    if edition.is_general:
        return "in the article's order (general edition)"
    if index in order:
        return f"in focus ({_ordinal(order[index])})"
    if weighed.sparse:
        return "context: the article is sparse on the focus"
    return f"context: {weighed.kept_out[index]}"


def _counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless one: "1 takeaway", "3 takeaways"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _summary(
    weighed: rules.Weighed, on_focus: int, sentences: int, sections: int, edition: Edition
) -> str:
    takeaways = _counted(len(weighed.takeaways), "takeaway")
    if edition.is_general:
        return f"general edition: {takeaways}, sections in article order"
    said = f"{on_focus} of {_counted(sentences, 'sentence')} on the focus"
    if weighed.sparse:
        return f"sparse: {said} ({weighed.why_sparse}); the brief says so instead of padding"
    return (
        f"{said}; {len(weighed.in_focus)} of {_counted(sections, 'section')} in focus, "
        f"{takeaways}, {_counted(len(weighed.highlights), 'sentence')} highlighted"
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(explanation: Explanation) -> str:
    """The explanation as a reader scans it: the verdict, the sections, the best sentences."""
    x = explanation
    lines = [f"{x.article} / {x.edition} ({x.model} relevance): {x.summary}", ""]
    lines.append("Sections (score, sentences on the focus, where the brief puts it):")
    width = max((len(s.title) for s in x.sections), default=0)
    for section in x.sections:
        terms = ", ".join(f"{k} x{n}" for k, n in section.terms) or "no keyword"
        if section.title_terms:
            terms = f"title: {', '.join(section.title_terms)}; {terms}"
        lines.append(
            f"  {section.score:6.2f}  {section.on_focus:>3}/{section.sentences:<3} "
            f"{section.title:<{width}}  {section.placement}"
        )
        lines.append(f"  {'':16}{terms}")
    lines += ["", "Best sentences (score x salience; what matched; verdict):"]
    for sentence in x.sentences:
        terms = ", ".join(f"{k} x{n}" for k, n in sentence.terms)
        where = f"[{sentence.section}]"
        lines.append(f"  {sentence.score:6.2f} x{sentence.salience:.2f}  {where} {sentence.text}")
        lines.append(f"  {'':16}{terms}; {sentence.verdict}")
    if x.ignored:
        lines += ["", "Keywords found that did not count:"]
        lines += [f"  {keyword} ({why}) x{n}" for keyword, why, n in x.ignored]
    if x.common:
        lines += ["", "Keywords weighed less for being in many paragraphs (factor):"]
        lines.append("  " + ", ".join(f"{k} {r:.2f}" for k, r in x.common))
    if x.title_countries:
        lines += ["", "Countries the title names (in every sentence, for two or more countries):"]
        lines.append("  " + ", ".join(x.title_countries))
    lines += ["", "Thresholds: " + ", ".join(f"{k} {v:g}" for k, v in x.thresholds)]
    return "\n".join(lines)


def as_json(explanation: Explanation) -> str:
    """The explanation as JSON, for tools: every field, in a stable order."""
    import json
    from dataclasses import asdict

    return json.dumps(asdict(explanation), indent=2, ensure_ascii=False)
