"""A saved page's footnotes: which links are references to a note, and which element the note is.

Pages mark a footnote the same few ways: a superscript link to the note further down
(``note<sup><a href="#fn1">1</a></sup>``, Wikipedia's ``<sup class="reference"><a
href="#cite_note-2">[2]</a></sup>``, pandoc's ``<a href="#fn1" role="doc-noteref"><sup>1</sup>
</a>``), and the note an element with that id (a list item, a paragraph) holding the note's
text and links back up to the reference (``^``, ``↩``). A reference becomes the source format's
``[^1]``, and the note its definition; a link back is navigation, left out and reported.

A link is a reference only when the page says so: its text is a note's mark (``1``, ``[2]``,
``a``, ``*``), it is or holds a superscript, is bracketed, or its markup names a note, and it
points to an element further down that holds text and no heading. So "see section <a
href="#s2">2</a>" stays text, and so does a reference whose note the page lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .tree import Element, Text

#: The text of a note's mark: a number, a letter or two, a roman numeral or a symbol, bracketed
#: or not, maybe named ("[note 1]", "[nb 2]", as Wikipedia's grouped notes are).
_MARK = re.compile(
    r"\[?\s*(?:(?:note|nb|n)\s*)?([0-9]{1,4}|[a-z]{1,2}|[ivxlc]{1,6}|[*\u2020\u2021\u00a7\u00b6]{1,3})"
    r"\s*\]?",
    re.IGNORECASE,
)
#: Markup tokens (class, id, rel, role) that name a note or a reference to one.
_NOTE_WORDS = re.compile(r"foot|note|fn|cite|ref", re.IGNORECASE)
#: The words (of a class or id split at "-" and "_") that name a link back from a note to its
#: reference: "backlink", "cite-backlink", "back-ref", "footnote-back". A whole word only, so
#: "has-background" or "feedback-form" names nothing.
_BACK_WORDS = frozenset({"back", "backlink", "backlinks", "backref", "backrefs", "return"})
#: What a link back's text is when its markup does not say: arrows and carets.
_BACK_TEXT = re.compile(r"[\s\^\u2191\u21a9\u2934\ufe0e\ufe0f]+")
#: Elements a note can be: the block holding its text.
_NOTE_BLOCKS = frozenset({"li", "p", "dt", "dd", "tr", "td", "div", "aside", "span"})
#: Elements a note never holds: a note with one of these inside is a part of the page.
_NOT_IN_NOTES = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "article", "main", "section"})
#: What a note's text starts with before its words: a link-back arrow, its mark, a full stop.
_NOTE_LEAD = re.compile(r"^[\s\^\u2191\u21a9\ufe0e\ufe0f]*")


def _elements(root: Element) -> Iterator[Element]:
    todo = [root]
    while todo:
        current = todo.pop()
        yield current
        todo.extend(c for c in reversed(current.children) if isinstance(c, Element))


def _text(element: Element, links: bool = True) -> str:
    """The words of ``element``, one space between them; without the text of its links when
    ``links`` is false (what a backlink's wrapper holds besides them)."""
    parts: list[str] = []
    todo: list[Element | Text] = [element]
    while todo:
        current = todo.pop()
        if isinstance(current, Text):
            parts.append(current.text)
        elif links or current.tag != "a":
            todo.extend(reversed(current.children))
    return " ".join("".join(parts).split())


def _markup(element: Element) -> str:
    return " ".join(element.attrs.get(key, "") for key in ("class", "id", "rel", "role"))


def _names_back(element: Element) -> bool:
    """Whether the element's class or id has a word that names a link back."""
    words = re.split(
        r"[\s_-]+", " ".join((element.attrs.get("class", ""), element.attrs.get("id", "")))
    )
    return any(w.lower() in _BACK_WORDS for w in words)


def _inside(element: Element, ancestor: Element) -> bool:
    node: Element | None = element
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


@dataclass
class Notes:
    """A page's references and notes, and the numbers the article gives them as it refers to
    them (in order of first reference, as the source format numbers its notes)."""

    #: Each reference (the ``<a>``, or the ``<sup>`` that is all of it) -> its note's element.
    references: dict[Element, Element] = field(default_factory=dict)
    #: The marks the references are written with, so a note's own copy of its mark is left out.
    marks: dict[Element, str] = field(default_factory=dict)
    #: The elements that are notes, each with its place in the page (so they are listed in
    #: page order), and the links in them that lead back to a reference.
    notes: dict[Element, int] = field(default_factory=dict)
    backlinks: set[Element] = field(default_factory=set)
    #: A note's mark written apart from its text: the ``<dt>`` of a note that is the ``<dd>``
    #: after it, the first cell of a note that is a table row. Left out, as the note's number
    #: is the source format's.
    labels: set[Element] = field(default_factory=set)
    #: Each note referred to so far, in order; its number is its place in this list, from 1.
    numbered: list[Element] = field(default_factory=list)
    #: Each note's number, as :attr:`numbered` gives it (kept so a number is found at once).
    numbers: dict[Element, int] = field(default_factory=dict)
    #: Each note's marks, the first time :meth:`lead` needs them (indexed once, not per note).
    note_marks: dict[Element, set[str]] | None = None
    #: Each numbered note's mark as its first reference shows it ("3", "b").
    first_marks: dict[Element, str] = field(default_factory=dict)

    def number(self, reference: Element) -> int:
        """The number of the note ``reference`` points to, given on its first reference."""
        note = self.references[reference]
        if note not in self.numbers:
            self.numbered.append(note)
            self.numbers[note] = len(self.numbered)
            self.first_marks[note] = self.marks.get(reference, "")
        return self.numbers[note]

    def strip_lead(self, note: Element, text: str) -> str:
        """A note's text without what it starts with that is not the note: arrows, its mark."""
        if self.note_marks is None:
            self.note_marks = {}
            for reference, target in self.references.items():
                self.note_marks.setdefault(target, set()).add(self.marks[reference])
        text = _NOTE_LEAD.sub("", text, count=1)
        for mark in sorted(self.note_marks.get(note, ()), key=len, reverse=True):
            # A mark is left out only bracketed or with its stop ("[1]", "1."): a note may
            # start with a number of its own ("1 in 5 households...").
            for written in (f"[{mark}]", f"{mark}.", f"{mark})", f"{mark}:"):
                rest = text[len(written) :]
                if text.startswith(written) and (not rest or rest[0].isspace()):
                    return rest.lstrip()
        return text


def _reference_node(link: Element) -> Element:
    """The node a reference is: the link, or the ``<sup>`` around it when that holds nothing
    else but brackets (``<sup>[<a href="#n1">1</a>]</sup>``)."""
    parent = link.parent
    if parent is not None and parent.tag == "sup":
        rest = [c for c in parent.children if c is not link]
        if all(isinstance(c, Text) and not c.text.strip(" []()\n\t") for c in rest):
            return parent
    return link


def _says_reference(link: Element, text: str) -> bool:
    """Whether the link's markup or text makes it a reference, not a link that is a number."""
    parent = link.parent
    return (
        (parent is not None and parent.tag == "sup")
        or any(isinstance(c, Element) and c.tag == "sup" for c in _elements(link))
        or text.startswith("[")
        or bool(_NOTE_WORDS.search(_markup(link)))
    )


def _note_block(target: Element, targets: set[Element]) -> Element | None:
    """The element holding the note's text: the target, or the block around an anchor in it;
    for a ``<dt>``, the ``<dd>`` after it. None when that block holds another note's target
    too (a list of notes is no one note) or a part of the page."""
    node: Element | None = target
    while node is not None and node.tag not in _NOTE_BLOCKS:
        node = node.parent
    if node is not None and node.tag == "dt":
        node = _next_element(node) or node
        node = node if node.tag == "dd" else None
    if node is None:
        return None
    inside = list(_elements(node))
    if any(e.tag in _NOT_IN_NOTES for e in inside) or len(targets.intersection(inside)) > 1:
        return None
    return node


def _next_element(element: Element) -> Element | None:
    parent = element.parent
    if parent is None:
        return None
    siblings = [c for c in parent.children if isinstance(c, Element)]
    place = next(i for i, c in enumerate(siblings) if c is element)
    return siblings[place + 1] if place + 1 < len(siblings) else None


def _label(note: Element) -> Element | None:
    """The element apart from a note's text that is only its mark, if any: the ``<dt>``
    before a ``<dd>``, a row's first cell."""
    if note.tag == "dd":
        parent = note.parent
        siblings = [c for c in parent.children if isinstance(c, Element)] if parent else []
        place = next((i for i, c in enumerate(siblings) if c is note), 0)
        before = siblings[place - 1] if place else None
        return before if before is not None and before.tag == "dt" else None
    if note.tag == "tr":
        cells = [c for c in note.children if isinstance(c, Element) and c.tag in ("td", "th")]
        if len(cells) > 1 and _MARK.fullmatch(_text(cells[0]).rstrip(".):")):
            return cells[0]
    return None


def find_notes(tree: Element, root: Element, in_headings: set[Element]) -> Notes:
    """The references inside ``root`` (the article) and the notes they point to, anywhere on
    the page. A link in a heading (``in_headings``) stays its text: a section's heading shows
    no note."""
    ids: dict[str, Element] = {}
    order: dict[Element, int] = {}
    for position, element in enumerate(_elements(tree)):
        order[element] = position
        for key in ("id", "name") if element.tag == "a" else ("id",):
            ids.setdefault(element.attrs.get(key, ""), element)
    found = Notes()
    candidates: list[tuple[Element, Element, str, re.Match[str]]] = []
    for link in _elements(root):
        href = link.attrs.get("href", "") if link.tag == "a" else ""
        target = ids.get(href[1:]) if href.startswith("#") and len(href) > 1 else None
        if target is None or link in in_headings:
            continue
        text = _text(link)
        mark = _MARK.fullmatch(text)
        if mark is not None:
            candidates.append((link, target, text, mark))
    targets = {target for _, target, _, _ in candidates}
    blocks: dict[Element, Element | None] = {}
    for link, target, text, mark in candidates:
        if target not in blocks:
            blocks[target] = _note_block(target, targets)
        note = blocks[target]
        if (
            note is None
            or not _says_reference(link, text)
            or _inside(link, note)
            or _inside(note, link)
            or order[note] < order[link]
        ):
            continue
        node = _reference_node(link)
        found.references[node] = note
        found.marks[node] = mark.group(1)
        found.notes[note] = order[note]
        if (label := _label(note)) is not None:
            found.labels.add(label)
    # A reference's id is on the link itself, or on the superscript or span around it
    # (Wikipedia's ``<sup id="cite_ref-1">``), never on the section or article it is in: a
    # note's link to those is a link of its text.
    reference_ids = {
        element.attrs["id"]
        for node in found.references
        for element in (*_elements(node), *_wrappers(node))
        if element.attrs.get("id")
    }
    for note in found.notes:
        for element in _elements(note):
            if element is not note and _is_backlink(element, reference_ids):
                found.backlinks.add(element)
    return found


def _is_backlink(element: Element, reference_ids: set[str]) -> bool:
    """Whether ``element``, inside a note, is a link back up to a reference: a link to a
    reference's id, or whose markup names it one (a whole word: "backlink", "back-ref"), or
    whose text is only an arrow; or an inline element named one that holds only such links
    (Wikipedia's ``<span class="mw-cite-backlink">^ <a>a</a> <a>b</a></span>``)."""
    if element.tag == "a":
        href = element.attrs.get("href", "")
        return (
            (href.startswith("#") and href[1:] in reference_ids)
            or _names_back(element)
            or _BACK_TEXT.fullmatch(_text(element) or "x") is not None
        )
    if element.tag not in ("span", "sup", "b", "small") or not _names_back(element):
        return False
    links = [e for e in _elements(element) if e.tag == "a"]
    if not links or not all(_is_backlink(link, reference_ids) for link in links):
        return False
    return _BACK_TEXT.fullmatch(_text(element, links=False) or " ") is not None


def _wrappers(element: Element) -> Iterator[Element]:
    """The inline element immediately around a reference (a ``<sup>`` or ``<span>``), which
    may hold its id."""
    parent = element.parent
    if parent is not None and parent.tag in ("sup", "span"):
        yield parent
