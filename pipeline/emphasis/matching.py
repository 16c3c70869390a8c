"""Finding a focus's keywords in text: whole words, plurals and possessives, phrases, names.

A keyword matches whole words, case-insensitively, with plural and possessive endings
("sanction" finds "sanctions" and "sanction's"); a trailing ``*`` matches any ending; a keyword in
capitals (``UN``, ``NATO``) matches only in capitals. :func:`matcher` compiles a focus's keywords
into one factored pattern per case rule.

On top of the raw matches, :meth:`Matcher.hits` knows two things a word count does not. A keyword
written in lowercase does not count inside a capitalised name of several words, unless it ends
the name and so says what the name is: "people" in "People's Republic", "human rights" in "Human
Rights Watch" and "peace" in "Nobel Peace Prize" do not count, "war" in "the Korean War" does;
nor does what a name works for or against ("border" in "Doctors Without Borders"), nor an
office's portfolio ("defence" in "the Minister of Defence", "armed forces" in "the
Ministry of Armed Forces"): what an office says is not force. A
keyword the focus writes with capitals ("Security Council") is itself a name and counts. And a
focus's ``exclude`` phrases cancel the keywords inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

_Trie = dict[str, "_Trie"]


#: What ends a keyword's pattern: its plural and possessive endings, or a wildcard's.
_ENDING = r"(?:e?s)?(?:['\u2019]s?)?"
_WILDCARD = r"\w*"
_ENDINGS = (_ENDING, _WILDCARD)


def _keyword_atoms(keyword: str) -> list[str]:
    """A keyword as a sequence of regex pieces: its characters, the gaps of a phrase, an ending."""
    stem, wildcard = (keyword[:-1], True) if keyword.endswith("*") else (keyword, False)
    atoms: list[str] = []
    for word in stem.split():
        if atoms:
            atoms.append(r"[\s\-]+")
        atoms.extend(re.escape(char) for char in word)
    # Plurals and possessives are the same idea: "sanction" finds "sanctions" and "sanction's".
    atoms.append(_WILDCARD if wildcard else _ENDING)
    return atoms


def _alternation(keywords: list[list[str]]) -> str:
    """One regex trying ``keywords`` in order, with shared beginnings factored out (a trie).

    A plain alternation makes the regex engine try every keyword at every word; factored, it
    tries "h" once for "human", "human rights" and "humanitarian". A keyword that ends where a
    longer one goes on is still tried after it, so the longest keyword wins as before.

    Where every keyword below a branch ends alike, the ending is written once after the branch:
    ``(?:a|b)e`` tries what ``(?:ae|be)`` tries, in the same order, so every match is the same.
    The ending was half of each keyword's pattern; a focus's pattern now compiles in about a
    third of the time (it cost a cold build about 20 ms a focus).
    """
    root: _Trie = {}
    for atoms in keywords:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: _Trie) -> tuple[str, str | None]:
        """The pattern of ``node``'s keywords, and the ending they all share, left out of the
        pattern; or the whole pattern and None, when their endings differ."""
        options: list[tuple[str, str | None]] = []
        for atom, child in node.items():
            if atom in _ENDINGS:
                # A keyword's last atom: "" is all that follows it.
                options.append(("", atom))
                continue
            # Most nodes lead on to one atom only: those are written out here, in a row.
            row = [atom]
            while len(child) == 1:
                ((after, grandchild),) = child.items()
                if after in _ENDINGS:
                    break
                row.append(after)
                child = grandchild
            rest, ending = emit(child)
            options.append(("".join(row) + rest, ending))
        first = options[0][1]
        if first is not None and all(ending == first for _, ending in options):
            return _either([pattern for pattern, _ in options]), first
        return _either([pattern + (ending or "") for pattern, ending in options]), None

    pattern, ending = emit(root)
    return pattern + (ending or "")


def _either(options: list[str]) -> str:
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


def _is_acronym(keyword: str) -> bool:
    letters = keyword.replace(" ", "")
    return len(letters) > 1 and letters.isupper()


def _is_name(keyword: str) -> bool:
    """A keyword the focus writes with a capital is a name, and counts inside names."""
    return any(char.isupper() for char in keyword)


def _compile(keywords: list[str], flags: int) -> re.Pattern[str] | None:
    if not keywords:
        return None
    trie = _alternation([_keyword_atoms(k) for k in keywords])
    return re.compile(r"(?<!\w)(?:" + trie + r")(?!\w)", flags)


# A capitalised word, and the small words that may sit inside a name ("Bank of England",
# "Ministry for Foreign Affairs", "Front de libération"). A name is two or more capitalised words
# with only such small words between them.
_CAPITALISED = r"[A-Z\u00c0-\u00de][\w'’\-]*"
_CONNECTOR = r"(?:of|the|and|for|on|in|de|du|des|la|le|del|al|el|da|di|von|van)"
_NAME = re.compile(rf"(?<![\w'’]){_CAPITALISED}(?:\s+(?:{_CONNECTOR}\s+)*{_CAPITALISED})+")
# A government office named by its portfolio: "Ministry of Defence", "Minister for Refugees",
# "Department of Homeland Security", "Secretary of State for Defence".
_OFFICE = re.compile(
    r"(?:Ministry|Ministries|Minister|Ministers|Department|Secretary|Bureau|Directorate)"
    r"\s+(?:of|for)\s"
)


# A name whose words after "for", "without" or "against" say what it works for or against:
# Doctors Without Borders is not a border, nor Physicians for Human Rights human rights.
_PURPOSE = re.compile(r"\s(?:for|without|against)\s", re.IGNORECASE)


def _purpose(text: str, start: int, keyword: int) -> bool:
    """Whether the keyword at ``keyword`` follows a purpose word of the name at ``start``."""
    return _PURPOSE.search(text, start, keyword) is not None


def _office(text: str, start: int, keyword: int) -> bool:
    """Whether the name starting at ``start`` is an office's and the keyword at ``keyword``
    names its portfolio."""
    return _OFFICE.search(text, start, keyword) is not None


#: Languages that capitalise every noun, where capitals do not mark names.
_NOUNS_CAPITALISED = frozenset({"de", "lb"})


_FIRST_WORD = re.compile(rf"{_CAPITALISED}\s+(?:{_CONNECTOR}\s+)+")
# A small word opening a sentence is capitalised for that alone: "The Human Rights Watch office".
_SMALL_FIRST_WORD = re.compile(
    r"(?:The|A|An|In|On|At|For|By|With|From|To|Of|As|After|Before|During|Since|Under|When|While|"
    r"This|That|These|Those|Its|Their|His|Her|Our|Both|Each|Every|Some|Many|Most)\s+"
)


# Every focus asks for the same sentences' names: they are found once per sentence.
@lru_cache(maxsize=4096)
def name_spans(text: str, lang: str = "en") -> tuple[tuple[int, int], ...]:
    """Where ``text`` has a capitalised name of several words, as [start, end) offsets.

    A sentence's first word is capitalised anyway: it belongs to a name only when the next word
    is capitalised too ("Human Rights Watch said"), not across a small word ("During the Korean
    War" names the Korean War), and not when it is a small word itself ("The Human Rights Watch
    office" names Human Rights Watch).
    """
    if lang.split("-")[0].lower() in _NOUNS_CAPITALISED:
        return ()
    spans = []
    for match in _NAME.finditer(text):
        start, end = match.span()
        if not text[:start].strip("\"'“‘«([ "):
            first = _FIRST_WORD.match(text, start) or _SMALL_FIRST_WORD.match(text, start)
            if first:
                start = first.end()
                if not _NAME.fullmatch(text, start, end):
                    continue
        spans.append((start, end))
    return tuple(spans)


@dataclass(frozen=True)
class Hit:
    """A keyword found in a text, and whether it counts."""

    keyword: str
    start: int
    end: int
    #: Why the hit does not count ("in the name 'Human Rights Watch'"), or "" when it does.
    ignored: str = ""


# Gaps between the words of a phrase, as a phrase's pattern allows them.
_GAPS = re.compile(r"[\s\-]+")


def _start(text: str) -> str:
    """How a keyword's stem, or a text it may match, begins once case and the gaps between
    words no longer count: a keyword can match a text only if the text begins as it does."""
    return _GAPS.sub(" ", text.casefold())


@cache
def _single(keyword: str) -> re.Pattern[str]:
    """One keyword's own pattern, compiled the first time a match may be this keyword's.

    A focus has hundreds of keywords and a match is one of a few; compiling them all up front
    cost a build over 100 ms."""
    return re.compile("".join(_keyword_atoms(keyword)), 0 if _is_acronym(keyword) else re.I)


@dataclass(frozen=True)
class Matcher:
    """Compiled keyword patterns of one focus."""

    folded: re.Pattern[str] | None
    exact: re.Pattern[str] | None
    #: The keywords, longest first, each with how its stem begins (see :func:`_start`), to tell
    #: which keyword a match is.
    singles: tuple[tuple[str, str], ...] = ()
    excluded: re.Pattern[str] | None = None

    def score(self, text: str) -> float:
        """Sum of the weights of keyword hits in ``text`` (a phrase of n words weighs n)."""
        total = 0.0
        for pattern in (self.folded, self.exact):
            if pattern is not None:
                total += sum(len(m.group().split()) for m in pattern.finditer(text))
        return total

    @cached_property
    def _by_initial(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """``singles`` by the first character of their stems, each group in their order; a
        stem-less keyword, which any text begins as, in every group and under ""."""
        initials = {stem[:1] for _, stem in self.singles}
        return {c: tuple(s for s in self.singles if s[1][:1] in (c, "")) for c in initials | {""}}

    def keyword_of(self, found: str) -> str:
        """The keyword whose pattern matched ``found``: the first, longest first, that matches
        it whole (only those whose stem ``found`` begins with are tried: a focus has hundreds
        of keywords, and a match starts as a few of them do)."""
        start = _start(found)
        groups = self._by_initial
        for keyword, stem in groups.get(start[:1], groups[""]):
            if start.startswith(stem) and _single(keyword).fullmatch(found):
                return keyword
        return found

    def excluded_spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` has one of the focus's excluded phrases, as [start, end) offsets."""
        return [m.span() for m in self.excluded.finditer(text)] if self.excluded else []

    def hits(self, text: str, lang: str = "en", names: bool = True) -> list[Hit]:
        """Every keyword in ``text``, in order, each marked with why it does not count, if so.

        ``names=False`` treats capitals as meaningless, as in a heading set in title case.
        """
        found = [
            (m.start(), m.end(), self.keyword_of(m.group()))
            for pattern in (self.folded, self.exact)
            if pattern is not None
            for m in pattern.finditer(text)
        ]
        if not found:
            return []
        found.sort()
        spans = name_spans(text, lang) if names else ()
        excluded = self.excluded_spans(text)
        hits = []
        for start, end, keyword in found:
            reason = ""
            for a, b in excluded:
                if a <= start and end <= b:
                    reason = f"in the excluded phrase '{text[a:b]}'"
                    break
            if not reason and not _is_name(keyword) and text[start].isupper():
                for a, b in spans:
                    # The last word of a name says what it names: the Korean War is a war, but
                    # Human Rights Watch is not human rights, nor the Peace Prize peace; nor is
                    # an office's portfolio what the office does ("Ministry of Armed Forces").
                    if (
                        a <= start
                        and end <= b
                        and (end < b or _office(text, a, start) or _purpose(text, a, start))
                    ):
                        reason = f"in the name '{text[a:b]}'"
                        break
            hits.append(Hit(keyword, start, end, reason))
        return hits


@cache
def matcher(keywords: tuple[str, ...], exclude: tuple[str, ...] = ()) -> Matcher:
    """One pattern per case rule, longest keywords first so phrases win over their words, and
    a word before a wildcard of the same length or shorter ("military" before "militar*"), so
    that the word the focus wrote out counts as itself, at its own weight."""
    ordered = sorted(set(keywords), key=lambda k: (-len(k.rstrip("*")), k.endswith("*"), k))
    singles = tuple((k, _start(k[:-1] if k.endswith("*") else k)) for k in ordered)
    return Matcher(
        _compile([k for k in ordered if not _is_acronym(k)], re.IGNORECASE),
        _compile([k for k in ordered if _is_acronym(k)], 0),
        singles,
        _compile(sorted(set(exclude), key=lambda k: (-len(k), k)), re.IGNORECASE),
    )
