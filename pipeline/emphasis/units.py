"""Sentences and words of plain text, and which sentences can stand alone as a takeaway.

A rule-based splitter: it ends a sentence at ., ! or ? (with any closing quotes, brackets and
citation markers such as ``[12]``) before whitespace and a capital, digit or opening quote,
except after a known abbreviation or an initial, or inside a quotation that closes later in the
paragraph; and at the CJK full stops, which need no space. Offsets are kept so a renderer can
highlight the sentence inside the paragraph's own runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

#: Words that end in a full stop without ending a sentence (compared without the stop, lowercase).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof sr jr st mt ft vs etc e.g i.e cf al approx ca esp fig figs no nos vol
    vols pp ed eds rev gen col lt sgt capt cmdr adm maj gov sen rep pres amb hon inc ltd co corp
    dept univ jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u u.s.a p.m a.m
    op art para paras sec ch est nr bros mme mlle sra sr dra
    """.split()
)

#: An encyclopedia's inline maintenance tag: "[citation needed]", "[who?]", "[dubious – discuss]".
#: Only these words: a bracketed word inside a quotation ("committ[ing]", "[they] should") is
#: the quoting author's, and a takeaway quoting it must keep it, as it must keep "[sic]".
_MAINTENANCE_TAG = r"""(?:[a-z][a-z' -]{0,30}(?:needed|\?)|failed\ verification|dubious|disputed
    |update|needs\ update|excessive\ citations|jargon|vague|specify|quantify|irrelevant\ citation
    |not\ in\ citation\ given|self-published\ source|(?:permanent\ )?dead\ link|original\ research
    |unreliable\ source|non\ sequitur|promotional\ source)(?:\ [–-]\ discuss)?"""
#: A citation marker as encyclopedias print them: "[12]", "[a]", "[note 3]", a maintenance tag.
CITATION = (
    rf"\[(?:\d{{1,4}}|[a-z]{{1,2}}|note\ \d{{1,3}}|{_MAINTENANCE_TAG})\](?::\d+(?:[-–]\d+)?)?"
)

_BOUNDARY = re.compile(
    rf"""
    (?:
        [.!?…]+["'”’»)\]]*(?:{CITATION})*   # a stop, closing quotes or brackets, citations
        (?=\s+["'“‘«(\[]?[\w])              # then space and the start of a word
      | [.!?…]+["'”’»)\]]*(?:{CITATION})+   # after a citation marker the space may be missing
        (?=["'“‘«(]?[A-Z0-9])
      | [。！？]+[」』）]*                    # CJK stops need no space
    )
    """,
    re.VERBOSE,
)
_LAST_WORD = re.compile(r"(\S+)$")
# A company's legal form after a stop is part of its name, whatever abbreviation the stop ends:
# "May & Baker Nig. Plc", "Acme Holdings Co. Ltd.", "Dangote Cement Ind. PLC".
_COMPANY_FORM = re.compile(
    r"\s+(?:Plc|PLC|Ltd|Limited|Inc|Corp|LLC|LLP|GmbH|AG|NV|BV|SpA|S\.A|S\.p\.A|Pty|Bhd|KK)\b"
)
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_OPENING_QUOTES = "“«„"
_CLOSING_QUOTES = "”»"
_QUOTE_MARK = re.compile(f'[{_OPENING_QUOTES}{_CLOSING_QUOTES}"]')


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it sits in its paragraph's text: ``text == paragraph[start:end]``."""

    text: str
    start: int
    end: int


def _is_abbreviation(before: str) -> bool:
    match = _LAST_WORD.search(before)
    if not match:
        return False
    word = match.group(1).lstrip("\"'“‘(«[").rstrip(".").lower()
    if word in ABBREVIATIONS:
        return True
    # An initial ("J. Smith") or a dotted abbreviation ("U.S.", "e.g.") does not end a sentence.
    return (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(?:\w\.)+\w", word))


def _starts_lowercase(rest: str) -> bool:
    stripped = rest.lstrip().lstrip("\"'“‘«([")
    return bool(stripped) and stripped[0].islower()


def _quoted(text: str) -> list[bool]:
    """For each offset of ``text``, whether it lies inside a quotation that closes later.

    Curly and guillemet quotes nest; straight double quotes alternate. A paragraph whose quotes
    do not balance tells nothing reliable, so it is treated as unquoted rather than swallowed.
    """
    inside = [False] * (len(text) + 1)
    depth = 0
    straight = False
    # Only a quotation mark changes what is inside: each one's answer holds up to the next.
    marks = [m.start() for m in _QUOTE_MARK.finditer(text)]
    if not marks:
        return inside
    for at, following in zip(marks, [*marks[1:], len(text)], strict=True):
        char = text[at]
        if char in _OPENING_QUOTES:
            depth += 1
        elif char in _CLOSING_QUOTES:
            depth -= 1
        else:
            straight = not straight
        if depth < 0:
            return [False] * (len(text) + 1)
        if depth > 0 or straight:
            inside[at + 1 : following + 1] = [True] * (following - at)
    if depth or straight:
        return [False] * (len(text) + 1)
    return inside


def split_sentences(text: str) -> list[Sentence]:
    """Split a paragraph into sentences, leaving out the whitespace between them."""
    sentences: list[Sentence] = []
    start = 0
    quoted: list[bool] | None = None
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        stop = match.group().lstrip()
        if stop.startswith(".") and (
            _is_abbreviation(text[start : match.start()]) or _COMPANY_FORM.match(text, end)
        ):
            continue
        if _starts_lowercase(text[end:]):
            continue
        if quoted is None:
            quoted = _quoted(text)
        if quoted[end]:
            continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + (len(piece) - len(piece.lstrip()))
    sentences.append(Sentence(stripped, offset, offset + len(stripped)))


def word_count(text: str) -> int:
    """Words in ``text``; each CJK character counts as a word, since those scripts use no spaces."""
    return len(_WORD.findall(_CJK.sub(" ", text))) + len(_CJK.findall(text))


@cache
def _citations() -> re.Pattern[str]:
    # Compiled on first use: a build never strips citations (the label sheet does).
    return re.compile(rf"(?:{CITATION})+", re.VERBOSE)


def without_citations(text: str) -> str:
    """``text`` without its citation markers, as a reader quoting it would write it."""
    return _citations().sub("", text)


#: Shortest and longest takeaway, in words: shorter is a fragment, longer is not a key point.
TAKEAWAY_WORDS = (8, 60)
#: Why a line that stops mid-sentence cannot be a takeaway (nor a highlight).
CUT_OFF = "no terminal punctuation"
_TERMINAL = re.compile(rf"[.!?。！？]['\"”’»)\]」』）]*(?:{CITATION})*$", re.VERBOSE)
_SENTENCE_START = re.compile(r"^[\"'“‘«(\[]?[\w]")


def unfit_for_takeaway(sentence: str) -> str | None:
    """Why ``sentence`` cannot be quoted alone as a key takeaway, or None when it can.

    A takeaway is a complete sentence: it starts with a capital or a digit (not in the middle of
    a thought), ends with terminal punctuation (not a truncated line or a heading), is long
    enough to say something and short enough to read at a glance, and holds whole quotations.
    """
    words = word_count(sentence)
    if words < TAKEAWAY_WORDS[0]:
        return f"fragment: {words} words"
    if words > TAKEAWAY_WORDS[1]:
        return f"too long to quote: {words} words"
    if not _TERMINAL.search(sentence):
        return CUT_OFF
    if not _SENTENCE_START.match(sentence) or sentence.lstrip("\"'“‘«([")[:1].islower():
        return "starts mid-sentence"
    if sentence.count("“") != sentence.count("”") or sentence.count('"') % 2:
        return "part of a quotation"
    return None


# "It" that refers to nothing, standing for the clause that follows: "It is estimated that
# ...", "It was only in 1849 that ...". Such a sentence stands alone.
_DUMMY_IT = r"""
    \s+(?:is|was|has\s+been|had\s+been|remains|seems|seemed|appears|appeared)\s+
    (?:(?:widely|generally|now|also|still|not)\s+)?
    (?:(?:estimated|believed|thought|reported|said|claimed|alleged|known|argued|feared|expected|
    understood|likely|unlikely|possible|clear|unclear|evident|probable|true)\s+(?:that|whether)\b
    |(?:not\s+until|only\s+(?:in|after|during|since|when|until|then)
      |(?:in|by|after|during|since|until)\s+(?:the\s+)?(?:\d{4}s?|\d{1,2}(?:st|nd|rd|th)\s+century)
      )\b[^,.;]{0,60}?\bthat\b)
"""
# "The former" and "the latter" stand for something named before only when no noun follows
# them: "the former's entry", "the latter was", not "the former Soviet republic" or "the former
# chief of operations".
_FORMER = r"""the\s+(?:latter|former)(?=['’]s\b|\s*[,.;:)]|\s*$|\s+(?:is|was|are|were|has|had|
    have|would|will|could|can|may|might|should|must|also|did|does|do|became|becomes|remains|
    remained|then|and|or|as|than|who|which|in|of|with|to|by|for|being|not|still|only)\b)"""
# What a sentence opens with when it leans on the one before: a connective that answers it, or a
# pronoun or demonstrative whose referent is there. Keyed by primary language; a language not
# listed gets no such check (every sentence counts as standing alone).
_LEANING_OPENERS = {
    "en": rf"""
        however|but|and|or|nor|yet|so|also|moreover|furthermore|additionally|besides|still|
        thus|hence|therefore|consequently|accordingly|meanwhile|nevertheless|nonetheless|
        instead|otherwise|similarly|likewise|conversely|then|thereafter|afterwards|later|
        subsequently|finally|lastly|indeed|namely|overall|again|too|
        notably|most\s+notably|in\s+particular|particularly|specifically|especially|
        above\s+all|for\s+example|for\s+instance|
        in\s+addition|as\s+such|
        as\s+a\s+result(?!\s+of\s+(?!(?:this|that|these|those|it|which|such)\b))|in\s+turn|in\s+contrast|
        in\s+response(?!\s+to\s+(?:the\s+)?(?:\d|(?-i:[A-Z])))|
        by\s+contrast|on\s+the\s+other\s+hand|at\s+the\s+same\s+time|despite\s+this|
        because\s+of\s+this|for\s+this\s+reason|in\s+this|to\s+this\s+end|after\s+this|
        even\s+so|other|another|both|either|neither|such|same|
        this|these|that|those|it(?!{_DUMMY_IT})|its|they|them|their|theirs|he|him|his|she|her|
        hers|we|our|
        there(?!\s+(?:is|are|was|were|have|has|had)\b)|here|
        {_FORMER}|the\s+(?:same|above|following|subsequent)|the\s+(?:remainder|rest)(?!\s+of\b)|
        the\s+(?:meeting|initiative|move|decision|deal|incident|event|announcement|statement|
        visit|proposal|measure|report|study|survey)(?!\s+(?:of|by|on|from|for|into)\b)|
        (?:(?:a|an|\w+|a\s+few)\s+)?(?:minutes|hours|days|weeks|months|years|decades)\s+
        (?:later|afterwards|after\s+(?:this|that))|
        shortly\s+(?:afterwards|thereafter)|soon\s+(?:afterwards|after)(?=,)|
        at\s+(?:that|the)\s+time|by\s+then|since\s+then|until\s+then
    """,
    "fr": r"""
        cependant|mais|et|ou|donc|ainsi|aussi|toutefois|néanmoins|pourtant|en\s+outre|de\s+plus|
        par\s+ailleurs|enfin|puis|ensuite|ce|cette|ces|cela|ceci|il|elle|ils|elles|leur|leurs
    """,
    "es": r"""
        sin\s+embargo|pero|y|o|así|además|también|por\s+lo\s+tanto|no\s+obstante|luego|
        finalmente|esto|esta|este|estos|estas|eso|ello|él|ella|ellos|ellas|su|sus
    """,
    "de": r"""
        aber|und|oder|jedoch|doch|also|außerdem|zudem|deshalb|daher|dennoch|trotzdem|dann|
        schließlich|dies|diese|dieser|dieses|es|er|sie|ihr|ihre|sein|seine
    """,
}


@cache
def _leaning_opener(lang: str) -> re.Pattern[str] | None:
    """The pattern of ``lang``'s leaning openers (a primary language), or None when it has none.

    Compiled on first use, for the one language an article is in: the English pattern alone
    takes some 14 ms to compile, and all four together 20.
    """
    pattern = _LEANING_OPENERS.get(lang)
    if pattern is None:
        return None
    return re.compile(rf"^[\"'“‘«(]?(?:{pattern})(?![\w’'-])", re.IGNORECASE | re.VERBOSE)


# Anywhere in an English sentence's first words: "Chief among these issues", "Despite such
# efforts", "the latter", and a count that adds to one given before ("Five more soldiers were
# killed", "By evening, two more villages ...").
@cache
def _back_reference() -> re.Pattern[str]:
    # Compiled on first use: only English sentences are searched with it.
    return re.compile(
        rf"^(?:\S+\s+){{0,3}}?(?:(?:these|those)(?=[\s,;:])|such\s(?!as\b))|\b{_FORMER}"
        r"|^(?:\S+\s+){0,7}?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
        r"several|many|a\s+few|dozens|hundreds|thousands)\s+more\b(?!\s+than\b)",
        re.IGNORECASE | re.VERBOSE,
    )


def leans_on_previous(sentence: str, lang: str) -> str | None:
    """The words by which ``sentence`` needs the one before it, or None when it stands alone."""
    pattern = _leaning_opener(lang.split("-")[0].lower())
    if pattern is None:
        return None
    match = pattern.match(sentence)
    if match:
        return match.group().lstrip("\"'“‘«(")
    back = _back_reference().search(sentence) if lang.split("-")[0].lower() == "en" else None
    return back.group().strip() if back else None
