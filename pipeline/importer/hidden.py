"""Elements of a page that are not the article: hidden ones, and a thread of reader comments.

A saved page keeps text its reader never sees (``hidden``, ``aria-hidden="true"``, an inline
``display: none`` or ``visibility: hidden``) and, often inside ``<article>``, the readers'
comments ("Troll99 says: ...", "Reply"). Neither is the author's text, and nor is what the
markup itself names as the site's furniture: a navigation or search landmark, the page footer,
a wiki's "[edit]" links and hatnotes. The rules look only at
the element's own markup: a stylesheet's rules are not known, so ``class="hidden"`` is kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

HIDDEN = "hidden on the page"
COMMENTS = "reader comments"
NAVIGATION = "site navigation"
EDIT_LINK = "edit link"
HATNOTE = "hatnote"

#: ARIA landmarks that are the site's, not the article's: navigation, search, the page footer.
_CHROME_ROLES = {"navigation": NAVIGATION, "search": NAVIGATION, "contentinfo": "site footer"}
#: Class tokens wikis (MediaWiki and its many copies) mark their furniture with: the "[edit]"
#: links beside headings, and the notes above an article pointing to other articles.
_CHROME_CLASSES = {
    "mw-editsection": EDIT_LINK,
    "editsection": EDIT_LINK,
    "hatnote": HATNOTE,
    "dablink": HATNOTE,
    "rellink": HATNOTE,
}

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_IMPORTANT = re.compile(r"\s*!\s*important\s*$")

#: What may follow a comment word in a class or id naming the thread ("comment-list",
#: "comments-area"); "comments-closed" or "comment-count" name a state or a link instead.
_SUFFIX = (
    r"list|lists|thread|threads|section|area|container|wrapper|wrap|block|box|holder|respond"
    r"|root|app|widget|module|content|items|stream|feed|form|panel"
)
#: A class or id token naming a comment thread, after lowercasing and turning "_" into "-".
#: Plurals may stand alone ("comments", "post-comments", "replies"); the singular only with a
#: container word ("comment-list") or on its own ("comment", one comment as WordPress marks it),
#: because an opinion piece may be marked "tone-comment".
_THREAD = re.compile(
    rf"(?:(?P<prefix>[a-z0-9-]+?)-)?"
    rf"(?:(?:comments|replies)(?:-(?:{_SUFFIX}))?|(?:comment|reply)-(?:{_SUFFIX}))"
    r"|comment|commentlist|commentslist|disqus-thread"
)
#: Prefixes that make the token a state of the page, not the thread: "no-comments" may mark
#: the very element that holds the article.
_STATE_PREFIXES = frozenset(
    "no has with without allow allows enable enabled disable disabled open closed".split()
)


def left_out(attrs: Mapping[str, str]) -> str:
    """Why an element with these attributes is not article text ("" when it is)."""
    if is_hidden(attrs):
        return HIDDEN
    if is_comments(attrs):
        return COMMENTS
    return site_chrome(attrs)


def site_chrome(attrs: Mapping[str, str]) -> str:
    """Why an element marked as the site's furniture by its role or class is left out, or ""."""
    for role in attrs.get("role", "").lower().split():
        if role in _CHROME_ROLES:
            return _CHROME_ROLES[role]
    for token in attrs.get("class", "").lower().split():
        if token in _CHROME_CLASSES:
            return _CHROME_CLASSES[token]
    return ""


def is_hidden(attrs: Mapping[str, str]) -> bool:
    """Whether the element's own markup hides it from a reader of the page."""
    # hidden="until-found" is text a reader finds by searching, such as a closed accordion.
    if "hidden" in attrs and attrs["hidden"].strip().lower() != "until-found":
        return True
    if attrs.get("aria-hidden", "").strip().lower() == "true":
        return True
    style = _style(attrs.get("style", ""))
    return style.get("display") == "none" or style.get("visibility") in ("hidden", "collapse")


def _style(text: str) -> dict[str, str]:
    """An inline style's declarations, property -> value, the last one of each winning."""
    out: dict[str, str] = {}
    for declaration in _CSS_COMMENT.sub("", text).split(";"):
        prop, colon, value = declaration.partition(":")
        if colon:
            out[prop.strip().lower()] = _IMPORTANT.sub("", value.strip().lower())
    return out


def is_comments(attrs: Mapping[str, str]) -> bool:
    """Whether the element is a thread of reader comments, or one comment in it."""
    roles = attrs.get("role", "").lower().split()
    if "comment" in roles or "comment" in attrs.get("itemprop", "").lower().split():
        return True
    if any(
        kind.rstrip("/").rsplit("/", 1)[-1] in ("comment", "usercomments")
        for kind in attrs.get("itemtype", "").lower().split()
    ):
        return True
    tokens = (attrs.get("class", "") + " " + attrs.get("id", "")).lower().split()
    return any(_names_thread(token) for token in tokens)


def _names_thread(token: str) -> bool:
    token = re.sub(r"[-_]+", "-", token).strip("-")
    match = _THREAD.fullmatch(token)
    if not match:
        return False
    prefix = match.group("prefix")
    return not (prefix and prefix.rsplit("-", 1)[-1] in _STATE_PREFIXES)
