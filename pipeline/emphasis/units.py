"""Sentences and words of plain text.

A small rule-based splitter: it ends a sentence at ., ! or ? (with any closing quotes or
brackets) before whitespace and a capital, digit or opening quote, except after a known
abbreviation or an initial; and at the CJK full stops, which need no space. Offsets are kept so a
renderer can highlight the sentence inside the paragraph's own runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that end in a full stop without ending a sentence (compared without the stop, lowercase).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof sr jr st mt ft vs etc e.g i.e cf al approx ca esp fig figs no nos vol
    vols pp ed eds rev gen col lt sgt capt cmdr adm maj gov sen rep pres amb hon inc ltd co corp
    dept univ jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u u.s.a p.m a.m
    """.split()
)

_BOUNDARY = re.compile(
    r"""
    (?:
        [.!?…]+["'”’»)\]]*          # a stop, then any closing quotes or brackets
        (?=\s+["'“‘«(\[]?[\w])      # then space and the start of a word
      | [。！？]+[」』）]*           # CJK stops need no space
    )
    """,
    re.VERBOSE,
)
_LAST_WORD = re.compile(r"(\S+)$")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


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


def split_sentences(text: str) -> list[Sentence]:
    """Split a paragraph into sentences, leaving out the whitespace between them."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        stop = match.group().lstrip()
        if stop.startswith(".") and _is_abbreviation(text[start : match.start()]):
            continue
        if _starts_lowercase(text[end:]):
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
