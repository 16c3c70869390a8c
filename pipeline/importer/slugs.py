"""Ids made from titles and names in any script: "Война и мир" -> ``voina-i-mir``.

Letters with accents lose them (the Unicode decomposition without its marks), as they always
have, so ids made before stay the same; letters with no ASCII form (Cyrillic, Greek, Hangul,
CJK, Arabic, "ß"...) are transliterated by python-slugify (through text-unidecode), and any
other mark between words is a hyphen ("l’été" -> ``l-ete``).
"""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _transliterate

#: A run of letters and digits outside ASCII, once accents are taken off.
_FOREIGN = re.compile(r"[^\W\x00-\x7f]+")


def slugify(text: str, limit: int | None = None) -> str:
    """An id made of lowercase ASCII letters, digits and single hyphens ("" when none can be).

    With ``limit``, a longer id stops at the last word boundary before it.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = _FOREIGN.sub(lambda m: _transliterate(m.group(0)), bare)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if limit and len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0]
    return slug
