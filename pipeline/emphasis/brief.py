"""(Article, Edition) -> Brief: which sections lead, which sentences are takeaways and highlights.

The weights of :mod:`pipeline.emphasis.scoring` are absolute, so the choices here are made
against fixed thresholds, not against the article's best: a focus the article barely touches gets
no "In focus" section and no padded takeaways, and the brief says so in one line instead.

- **In focus**: a section whose score reaches ``IN_FOCUS`` and at least ``IN_FOCUS_SHARE`` of
  the best section's, most relevant first; the rest stay in the article's order as context.
- **Key takeaways**: up to ``TAKEAWAYS_MAX`` sentences (or the focus's ``takeaways:``) that
  can stand alone (complete, not a list item or quotation, not leaning on the sentence
  before), score at least ``TAKEAWAY``
  (one keyword, at full weight) and claim at least ``TAKEAWAY_SHARE`` of the best such
  sentence's claim (score times salience, see :func:`~.scoring.salience`),
  chosen best first but never two that say the same thing (maximal marginal relevance), and
  shown in the article's order. In a long article, every one after the first must also claim
  ``TAKEAWAY_MORE``: one sure takeaway beats five padded with details.
- **Highlights**: every takeaway, and the other sentences on the focus, best first, up to
  ``HIGHLIGHT_MAX_SHARE`` of the article; never a heading or a line cut off mid-sentence; in
  the general edition, the takeaways alone.
- **Editorial control**: an article's front matter may pin or exclude takeaways per focus, and
  keep a section out of "In focus".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Article, Block, Brief, BriefBlock, BriefSection, Edition, Focus, Span
from .scoring import ON_FOCUS, Unit, Weighing, units_of, weigh

#: A section is in focus from this score on...
IN_FOCUS = 0.8
#: ...when it also scores at least this share of the best section.
IN_FOCUS_SHARE = 0.3
#: A section holding a sentence that scores this much is in focus whatever its length: the
#: sentence names several sides of the focus at once.
SQUARELY = 4.0
#: A sentence can be a takeaway from this score on.
TAKEAWAY = 1.0
#: ...and claim at least this share of the best candidate's claim (score times salience).
TAKEAWAY_SHARE = 0.55
#: When no section is in focus, a takeaway must score this much; and a longer article with no
#: sentence that scores it is sparse on the focus, whatever its sections score.
TAKEAWAY_ALONE = 2.0
#: How many key takeaways a brief gives at most, unless its focus sets ``takeaways:``. Three
#: is what a busy reader takes in from a first page, and what the labelled tuning articles
#: bear out: a fourth and fifth pick were accepted nearly as often as the first three but
#: were among a labeller's own key points far less often (36% against 50%); they are details
#: of points already made. An edition weighing several focuses takes the most any allows.
TAKEAWAYS_MAX = 3
#: In an article of ``LONG_ARTICLE`` sentences or more, a takeaway after the first must claim
#: this much (score times salience). A long article touches its subject's every side in
#: passing, and past its best sentence one on the focus by a keyword or two is as often a
#: detail as a key point: on the labelled tuning articles, under three in four of the takeaways
#: claiming less were accepted, against nearly nine in ten of those claiming more. A shorter
#: article says each thing once, and the share of the best (``TAKEAWAY_SHARE``) is bar enough.
TAKEAWAY_MORE = 4.0
LONG_ARTICLE = 100
#: Two sentences sharing at least this share of their words say the same thing.
SAME_POINT = 0.5
#: At most this share of an article's sentences is highlighted.
HIGHLIGHT_MAX_SHARE = 0.2
#: An article of fewer sentences is short: one sentence on the focus is evidence enough there.
SHORT_ARTICLE = 15
#: An article is sparse on a focus below this many sentences on it, or below this share of its
#: sentences (a long article with a few lines on a focus is not about it: six sentences on
#: refugees in three hundred on an alliance's wars), or when no section is in focus and no
#: sentence is strong enough to be a takeaway, or no sentence scores ``TAKEAWAY_ALONE``.
SPARSE_SENTENCES = 3
SPARSE_SHARE = 0.04
#: ...or when its sentences are scattered: no part of the article (the lede, a section) has this
#: share of its sentences on the focus (and two, in a part of under three sentences). An article
#: about a focus has a part about it; one that mentions it here and there (a child soldier
#: crossing a border in a survey of child soldiers) has none.
GATHERED_SHARE = 0.1
#: A paragraph is about the focus when three of its sentences and this share of them are on it.
GATHERED_PARAGRAPH = 0.5
#: The rule needs this many sections of three sentences or more to tell scattered from gathered:
#: in a one-section article, the section is the article.
GATHERED_SECTIONS = 2


@dataclass(frozen=True)
class Scored:
    """A unit with its combined score for the edition being built."""

    unit: Unit
    score: float


@dataclass(frozen=True)
class Weighed:
    """An article weighed for an edition: per-focus weights combined, and the choices made."""

    scored: tuple[Scored, ...]
    #: Combined score of each section, in article order.
    section_scores: tuple[float, ...]
    #: Indexes of the sections in focus, most relevant first.
    in_focus: tuple[int, ...]
    #: Units chosen as takeaways, in article order.
    takeaways: tuple[Scored, ...]
    highlights: tuple[Scored, ...]
    sparse: bool
    #: Why each unit left out of the takeaways was, for units that scored enough to be asked.
    passed_over: dict[int, str]
    #: Why each section left in context was (focused editions only), by section index.
    kept_out: dict[int, str]
    #: Why the article is sparse on the edition's focus, or "" when it is not.
    why_sparse: str = ""
    #: How many takeaways the edition gives at most.
    most_takeaways: int = TAKEAWAYS_MAX


def _combined(values: Sequence[Sequence[float]], count: int) -> list[float]:
    return [sum(v[i] for v in values) for i in range(count)]


def weigh_edition(
    article: Article, edition: Edition, all_focuses: Sequence[Focus], model: str = "keyword"
) -> Weighed:
    """Weigh ``article`` for ``edition`` by ``model`` and make every choice a brief shows."""
    weighing = edition.focuses or tuple(all_focuses)
    units = units_of(article).items
    per_focus = [weigh(article, focus, model) for focus in weighing]
    sentence_scores = _combined([[s.score for s in w.sentences] for w in per_focus], len(units))
    scored = tuple(Scored(u, s) for u, s in zip(units, sentence_scores, strict=True))
    overrides = [t for f in edition.focuses if (t := article.tailoring_for(f.id)) is not None]

    section_scores = tuple(
        _combined([[s.score for s in w.sections] for w in per_focus], len(article.sections))
    )
    # A short article cannot say much about anything twice: one sentence is evidence there.
    short = len(units) < SHORT_ARTICLE
    evidence = 1 if short else 2
    in_focus: tuple[int, ...] = ()
    kept_out: dict[int, str] = {}
    if not edition.is_general:
        excluded = {title for t in overrides for title in t.exclude_sections}
        best = max(section_scores, default=0.0)
        floor = 0.0 if short else IN_FOCUS
        for i, score in enumerate(section_scores):
            if article.sections[i].title in excluded:
                kept_out[i] = "kept out of focus by the article's tailoring"
            elif score <= 0 or (score < floor and not _squarely(per_focus, i)):
                kept_out[i] = f"scores under {floor or IN_FOCUS}, the in-focus mark"
            elif score < IN_FOCUS_SHARE * best:
                kept_out[i] = f"under {IN_FOCUS_SHARE:.0%} of the best section's {best:.2f}"
            elif not (_on_focus(per_focus, i, evidence) or _squarely(per_focus, i)):
                kept_out[i] = f"fewer than {evidence} of its sentences are on the focus"
        chosen = [i for i in range(len(section_scores)) if i not in kept_out]
        in_focus = tuple(sorted(chosen, key=lambda i: (-section_scores[i], i)))

    pinned = {text for t in overrides for text in t.pin}
    excluded_sentences = {text for t in overrides for text in t.exclude}
    most = max((f.takeaways or TAKEAWAYS_MAX for f in weighing), default=TAKEAWAYS_MAX)
    takeaways, passed_over = _takeaways(scored, pinned, excluded_sentences, most)
    on_focus = sum(1 for s in scored if s.score >= ON_FOCUS)
    squarely = sum(1 for s in scored if s.score >= TAKEAWAY_ALONE)
    if not in_focus and not edition.is_general:
        # With no section about the focus, only a sentence squarely about it is worth quoting:
        # a single keyword in passing is how a sparse focus used to get padded.
        takeaways = tuple(
            t for t in takeaways if t.score >= TAKEAWAY_ALONE or t.unit.sentence.text in pinned
        )
    needed = evidence if short else max(SPARSE_SENTENCES, SPARSE_SHARE * len(units))
    why_sparse = ""
    if edition.is_general or pinned:
        pass
    elif on_focus < needed:
        why_sparse = (
            f"fewer than {math.ceil(needed)} of its sentences are on the focus"
            if needed > 1
            else "none of its sentences is on the focus"
        )
    elif not in_focus and not takeaways:
        why_sparse = "no section is about the focus and no sentence squarely about it"
    elif not short and not squarely:
        # A section can pass the in-focus mark on a handful of passing words ("500,000 have
        # died"); an article about a focus says something squarely about it somewhere.
        why_sparse = f"no sentence is squarely about the focus: none scores {TAKEAWAY_ALONE}"
    elif not short and not _gathered(scored):
        why_sparse = (
            f"its mentions are scattered: no section has {GATHERED_SHARE:.0%} of its sentences "
            "on the focus (two, in one of under three), nor any paragraph three making half"
        )
    elif not in_focus and not short and squarely < 2:
        # One sentence squarely on the focus, in a longer article with no section about it, is
        # a mention: quoting it as the brief's one takeaway pads the focus.
        why_sparse = "no section is about the focus and only one sentence squarely about it"
    elif model != "keyword":
        # Meaning reorders what an article says about a focus; it cannot tell whether the article
        # says anything, since its similarities are scaled to the article's own best sentence
        # and every article has one. Whether a brief is sparse is the keywords' call.
        why_sparse = weigh_edition(article, edition, all_focuses).why_sparse
    sparse = bool(why_sparse)
    if sparse:
        in_focus, takeaways = (), ()
    # Every takeaway is highlighted where it stands; the general edition highlights nothing else.
    highlights = (
        () if sparse else takeaways if edition.is_general else _highlights(scored, takeaways)
    )
    return Weighed(
        scored,
        section_scores,
        in_focus,
        takeaways,
        highlights,
        sparse,
        passed_over,
        kept_out,
        why_sparse,
        most,
    )


def _gathered(scored: Sequence[Scored]) -> bool:
    """Whether some part of the article is about the edition's focus: the lede or a section
    with ``GATHERED_SHARE`` of its sentences on it (two, in one of under three sentences), or a
    paragraph with three making ``GATHERED_PARAGRAPH``; true of an article with too few
    sections to tell."""
    parts: dict[tuple[str, int], list[int]] = {}
    for item in scored:
        on = int(item.score >= ON_FOCUS)
        for key in (("section", item.unit.section), ("block", item.unit.block_id)):
            counts = parts.setdefault(key, [0, 0])
            counts[0] += on
            counts[1] += 1
    sized = sum(1 for (kind, i), (_, n) in parts.items() if kind == "section" and i >= 0 and n >= 3)
    if sized < GATHERED_SECTIONS:
        return True
    return any(
        on >= GATHERED_SHARE * n and on >= (1 if n >= 3 else 2)
        if kind == "section"
        else on >= GATHERED_PARAGRAPH * n and on >= 3
        for (kind, _), (on, n) in parts.items()
    )


def _squarely(per_focus: Sequence[Weighing], index: int) -> bool:
    """Whether the section holds a sentence squarely about some focus, however short it is."""
    return any(w.sections[index].best >= SQUARELY for w in per_focus)


def _on_focus(per_focus: Sequence[Weighing], index: int, evidence: int) -> bool:
    """Whether some focus finds the section plainly about it: ``evidence`` sentences on it, or
    its title and one sentence."""
    for weighing in per_focus:
        section = weighing.sections[index]
        if section.on_focus >= evidence or (section.title_terms and section.on_focus >= 1):
            return True
    return False


_WORDS = re.compile(r"\w{4,}")


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORDS.findall(text))


def _same_point(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_POINT


def _takeaways(
    scored: Sequence[Scored], pinned: set[str], excluded: set[str], most: int
) -> tuple[tuple[Scored, ...], dict[int, str]]:
    """At most ``most`` takeaways (and every pinned one), in article order, and why each
    strong sentence left out was."""
    passed_over: dict[int, str] = {}
    chosen: list[int] = [i for i, s in enumerate(scored) if s.unit.sentence.text in pinned]
    pins = len(chosen)
    long = len(scored) >= LONG_ARTICLE
    candidates = []
    for i, item in enumerate(scored):
        if i in chosen or item.score < ON_FOCUS:
            continue
        if item.unit.sentence.text in excluded:
            passed_over[i] = "excluded in the article's front matter"
        elif item.unit.unfit:
            passed_over[i] = item.unit.unfit
        elif item.score < TAKEAWAY:
            passed_over[i] = f"scores {item.score:.2f}, under the takeaway threshold {TAKEAWAY}"
        else:
            candidates.append(i)

    def claim(i: int) -> float:
        return round(scored[i].score * scored[i].unit.salience, 6)

    # Measured on the claim the candidates are ranked by, not the bare score: a sentence giving
    # the war's death toll in three words of the focus outranks one listing four, and must not
    # be dropped before it is ranked.
    best = max((claim(i) for i in candidates), default=0.0)
    for i in [i for i in candidates if claim(i) < TAKEAWAY_SHARE * best]:
        candidates.remove(i)
        passed_over[i] = (
            f"claims {claim(i):.2f} (score x salience), under {TAKEAWAY_SHARE:.0%} of the best "
            f"candidate's {best:.2f}"
        )
    words = {i: _words(scored[i].unit.sentence.text) for i in [*chosen, *candidates]}

    # Best first; ranked once, as an article repeating itself can have hundreds of twins.
    ranked = sorted(candidates, key=lambda i: (-claim(i), i))
    for n, best in enumerate(ranked):
        if len(chosen) >= most:
            for i in ranked[n:]:
                passed_over.setdefault(i, f"{most} stronger takeaways were chosen")
            break
        if any(_same_point(words[best], words[c]) for c in chosen):
            passed_over[best] = "says the same as a takeaway already chosen"
            continue
        # A pinned sentence is the analyst's, not the model's: the model's own best still comes
        # in on the lower bar.
        if len(chosen) > pins and long and claim(best) < TAKEAWAY_MORE:
            passed_over[best] = (
                f"claims {claim(best):.2f} (score x salience): in an article of "
                f"{LONG_ARTICLE} sentences or more, a takeaway after the first claims "
                f"{TAKEAWAY_MORE}"
            )
            continue
        chosen.append(best)
    return tuple(scored[i] for i in sorted(chosen)), passed_over


def _highlights(scored: Sequence[Scored], takeaways: Sequence[Scored]) -> tuple[Scored, ...]:
    limit = max(1, int(len(scored) * HIGHLIGHT_MAX_SHARE))
    ranked = sorted(
        (i for i, s in enumerate(scored) if s.score >= ON_FOCUS and s.unit.highlightable),
        key=lambda i: -scored[i].score,
    )
    must = {id(t) for t in takeaways}
    chosen = {i for i, s in enumerate(scored) if id(s) in must}
    for i in ranked:
        if len(chosen) >= max(limit, len(must)):
            break
        chosen.add(i)
    return tuple(scored[i] for i in sorted(chosen))


def emphasise(
    article: Article,
    edition: Edition,
    all_focuses: Sequence[Focus],
    date: dt.date,
    model: str = "keyword",
) -> Brief:
    """Tailor ``article`` to ``edition``.

    ``all_focuses`` is every focus of the project: the general edition takes its key takeaways
    from what any of them finds notable. ``date`` is the date the brief shows. ``model`` is
    "keyword", or "semantic" to add each sentence's meaning (the ``semantic`` extra).
    """
    weighed = weigh_edition(article, edition, all_focuses, model)
    spans: dict[int, list[Span]] = {}
    for item in weighed.highlights:
        sentence = item.unit.sentence
        spans.setdefault(item.unit.block_id, []).append(Span(sentence.start, sentence.end))
    blocks = article.blocks()
    id_of = {id(block): i for i, block in enumerate(blocks)}

    def brief_blocks(items: tuple[Block, ...]) -> tuple[BriefBlock, ...]:
        return tuple(BriefBlock(b, tuple(spans.get(id_of[id(b)], ()))) for b in items)

    sections = [
        BriefSection(
            s.title,
            brief_blocks(s.blocks),
            0.0 if edition.is_general else weighed.section_scores[s.index],
            s.index,
        )
        for s in article.sections
    ]
    chosen = set(weighed.in_focus)
    return Brief(
        article=article,
        edition=edition,
        date=date,
        takeaways=tuple(t.unit.sentence.text for t in weighed.takeaways),
        lede=brief_blocks(article.lede),
        in_focus=tuple(sections[i] for i in weighed.in_focus),
        context=tuple(s for s in sections if s.index not in chosen),
        sparse=weighed.sparse,
        takeaway_sections=tuple(t.unit.section for t in weighed.takeaways),
    )
