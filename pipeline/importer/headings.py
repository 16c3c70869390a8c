"""What a heading line looks like in plain text: short, with no closing punctuation.

The plain-text reader uses these rules to tell a Markdown heading from a sentence and to keep
bullets apart when it joins wrapped lines; the structure finder uses them to find headings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A heading is at most this many words, and at most this many characters.
MAX_HEADING_WORDS = 12
_MAX_HEADING_CHARS = 90
#: What ends a sentence or a clause: a line ending in one of these is not
#: a heading (a title-case question aside).
_CLOSING_PUNCTUATION = ".!?:;,…"
#: What may follow a sentence's last mark: quotes and brackets.
CLOSING_QUOTES = "\"'”\u2019)]»"
#: A list item's bullet, as text copied from a page has it.
BULLET = re.compile(r"[-*+•·▪◦‣]\s")
#: Citation markers after a sentence: "[63][64]", "[a]", "[note 3]", "[citation needed]".
CITATIONS = re.compile(r"(?:\[[^\[\]]{1,30}\])+$")
#: Words title case leaves in lowercase.
_MINOR_WORDS = frozenset(
    """a an and as at but by for from in into nor of on or over per so than the to up via vs
    with""".split()
)


def _title_case(words: Sequence[str]) -> bool:
    major = [w for w in words if w[0].isalpha() and w.lower() not in _MINOR_WORDS]
    return bool(major) and all(w[0].isupper() for w in major)


def heading_like(text: str) -> bool:
    """A short line without closing punctuation (or a title-case question).

    Citation markers at the end are not the line's punctuation: "...during 2017.[63][64]"
    ends a sentence.
    """
    text = CITATIONS.sub("", text).rstrip() or text
    words = text.split()
    if not words or len(words) > MAX_HEADING_WORDS or len(text) > _MAX_HEADING_CHARS:
        return False
    if BULLET.match(text):
        return False
    bare = text.rstrip(CLOSING_QUOTES)
    if not bare:
        return False
    if bare[-1] == "?":
        return _title_case(words)
    return bare[-1] not in _CLOSING_PUNCTUATION
