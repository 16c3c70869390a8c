"""Known web boilerplate, and the rule that drops it, with the reason for each line dropped.

A line is dropped only when all of it is furniture ("Leave a Comment", "Share this:", a row of
share buttons): a sentence that mentions such a word is kept. After a marker of a list of
links ("Related posts"), the short lines that follow are dropped as related links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

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
    | (?:jump|skip)\ to\ (?:main\ )?(?:content|navigation|search|menu)
    | from\ [^,]{1,40},\ the\ free\ encyclopedia | retrieved\ from\ ["\u201c].*
    | (?:this\ page\ was\ )?last\ (?:edited|modified)\ on\ .*
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
    r"|trending(?:\ now)?|read\ (?:next|also)|see\ also|categories",
    re.IGNORECASE | re.VERBOSE,
)
#: A line introducing the author's bio.
BIO_LABEL = re.compile(
    r"(?:about\ (?:the\ )?authors?|the\ authors?|author(?:\ bio(?:graphy)?)?|about\ the\ writer)",
    re.IGNORECASE | re.VERBOSE,
)
#: A skip link: a link to a place further down the page that a screen reader's user takes.
_SKIP_LINK = re.compile(r"(?:jump|skip)\ to\ .{1,30}", re.IGNORECASE | re.VERBOSE)
#: A wiki's hatnote, the line above an article that points readers to another: "This article
#: is about X. For Y, see Z.", "For other uses, see ...", "X redirects here." A sentence of an
#: article that merely starts "This article is about" is kept: a hatnote points somewhere.
_HATNOTE = re.compile(
    r"""
    (?:this\ (?:article|page|section)\ is\ about\b.*\bsee\b.*)
    | (?:for\ (?:other|the)\ uses?\b.*,\ see\b.*) | (?:.{1,80}\ redirects\ here\b.*)
    | (?:not\ to\ be\ confused\ with\ .*) | (?:main\ articles?:\ .*)
    | (?:further\ information:\ .*) | (?:see\ also:\ .*)
    """,
    re.IGNORECASE | re.VERBOSE,
)
#: The "[edit]" link a wiki prints after a heading, in the languages it is most copied in.
EDIT_LINK = re.compile(
    r"\s*\[\s*(?:edit(?:\ source)?|modifier(?:\ le\ code)?|editar(?:\ código)?|bearbeiten"
    r"|quelltext\ bearbeiten|modifica(?:\ wikitesto)?)\s*\]\s*$",
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


def is_skip_link(text: str) -> bool:
    """Whether a link's text is a skip link's ("Jump to navigation", "Skip to content")."""
    return bool(_SKIP_LINK.fullmatch(text.strip()))


def is_hatnote(text: str) -> bool:
    """Whether a whole line is a wiki's hatnote pointing the reader to another article."""
    return bool(_HATNOTE.fullmatch(text.strip()))


def _strip_edit_link(unit: Unit, drops: list[Drop]) -> Unit:
    """A line or heading without the "[edit]" link after it; the link is recorded as dropped."""
    match = EDIT_LINK.search(unit.text)
    if not match or not unit.text[: match.start()].strip():
        return unit
    drops.append(Drop(match.group(0).strip(), unit.line, "edit link"))
    return replace(unit, text=unit.text[: match.start()].rstrip())


def _items_of_content_lists(units: Sequence[Unit]) -> set[int]:
    """The places of the items of lists that are not all furniture: a row of share buttons is a
    list of nothing but "Share", "X", "Email"; a list with one item of text is the article's,
    and its "X" or "Email" item is kept."""
    protected: set[int] = set()
    run: list[int] = []
    # A list runs from its first item to the next list's or the next heading; text between
    # its items (which a page may put there) does not end it.
    for i, unit in enumerate([*units, Unit("", 0, "heading")]):
        starts = unit.kind == "heading" or (
            unit.kind == "item" and unit.starts_list and not unit.depth
        )
        if starts:
            if any(not is_boilerplate(units[j].text) for j in run):
                protected.update(run)
            run = []
        if unit.kind == "item":
            run.append(i)
    return protected


def drop_boilerplate(units: Sequence[Unit]) -> tuple[list[Unit], list[Drop]]:
    """Leave out web furniture and lists of related links, recording each line."""
    kept: list[Unit] = []
    drops: list[Drop] = []
    in_link_list = False
    in_content_list = _items_of_content_lists(units)
    for i, unit in enumerate(units):
        if not unit.is_text or unit.cell:
            # A table's cells are text whatever they say: "x" or "Share" in a cell is data.
            kept.append(unit)
            continue
        if unit.kind in ("line", "heading"):
            unit = _strip_edit_link(unit, drops)
        if in_link_list and (
            # A page's heading starts its next part: what follows is no longer the links.
            unit.kind == "heading"
            or len(unit.text.split()) > _LINK_WORDS
            or BIO_LABEL.fullmatch(bare_line(unit.text))
        ):
            in_link_list = False
        if in_link_list:
            drops.append(Drop(unit.text, unit.line, "related links"))
        elif EDIT_LINK.fullmatch(unit.text):
            drops.append(Drop(unit.text.strip(), unit.line, "edit link"))
        elif is_hatnote(unit.text):
            drops.append(Drop(unit.text, unit.line, "hatnote"))
        elif is_boilerplate(unit.text) and i not in in_content_list:
            drops.append(Drop(unit.text, unit.line, "web boilerplate"))
            in_link_list = bool(_LINK_LIST.fullmatch(bare_line(unit.text)))
        else:
            kept.append(unit)
    return kept, drops
