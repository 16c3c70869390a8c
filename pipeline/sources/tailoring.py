"""An article's ``tailoring:`` front matter: the analyst's overrides of the model, per focus.

    tailoring:
      human-rights:
        pin: ["A sentence, verbatim, that must be a takeaway."]
        exclude: ["A sentence that must never be one."]
        exclude_sections: ["A section title that must never be In focus"]

Every pinned or excluded sentence must be a sentence of the article, and every section title
one of its sections, so that a typo is an error rather than an override that silently does
nothing; a sentence both pinned and excluded for one focus is an error at its exclusion.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import BriefError, SourceError, raise_problems
from ..model import Block, Section, Tailoring
from .focuses import RESERVED_FOCUS_IDS
from .frontmatter import FrontMatter
from .patterns import ID_PATTERN
from .problems import SourceWarning, Warnings

KEY = "tailoring"
_FIELDS = ("pin", "exclude", "exclude_sections")


def read_tailoring(
    front: FrontMatter,
    blocks: Iterable[Block],
    sections: Iterable[Section],
    warnings: Warnings,
) -> tuple[Tailoring, ...]:
    """The ``tailoring`` overrides of ``front``, each checked against the article's text.

    ``general`` and ``all`` name editions, not focuses, and no override applies to them: an
    entry for one is left out with a warning at its line.
    """
    from ..emphasis.units import split_sentences  # only an article with overrides needs it

    value = front.data.get(KEY)
    if value is None:
        return ()
    line = front.lines.get(KEY)

    def fail(message: str, at: int | None = None) -> SourceError:
        return SourceError(f"'{KEY}': {message}", front.path, at or line)

    if not isinstance(value, dict):
        raise fail("must map focus ids to their pin, exclude and exclude_sections lists")
    sentences = {s.text for b in blocks for s in split_sentences(b.text)}
    titles = {s.title for s in sections}
    problems: list[BriefError] = []
    overrides = []
    for focus_id, spec in value.items():
        where = f"focus '{focus_id}'"
        if not isinstance(focus_id, str) or not ID_PATTERN.fullmatch(focus_id):
            problems.append(fail(f"{where}: not a focus id"))
            continue
        if focus_id in RESERVED_FOCUS_IDS:
            what = _RESERVED.get(focus_id, f"'{focus_id}' names no focus")
            warnings.append(
                SourceWarning(
                    f"'{KEY}': {what}, and takes no tailoring: this entry changes nothing (pin "
                    "and exclude under each focus's id)",
                    front.path,
                    front.line_at(KEY, focus_id),
                )
            )
            continue
        if not isinstance(spec, dict) or set(map(str, spec)) - set(_FIELDS):
            problems.append(fail(f"{where}: give only {', '.join(_FIELDS)}, each a list"))
            continue
        lists: dict[str, tuple[str, ...]] = {}
        for field in _FIELDS:
            items = spec.get(field) or []
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                problems.append(fail(f"{where}: '{field}' must be a list of texts"))
                items = []
            lists[field] = tuple(i.strip() for i in items)
        for field, what in (("pin", "pinned"), ("exclude", "excluded")):
            problems.extend(
                fail(
                    f"{where}: {what} sentence is not a sentence of the article: "
                    f"'{_clip(text)}' (copy it whole, from its first word to its stop)"
                )
                for text in lists[field]
                if text not in sentences
            )
        pinned: dict[str, int] = {}  # each pinned sentence, by the index of its first pin
        for i, text in enumerate(lists["pin"]):
            pinned.setdefault(text, i)
        for i, text in enumerate(lists["exclude"]):
            if text in pinned:
                pin_line = front.line_at(KEY, focus_id, "pin", pinned[text])
                problems.append(
                    fail(
                        f"{where}: '{_clip(text)}' is both pinned (line {pin_line}) and "
                        "excluded: keep it in one of the two",
                        front.line_at(KEY, focus_id, "exclude", i),
                    )
                )
        for title in lists["exclude_sections"]:
            if title not in titles:
                known = "; ".join(sorted(titles))
                problems.append(fail(f"{where}: no section is titled '{title}' ({known})"))
        overrides.append(
            Tailoring(focus_id, lists["pin"], lists["exclude"], lists["exclude_sections"])
        )
    raise_problems(problems)
    return tuple(overrides)


#: What each id that names no focus names instead.
_RESERVED = {
    "general": "'general' is the edition without emphasis",
    "all": "'all' is every edition at once, not a focus",
}


def _clip(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
