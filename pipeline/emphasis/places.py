"""Which countries a sentence names: a sentence naming two or more relates states to one another.

"Turkey is widely considered Azerbaijan's main supporter" holds no keyword of regional impact,
yet it is what that focus is about. A focus that sets ``countries:`` in ``focuses.yaml`` counts
such a sentence as one keyword of that weight (see :mod:`pipeline.emphasis.scoring`).

Countries are found by name: CLDR's names for them in the article's language and in English
(babel's territory names, so a French article's "Allemagne" and "Russie" count), and, in
English, the short and former names and the adjectives of ``country-names.txt`` ("Azerbaijani
forces", "the Soviet Union"). A name is matched whole and in its own capitals; the longest name
wins where two overlap ("Guinea-Bissau" is one country, not Guinea and another).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

#: Territory codes of CLDR that are not one country: the European Union, the eurozone, the United
#: Nations, "Outlying Oceania", "Unknown Region" and CLDR's pseudo-locales.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
_NAMES = Path(__file__).with_name("country-names.txt")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=8)
def _names(lang: str) -> dict[tuple[str, ...], str]:
    """Each name, as its words, with the code of the country it names."""
    from babel import Locale, UnknownLocaleError

    names: dict[tuple[str, ...], str] = {}

    def add(name: str, code: str) -> None:
        # CLDR writes "Bosnia & Herzegovina" and "Myanmar (Burma)"; texts write "and", and
        # either name of the second alone.
        name = name.replace("&", "and")
        base, _, other = name.partition("(")
        for variant in (name, base, other.rstrip(")")):
            words = tuple(_WORD.findall(variant))
            if words:
                names.setdefault(words, code)

    for tag in dict.fromkeys((lang, "en")):
        try:
            territories = Locale.parse(tag).territories
        except (UnknownLocaleError, ValueError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code not in _NOT_COUNTRIES:
                add(name, code)
    for line in _NAMES.read_text(encoding="utf-8").splitlines():
        code, _, rest = line.partition(":")
        if line.startswith("#") or not rest:
            continue
        for name in rest.split(","):
            add(name.strip(), code.strip())
    return names


@lru_cache(maxsize=8)
def _longest(lang: str) -> int:
    return max((len(words) for words in _names(lang)), default=1)


def countries_named(text: str, lang: str = "en") -> frozenset[str]:
    """The codes of the countries ``text`` names."""
    language = (lang or "en").split("-")[0].lower()
    names, longest = _names(language), _longest(language)
    words = _WORD.findall(text)
    found: set[str] = set()
    i = 0
    while i < len(words):
        if not words[i][:1].isupper():
            i += 1
            continue
        for size in range(min(longest, len(words) - i), 0, -1):
            code = names.get(tuple(words[i : i + size]))
            if code is not None:
                found.add(code)
                i += size
                break
        else:
            i += 1
    return frozenset(found)
