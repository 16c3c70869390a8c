"""``sources/focuses.yaml`` -> Focus: the emphases a brief can take, each checked on its own."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path

import yaml

from ..errors import BriefError, SourceError, raise_problems
from ..model import Focus
from . import yamldoc
from .decode import read_text
from .patterns import COLOR_PATTERN, ID_PATTERN
from .problems import attempt

#: Focus ids with a meaning of their own on the command line.
RESERVED_FOCUS_IDS = frozenset({"general", "all"})


def read_focuses(path: Path) -> dict[str, Focus]:
    """Read ``sources/focuses.yaml``: a mapping from focus id to its definition.

    Every broken focus is reported, not only the first.
    """
    document = yamldoc.parse(read_text(path), path, "not valid YAML")
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
        read = partial(_focus, str(focus_id), spec, path, lines.get(str(focus_id), {}))
        focus = attempt(problems, read, None)
        if focus is not None:
            focuses[focus.id] = focus
    raise_problems(problems)
    if not focuses:
        raise SourceError("defines no focus", path, 1)
    return focuses


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
    description = spec.get("description", "")
    if not isinstance(description, str):
        problems.append(fail("'description' must be text", "description"))
    keywords = spec.get("keywords")
    cleaned: tuple[str, ...] = ()
    if not isinstance(keywords, list) or not keywords:
        problems.append(fail("has no keywords: give a list of words and phrases", "keywords"))
    elif not all(isinstance(k, str) and k.strip() for k in keywords):
        problems.append(fail("every keyword must be a non-empty word or phrase", "keywords"))
    else:
        cleaned = tuple(k.strip() for k in keywords)
    color = spec.get("color")
    if not isinstance(color, str) or not COLOR_PATTERN.fullmatch(color.strip()):
        problems.append(
            fail(f"'color' must be a hex colour such as \"#8e2c48\", not {color!r}", "color")
        )
    raise_problems(problems)
    assert isinstance(title, str) and isinstance(description, str) and isinstance(color, str)
    return Focus(focus_id, title.strip(), description.strip(), cleaned, color.strip().lower(), path)
