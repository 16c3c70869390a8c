"""Byline and date lines, in English, French, Spanish and German.

"By Jane Doe | March 3, 2024", "Par Jean Dupont", "Publié le 1er juin 2023", "Por María García",
"12 de junio de 2023", "Von Hans Müller", "12. März 2024", "05.11.2023": a line is a byline or
date line when, once the name and the date are taken out, only filler words are left
("posted", "publié le", "veröffentlicht am", separators). Month and weekday names are Babel's
(the CLDR's), with and without their accents. A numeric date is read day first when it has
dots or its first number cannot be a month, month first when its second cannot be, and is
not guessed at when either reading works ("03/04/2024").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

#: The languages whose bylines, month and weekday names are known.
LANGUAGES = ("en", "fr", "es", "de")
#: The word before an author's name, in each language.
_BY = r"(?:by|par|por|von)"
#: What may follow a name in a byline: the end, a separator, a date's lead-in, or a date that
#: starts with its day (a page's name and <time> side by side: "By Ana Ruiz 5 March 2024").
_AFTER_NAME = (
    r"(?=\s*(?:$|[|,·•/\u2013—-]|\s+(?:on|le|el|am)\b|\s+\d"
    r"|\s+(?:posted|published|updated|publié|publicado|actualizado|veröffentlicht)\b))"
)
_NAME_WORD = r"[^\W\d_][\w.'\u2019-]*"
_BYLINE = re.compile(
    rf"(?:\b(?:written|écrit|escrito|geschrieben)\s+)?\b{_BY}\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}?){_AFTER_NAME}",
    re.IGNORECASE,
)
#: What may remain of a byline or date line once the name and date are taken out.
_FILLER_WORDS = r"""posted published updated last on date at
    publié publiée mis à jour le la du
    publicado publicada actualizado actualizada el de del
    veröffentlicht aktualisiert am um zuletzt"""


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def _names() -> tuple[dict[str, int], frozenset[str]]:
    """Month names and abbreviations -> month number; weekday names. From Babel's CLDR data."""
    from babel.dates import get_day_names, get_month_names

    months: dict[str, int] = {}
    days: set[str] = set()
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, lang).items():
                    for form in {
                        name.lower().rstrip("."),
                        _strip_accents(name.lower()).rstrip("."),
                    }:
                        months.setdefault(form, int(number))
                for name in get_day_names(width, context, lang).values():
                    days.update({name.lower().rstrip("."), _strip_accents(name.lower())})
    months.update({"sept": 9, "setiembre": 9, "jänner": 1})
    return months, frozenset(days)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    months, days = _names()
    month = "(?:" + "|".join(sorted(map(re.escape, months), key=len, reverse=True)) + r")\.?"
    day = r"\d{1,2}(?:st|nd|rd|th|er|\.|º)?"
    date = re.compile(
        rf"(?:(?P<m1>{month})\s+(?P<d1>{day}),?\s+(?P<y1>\d{{4}})"
        rf"|(?P<d2>{day})\s+(?:de\s+)?(?P<m2>{month}),?\s+(?:de\s+|del\s+)?(?P<y2>\d{{4}})"
        r"|(?P<iso>\d{4}-\d{2}-\d{2})"
        r"|(?P<y3>\d{4})/(?P<n3>\d{1,2})/(?P<n4>\d{1,2})"
        r"|(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y4>\d{4}))(?!\d)",
        re.IGNORECASE,
    )
    weekdays = "|".join(sorted(map(re.escape, days), key=len, reverse=True))
    filler = re.compile(
        rf"\b(?:{'|'.join(_FILLER_WORDS.split())}|{weekdays})\b\.?"
        r"|\d+\s+min(?:ute)?s?\s+(?:read|de\s+lecture|de\s+lectura|lesezeit)"
        r"|[|,·•/:\u2013—-]",
        re.IGNORECASE,
    )
    return date, filler


@dataclass(frozen=True)
class MetaLine:
    """What a byline or date line says."""

    #: The author's name, "" when the line names none.
    name: str
    #: The date, None when there is none or it is ambiguous.
    date: dt.date | None
    #: A numeric date that reads as two dates ("03/04/2024"); "" when there is none.
    ambiguous: str = ""


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


def _date(match: re.Match[str]) -> tuple[dt.date | None, str]:
    months, _ = _names()
    group = match.group
    try:
        if group("iso"):
            return dt.date.fromisoformat(group("iso")), ""
        if group("y3"):
            return dt.date(int(group("y3")), int(group("n3")), int(group("n4"))), ""
        if group("y4"):
            a, b, year = int(group("a")), int(group("b")), int(group("y4"))
            if group("sep") == "." or a > 12:
                return dt.date(year, b, a), ""
            if b > 12 or a == b:
                return dt.date(year, a, b), ""
            return None, match.group(0)
        name = (group("m1") or group("m2")).lower().rstrip(".")
        day = _day(group("d1") or group("d2"))
        return dt.date(int(group("y1") or group("y2")), months[name], day), ""
    except ValueError:
        return None, ""


def read_meta_line(text: str) -> MetaLine | None:
    """The name and date of a byline or date line; None when the line is something else."""
    date_pattern, filler = _patterns()
    byline = _BYLINE.search(text)
    dated = date_pattern.search(text)
    if not (byline or dated):
        return None
    rest = text
    for match in (byline, dated):
        if match:
            rest = rest.replace(match.group(0), " ")
    if filler.sub(" ", rest).strip():
        return None
    date, ambiguous = _date(dated) if dated else (None, "")
    return MetaLine(byline.group("name").strip() if byline else "", date, ambiguous)
