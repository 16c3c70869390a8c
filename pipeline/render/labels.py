"""The fixed words of a brief in its language, from ``labels.yaml`` on the template path.

Both formats take every word they add to an article ("Key takeaways", "Page 2 of 3", the date)
from here, chosen by the article's ``lang``: the built-in catalogue (``templates/labels.yaml``)
with a project's own ``templates/labels.yaml`` merged over it, key by key. A language tag is
looked up whole (``fr-CA``), then by its first subtag (``fr``), and any word still missing is
taken from English. Dates are written with Babel, month names in the language.

A catalogue is checked as it is read, so that ``make-brief check`` finds what would otherwise
fail a build half-way: a label filled in with values (:data:`PLACEHOLDERS`) may hold only the
placeholders it documents, each written bare (``{focus}``: no attribute, index, conversion or
format, which ``str.format`` would otherwise evaluate), and ``date`` must be a CLDR pattern of
date fields. Every other label takes no values, so it may hold no placeholder: ``{focus}`` in
``key_takeaways`` would be shown as those seven characters. In every label but ``date``,
``{{`` and ``}}`` are the braces shown, so one rule holds whichever label a brace is in.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ..errors import BriefError, ConfigError, ProblemList, raise_problems
from ..model import Brief, Edition
from ..sources.decode import is_present, read_config_text

LABELS_FILE = "labels.yaml"
#: The language every catalogue must be complete in, and where missing words come from.
FALLBACK = "en"
#: The labels filled in with values, and the placeholders each may hold.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "in_focus": frozenset({"focus"}),
    "sparse": frozenset({"focus"}),
    "why_it_matters": frozenset({"focus"}),
    "page": frozenset({"number", "total"}),
    "coverage": frozenset({"sections", "total"}),
    "highlighted_one": frozenset({"count"}),
    "highlighted_many": frozenset({"count"}),
    "built": frozenset({"date"}),
    "takeaway_cue": frozenset({"section"}),
}
#: The label that is a CLDR date pattern.
DATE = "date"
#: The CLDR pattern letters of a date (era, years, quarters, months, weeks, days, weekdays),
#: each with the lengths Babel formats (None: any), as ``babel.dates.PATTERN_CHARS`` has them;
#: written out, so that a build need not import Babel's date code to check a catalogue.
DATE_FIELDS: dict[str, tuple[int, ...] | None] = {
    **dict.fromkeys("yYug"),
    **dict.fromkeys("GQqML", (1, 2, 3, 4, 5)),
    **dict.fromkeys("Ee", (1, 2, 3, 4, 5, 6)),
    "c": (1, 3, 4, 5, 6),
    "w": (1, 2),
    "W": (1,),
    "d": (1, 2, 3),
    "D": (1, 2, 3),
    "F": (1,),
}
#: The letters of times of day and time zones, which a brief's date has not.
TIME_FIELDS = frozenset("abBhHKkmsSAzZOvVxX")


@dataclass(frozen=True)
class Labels:
    """The words of one language."""

    lang: str
    words: dict[str, str]

    def __getitem__(self, key: str) -> str:
        """The label ``key`` as shown, for a label that takes no values (``{{`` is a brace);
        for one filled in with values (:data:`PLACEHOLDERS`), its pattern, for the code that
        fills it (the PDF's page footer fills ``page`` on each page)."""
        word = self.words[key]
        if key in PLACEHOLDERS or key == DATE:
            return word
        # The catalogue was checked: a brace in a label that takes no values is doubled.
        return word.replace("{{", "{").replace("}}", "}")

    def page(self, number: int, total: int) -> str:
        return self.words["page"].format(number=number, total=total)

    def in_focus(self, edition: Edition) -> str:
        return self.words["in_focus"].format(focus=self.edition(edition))

    def edition(self, edition: Edition) -> str:
        """The edition's title: "General edition" in the language, or its focuses' titles in
        the language, where focuses.yaml gives them."""
        return self["general_edition"] if edition.is_general else edition.title_in(self.lang)

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
            return self["full_article"]
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
        title = section.title if section is not None else self["opening"]
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


def label_problems(template_dirs: tuple[Path, ...]) -> list[BriefError]:
    """What is wrong with the catalogues on the template path, each at its file and line."""
    problems: list[BriefError] = []
    for folder in template_dirs:
        path = folder / LABELS_FILE
        if is_present(path):
            try:
                _read(path)
            except ProblemList as many:
                problems += many.problems
            except BriefError as exc:
                problems.append(exc)
    return problems


def labels_for(lang: str, template_dirs: tuple[Path, ...]) -> Labels:
    """The words for ``lang`` from the catalogues on the template path (the project's first)."""
    return _labels(lang, tuple(d.absolute() for d in template_dirs))


@cache
def _labels(lang: str, template_dirs: tuple[Path, ...]) -> Labels:
    catalogue: dict[str, dict[str, str]] = {}
    for folder in reversed(template_dirs):  # the built-in one first, the project's over it
        path = folder / LABELS_FILE
        if is_present(path):
            for language, words in _read(path).items():
                catalogue.setdefault(language, {}).update(words)
    words = dict(catalogue.get(FALLBACK, {}))
    primary = lang.split("-")[0].lower()
    for key in (primary, lang):
        words.update(catalogue.get(key, {}))
    return Labels(lang, words)


def _read(path: Path) -> dict[str, dict[str, str]]:
    # Read as a source is: a folder or a FIFO is refused by name (never waited on), and a
    # byte that is not UTF-8 or a control character is reported at its line.
    text = read_config_text(path, ConfigError)
    return {language: dict(words) for language, words in _parsed(text, path).items()}


@lru_cache(maxsize=8)
def _parsed(text: str, path: Path) -> dict[str, dict[str, str]]:
    """The catalogue ``text`` (read from ``path``), checked and parsed once per text: a build
    checks every catalogue before it renders (:func:`label_problems`), then reads them for
    its languages' words. A changed text is parsed anew; a broken one raises every time."""
    from ..sources import yamldoc

    document = yamldoc.parse(text, path, "not valid YAML", error=ConfigError)
    data = document.data or {}
    lines = document.key_lines()
    if not isinstance(data, dict):
        raise ConfigError("labels must be a mapping of languages to words", path, 1)
    result: dict[str, dict[str, str]] = {}
    problems: list[BriefError] = []
    labels = _labels_of(path)
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
        for key, word in result[str(language)].items():
            problem = _unknown(key, labels) or _problem(key, word)
            if problem is not None:
                line = document.line_at(str(language), key)
                problems.append(ConfigError(f"'{key}' ({language}) {problem}", path, line))
    raise_problems(problems)
    return result


#: How a template asks for a label: ``labels["subscribe"]``, ``labels.get('subscribe')``.
_LABEL_IN_TEMPLATE = re.compile(r"""labels(?:\.get\(\s*|\[\s*)["']([^"'\s]+)["']""")


def _labels_of(catalogue: Path) -> frozenset[str] | None:
    """The labels a project's catalogue may define: the built-in catalogue's and those the
    templates beside it ask for (a project's own template may show a label of its own); None
    for the built-in catalogue, which defines the labels."""
    from ..sources.theme import builtin_templates_dir

    builtin, folder = builtin_templates_dir(), catalogue.parent.resolve()
    if folder == builtin:
        return None
    return _builtin_labels(builtin) | _asked_for(folder)


@cache
def _builtin_labels(builtin: Path) -> frozenset[str]:
    return frozenset(_read(builtin / LABELS_FILE)[FALLBACK])


@cache
def _asked_for(folder: Path) -> frozenset[str]:
    """The labels the templates in ``folder`` ask for."""
    found: set[str] = set()
    for template in sorted(folder.rglob("*")):
        if template.suffix in (".j2", ".html", ".jinja", ".xml") and template.is_file():
            text = template.read_text(encoding="utf-8", errors="replace")
            found.update(_LABEL_IN_TEMPLATE.findall(text))
    return frozenset(found)


def _unknown(key: str, labels: frozenset[str] | None) -> str | None:
    """Why ``key`` is no label (a misspelt one would never show), or None."""
    if labels is None or key in labels:
        return None
    from difflib import get_close_matches

    near = get_close_matches(key, labels, n=1)
    hint = f"did you mean '{near[0]}'? " if near else ""
    return f"is no label make-brief shows: {hint}the labels are {', '.join(sorted(labels))}"


def _problem(key: str, word: str) -> str | None:
    """What is wrong with ``word`` as the label ``key``, or None."""
    if key == DATE:
        return _date_problem(word)
    allowed = PLACEHOLDERS.get(key, frozenset())
    takes = (
        "this label takes " + " and ".join(f"{{{name}}}" for name in sorted(allowed))
        if allowed
        else "this label takes no values"
    )
    try:
        fields = [
            (name, conversion, spec)
            for _, name, spec, conversion in string.Formatter().parse(word)
            if name is not None
        ]
    except ValueError:
        return f"has a lone brace: {takes}, and a brace shown as it is is written {{{{ or }}}}"
    braces = "a brace shown as it is is written {{ or }}"
    for name, conversion, spec in fields:
        if name not in allowed:
            return f"has {{{name}}}, which make-brief does not fill in: {takes} ({braces})"
        if conversion or spec:
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            return f"has {{{written}}}: write the placeholder as {{{name}}}, nothing after its name"
    return None


#: A run of one letter in a CLDR pattern: one field ("MMMM"), or a letter that is none.
_FIELD = re.compile(r"([A-Za-z])\1*")


def _date_problem(pattern: str) -> str | None:
    """What is wrong with ``pattern`` as a CLDR date pattern (Babel's), or None.

    Babel fails on a time field of a date with an AttributeError, drops the text after a
    quote left open, and writes a letter that is no field as itself: each is refused here.
    """
    # '' is a quote shown as it is; text between single quotes is shown as written.
    parts = pattern.replace("''", "").split("'")
    if len(parts) % 2 == 0:
        return "has a quote (') that is not closed: text shown as it is goes between two"
    for part in parts[::2]:
        for match in _FIELD.finditer(part):
            field, letter = match.group(), match.group(1)
            if letter in TIME_FIELDS:
                return f"has '{field}', a time-of-day or time-zone field: a brief's date has none"
            if letter not in DATE_FIELDS:
                return (
                    f"has the letter '{letter}', which is no CLDR date field: put text shown "
                    f"as it is in single quotes ('{field}')"
                )
            lengths = DATE_FIELDS[letter]
            if lengths is not None and len(field) not in lengths:
                longest = letter * max(lengths)
                return f"has '{field}', which is no CLDR date field (at most '{longest}')"
    return None
