"""Known web boilerplate, and the rule that drops it, with the reason for each line dropped.

A line is dropped only when all of it is furniture ("Leave a Comment", "Share this:", a row of
share buttons): a sentence that mentions such a word is kept. After a marker of a list of
links ("Related posts"), the short lines that follow are dropped as related links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .units import Drop, Unit

#: Whole lines that are web-page furniture, never article text. Matched case-insensitively
#: against the line without trailing punctuation and arrows.
_BOILERPLATE = re.compile(
    r"""
    leave\ a\ (?:comment|reply) | cancel\ reply | post\ comment | submit(?:\ comment)?
    | (?:no|\d+)\ (?:comments?|responses?|replies) | comments?
    | (?:\d+|one)\ thoughts?\ on\ .* | share(?:\ this)?(?:\ (?:article|post|story|page))?
    | share\ (?:on|via)\ .* | click\ to\ (?:share|print|email)\b.* | tweet | pin\ it
    | like\ this | like | (?:like\ )?loading | read\ more | continue\ reading | click\ here\b.*
    | (?:previous|next)(?:\ (?:post|article|story))?(?:\s*:.*)?
    | advertisement | sponsored(?:\ content)? | skip\ to\ (?:main\ )?content
    | toggle\ navigation | (?:main\ )?menu | search(?:\ for)? | home | back\ to\ top
    | scroll\ to\ top | print(?:\ this)?(?:\ (?:article|page|story))?
    | subscribe(?:\ now|\ today)? | (?:subscribe|sign\ up)\ (?:to|for)\b.*
    | (?:sign|log)\ (?:in|up|out) | register | privacy\ policy
    | terms\ (?:of\ (?:service|use)|and\ conditions) | cookie\ (?:policy|settings|preferences)
    | manage\ (?:cookies|consent|preferences) | accept(?:\ all)?(?:\ cookies)?
    | reject(?:\ all)? | got\ it | ok(?:ay)? | (?:©|copyright\b|\(c\)).* | .*all\ rights\ reserved.*
    | (?:posted|filed)\ (?:in|under)\ .* | (?:tags?|categories|category|topics?)\s*:.*
    | your\ email\ address\ will\ not\ be\ published.* | required\ fields\ are\ marked.*
    | save\ my\ name,\ email,\ and\ website\b.* | (?:name|email|website|comment)\s*\*?
    | follow\ us(?:\ on\ .*)? | home\s*[»\u203a>/|].*
    | .*\b(?:we|this\ (?:web)?site|our\ (?:web)?site)\ uses?\ cookies\b.*
    | .*\bby\ continuing\ to\ (?:use|browse)\b.*
    """,
    re.IGNORECASE | re.VERBOSE,
)
#: A line made only of these words is a row of share buttons.
_SOCIAL = frozenset(
    """facebook twitter x linkedin whatsapp email e-mail print reddit pinterest telegram tumblr
    pocket share threads bluesky mastodon copy link flipboard messenger on via this""".split()
)
#: Markers of a list of links to other pages: the short lines after them go too.
_LINK_LIST = re.compile(
    r"related(?:\ (?:posts?|articles?|stories|reading|content))?"
    r"|you\ (?:may|might)\ also\ (?:like|enjoy)"
    r"|recommended(?:\ for\ you)?|more\ (?:stories|articles|from\ .*)|recent\ posts|popular\ posts"
    r"|trending(?:\ now)?|read\ (?:next|also)|see\ also",
    re.IGNORECASE | re.VERBOSE,
)
#: A line introducing the author's bio.
BIO_LABEL = re.compile(
    r"(?:about\ (?:the\ )?authors?|the\ authors?|author(?:\ bio(?:graphy)?)?|about\ the\ writer)",
    re.IGNORECASE | re.VERBOSE,
)
#: The longest line a link in a list of related posts is taken to be (in words).
_LINK_WORDS = 15


def bare_line(text: str) -> str:
    """A line without trailing punctuation, arrows and ellipses, for matching furniture."""
    return text.rstrip(" :.…»\u203a→>|-\u2013—").strip()


def is_boilerplate(text: str) -> bool:
    """Whether a whole line is web furniture: a known phrase, a link-list marker, share buttons."""
    bare = bare_line(text)
    if _BOILERPLATE.fullmatch(bare) or _LINK_LIST.fullmatch(bare):
        return True
    words = re.split(r"[\s|/·•,:]+", bare.lower())
    return bool(bare) and all(word in _SOCIAL for word in words if word)


def drop_boilerplate(units: Sequence[Unit]) -> tuple[list[Unit], list[Drop]]:
    """Leave out web furniture and lists of related links, recording each line."""
    kept: list[Unit] = []
    drops: list[Drop] = []
    in_link_list = False
    for unit in units:
        if in_link_list and (
            len(unit.text.split()) > _LINK_WORDS or BIO_LABEL.fullmatch(bare_line(unit.text))
        ):
            in_link_list = False
        if in_link_list:
            drops.append(Drop(unit.text, unit.line, "related links"))
        elif is_boilerplate(unit.text):
            drops.append(Drop(unit.text, unit.line, "web boilerplate"))
            in_link_list = bool(_LINK_LIST.fullmatch(bare_line(unit.text)))
        else:
            kept.append(unit)
    return kept, drops
