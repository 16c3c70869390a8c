"""Extracted text made comparable: extraction is not byte-exact, so tests compare text with
whitespace collapsed, normalised, or squeezed out."""

from __future__ import annotations

import re
import unicodedata

#: Bidi controls that text extractors insert around right-to-left runs; not part of the text.
BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def collapse(text: str) -> str:
    """Whitespace runs become one space, so text compares across line breaks."""
    return re.sub(r"\s+", " ", text).strip()


def normalise(text: str, compatibility: bool = False) -> str:
    """Text compared as a reader sees it: NFC (or NFKC), bidi marks dropped, whitespace collapsed.

    Extraction is not byte-exact: line breaks become newlines, a word broken at the margin gains
    one, combining marks may come back composed, and shaped Arabic comes back as presentation
    forms, which only NFKC maps back to the letters (``compatibility=True``).
    """
    return collapse(
        unicodedata.normalize("NFKC" if compatibility else "NFC", text).translate(BIDI_MARKS)
    )


def squeeze(text: str) -> str:
    """Text without any whitespace: for words the PDF broke across lines, and reading orders
    that break lines differently."""
    return re.sub(r"\s+", "", text)
