"""``sources/focuses.yaml`` -> Focus: the emphases a brief can take, each checked on its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache, partial
from pathlib import Path

from ..errors import BriefError, SourceError, raise_problems
from ..model import Focus
from . import yamldoc
from .decode import read_config_text
from .patterns import COLOR_PATTERN, ID_PATTERN, LANG_PATTERN
from .problems import SourceWarning, Warnings, attempt
from .pyyaml import yaml

#: Focus ids with a meaning of their own on the command line.
RESERVED_FOCUS_IDS = frozenset({"general", "all"})


#: The settings a focus may have; any other is a typo worth a warning ("keywrods").
SETTINGS = frozenset(
    {
        "title",
        "titles",
        "description",
        "descriptions",
        "color",
        "keywords",
        "exclude",
        "examples",
        "countries",
        "takeaways",
    }
)


def read_focuses(path: Path, warnings: Warnings | None = None) -> dict[str, Focus]:
    """Read ``sources/focuses.yaml``: a mapping from focus id to its definition.

    Every broken focus is reported, not only the first; a setting no focus has is a warning
    in ``warnings`` (when given), as it would otherwise be ignored without a word.
    """
    focuses, found = _parsed(read_config_text(path), path)
    if warnings is not None:
        warnings.extend(found)
    return dict(focuses)


@lru_cache(maxsize=4)
def _parsed(
    text: str, path: Path
) -> tuple[tuple[tuple[str, Focus], ...], tuple[SourceWarning, ...]]:
    """The focuses ``text`` defines and the warnings about it, worked out once per text: a
    build reads the file for its plan and again with the articles it rebuilds (a text that
    changed, as in ``make-brief watch``, is parsed anew; a broken one raises every time)."""
    warnings: list[SourceWarning] = []
    document = yamldoc.parse(text, path, "not valid YAML")
    if not isinstance(document.data, dict) or not isinstance(document.root, yaml.MappingNode):
        raise SourceError(
            "must be a mapping from focus id to its title, keywords and color", path, 1
        )
    # Each focus's line (under "") and its settings' lines, to point at the culprit.
    lines = {
        str(key.value): {"": document.line(key), **document.key_lines(value)}
        for key, value in document.root.value
    }
    focuses: dict[str, Focus] = {}
    problems: list[BriefError] = []
    for focus_id, spec in document.data.items():
        where = lines.get(str(focus_id), {})
        if isinstance(spec, dict):
            for key in sorted(set(map(str, spec)) - SETTINGS):
                known = ", ".join(sorted(SETTINGS))
                warnings.append(
                    SourceWarning(
                        f"focus '{focus_id}': unknown setting '{key}' (known: {known})",
                        path,
                        where.get(key) or where.get(""),
                    )
                )
        read = partial(_focus, str(focus_id), spec, path, where)
        focus = attempt(problems, read, None)
        if focus is not None:
            focuses[focus.id] = focus
    raise_problems(problems)
    if not focuses:
        raise SourceError("defines no focus", path, 1)
    return tuple(focuses.items()), tuple(warnings)


def _focus(focus_id: str, spec: object, path: Path, lines: Mapping[str, int]) -> Focus:
    """One focus; every problem with it is reported together."""

    def fail(message: str, key: str = "") -> SourceError:
        return SourceError(f"focus '{focus_id}': {message}", path, lines.get(key) or lines.get(""))

    problems: list[BriefError] = []
    if not ID_PATTERN.fullmatch(focus_id):
        problems.append(fail("the id must be lowercase letters, digits and single hyphens"))
    elif focus_id in RESERVED_FOCUS_IDS:
        problems.append(fail(f"'{focus_id}' is reserved on the command line; choose another id"))
    if not isinstance(spec, dict):
        problems.append(fail("must be a mapping with title, description, keywords and color"))
        raise_problems(problems)
        raise AssertionError("unreachable")
    title = spec.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(fail("'title' is missing or empty", "title"))
    titles = _in_languages(
        spec.get("titles"), "titles", "{fr: Droits humains, es: Derechos humanos}", fail, problems
    )
    descriptions = _in_languages(
        spec.get("descriptions"),
        "descriptions",
        "{fr: Ce que la situation signifie pour ses habitants.}",
        fail,
        problems,
    )
    description = spec.get("description", "")
    if not isinstance(description, str):
        problems.append(fail("'description' must be text", "description"))
    keywords, weights = _keywords(spec.get("keywords"), fail, problems)
    exclude = _phrases(spec.get("exclude"), "exclude", fail, problems)
    examples = _phrases(spec.get("examples"), "examples", fail, problems)
    countries = _countries(spec.get("countries", 0), fail, problems)
    takeaways = _takeaways(spec.get("takeaways"), fail, problems)
    color = spec.get("color")
    if not isinstance(color, str) or not COLOR_PATTERN.fullmatch(color.strip()):
        problems.append(
            fail(f"'color' must be a hex colour such as \"#8e2c48\", not {color!r}", "color")
        )
    raise_problems(problems)
    assert isinstance(title, str) and isinstance(description, str) and isinstance(color, str)
    return Focus(
        focus_id,
        title.strip(),
        description.strip(),
        keywords,
        color.strip().lower(),
        path,
        weights=weights if any(w != 1.0 for w in weights) else (),
        exclude=exclude,
        examples=examples,
        countries=countries,
        takeaways=takeaways,
        titles=titles,
        descriptions=descriptions,
    )


#: The longest keyword or phrase: longer is not a term but a pasted sentence.
KEYWORD_MAX = 80
#: The heaviest weight a keyword may carry (the default is 1).
WEIGHT_MAX = 10.0


def _keywords(
    value: object, fail: Callable[[str, str], SourceError], problems: list[BriefError]
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The keywords and their weights: each item a word or phrase, or ``phrase: weight``."""
    if not isinstance(value, list) or not value:
        problems.append(fail("has no keywords: give a list of words and phrases", "keywords"))
        return (), ()
    keywords, weights = [], []
    for item in value:
        weight: object = 1.0
        if isinstance(item, dict) and len(item) == 1:
            item, weight = next(iter(item.items()))
        if not isinstance(item, str) or not item.strip():
            problems.append(
                fail("every keyword must be a word or phrase, or 'phrase: weight'", "keywords")
            )
            continue
        if not any(c.isalnum() for c in item):
            problems.append(
                fail(f"keyword '{item}' has no letter or digit: it matches no word", "keywords")
            )
            continue
        if len(item) > KEYWORD_MAX:
            problems.append(
                fail(
                    f"keyword '{item[:30]}...' is longer than {KEYWORD_MAX} characters", "keywords"
                )
            )
            continue
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not 0 < weight <= WEIGHT_MAX
        ):
            problems.append(
                fail(
                    f"keyword '{item}': the weight must be a number above 0 and at most "
                    f"{WEIGHT_MAX:g}, not {weight!r}",
                    "keywords",
                )
            )
            continue
        keywords.append(item.strip())
        weights.append(float(weight))
    return tuple(keywords), tuple(weights)


def _countries(
    value: object, fail: Callable[[str, str], SourceError], problems: list[BriefError]
) -> float:
    """``countries:``, the weight of a sentence naming two or more countries (0: none)."""
    weight = None if isinstance(value, bool) or not isinstance(value, int | float) else value
    if weight is None or not 0 <= weight <= WEIGHT_MAX:
        problems.append(
            fail(
                f"'countries' must be a weight from 0 to {WEIGHT_MAX:g}, the worth of a sentence "
                f"naming two or more countries, not {value!r}",
                "countries",
            )
        )
        return 0.0
    return float(weight)


#: The most key takeaways a focus may ask for: more is no longer a brief's first page.
TAKEAWAYS_MOST = 10


def _takeaways(
    value: object, fail: Callable[[str, str], SourceError], problems: list[BriefError]
) -> int | None:
    """``takeaways:``, how many key takeaways a brief of the focus gives at most."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= TAKEAWAYS_MOST:
        problems.append(
            fail(
                f"'takeaways' must be a whole number from 1 to {TAKEAWAYS_MOST}, the most key "
                f"takeaways a brief gives, not {value!r}",
                "takeaways",
            )
        )
        return None
    return value


def _in_languages(
    value: object,
    key: str,
    example: str,
    fail: Callable[[str, str], SourceError],
    problems: list[BriefError],
) -> tuple[tuple[str, str], ...]:
    """An optional ``titles`` or ``descriptions``: a mapping from language tag to the text in
    that language."""
    if value is None:
        return ()
    what = key.removesuffix("s")
    if not isinstance(value, dict) or not value:
        problems.append(
            fail(f"'{key}' must map language tags to {key}, as in {key}: {example}", key)
        )
        return ()
    texts = []
    for tag, text in value.items():
        if not isinstance(tag, str) or not LANG_PATTERN.fullmatch(tag):
            problems.append(
                fail(f"'{key}': {tag!r} is not a language tag such as fr or pt-BR", key)
            )
        elif not isinstance(text, str) or not text.strip():
            problems.append(fail(f"'{key}': the {tag} {what} must be non-empty text", key))
        else:
            texts.append((tag, " ".join(text.split())))
    return tuple(texts)


def _phrases(
    value: object,
    key: str,
    fail: Callable[[str, str], SourceError],
    problems: list[BriefError],
) -> tuple[str, ...]:
    """An optional list of non-empty texts under ``key``."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(fail(f"'{key}' must be a list of words or phrases", key))
        return ()
    return tuple(v.strip() for v in value)
