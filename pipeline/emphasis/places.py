"""Which countries a sentence names: a sentence naming two or more relates states to one another.

"Turkey is widely considered Azerbaijan's main supporter" holds no keyword of regional impact,
yet it is what that focus is about. A focus that sets ``countries:`` in ``focuses.yaml`` counts
such a sentence as one keyword of that weight (see :mod:`pipeline.emphasis.scoring`).

Countries are found by name: CLDR's names for them in the article's language and in English
(babel's territory names, so a French article's "Allemagne" and "Russie" count), and, in
English, the short and former names and the adjectives of ``country-names.txt`` ("Azerbaijani
forces", "the Soviet Union"). A name is matched whole and in its own capitals (in a script
without capitals, as written); the longest name wins where two overlap ("Guinea-Bissau" is one
country, not Guinea and another), and a region or place that holds a country's name ("Latin
America", "New Mexico") is matched as itself and names none. A name that is as often a
person's or a river's ("Jordan", "Chad", "Niger") counts only standing apart from other
capitalised words: "Michael Jordan" and "the Niger River" name no country. In scripts written
without spaces (Chinese, Japanese, Thai) and in Korean, whose particles join the noun, a name is
found inside words. In a language that inflects names, a word that is a name of one word in the
article's language with a short ending added ("Deutschlands", "с Китаем", "Venäjältä") names
its country; in Arabic and Hebrew, so does a name behind the letters of "and", "in", "to"
("والصين", "בישראל"). Where the inflection changes the name itself (the adjective "российский")
it is missed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

#: Territory codes of CLDR that are not one country: the European Union, the eurozone, the United
#: Nations, "Outlying Oceania", "Unknown Region" and CLDR's pseudo-locales.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
_NAMES = Path(__file__).with_name("country-names.txt")
_WORD = re.compile(r"[^\W\d_]+")
#: Scripts written without spaces between words (or with particles glued to nouns, as Korean
#: is), from CJK radicals on, and Thai, Lao, Myanmar and Khmer: their names are found inside
#: words, not as words.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\ud7ff\uf900-\ufaff]")
#: What a name that is not a country maps to: a region ("Latin America") or a place named after
#: a country ("New Mexico", "the Gulf of Mexico"), matched so that the country in it is not.
_NOT_A_COUNTRY = ""
#: Languages that add endings to names, with the longest ending that still names the country:
#: long enough for a case ending ("Китаем", "Oroszországban"), short enough that a compound
#: ("Deutschlandfunk") or another word does not.
_ENDINGS = {
    "de": 2,
    "nl": 1,
    "sv": 1,
    "da": 1,
    "nb": 1,
    "no": 1,
    "nn": 1,
    "is": 2,
    "ru": 3,
    "uk": 3,
    "be": 3,
    "pl": 3,
    "cs": 3,
    "sk": 3,
    "sl": 3,
    "hr": 3,
    "sr": 3,
    "bs": 3,
    "bg": 2,
    "lt": 3,
    "lv": 3,
    "fi": 4,
    "et": 3,
    "hu": 4,
    "el": 2,
    "ro": 3,
}
#: A final vowel that an ending replaces ("Россия" -> "России", "Venäjä" -> "Venäjän").
_STEM_VOWELS = "aeiouyäöüåáéíóúýąęěůаеёиоуыэюяйьъαεηιουω"
#: A stem shorter than this is matched only as written: "Mali" is no stem of "Malinowski".
_SHORTEST_STEM = 4
#: The one-letter words Arabic and Hebrew write joined to the next: "and", "so", "in", "for",
#: "as", "from", "that", "the" (Hebrew's ה; Arabic's ال is part of the names CLDR writes).
_PREFIX_LETTERS = {"ar": ("وف", "بلك"), "fa": ("و", "ب"), "ur": ("و", "ب"), "he": ("ו", "במלכשה")}


@dataclass(frozen=True)
class _Names:
    """The names of one language: by their words, and those of unspaced scripts as text."""

    words: dict[tuple[str, ...], str]
    longest: int
    #: Names in unspaced scripts, longest first, each with its code.
    unspaced: tuple[tuple[str, str], ...]
    #: Names that are also a person's or a place's (the "?" line of ``country-names.txt``).
    ambiguous: frozenset[tuple[str, ...]] = frozenset()
    #: One-word names of the article's language without a final vowel, each with its code, and
    #: how long an ending may follow them: empty for a language that does not inflect names.
    stems: dict[str, str] = field(default_factory=dict)
    ending: int = 0
    #: The letters a word may carry before a name (Arabic, Hebrew): those of the first group,
    #: then those of the second, each at most once.
    prefixes: tuple[str, ...] = ()
    #: The first word of every name in ``words``.
    starts: frozenset[str] = frozenset()


@lru_cache(maxsize=8)
def _names(lang: str) -> _Names:
    """Each name of a country in ``lang`` and English, with the code of the country it names."""
    from babel import Locale, UnknownLocaleError

    words: dict[tuple[str, ...], str] = {}
    unspaced: dict[str, str] = {}
    ambiguous: set[tuple[str, ...]] = set()

    def add(name: str, code: str) -> None:
        # CLDR writes "Bosnia & Herzegovina" and "Myanmar (Burma)"; texts write "and", and
        # either name of the second alone.
        name = name.replace("&", "and")
        base, _, other = name.partition("(")
        for variant in (name, base, other.rstrip(")")):
            variant = variant.strip()
            if _UNSPACED.search(variant):
                unspaced.setdefault(variant, code)
            elif found := tuple(_WORD.findall(variant)):
                words.setdefault(found, code)

    for line in _NAMES.read_text(encoding="utf-8").splitlines():
        code, _, rest = line.partition(":")
        if line.startswith("#") or not rest:
            continue
        code = code.strip()
        if code == "?":
            ambiguous.update(tuple(_WORD.findall(name)) for name in rest.split(","))
            continue
        for name in rest.split(","):
            add(name.strip(), _NOT_A_COUNTRY if code == "-" else code)
    stems: dict[str, str] = {}
    ending = _ENDINGS.get(lang, 0)
    for tag in dict.fromkeys((lang, "en")):
        try:
            territories = Locale.parse(tag).territories
        except (UnknownLocaleError, ValueError):
            continue
        for code, name in territories.items():
            country = len(code) == 2 and code not in _NOT_COUNTRIES
            add(name, code if country else _NOT_A_COUNTRY)
            if ending and tag == lang and country and len(found := _WORD.findall(name)) == 1:
                word = found[0]
                stem = word[:-1] if word[-1] in _STEM_VOWELS else word
                if len(stem) >= _SHORTEST_STEM:
                    stems.setdefault(stem, code)
    return _Names(
        words,
        max((len(w) for w in words), default=1),
        tuple(sorted(unspaced.items(), key=lambda item: (-len(item[0]), item[0]))),
        frozenset(ambiguous),
        stems,
        ending,
        _PREFIX_LETTERS.get(lang, ()),
        frozenset(name[0] for name in words),
    )


def countries_named(
    text: str, lang: str = "en", skip: Sequence[tuple[int, int]] = (), title: bool = False
) -> frozenset[str]:
    """The codes of the countries ``text`` names, leaving out names inside the ``skip`` spans
    (a focus's excluded phrases). A ``title`` capitalises every word ("Niger Coup Leaders
    Expel French Troops"), so there a name that is also a person's counts wherever it is."""
    names = _names((lang or "en").split("-")[0].lower())
    taken = list(skip)
    found: set[str] = set()
    tokens = list(_WORD.finditer(text))
    words = [token.group() for token in tokens]
    i = 0
    while i < len(tokens):
        # A name is written with its capitals; a script without capitals has none to check.
        if words[i][:1].islower():
            i += 1
            continue
        # Most capitalised words ("The", "President") start no name, and a name is only looked
        # up, at every length it could have, from a word that starts one.
        longest = min(names.longest, len(tokens) - i) if words[i] in names.starts else 0
        for size in range(longest, 0, -1):
            written = tuple(words[i : i + size])
            code = names.words.get(written)
            if code is not None:
                span = (tokens[i].start(), tokens[i + size - 1].end())
                if not _inside(span, taken) and not (
                    written in names.ambiguous
                    and not title
                    and _in_longer_name(text, tokens, i, i + size)
                ):
                    found.add(code)
                i += size
                break
        else:
            code = _inflected(words[i], names)
            if code is not None and not _inside(tokens[i].span(), taken):
                found.add(code)
            i += 1
    for name, code in names.unspaced if _UNSPACED.search(text) else ():
        at = text.find(name)
        while at >= 0:
            span = (at, at + len(name))
            if not any(a < span[1] and span[0] < b for a, b in taken):
                found.add(code)
                taken.append(span)
            at = text.find(name, at + len(name))
    found.discard(_NOT_A_COUNTRY)
    return frozenset(found)


def _inflected(word: str, names: _Names) -> str | None:
    """The code of the country that ``word`` names with an ending or behind prefix letters, or
    None: "Китаем" (Китай), "Deutschlands", "والصين" (الصين), "בישראל" (ישראל)."""
    for longest in range(len(word) - 1, max(len(word) - names.ending, _SHORTEST_STEM) - 1, -1):
        code = names.stems.get(word[:longest])
        if code is not None:
            return code
    if not names.prefixes:
        return None
    rest = word
    for letters in names.prefixes:
        if rest[:1] in letters and len(rest) > 2:
            rest = rest[1:]
            if (code := names.words.get((rest,))) is not None:
                return code
            # Arabic writes "to the" as لل: "للصين" is "to" and "الصين".
            if word[:1] in "ل" or rest[:1] == "ل":
                code = names.words.get(("ا" + rest,))
                if code is not None:
                    return code
    return None


def _inside(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


#: Capitalised words that open a sentence or a phrase without being part of a name ("In
#: Jordan", "The Niger junta", "Au Niger", "El Chad"), in the languages that write these names.
_NOT_NAME_WORDS = frozenset(
    "A An And As At Before Both By During Each Every For From In Into Its Of On Since That The "
    "Their These This Those Through To Under When While With Within "
    "Au Aux Dans De Du En La Le Les Pour Sur Un Une "
    "Al Con Del El Las Los Para Por Una".split()
)


def _in_longer_name(text: str, tokens: Sequence[re.Match[str]], start: int, end: int) -> bool:
    """Whether the words ``tokens[start:end]`` sit in a longer capitalised name: a capitalised
    word right before or after them, with only spaces between ("Michael Jordan", "Niger River"),
    that is not a small word opening the phrase ("In Jordan", "The Niger junta")."""
    before = tokens[start - 1] if start > 0 else None
    after = tokens[end] if end < len(tokens) else None
    return bool(
        before is not None
        and before.group()[:1].isupper()
        and before.group() not in _NOT_NAME_WORDS
        and not text[before.end() : tokens[start].start()].strip()
    ) or bool(
        after is not None
        and after.group()[:1].isupper()
        and after.group() not in _NOT_NAME_WORDS
        and not text[tokens[end - 1].end() : after.start()].strip()
    )


def country_name(code: str) -> str:
    """CLDR's English name of the country ``code``, or the code when CLDR has none."""
    from babel import Locale

    return str(Locale.parse("en").territories.get(code, code))
