"""Scraped articles (plain text or a saved web page) -> article and author sources.

The importer works on units, not Markdown: a reader turns the input into units (one line of a
text file, one block of a web page), then the planner sorts them into a title, a byline, the
sections and an author bio, and drops known web boilerplate, recording every line it drops so
nothing disappears silently. The writer emits Markdown escaped so that every sentence renders
exactly as it came in: the importer fixes nothing but the title's acronyms.

    plan = plan_import(data, name, project, slug, author, date)   # reads, decides, writes nothing
    describe_import(plan)                                         # the --dry-run report
    write_import(plan, force)                                     # the files, atomically

The library never prints: problems with the input raise :class:`SourceError`.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Literal

import yaml

from ..errors import BuildError, SourceError
from ..build.outdir import write_atomic
from ..sources import ID_PATTERN, Project, decode_text

UnitKind = Literal["line", "heading", "paragraph", "item", "quote"]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string, for the long vocabulary lists below."""
    return frozenset(text.split())


@dataclass(frozen=True)
class Unit:
    """One piece of the input: a line of a text file, or a block of a web page."""

    text: str
    #: 1-based line of the input where it starts.
    line: int
    #: "line" is plain text still to be classified; the other kinds are what a web page (or a
    #: Markdown ``#`` line) states explicitly.
    kind: UnitKind = "line"
    #: Heading level (1-6) of an explicit heading.
    level: int = 0
    #: The list marker of an item: "-" or "3.".
    marker: str = ""
    #: The blank-line separated block of a text file the line is in: heading-like lines that
    #: follow each other in one block are a list, not headings.
    block: int = 0


@dataclass(frozen=True)
class Drop:
    """An input line the sources leave out, and why."""

    text: str
    line: int
    reason: str


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import would write, decided before anything is written."""

    #: The input's name as given ("-" or "<stdin>" for standard input).
    source_name: str
    project_root: Path
    slug: str
    #: The title as written to the front matter (acronyms restored).
    title: str
    article_path: Path
    #: The whole article file: front matter and Markdown body.
    article_text: str
    article_exists: bool
    author_id: str
    #: The author's name as the page gives it (bio, byline or meta tag); "" when it gives none.
    author_name: str
    author_path: Path
    #: The author file to write; None when the author already exists or no bio was found.
    author_text: str | None
    author_exists: bool
    #: The bio found on the page, paragraphs separated by blank lines; "" when there is none.
    bio: str
    #: Each section's heading with its number of paragraphs, in order.
    sections: tuple[tuple[str, int], ...]
    #: Paragraphs before the first section.
    lede_count: int
    date: dt.date | None
    source_url: str
    #: Every input line left out of the sources, with its line number and the reason.
    drops: tuple[Drop, ...]
    #: Things the user should know, such as a bio that was not written because the author exists.
    notes: tuple[str, ...] = ()

    @property
    def dropped(self) -> tuple[str, ...]:
        """The text of every dropped line, in input order."""
        return tuple(drop.text for drop in self.drops)


# --- public API -------------------------------------------------------------------------------


def plan_import(
    data: bytes,
    name: str,
    project: Project,
    slug: str | None = None,
    author: str | None = None,
    date: dt.date | None = None,
) -> ImportPlan:
    """Read a scraped article and decide the sources it becomes, writing nothing.

    ``name`` is the input's file name (``-`` or ``<stdin>`` for standard input); ``.html`` and
    ``.htm`` are read as web pages, anything else as plain text. ``slug``, ``author`` and
    ``date`` override what the importer would detect.
    """
    for value, option in ((slug, "--slug"), (author, "--author")):
        if value is not None and not ID_PATTERN.fullmatch(value):
            raise SourceError(
                f"{option} '{value}' must be lowercase letters, digits and single hyphens "
                "(like us-north-korea)"
            )
    page = _read_page(data, name) if _is_html(name) else _read_plain(data, name)
    draft = _structure(page, name)
    return _plan(draft, name, project, slug, author, date)


def describe_import(plan: ImportPlan) -> str:
    """The dry-run report: title, slug, author, sections with paragraph counts, bio, drops."""
    out = [
        f"title:    {plan.title}",
        f"article:  {plan.slug} -> {_shown(plan, plan.article_path)}"
        + (" (exists: --force overwrites it)" if plan.article_exists else " (new)"),
        f"author:   {plan.author_id} -> {_shown(plan, plan.author_path)}" + _author_state(plan),
        f"date:     {plan.date.isoformat() if plan.date else 'none (pass --date YYYY-MM-DD)'}",
    ]
    if plan.source_url:
        out.append(f"source:   {plan.source_url}")
    out.append(f"lede:     {_count(plan.lede_count, 'paragraph')}")
    out.append(f"sections: {len(plan.sections)}")
    out.extend(f"  {heading} ({_count(n, 'paragraph')})" for heading, n in plan.sections)
    out.append("bio:" + ("" if plan.bio else "      none found"))
    out.extend(f"  {line}" for line in plan.bio.split("\n") if line)
    out.append(f"dropped:  {_count(len(plan.drops), 'line')}")
    out.extend(f"  line {d.line}: {d.text}  [{d.reason}]" for d in plan.drops)
    out.extend(f"note: {note}" for note in plan.notes)
    return "\n".join(out)


def write_import(plan: ImportPlan, force: bool = False) -> list[Path]:
    """Write the planned files atomically and return their paths.

    Without ``force`` an existing article or author file is never overwritten: the import
    stops, naming the file, before writing anything.
    """
    writes: list[tuple[Path, str]] = [(plan.article_path, plan.article_text)]
    if plan.author_text is not None:
        writes.insert(0, (plan.author_path, plan.author_text))
    if not force:
        for path, _ in writes:
            if path.exists():
                raise SourceError(
                    "already exists: pass --force to overwrite it"
                    + (", or --slug for another name" if path == plan.article_path else ""),
                    path,
                )
    for path, text in writes:
        _write_atomic(path, text)
    return [path for path, _ in writes]


# --- reading: bytes -> units ------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    """What a reader found: the units of the article, and what the page says about it."""

    units: tuple[Unit, ...]
    #: Lines the reader itself left out (a web page's navigation, text outside the article).
    drops: tuple[Drop, ...] = ()
    #: A title the page declares apart from its text (<title>, og:title).
    title: str = ""
    #: An author name the page declares (<meta name="author">).
    author_name: str = ""
    source_url: str = ""


def _is_html(name: str) -> bool:
    return name.lower().endswith((".html", ".htm"))


def _decode(data: bytes, name: str, encoding: str = "utf-8") -> str:
    return decode_text(data, name, encoding)


#: A Markdown ATX heading line, as a page copied from a Markdown source may have.
_MARKDOWN_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
#: Text files whose lines are all no longer than this may be hard-wrapped.
_WRAP_WIDTH = 100
#: In a hard-wrapped file, a line shorter than this share of the longest ends its paragraph.
_WRAP_SHORT = 0.6


def _read_plain(data: bytes, name: str) -> _Page:
    """A text file: every non-blank line is a unit; hard-wrapped paragraphs are joined."""
    units: list[Unit] = []
    block = 0
    for number, raw in enumerate(_decode(data, name).split("\n"), start=1):
        text = raw.strip()
        if not text:
            block += 1
            continue
        heading = _MARKDOWN_HEADING.fullmatch(text)
        if heading and _markdown_heading(heading.group(2)):
            units.append(
                Unit(heading.group(2), number, "heading", len(heading.group(1)), "", block)
            )
        else:
            units.append(Unit(text, number, block=block))
    return _Page(tuple(_unwrap(units)))


def _markdown_heading(text: str) -> bool:
    """Whether the text after a line's leading "#" is a heading and not a sentence ("# is...")."""
    words = text.split()
    return 0 < len(words) <= _MAX_HEADING_WORDS and not text.endswith((".", ";", ","))


def _is_hard_wrapped(units: Sequence[Unit]) -> bool:
    """Whether a text file breaks its paragraphs into lines of a fixed width.

    Such a file fits a narrow width, and most lines that another line follows in their block
    stop mid-sentence. Scraped text has one paragraph per line: its lines end sentences.
    """
    lines = [u for u in units if u.kind == "line"]
    if not lines or max(len(u.text) for u in lines) > _WRAP_WIDTH:
        return False
    followed = [a for a, b in pairwise(lines) if a.block == b.block]
    mid_sentence = [u for u in followed if u.text.rstrip(_CLOSING_QUOTES)[-1:] not in ".!?:;"]
    return len(followed) >= 2 and len(mid_sentence) * 2 > len(followed)


def _unwrap(units: list[Unit]) -> list[Unit]:
    """Join the lines of hard-wrapped paragraphs; scraped text is left as it is."""
    if not _is_hard_wrapped(units):
        return units
    short = _WRAP_SHORT * max(len(u.text) for u in units if u.kind == "line")
    out: list[Unit] = []
    last_width = 0
    for unit in units:
        prev = out[-1] if out else None
        joins = (
            prev is not None
            and prev.kind == unit.kind == "line"
            and prev.block == unit.block
            and last_width >= short
            and not _BULLET.match(unit.text)
            and not _is_boilerplate(unit.text)
        )
        if prev is not None and joins:
            out[-1] = replace(prev, text=f"{prev.text} {unit.text}")
        else:
            out.append(unit)
        last_width = len(unit.text)
    return out


# --- reading web pages ------------------------------------------------------------------------

_VOID = _words("area base br col embed hr img input link meta param source track wbr")
#: Elements whose content is not article text at all (code, media, form controls, the head).
_SKIP = _words(
    "script style noscript template svg math iframe canvas button select option textarea "
    "head title object video audio picture map"
)
#: Site chrome inside the content: left out, and reported line by line.
_CHROME = frozenset({"nav", "aside", "form", "dialog"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = _words(
    "address article aside blockquote body center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p "
    "pre section summary table tbody td tfoot th thead tr ul caption"
)
#: Inline elements that may sit inside an open <p>; any other start tag closes it, as browsers do.
_INLINE = _words(
    "a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strong sub "
    "sup time u var wbr br img"
)
#: Stands for <br> while whitespace is collapsed (a character no web page text contains).
_BREAK = "\x1e"


@dataclass
class _Element:
    """A node of the small tree built from a page."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Element | _Text] = field(default_factory=list)


@dataclass
class _Text:
    text: str
    line: int


class _TreeBuilder(HTMLParser):
    """html.parser events -> a tree, closing <p> and <li> the way browsers do."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#document", {}, 1)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        element = _Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        self.stack[-1].children.append(
            _Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        )

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(_Text(data, self.getpos()[0]))

    def _close_implied(self, tag: str) -> None:
        if tag not in _INLINE:
            self._close_open("p", stop=frozenset())
        if tag == "li":
            self._close_open("li", stop=frozenset({"ul", "ol"}))

    def _close_open(self, tag: str, stop: frozenset[str]) -> None:
        """Close an open ``tag`` if only inline elements (or none of ``stop``) sit above it."""
        for i in range(len(self.stack) - 1, 0, -1):
            current = self.stack[i].tag
            if current == tag:
                del self.stack[i:]
                return
            if current in stop or (not stop and current not in _INLINE):
                return


def _iter(element: _Element) -> Iterator[_Element]:
    for child in element.children:
        if isinstance(child, _Element):
            yield child
            yield from _iter(child)


def _raw_text(node: _Element | _Text) -> str:
    if isinstance(node, _Text):
        return node.text
    if node.tag == "br":
        return _BREAK
    if node.tag in _SKIP:
        return ""
    return "".join(_raw_text(child) for child in node.children)


def _clean(raw: str) -> str:
    """HTML whitespace rules: runs of spaces and newlines are one space; <br> is a line break."""
    text = re.sub(r"[ \t\n\r\f]+", " ", raw)
    lines = (line.strip() for line in text.split(_BREAK))
    return "\n".join(line for line in lines if line)


def _has_block(element: _Element) -> bool:
    return any(e.tag in _BLOCKS or e.tag in _CHROME for e in _iter(element))


@dataclass
class _Collector:
    """Gathers a page's units in order, joining loose inline text into one unit."""

    units: list[Unit] = field(default_factory=list)
    #: Units of site chrome (navigation, asides, forms), kept apart to be reported as dropped.
    chrome: list[Unit] = field(default_factory=list)
    #: Collect chrome as ordinary units, in document order (for text that is all left out).
    chrome_is_text: bool = False
    pending: list[str] = field(default_factory=list)
    pending_line: int = 0

    def inline(self, raw: str, line: int) -> None:
        # A unit starts on the line of its first visible text, not of the whitespace before it.
        if raw.strip() and not "".join(self.pending).strip():
            self.pending_line = line
        self.pending.append(raw)

    def flush(self, kind: UnitKind, marker: str = "") -> None:
        text = _clean("".join(self.pending))
        if text:
            self.units.append(Unit(text, self.pending_line, kind, marker=marker))
        self.pending.clear()


def _walk(
    element: _Element,
    out: _Collector,
    kind: UnitKind = "paragraph",
    marker: str = "",
    skip: _Element | None = None,
) -> None:
    """Units of an element's content, in document order; ``skip`` is a subtree left out."""
    for child in element.children:
        if isinstance(child, _Text):
            out.inline(child.text, child.line)
        elif child is skip or child.tag in _SKIP:
            continue
        elif child.tag in _CHROME and not out.chrome_is_text:
            out.flush(kind, marker)
            inner = _Collector(chrome_is_text=True)
            _walk(child, inner)
            inner.flush("paragraph")
            out.chrome.extend(inner.units)
        elif child.tag in _HEADINGS:
            out.flush(kind, marker)
            text = _clean(_raw_text(child)).replace("\n", " ")
            if text:
                out.units.append(Unit(text, child.line, "heading", int(child.tag[1])))
        elif child.tag in ("ul", "ol"):
            out.flush(kind, marker)
            _walk_list(child, out, skip)
        elif child.tag in _BLOCKS or _has_block(child):
            out.flush(kind, marker)
            inner_kind: UnitKind = "quote" if child.tag == "blockquote" else kind
            _walk(child, out, inner_kind, marker if inner_kind == kind else "", skip)
            out.flush(inner_kind, marker if inner_kind == kind else "")
        else:
            out.inline(_raw_text(child), child.line)


def _walk_list(element: _Element, out: _Collector, skip: _Element | None) -> None:
    start = element.attrs.get("start", "")
    number = int(start) if start.isdigit() else 1
    for child in element.children:
        if not isinstance(child, _Element) or child.tag != "li":
            if isinstance(child, _Element) and child.tag not in _SKIP:
                _walk(child, out, "paragraph", "", skip)
            continue
        marker = f"{number}." if element.tag == "ol" else "-"
        number += 1
        _walk(child, out, "item", marker, skip)
        out.flush("item", marker)


def _content_root(tree: _Element) -> _Element:
    """The article element with the most text, else <main>, else the body, else everything."""
    articles = [e for e in _iter(tree) if e.tag == "article"]
    if articles:
        return max(articles, key=lambda e: len(_clean(_raw_text(e))))
    elements = list(_iter(tree))
    found = (
        next((e for e in elements if e.tag == "main"), None)
        or next((e for e in elements if e.attrs.get("role") == "main"), None)
        or next((e for e in elements if e.tag == "body"), None)
    )
    return found or tree


def _meta(tree: _Element, key: str) -> str:
    for e in _iter(tree):
        if e.tag == "meta" and key in (
            e.attrs.get("name", "").lower(),
            e.attrs.get("property", "").lower(),
        ):
            return e.attrs.get("content", "").strip()
    return ""


def _page_info(tree: _Element) -> tuple[str, str, str]:
    """The page's declared title, author and canonical address."""
    title = _meta(tree, "og:title")
    if not title:
        element = next((e for e in _iter(tree) if e.tag == "title"), None)
        title = (
            _clean("".join(c.text for c in element.children if isinstance(c, _Text)))
            if element
            else ""
        )
    url = next(
        (
            e.attrs.get("href", "")
            for e in _iter(tree)
            if e.tag == "link" and "canonical" in e.attrs.get("rel", "").split()
        ),
        "",
    ) or _meta(tree, "og:url")
    return title, _meta(tree, "author"), url.strip()


def _html_charset(data: bytes) -> str:
    """The encoding a page declares in a <meta> tag, if Python knows it; else UTF-8."""
    match = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    if match:
        with contextlib.suppress(LookupError):
            return codecs.lookup(match.group(1).decode("ascii")).name
    return "utf-8"


def _read_page(data: bytes, name: str) -> _Page:
    """A saved web page: the article element (or main content) with a real HTML parser."""
    builder = _TreeBuilder()
    builder.feed(_decode(data, name, _html_charset(data)))
    builder.close()
    tree = builder.root
    root = _content_root(tree)
    content = _Collector()
    _walk(root, content, skip=None)
    content.flush("paragraph")
    outside = _Collector(chrome_is_text=True)
    if root is not tree:
        _walk(tree, outside, skip=root)
        outside.flush("paragraph")
    title, author_name, url = _page_info(tree)
    units = list(content.units)
    if not any(u.kind == "heading" and u.level == 1 for u in units):
        # A page may put its <h1> in a header above the article element.
        h1 = next((u for u in outside.units if u.kind == "heading" and u.level == 1), None)
        if h1 is not None:
            outside.units.remove(h1)
            units.insert(0, h1)
    drops = [Drop(u.text.replace("\n", " "), u.line, "site navigation") for u in content.chrome]
    drops += [Drop(u.text.replace("\n", " "), u.line, "outside the article") for u in outside.units]
    blocks = [replace(u, block=i) for i, u in enumerate(units)]
    return _Page(tuple(blocks), tuple(sorted(drops, key=lambda d: d.line)), title, author_name, url)


# --- boilerplate ------------------------------------------------------------------------------

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
_SOCIAL = _words(
    "facebook twitter x linkedin whatsapp email e-mail print reddit pinterest telegram tumblr "
    "pocket share threads bluesky mastodon copy link flipboard messenger on via this"
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
_BIO_LABEL = re.compile(
    r"(?:about\ (?:the\ )?authors?|the\ authors?|author(?:\ bio(?:graphy)?)?|about\ the\ writer)",
    re.IGNORECASE | re.VERBOSE,
)
#: The longest line a link in a list of related posts is taken to be (in words).
_LINK_WORDS = 15


def _bare(text: str) -> str:
    """A line without trailing punctuation, arrows and ellipses, for matching furniture."""
    return text.rstrip(" :.…»\u203a→>|-\u2013—").strip()


def _is_boilerplate(text: str) -> bool:
    bare = _bare(text)
    if _BOILERPLATE.fullmatch(bare) or _LINK_LIST.fullmatch(bare):
        return True
    words = re.split(r"[\s|/·•,:]+", bare.lower())
    return bool(bare) and all(word in _SOCIAL for word in words if word)


def _drop_boilerplate(units: Sequence[Unit]) -> tuple[list[Unit], list[Drop]]:
    """Leave out web furniture and lists of related links, recording each line."""
    kept: list[Unit] = []
    drops: list[Drop] = []
    in_link_list = False
    for unit in units:
        if in_link_list and (
            len(unit.text.split()) > _LINK_WORDS or _BIO_LABEL.fullmatch(_bare(unit.text))
        ):
            in_link_list = False
        if in_link_list:
            drops.append(Drop(unit.text, unit.line, "related links"))
        elif _is_boilerplate(unit.text):
            drops.append(Drop(unit.text, unit.line, "web boilerplate"))
            in_link_list = bool(_LINK_LIST.fullmatch(_bare(unit.text)))
        else:
            kept.append(unit)
    return kept, drops


# --- structure: units -> title, sections, bio -------------------------------------------------


@dataclass(frozen=True)
class _Draft:
    """The article as the importer understood it, before it becomes files."""

    title: str
    #: Lede and section content units, headings included, in order.
    body: tuple[Unit, ...]
    #: The bio's paragraphs.
    bio: tuple[Unit, ...]
    #: The author's name as found in the bio, byline or page; "" when unknown.
    author_name: str
    date: dt.date | None
    source_url: str
    drops: tuple[Drop, ...]


def _structure(page: _Page, name: str) -> _Draft:
    units, drops = _drop_boilerplate(page.units)
    drops += page.drops
    title, units = _take_title(units, page, name)
    byline_name, date, units, meta_drops = _take_byline(units)
    bio, bio_name, units, bio_drops = _take_bio(units, byline_name or page.author_name)
    body = _classify(units)
    return _Draft(
        title=restore_acronyms(title),
        body=tuple(body),
        bio=tuple(bio),
        author_name=bio_name or byline_name or page.author_name,
        date=date,
        source_url=page.source_url,
        drops=tuple(sorted(drops + meta_drops + bio_drops, key=lambda d: d.line)),
    )


def _take_title(units: list[Unit], page: _Page, name: str) -> tuple[str, list[Unit]]:
    """The article's title: the first line of a text file, a page's first <h1>, or its <title>."""
    first = units[0] if units else None
    if first is not None and (
        first.kind == "line" or (first.kind == "heading" and first.level == 1)
    ):
        return first.text, units[1:]
    for i, unit in enumerate(units):
        if unit.kind == "heading" and unit.level == 1:
            return unit.text, units[:i] + units[i + 1 :]
    if page.title:
        return page.title, units
    raise SourceError("no title found: the first line should be the article's title", name, 1)


# Dates as pages print them: "May 1, 2023", "1 May 2023", "2023-05-01".
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
#: Month names and their common abbreviations -> month number.
_MONTHS = {
    **{name: i for i, name in enumerate(_MONTH_NAMES.split(), start=1)},
    **{name[:3]: i for i, name in enumerate(_MONTH_NAMES.split(), start=1)},
    "sept": 9,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    rf"(?:{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.replace('month', 'month2')},?"
    r"\s+(?P<year2>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"(?:\bwritten\s+)?\bby\s+(?P<name>[^\W\d_][\w.'\u2019-]*(?:\s+[^\W\d_][\w.'\u2019-]*){0,4}?)"
    r"(?=\s*(?:$|[|,·•/\u2013—-]|\s+on\b|\s+(?:posted|published|updated)\b))",
    re.IGNORECASE,
)
#: What may remain of a byline or date line once the name and date are taken out.
_META_FILLER = re.compile(
    r"\b(?:posted|published|updated|last|on|date)\b|\d+\s+min(?:ute)?s?\s+read|[|,·•/:\u2013—-]",
    re.IGNORECASE,
)
#: Byline and date lines sit right under the title, and are short.
_META_WORDS = 14


def _parse_date(match: re.Match[str]) -> dt.date | None:
    try:
        if match.group("iso"):
            return dt.date.fromisoformat(match.group("iso"))
        month = (match.group("month") or match.group("month2")).lower()
        day = match.group("day") or match.group("day2")
        year = match.group("year") or match.group("year2")
        return dt.date(int(year), _MONTHS[month], int(day))
    except ValueError:
        return None


def _take_byline(units: list[Unit]) -> tuple[str, dt.date | None, list[Unit], list[Drop]]:
    """Byline and date lines right under the title: their facts go to the front matter."""
    name, date = "", None
    drops: list[Drop] = []
    while units and units[0].kind != "heading" and len(units[0].text.split()) <= _META_WORDS:
        text = units[0].text
        byline = _BYLINE.search(text)
        dated = _DATE.search(text)
        rest = text
        for match in (byline, dated):
            if match:
                rest = rest.replace(match.group(0), " ")
        if not (byline or dated) or _META_FILLER.sub(" ", rest).strip():
            break
        name = byline.group("name").strip() if byline else name
        date = (_parse_date(dated) if dated else None) or date
        drops.append(Drop(text, units[0].line, "byline" if byline else "date line"))
        units = units[1:]
    return name, date, units, drops


_NAME_PARTICLES = _words("van von de da del der di du la le bin al el ibn")
_HONORIFICS = _words("dr dr. prof prof. professor mr mr. mrs mrs. ms ms. sir dame")
#: Capitalised words that start sentences, not names.
_NOT_NAMES = _words(
    "the this that these those it he she they we our his her their a an in on at for as "
    "its there here what when why how"
)
_BIO_START = re.compile(
    r"((?:\S+\s+){1,5}?\S+?),?\s+(?:is|was|has|holds|writes|works|serves|teaches|covers|studies|"
    r"researches|specializes|specialises|leads|directs|reports|joined|lives)\b"
)
#: Words a bio has and an article's closing paragraph about a country or leader does not.
_BIO_CUES = re.compile(
    r"\b(?:authors?|journalist|writer|reporter|correspondent|editor|columnist|researcher|"
    r"fellow|professor|lecturer|analyst|scholar|expert|director|founder|contributor|ph\.?d|"
    r"graduate|degree|novelist|blogger|commentator|(?:her|his|their)\s+work|has\s+written|"
    r"writes\s+about)\b",
    re.IGNORECASE,
)
#: A bio without a label is one of the last few paragraphs.
_BIO_WINDOW = 3


def _is_name(words: Sequence[str]) -> bool:
    core = [w for w in words if w.lower() not in _HONORIFICS]
    return (
        1 <= len(core) <= 5
        and core[0].lower() not in _NOT_NAMES | _NAME_PARTICLES
        and all(
            w.lower() in _NAME_PARTICLES or (w[0].isupper() and any(c.isalpha() for c in w))
            for w in core
        )
    )


def _bio_name(text: str, known: str) -> str:
    """The name a bio starts with ("Cassie Grissom is a journalist..."), or ""."""
    if known:
        # A bio may call its author by first name: "Jane has covered Asia since 2010."
        first = re.escape(known.split()[0])
        if re.match(rf"(?:{re.escape(known)}|{first})\b(?!['\u2019])", text):
            return known
    match = _BIO_START.match(text)
    if not (match and _is_name(match.group(1).split()) and len(match.group(1).split()) >= 2):
        return ""
    # "Dr. Ana Pérez is..." under a byline "Ana Pérez": the byline's form is the name.
    return known if known and _HONORIFIC_PREFIX.sub("", match.group(1)) == known else match.group(1)


def _take_bio(units: list[Unit], known: str) -> tuple[list[Unit], str, list[Unit], list[Drop]]:
    """The author bio: what follows an "About the author" line, else a closing paragraph that
    starts with a person's name and reads like a bio."""
    for i in range(len(units) - 1, 0, -1):
        if _BIO_LABEL.fullmatch(_bare(units[i].text)) and i + 1 < len(units):
            label = Drop(units[i].text, units[i].line, "bio label")
            bio = units[i + 1 :]
            first_words = bio[0].text.split()
            if (
                len(bio) > 1
                and _is_name(first_words)
                and len(first_words) >= 2
                and _heading_like(bio[0].text)
            ):
                return bio[1:], bio[0].text, units[:i], [label]
            return bio, _bio_name(bio[0].text, known) or known, units[:i], [label]
    for i in range(len(units) - 1, max(len(units) - 1 - _BIO_WINDOW, 0), -1):
        unit = units[i]
        name = _bio_name(unit.text, known) if unit.kind != "heading" else ""
        if name and _BIO_CUES.search(unit.text):
            return [unit], name, units[:i] + units[i + 1 :], []
    return [], "", units, []


_MAX_HEADING_WORDS = 12
_MAX_HEADING_CHARS = 90
_CLOSING_PUNCTUATION = ".!?:;,…"
_CLOSING_QUOTES = "\"'”\u2019)]»"
_BULLET = re.compile(r"[-*+•·▪◦‣]\s")
_MINOR_WORDS = _words(
    "a an and as at but by for from in into nor of on or over per so than the to up via vs with"
)


def _title_case(words: Sequence[str]) -> bool:
    major = [w for w in words if w[0].isalpha() and w.lower() not in _MINOR_WORDS]
    return bool(major) and all(w[0].isupper() for w in major)


def _heading_like(text: str) -> bool:
    """A short line without closing punctuation (or a title-case question)."""
    words = text.split()
    if not words or len(words) > _MAX_HEADING_WORDS or len(text) > _MAX_HEADING_CHARS:
        return False
    if _BULLET.match(text):
        return False
    bare = text.rstrip(_CLOSING_QUOTES)
    if not bare:
        return False
    if bare[-1] == "?":
        return _title_case(words)
    return bare[-1] not in _CLOSING_PUNCTUATION


def _classify(units: list[Unit]) -> list[Unit]:
    """Plain lines -> headings or paragraphs; explicit headings without text become paragraphs.

    A heading-like line is a heading when a paragraph follows it and it does not follow
    another heading-like line in the same block (a run of short lines is a list).
    """
    out: list[Unit] = []
    for i, unit in enumerate(units):
        nxt = units[i + 1] if i + 1 < len(units) else None
        prev = units[i - 1] if i > 0 else None
        if unit.kind == "line":
            follows_short = (
                prev is not None
                and prev.kind == "line"
                and prev.block == unit.block
                and _heading_like(prev.text)
            )
            is_heading = (
                _heading_like(unit.text)
                and nxt is not None
                and _is_content(nxt)
                and not follows_short
            )
            out.append(
                replace(unit, kind="heading", level=2)
                if is_heading
                else replace(unit, kind="paragraph")
            )
        else:
            out.append(unit)
    return _demote_empty_headings(out)


def _is_content(unit: Unit) -> bool:
    if unit.kind == "line":
        return not _heading_like(unit.text)
    return unit.kind != "heading"


def _demote_empty_headings(units: list[Unit]) -> list[Unit]:
    """A heading with no text before the next heading of its rank (or the end) is a paragraph:
    as a section it would be empty and left out of every brief."""
    out = list(units)
    for i, unit in enumerate(out):
        if unit.kind != "heading":
            continue
        rest = out[i + 1 :]
        has_text = False
        for later in rest:
            if later.kind == "heading" and later.level <= unit.level:
                break
            if later.kind != "heading":
                has_text = True
                break
        if not has_text:
            out[i] = replace(unit, kind="paragraph", level=0)
    return out


# --- the title's acronyms ---------------------------------------------------------------------

#: Acronyms that title case turns into ordinary-looking words ("Nato", "Eu").
_ACRONYMS = {
    word.capitalize(): word
    for word in _words("EU UN UK USA UAE NATO DPRK PRC ROK IMF WTO IAEA ASEAN OPEC ICBM")
}


def restore_acronyms(title: str) -> str:
    """Undo title case on known acronyms: "Between The Us And North Korea" -> "The US And...".

    "Us" is also a pronoun, so it is restored only where a pronoun cannot stand: after an
    article, at the start before another word, or joined by a hyphen ("Us-Led").
    """

    def other(match: re.Match[str]) -> str:
        word = match.group(0)
        # "Un-American" is a prefix, not the United Nations.
        if word == "Un" and title[match.end() : match.end() + 1] == "-":
            return word
        return _ACRONYMS[word]

    names = "|".join(_ACRONYMS)
    title = re.sub(rf"(?<![\w-])(?:{names})(?![\w])", other, title)
    title = re.sub(r"(?:(?<=\b[Tt]he )|(?<=\b[Aa]n )|(?<=\b[Aa] ))Us(?![\w])", "US", title)
    title = re.sub(r"^Us(?=\s+\w|-\w)", "US", title)
    return re.sub(r"(?<![\w-])Us(?=-[A-Z])", "US", title)


# --- writing Markdown that renders verbatim ---------------------------------------------------

#: Characters that start inline Markdown anywhere in a line: emphasis, code, links, autolinks.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
#: An ampersand that would start an entity ("&amp;" must stay five characters).
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What starts a block at the beginning of a line: headings, quotes, lists, breaks, fences.
_BLOCK_START = re.compile(r"^(?:([#>=~+-])|(\d+)([.)])(?=\s|$))")


def escape_inline(text: str) -> str:
    """Escape a line of text so CommonMark shows it as written, inline markup included."""
    return _ENTITY_START.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", text))


def escape_line(text: str) -> str:
    """Escape a line that starts a paragraph, so it is not read as a heading, list or quote."""
    escaped = escape_inline(text)
    return _BLOCK_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped
    )


def _paragraph_markdown(unit: Unit) -> str:
    """A unit as a Markdown block; line breaks within it stay line breaks."""
    lead = {"item": f"{unit.marker or '-'} ", "quote": "> "}.get(unit.kind, "")
    indent = " " * len(lead) if unit.kind == "item" else lead
    lines = [escape_line(line) for line in unit.text.split("\n")]
    return lead + f"\\\n{indent}".join(lines)


def _heading_markdown(text: str, depth: int) -> str:
    # Every "#" is escaped so a trailing one is not taken as a closing sequence.
    return "#" * depth + " " + escape_inline(text).replace("#", "\\#")


def _body_markdown(body: Sequence[Unit]) -> tuple[str, tuple[tuple[str, int], ...], int]:
    """The article body, with each section's paragraph count and the lede's."""
    headings = [u.level for u in body if u.kind == "heading"]
    top = min(headings, default=2)
    blocks: list[str] = []
    sections: list[tuple[str, int]] = []
    lede = 0
    for unit in body:
        if unit.kind == "heading" and unit.level == top:
            sections.append((unit.text, 0))
            blocks.append(_heading_markdown(unit.text, 2))
        elif unit.kind == "heading":
            blocks.append(_heading_markdown(unit.text, min(6, 2 + unit.level - top)))
        else:
            blocks.append(_paragraph_markdown(unit))
            if sections:
                sections[-1] = (sections[-1][0], sections[-1][1] + 1)
            else:
                lede += 1
    return "\n\n".join(blocks), tuple(sections), lede


def _front_matter(fields: dict[str, object]) -> str:
    # safe_dump quotes whatever YAML would misread (a colon, a leading quote, "yes", "2023").
    dumped = yaml.safe_dump(
        {k: v for k, v in fields.items() if v not in (None, "")},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    return f"---\n{dumped}---\n"


# --- planning ---------------------------------------------------------------------------------

_HONORIFIC_PREFIX = re.compile(
    r"^(?:(?:dr|prof|professor|mr|mrs|ms|sir|dame)\.?\s+)+", re.IGNORECASE
)
#: Slugs made from long titles stop at a word boundary near this length.
_SLUG_CHARS = 60


def slugify(text: str, limit: int | None = None) -> str:
    """An id made of lowercase ASCII letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if limit and len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0]
    return slug


def _plan(
    draft: _Draft,
    name: str,
    project: Project,
    slug: str | None,
    author: str | None,
    date: dt.date | None,
) -> ImportPlan:
    slug = slug or slugify(draft.title, _SLUG_CHARS)
    if not slug:
        raise SourceError("cannot make a slug from the title: pass --slug SLUG", name)
    author_id = _author_id(draft, name, project, author)
    author_path = project.authors_dir / f"{author_id}.md"
    author_exists = author_path.exists()
    if not author_exists and not draft.bio:
        raise SourceError(
            f"no author bio found, and author '{author_id}' does not exist: create "
            f"sources/authors/{author_id}.md first, or import a page that has the bio",
            name,
        )
    if not any(u.kind == "heading" for u in draft.body):
        raise SourceError(
            "no section headings found: a brief needs at least one; put a short heading line "
            "(no closing full stop) before the paragraphs it introduces",
            name,
        )
    bio_text = "\n\n".join(u.text for u in draft.bio)
    body, sections, lede = _body_markdown(draft.body)
    when = date or draft.date
    article = _front_matter(
        {"title": draft.title, "author": author_id, "date": when, "source_url": draft.source_url}
    )
    author_name = draft.author_name
    return ImportPlan(
        source_name=name,
        project_root=project.root,
        slug=slug,
        title=draft.title,
        article_path=project.articles_dir / f"{slug}.md",
        article_text=f"{article}\n{body}\n",
        article_exists=(project.articles_dir / f"{slug}.md").exists(),
        author_id=author_id,
        author_name=author_name,
        author_path=author_path,
        author_text=None if author_exists else _author_text(author_name, draft.bio, name),
        author_exists=author_exists,
        bio=bio_text,
        sections=sections,
        lede_count=lede,
        date=when,
        source_url=draft.source_url,
        drops=draft.drops,
        notes=_notes(author_exists, bio_text, author_id),
    )


def _author_id(draft: _Draft, name: str, project: Project, author: str | None) -> str:
    if author:
        return author
    if draft.author_name:
        found = slugify(_HONORIFIC_PREFIX.sub("", draft.author_name))
        if found:
            return found
    if draft.bio:
        raise _nameless_bio(draft.bio, name)
    known = ", ".join(p.stem for p in project.author_paths()) or "none yet"
    raise SourceError(
        f"no author bio or byline found: pass --author ID (known authors: {known})", name
    )


def _nameless_bio(bio: Sequence[Unit], name: str) -> SourceError:
    return SourceError(
        "found a bio but not the author's name in it: pass --author ID for an existing "
        "author, or start the bio with the author's name",
        name,
        bio[0].line,
    )


def _author_text(author_name: str, bio: Sequence[Unit], name: str) -> str:
    if not author_name:
        raise _nameless_bio(bio, name)
    paragraphs = "\n\n".join(_paragraph_markdown(replace(u, kind="paragraph")) for u in bio)
    return _front_matter({"name": author_name}) + paragraphs + "\n"


def _notes(author_exists: bool, bio: str, author_id: str) -> tuple[str, ...]:
    if not author_exists:
        return ()
    if bio:
        return (
            f"author '{author_id}' already exists: the article links to it and the page's bio "
            "was not written (edit the author file to change the bio)",
        )
    return (f"author '{author_id}' already exists: the article links to it",)


# --- helpers ----------------------------------------------------------------------------------


def _shown(plan: ImportPlan, path: Path) -> str:
    try:
        return str(path.relative_to(plan.project_root))
    except ValueError:
        return str(path)


def _author_state(plan: ImportPlan) -> str:
    if plan.author_exists:
        return " (exists: linked)"
    return f" (new: {plan.author_name})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _write_atomic(path: Path, text: str) -> None:
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise BuildError(f"cannot write: {exc.strerror or exc}", path) from exc
