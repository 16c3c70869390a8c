"""The fixed words of a brief in its language, from ``labels.yaml`` on the template path.

Both formats take every word they add to an article ("Key takeaways", "Page 2 of 3", the date)
from here, chosen by the article's ``lang``: the built-in catalogue (``templates/labels.yaml``)
with a project's own ``templates/labels.yaml`` merged over it, key by key. A language tag is
looked up whole (``fr-CA``), then by its first subtag (``fr``), and any word still missing is
taken from English. Dates are written with Babel, month names in the language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import ConfigError
from ..model import Brief, Edition

LABELS_FILE = "labels.yaml"
#: The language every catalogue must be complete in, and where missing words come from.
FALLBACK = "en"


@dataclass(frozen=True)
class Labels:
    """The words of one language."""

    lang: str
    words: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def page(self, number: int, total: int) -> str:
        return self.words["page"].format(number=number, total=total)

    def in_focus(self, edition: Edition) -> str:
        return self.words["in_focus"].format(focus=self.edition(edition))

    def edition(self, edition: Edition) -> str:
        """The edition's title: "General edition" in the language, or its focuses' titles in
        the language, where focuses.yaml gives them."""
        return self.words["general_edition"] if edition.is_general else edition.title_in(self.lang)

    def sparse_note(self, brief: Brief) -> str:
        """The line a sparse brief shows instead of takeaways, or ""."""
        if not brief.sparse_note:
            return ""
        return self.words["sparse"].format(focus=self.edition(brief.edition))

    def why_it_matters(self, edition: Edition) -> str:
        """ "Why it matters for <focus>", or "" for the general edition."""
        if edition.is_general:
            return ""
        return self.words["why_it_matters"].format(focus=self.edition(edition))

    def coverage(self, brief: Brief) -> str:
        """How much of the article is on the focus ("5 of 7 sections in focus · 8 sentences
        highlighted"), the sparse note for a sparse focus, or what the general edition is."""
        if brief.edition.is_general:
            return self.words["full_article"]
        if brief.sparse:
            return self.sparse_note(brief)
        sections = self.words["coverage"].format(
            sections=len(brief.in_focus), total=len(brief.sections)
        )
        count = brief.highlighted
        key = "highlighted_one" if count == 1 else "highlighted_many"
        return f"{sections} · {self.words[key].format(count=count)}"

    def dateline(self, brief: Brief) -> str:
        """The brief's date as its byline shows it: the article's, or the build's, said so."""
        day = self.date(brief.date)
        return self.words["built"].format(date=day) if brief.build_dated else day

    def takeaway_cue(self, brief: Brief, number: int) -> str:
        """The cue after takeaway ``number`` (from 0): where in the article it stands."""
        section = brief.takeaway_section(number)
        title = section.title if section is not None else self.words["opening"]
        return self.words["takeaway_cue"].format(section=title)

    def date(self, day: dt.date) -> str:
        """``day`` as the language writes it, with its month name (Babel's CLDR data)."""
        from babel import Locale, UnknownLocaleError
        from babel.dates import format_date

        try:
            locale = Locale.parse(self.lang.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            locale = Locale.parse(FALLBACK)
        return str(format_date(day, self.words["date"], locale=locale))


def labels_for(lang: str, template_dirs: tuple[Path, ...]) -> Labels:
    """The words for ``lang`` from the catalogues on the template path (the project's first)."""
    return _labels(lang, tuple(d.absolute() for d in template_dirs))


@cache
def _labels(lang: str, template_dirs: tuple[Path, ...]) -> Labels:
    catalogue: dict[str, dict[str, str]] = {}
    for folder in reversed(template_dirs):  # the built-in one first, the project's over it
        path = folder / LABELS_FILE
        if path.is_file():
            for language, words in _read(path).items():
                catalogue.setdefault(language, {}).update(words)
    words = dict(catalogue.get(FALLBACK, {}))
    primary = lang.split("-")[0].lower()
    for key in (primary, lang):
        words.update(catalogue.get(key, {}))
    return Labels(lang, words)


def _read(path: Path) -> dict[str, dict[str, str]]:
    from ..sources import yamldoc

    text = path.read_text(encoding="utf-8")
    document = yamldoc.parse(text, path, "not valid YAML", error=ConfigError)
    data = document.data or {}
    lines = document.key_lines()
    if not isinstance(data, dict):
        raise ConfigError("labels must be a mapping of languages to words", path, 1)
    result: dict[str, dict[str, str]] = {}
    for language, words in data.items():
        if not isinstance(words, dict) or not all(
            isinstance(v, str | int | float) for v in words.values()
        ):
            raise ConfigError(
                f"labels for '{language}' must be a mapping of names to words",
                path,
                lines.get(str(language)),
            )
        result[str(language)] = {str(k): str(v) for k, v in words.items()}
    return result
