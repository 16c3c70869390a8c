"""Reading a saved web page: its charset, its content root, its meta tags, tables and images.

The page is decoded as browsers decode it (:mod:`.charset`) and parsed by html5lib as the HTML
standard says (:mod:`.tree`), each node keeping its line. Units come from the ``<article>``
element (else ``<main>``, else the body): one for each paragraph, list item, quote, heading,
data table and image. Navigation, asides and forms inside it, the page's footer, skip links,
what the markup marks as site furniture, hidden elements and reader comments (:mod:`.hidden`),
and all text outside it, are reported as dropped.

Nesting is only as deep as the page makes it, so every walk of the tree keeps its own stack
instead of recursing: a page of a thousand nested ``<div>`` reads like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from ..model import roman_numeral
from ..sources.patterns import LANG_PATTERN
from .boilerplate import is_skip_link
from .charset import decode_page
from .hidden import left_out
from .notes import Notes, find_notes
from .tree import Element as _Element
from .tree import Text as _Text
from .tree import parse_page
from .units import NOTE_REF_CHARS, Drop, Note, Page, Unit, UnitKind, note_ref, shown_text

#: Elements whose content is not article text at all (code, media, form controls, the head).
_SKIP = frozenset(
    """script style noscript template svg math iframe canvas button select option textarea
    head title object video audio picture map #comment #doctype""".split()
)
#: Site chrome inside the content: left out, and reported line by line.
_CHROME = frozenset({"nav", "aside", "form", "dialog"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements that start a block of their own: their text is never joined to the text around them.
_BLOCKS = frozenset(
    """address article aside blockquote body center dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p
    pre section summary table tbody td tfoot th thead tr ul caption""".split()
)
#: Stands for <br> while whitespace is collapsed (a character no web page text contains).
_BREAK = "\x1e"
#: Brackets a ``<sup>`` of digits until the text before it is known (:func:`_superscript`):
#: a noncharacter, as :data:`.units.NOTE_REF` is.
_SUP = "\ufdd1"
#: The characters the reader writes into text, taken out of the page's own text first.
_OWN_CHARS = str.maketrans("", "", _BREAK + _SUP + NOTE_REF_CHARS)
#: A ``<sup>`` that is a number ("1", "-1"), or numbers cited together ("1,2", "3-5").
_SUP_NUMBER = re.compile(r"[-\u2212]?[0-9]{1,4}")
#: A ``<sup>`` that is one letter: a note's mark ("treaty<sup>a</sup>"), or after a number
#: an ordinal's ending ("2<sup>e</sup>").
_SUP_LETTER = re.compile(r"[A-Za-z]")
#: The chemical elements' symbols of two letters, after which a superscript number is a charge
#: or an index ("Fe³"), not a citation; those that are also capitalised English words ("He",
#: "In", "No"), common surnames ("Premier Li", Lu, Ho, Ge), abbreviations ("& Co", Sr, Fr,
#: Mt, Md) or names (Al, the river Po) are left out.
_ELEMENTS = frozenset(
    """Ac Ag Ar Au Ba Bh Bi Bk Br Ca Cd Ce Cf Cl Cm Cn Cr Cs Cu Db Ds Dy Er Es Eu Fe Fl Fm Ga
    Gd Hf Hg Hs Ir Kr La Lr Lv Mc Mg Mn Mo Na Nb Nd Ne Nh Ni Np Og Os Pa Pb Pd Pm Pr Pt Pu Ra
    Rb Re Rf Rg Rh Rn Ru Sb Sc Se Sg Si Sm Sn Ta Tb Tc Te Th Ti Tl Tm Ts Xe Yb Zn Zr""".split()
)
_SUP_NUMBERS = re.compile(r"[0-9]{1,4}(?:\s*[,\u2013-]\s*[0-9]{1,4})+")
#: Units of measure a superscript number is the power of ("km²"), in the scripts that write
#: them apart ("كم²", "км²"); a single letter ("m²", "x²") is one too.
_UNITS = frozenset("cm mm km dm nm µm μm ft in mi yd sq كم سم مم км см мм".split())
_SUPERSCRIPTS = str.maketrans("0123456789-\u2212", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")


def _iter(element: _Element) -> Iterator[_Element]:
    """The elements inside ``element``, in document order."""
    todo = [c for c in reversed(element.children) if isinstance(c, _Element)]
    while todo:
        current = todo.pop()
        yield current
        todo.extend(c for c in reversed(current.children) if isinstance(c, _Element))


def _mark_blocks(tree: _Element) -> None:
    """Set ``has_block`` on every element, children before parents, in one pass."""
    for element in reversed([tree, *_iter(tree)]):
        element.has_block = any(
            isinstance(c, _Element) and (c.tag in _BLOCKS or c.tag in _CHROME or c.has_block)
            for c in element.children
        )


def _raw_text(
    node: _Element | _Text,
    dropped: list[Drop] | None = None,
    images: list[_Element] | None = None,
    notes: Notes | None = None,
) -> str:
    """The text of a node, ``<br>`` as a break; without scripts, styles and the like.

    With ``dropped``, hidden elements and reader comments inside are left out and each is
    added to it; without, their text is kept (it is the text of something already dropped).
    With ``images``, the ``<img>`` elements inside are added to it. With ``notes``, a
    reference to a footnote is its :func:`note_ref`, a note is left out (it is read on its
    own) and so is a link back from one, added to ``dropped``.
    """
    parts: list[str] = []
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, _Text):
            parts.append(current.text)
        elif current.tag == "br":
            parts.append(_BREAK)
        elif current.tag in _SKIP:
            continue
        elif notes is not None and current in notes.references:
            parts.append(note_ref(notes.number(current)))
        elif notes is not None and current in notes.notes:
            continue
        elif notes is not None and current in notes.backlinks:
            if dropped is not None:
                _drop_inline(current, dropped, BACKLINK)
        elif notes is not None and current in notes.labels:
            if dropped is not None:
                _drop_inline(current, dropped, NOTE_LABEL)
        elif current.tag == "img" and images is not None:
            images.append(current)
        elif dropped is not None and (reason := _left_out(current)):
            _drop_inline(current, dropped, reason)
        elif current.tag == "sup" and (number := _sup_number(current, notes)):
            parts.append(f"{_SUP}{number}{_SUP}")
        elif current.tag in _BLOCKS and current is not node:
            # A block inside a cell, heading or caption (a list of names in an infobox's
            # cell) is a line of its own: its words are never joined to the next block's.
            todo += [_Text(_BREAK, current.line), *reversed(current.children)]
            parts.append(_BREAK)
        else:
            todo.extend(reversed(current.children))
    return "".join(parts)


#: Why a link in a note is left out: it leads back up to the reference.
BACKLINK = "link back from a note"
#: Why a note's mark written apart from it (a ``<dt>``, a row's first cell) is left out.
NOTE_LABEL = "mark of a note"


#: The most characters of a ``<sup>`` read to see whether it is a number ("1,2,3" is short).
_SUP_CHARS = 40


def _sup_number(sup: _Element, notes: Notes | None) -> str:
    """The number a ``<sup>`` holds (that links to no note), or "" when it holds other text.

    Only its first few characters and nodes are read: a superscript that nests others a
    thousand deep is read a few steps for each of them, not all the way down for each."""
    parts: list[str] = []
    todo: list[_Element | _Text] = list(reversed(sup.children))
    steps = 0
    while todo and sum(map(len, parts)) <= _SUP_CHARS:
        steps += 1
        if steps > _SUP_CHARS:
            return ""
        current = todo.pop()
        if isinstance(current, _Text):
            parts.append(current.text)
        elif notes is not None and current in notes.references:
            return ""
        elif current.tag == "sub":
            return ""  # an index ("x<sup><sub>2</sub></sup>"), never a citation
        else:
            todo.extend(reversed(current.children))
    text = " ".join("".join(parts).split())
    if todo or not (
        _SUP_NUMBER.fullmatch(text) or _SUP_NUMBERS.fullmatch(text) or _SUP_LETTER.fullmatch(text)
    ):
        return ""
    return text


#: How much of the text before a superscript decides what it is: more than the longest word.
_BEFORE_CHARS = 40
#: The token a superscript follows: the word characters, apostrophes and hyphens just before
#: it ("mc", "km", "COVID-19", "USA's", "1990s"), or nothing after a stop or a bracket.
_TOKEN_BEFORE = re.compile(r"[\w'\u2019-]*$")
#: A century or a rank in capital roman numerals, which French follows with a superscript
#: "e" as digits are ("XIXᵉ siècle", "IIᵉ Empire").
_ROMAN_ORDINAL = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
#: A number a power may follow: one or two digits, maybe negative ("10⁹", "-3²").
_BASE_NUMBER = re.compile(r"-?[0-9]{1,2}")
#: A formula in the clause before a superscript: an "=" after the last stop or comma.
_FORMULA = re.compile(r"=[^.!?;,]*$")
#: The most letters of a symbol in a formula ("E = mc²").
_SYMBOL_LETTERS = 3
#: Abbreviations written with their last letter raised ("Mr<sup>s</sup>", Spanish
#: "Sr<sup>a</sup>", French "Mm<sup>e</sup>"): there the letter is part of the word, not a
#: note's mark. (After one capital, "M<sup>r</sup>" or "N<sup>o</sup>", it always is.)
_RAISED_ENDINGS = frozenset("Mrs Mme Mlle Mgr Sra Srta Dra Sta Ste Cie Nos Nro".split())


def _is_power(before: str) -> bool:
    """Whether a superscript number after ``before`` is a power (see :func:`_superscript`)."""
    token = _TOKEN_BEFORE.search(before)
    word = token.group(0) if token else ""
    if not word:
        return before.endswith(")")
    if _BASE_NUMBER.fullmatch(word):
        return True
    if not word.isalpha():
        return False
    return (
        len(word) == 1
        or word in _UNITS
        or (word in _ELEMENTS and not _after_a_name(before[: -len(word)]))
        or (len(word) <= _SYMBOL_LETTERS and _FORMULA.search(before[: -len(word)]) is not None)
    )


def _after_a_name(before: str) -> bool:
    """Whether the text before a word ends with a capitalised word and a space: the word is
    then part of a name ("Ca Pa La", a romanised name, or "President Na"), not an element's
    symbol, however its letters read."""
    if not before.endswith(" "):
        return False
    token = _TOKEN_BEFORE.search(before.rstrip())
    word = token.group(0) if token else ""
    return bool(word) and word[0].isupper() and word.isalpha()


def _superscript(match: re.Match[str]) -> str:
    """A superscript number (or letter: see below) as its text may show it, by the text
    before it.

    It is a power, written with superscript digits, directly after a number of one or two
    digits ("10<sup>6</sup>", "10⁶"), a single letter ("x²", "m/s²"), a unit ("km²"), a
    closing bracket ("(x+1)²"), or a symbol of up to three letters in a formula, after an "="
    in its clause ("E = mc²"). Anything else marks a note the page does not link to, written
    in brackets as a citation and never joined to the word as if it were part of it: after a
    word ("note[1]"), a stop ("reform.[3]"), a longer number ("2019[4]"), or a token that
    mixes letters with digits, hyphens or apostrophes ("COVID-19[4]", "1990s[5]", "USA's[6]",
    "G20[7]").
    """
    number = match.group(1)
    # Only the text just before it is read: a paragraph of thousands of superscripts is read
    # once, not once for each.
    before = match.string[max(0, match.start() - _BEFORE_CHARS) : match.start()]
    if _SUP_LETTER.fullmatch(number):
        # A letter right after a word or a stop is a note's mark ("treaty[a]"), never part of
        # the word; after a number (an ordinal's "2e", or "XIXe" in roman numerals), as a
        # power ("xn") or after a space (a note's links back, "^ a b") it stays as the page
        # has it.
        token = _TOKEN_BEFORE.search(before)
        word = token.group(0) if token else ""
        mark = (
            bool(before)
            and not before[-1].isspace()
            and not (word and word[-1].isdigit())
            and f"{word}{number}" not in _RAISED_ENDINGS
            and not (number == "e" and word and _ROMAN_ORDINAL.fullmatch(word))
            and not _is_power(before)
        )
        return f"[{number}]" if mark else number
    power = _SUP_NUMBER.fullmatch(number) and _is_power(before)
    return number.translate(_SUPERSCRIPTS) if power else f"[{number}]"


#: Elements whose footer is theirs, not the page's (the HTML-AAM mapping of ``contentinfo``).
_SCOPES_A_FOOTER = frozenset({"article", "aside", "main", "nav", "section"})


def _left_out(element: _Element) -> str:
    """Why an element is not the article's text, by its own markup ("" when it is)."""
    if reason := left_out(element.attrs):
        return reason
    if element.tag == "a" and element.attrs.get("href", "").startswith("#"):
        # "Jump to navigation": a link to a place on the same page is a skip link.
        return "web boilerplate" if is_skip_link(_clean(_raw_text(element))) else ""
    return ""


def _is_page_footer(element: _Element) -> bool:
    """Whether a ``<footer>`` is the page's (the site's), not an article's or a section's."""
    if element.tag != "footer":
        return False
    parent = element.parent
    while parent is not None and parent.tag not in _SCOPES_A_FOOTER:
        parent = parent.parent
    return parent is None


def _clean(raw: str) -> str:
    """HTML whitespace rules: runs of spaces and newlines are one space; <br> is a line break.

    A superscript number is written as a power or a citation, by the text before it."""
    text = re.sub(r"[ \t\n\r\f]+", " ", raw)
    text = re.sub(f"{_SUP}\\s*([^{_SUP}]*?)\\s*{_SUP}", _superscript, text)
    lines = (line.strip() for line in text.split(_BREAK))
    return "\n".join(line for line in lines if line)


@dataclass
class _Collector:
    """Gathers a page's units in order, joining loose inline text into one unit."""

    units: list[Unit] = field(default_factory=list)
    #: Lines left out of the units (site chrome, hidden elements, reader comments), and why.
    dropped: list[Drop] = field(default_factory=list)
    #: Collect chrome as ordinary units, in document order (for text that is all left out).
    chrome_is_text: bool = False
    #: Collect everything as ordinary units: the content of an element that is itself dropped.
    everything: bool = False
    #: The page's footnotes: references become :func:`note_ref`, notes are read apart.
    notes: Notes = field(default_factory=Notes)
    pending: list[str] = field(default_factory=list)
    pending_line: int = 0
    #: Whether the pending text has more than whitespace (kept, not read again each time).
    pending_shows: bool = False
    #: Images met in the pending text: they become figures after it.
    images: list[_Element] = field(default_factory=list)
    #: How many lists the walk is inside.
    depth: int = 0
    #: The marker of the list item being walked, until its first paragraph takes it: the
    #: item's later paragraphs continue it ("" marker).
    marker: str = ""
    #: The letter or numeral ("b.", "iv.") the item being walked shows in a list that counts
    #: with them: the source format counts lists with digits only, so its first paragraph
    #: starts with it, as text, in a list of bullets.
    label: str = ""
    #: Whether the next item is the first of its list.
    new_list: bool = False
    #: Whether the walk is inside a cell of a table that lays out the page.
    in_cell: bool = False

    @property
    def sink(self) -> list[Drop] | None:
        """Where inline text that is left out goes; None when everything is collected."""
        return None if self.everything else self.dropped

    def text(self, node: _Element) -> str:
        """The inline text of ``node``, what is left out of it recorded, its images kept."""
        return _raw_text(node, self.sink, self.images, self.notes)

    def inline(self, raw: str, line: int) -> None:
        # A unit starts on the line of its first visible text, not of the whitespace before it.
        if raw.strip() and not self.pending_shows:
            self.pending_line = line
            self.pending_shows = True
        self.pending.append(raw)

    def notes_here(self, line: int) -> None:
        """Mark where the page's notes were (one mark for notes that follow each other)."""
        if not self.units or self.units[-1].kind != "notes":
            self.units.append(Unit("", line, "notes"))

    def flush(self, kind: UnitKind) -> None:
        text = _clean("".join(self.pending))
        if text and kind == "item":
            if self.marker and self.label:
                text = f"{self.label} {text}"
            self.units.append(
                Unit(
                    text,
                    self.pending_line,
                    kind,
                    marker=self.marker,
                    depth=max(self.depth - 1, 0),
                    starts_list=self.new_list and bool(self.marker),
                    cell=self.in_cell,
                )
            )
            self.new_list = self.new_list and not self.marker
            self.marker = ""
        elif text:
            self.units.append(Unit(text, self.pending_line, kind, cell=self.in_cell))
        self.pending.clear()
        self.pending_shows = False
        self.units.extend(_figure(image) for image in self.images)
        self.images.clear()


def _figure(image: _Element, caption: str = "") -> Unit:
    """A figure unit for an ``<img>``: its alt text (else its caption), source and caption."""
    alt = _clean(image.attrs.get("alt", "")).replace("\n", " ")
    src = image.attrs.get("src", "").strip()
    return Unit(alt or caption, image.line, "figure", src=src, caption=caption)


#: A walk of part of the tree: each step it yields is a walk of a part inside, which
#: :func:`_run` finishes before resuming it. The walks nest as deep as the page, not the stack.
_Walk = Iterator["_Walk"]


def _run(walk: _Walk) -> None:
    """Run a walk and every walk it yields, depth first, on a stack of our own."""
    stack = [walk]
    while stack:
        inner = next(stack[-1], None)
        if inner is None:
            stack.pop()
        else:
            stack.append(inner)


def _walk(
    element: _Element,
    out: _Collector,
    kind: UnitKind = "paragraph",
    skip: _Element | None = None,
) -> _Walk:
    """Units of an element's content, in document order; ``skip`` is a subtree left out."""
    for child in element.children:
        if isinstance(child, _Text):
            out.inline(child.text, child.line)
        elif child is skip or child.tag in _SKIP:
            continue
        elif child in out.notes.notes:
            # A footnote is read on its own, after the article (:func:`_read_notes`).
            out.flush(kind)
            out.notes_here(child.line)
        elif child in out.notes.backlinks:
            _drop_inline(child, out.dropped, BACKLINK)
        elif child in out.notes.labels:
            _drop_inline(child, out.dropped, NOTE_LABEL)
        elif reason := _reason_to_drop(child, out):
            if child.tag in _BLOCKS or child.has_block:
                out.flush(kind)
                yield _drop(child, out, reason, skip)
            else:
                # Hidden words inside a sentence: the sentence goes on around them.
                _drop_inline(child, out.dropped, reason)
        elif child.tag in _HEADINGS:
            out.flush(kind)
            text = _clean(out.text(child)).replace("\n", " ")
            if text:
                out.units.append(Unit(text, child.line, "heading", int(child.tag[1])))
            out.flush(kind)
        elif child.tag == "img":
            out.images.append(child)
        elif child.tag == "figure" and (images := [e for e in _iter(child) if e.tag == "img"]):
            out.flush(kind)
            captions = [e for e in _iter(child) if e.tag == "figcaption"]
            caption = (
                _clean(_raw_text(captions[0], out.sink, notes=out.notes)).replace("\n", " ")
                if captions
                else ""
            )
            out.units.extend(_figure(image, caption) for image in images)
        elif child.tag == "table" and _is_data_table(child):
            out.flush(kind)
            yield from _table(child, out)
            out.flush(kind)
        elif child.tag == "table":
            out.flush(kind)
            yield _layout_table(child, out, kind, skip)
            out.flush(kind)
        elif child.tag in ("ul", "ol"):
            out.flush(kind)
            yield _walk_list(child, out, skip)
        elif child.tag in _BLOCKS or child.has_block:
            out.flush(kind)
            inner_kind: UnitKind = "quote" if child.tag == "blockquote" else kind
            yield _walk(child, out, inner_kind, skip)
            out.flush(inner_kind)
        else:
            out.inline(out.text(child), child.line)


def _rows(table: _Element) -> list[_Element]:
    """A table's rows in order: its own ``<tr>`` and those of its row groups."""
    rows: list[_Element] = []
    for child in table.children:
        if isinstance(child, _Element) and child.tag == "tr":
            rows.append(child)
        elif isinstance(child, _Element) and child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child.children if isinstance(c, _Element) and c.tag == "tr")
    return rows


def _cells(row: _Element) -> list[_Element]:
    return [c for c in row.children if isinstance(c, _Element) and c.tag in ("th", "td")]


def _is_data_table(table: _Element) -> bool:
    """Whether a table holds data (rows and columns) rather than laying out a page.

    A layout table says so (``role="presentation"``), holds another table, or is a single
    row or column: its content is read as blocks.
    """
    if table.attrs.get("role", "").strip().lower() in ("presentation", "none"):
        return False
    if any(e.tag == "table" for e in _iter(table)):
        return False
    rows = _rows(table)
    return len(rows) >= 2 and max(len(_cells(row)) for row in rows) >= 2


#: The most columns or rows one cell may span (colspan="1000" is not a thousand columns).
_MAX_SPAN = 50


def _span(cell: _Element, attribute: str) -> int:
    """How many columns (``colspan``) or rows (``rowspan``) a cell covers, at most _MAX_SPAN."""
    value = cell.attrs.get(attribute, "").strip()
    return min(int(value), _MAX_SPAN) if _counting(value) and int(value) > 0 else 1


#: The largest first number of a list kept: CommonMark takes nine digits at most, and the
#: numbers after it must fit too. A page's larger "start" is a slip; the list starts at 1.
_MAX_START = 999_999


def _counting(value: str) -> bool:
    """Whether an attribute is a count in ASCII digits: "²" and "٣" are digits to Python, but
    no browser reads them as a number there, and int() refuses the first."""
    return value.isascii() and value.isdigit()


def _fill_covered(cells: list[str], covered: dict[int, int]) -> None:
    """Add an empty cell for each column from the end of ``cells`` a cell above covers."""
    while covered.get(len(cells), 0) > 0:
        covered[len(cells)] -= 1
        cells.append("")


def _table(table: _Element, out: _Collector) -> _Walk:
    """A data table as a table unit, the header row first; its caption before it."""
    for child in table.children:
        if isinstance(child, _Element) and child.tag == "caption":
            yield _walk(child, out)
            out.flush("paragraph")
    rows: list[list[str]] = []
    # Columns still covered by a cell of a row above (rowspan): column -> rows left to cover.
    covered: dict[int, int] = {}
    for row in _rows(table):
        if row in out.notes.notes:
            # A row that is a footnote is read on its own, after the article.
            out.notes_here(row.line)
            continue
        if _reason_to_drop(row, out):
            continue
        cells: list[str] = []
        for cell in _cells(row):
            _fill_covered(cells, covered)
            text = _clean(out.text(cell)).replace("\n", " ")
            across = _span(cell, "colspan")
            down = _span(cell, "rowspan")
            for column in range(len(cells), len(cells) + across):
                if down > 1:
                    covered[column] = down - 1
            cells += [text] + [""] * (across - 1)
        _fill_covered(cells, covered)
        for column in range(len(cells), max(covered, default=-1) + 1):
            covered[column] = max(0, covered.get(column, 0) - 1)
        if any(cells):
            rows.append(cells)
    if not rows:
        return
    width = max(len(row) for row in rows)
    padded = tuple(tuple(row + [""] * (width - len(row))) for row in rows)
    text = "\n".join(" | ".join(row) for row in padded)
    out.units.append(Unit(text, table.line, "table", rows=padded))


#: A row of a layout table is one line of text when its cells are this short (in words), but for
#: one: a mark and a sentence ("✓ | Signed in 2019."), a label and its value.
_SHORT_CELL_WORDS = 3


def _layout_table(table: _Element, out: _Collector, kind: UnitKind, skip: _Element | None) -> _Walk:
    """A table that lays out the page, read row by row as the text it shows.

    A row of short data cells, or of short ones beside one longer, is one paragraph, as a
    reader reads it across ("✓ Signed in 2019."); any other row gives each cell's blocks in
    turn. A
    cell's text is kept whatever it says (:attr:`Unit.cell`).
    """
    was_in_cell, out.in_cell = out.in_cell, True
    for child in table.children:
        if isinstance(child, _Element) and child.tag == "caption":
            yield _walk(child, out, kind, skip)
            out.flush(kind)
    for row in _rows(table):
        if row is skip or row in out.notes.notes:
            continue
        if reason := _reason_to_drop(row, out):
            yield _drop(row, out, reason, skip)
            continue
        # A cell that is a footnote is read on its own, after the article.
        cells = [cell for cell in _cells(row) if cell not in out.notes.notes]
        if not cells:
            out.notes_here(row.line)
            continue
        texts = [] if _has_inside(row, skip) else _row_texts(cells, out)
        if texts is not None and sum(len(t.split()) > _SHORT_CELL_WORDS for t in texts) <= 1:
            for cell in cells:
                out.inline(" ", cell.line)
                yield _walk(cell, out, kind, skip)
            out.flush(kind)
            continue
        for cell in cells:
            if reason := _reason_to_drop(cell, out):
                yield _drop(cell, out, reason, skip)
                continue
            yield _walk(cell, out, kind, skip)
            out.flush(kind)
    out.in_cell = was_in_cell


def _has_inside(element: _Element, node: _Element | None) -> bool:
    """Whether ``node`` is ``element`` or inside it."""
    while node is not None:
        if node is element:
            return True
        node = node.parent
    return False


def _row_texts(cells: list[_Element], out: _Collector) -> list[str] | None:
    """The text of each cell of a row, or None when a cell holds blocks, heads the row (a
    ``<th>`` is a line of its own, as a label above or beside what it names) or is left out."""
    if any(cell.has_block or cell.tag == "th" or _reason_to_drop(cell, out) for cell in cells):
        return None
    return [_clean(_raw_text(cell)) for cell in cells]


def _reason_to_drop(element: _Element, out: _Collector) -> str:
    """Why ``element`` is left out of what ``out`` collects ("" when it is not)."""
    if out.everything:
        return ""
    if reason := _left_out(element):
        return reason
    if not out.chrome_is_text and _is_page_footer(element):
        return "site footer"
    return "site navigation" if element.tag in _CHROME and not out.chrome_is_text else ""


def _drop(element: _Element, out: _Collector, reason: str, skip: _Element | None) -> _Walk:
    """Record each unit of a dropped element's content in ``out.dropped``, with ``reason``."""
    # The notes stay out of it: a note a dropped part holds is still read as a note.
    inner = _Collector(chrome_is_text=True, everything=True, notes=out.notes)
    yield _walk(element, inner, skip=skip)
    inner.flush("paragraph")
    out.dropped.extend(
        Drop(shown_text(u.text).replace("\n", " "), u.line, reason) for u in inner.units
    )


def _drop_inline(element: _Element, dropped: list[Drop], reason: str) -> None:
    """Record the text of a dropped inline element as one dropped line."""
    text = _clean(_raw_text(element)).replace("\n", " ")
    if text:
        dropped.append(Drop(text, element.line, reason))


def _letters(number: int, capitals: bool) -> str:
    """``number`` (from 1) as a list counts with letters: a to z, then aa, ab...; 0 has no
    letter, and a browser shows it in digits."""
    if number < 1:
        return str(number)
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("a") + rest) + text
    return text.upper() if capitals else text


#: The largest number roman numerals write: a browser shows 0 and those past it in digits.
_MAX_ROMAN = 3999


def _roman(number: int, capitals: bool) -> str:
    """``number`` (from 1 to 3999) as a list counts with roman numerals: i, ii, iii, iv..."""
    return roman_numeral(number, capitals) if 1 <= number <= _MAX_ROMAN else str(number)


#: What a list counts with, by its ``type`` (HTML) or its ``list-style-type`` (CSS): letters or
#: roman numerals, in capitals or not. Digits (``1``, ``decimal``) are the source format's own.
_COUNTERS: dict[str, tuple[Callable[[int, bool], str], bool]] = {
    "a": (_letters, False),
    "A": (_letters, True),
    "i": (_roman, False),
    "I": (_roman, True),
    "lower-alpha": (_letters, False),
    "lower-latin": (_letters, False),
    "upper-alpha": (_letters, True),
    "upper-latin": (_letters, True),
    "lower-roman": (_roman, False),
    "upper-roman": (_roman, True),
}
#: A list style in an inline ``style``: ``list-style-type: lower-alpha`` or ``list-style: ...``.
_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*([^;]*)", re.IGNORECASE)


def _counter(ol: _Element, item: _Element) -> Callable[[int], str] | None:
    """How the items of ``ol`` are counted when not with digits (``item`` may say otherwise
    for itself), or None for digits."""
    for element in (item, ol):
        kind = element.attrs.get("type", "").strip()
        styled = _LIST_STYLE.search(element.attrs.get("style", ""))
        words = styled.group(1).lower().split() if styled else []
        for name in (kind, *words):
            if name in _COUNTERS:
                count, capitals = _COUNTERS[name]
                return lambda number: count(number, capitals)
            if name in ("1", "decimal"):
                return None
    return None


def _walk_list(element: _Element, out: _Collector, skip: _Element | None) -> _Walk:
    """The items of a list, each as deep as the lists around it; a list directly inside a
    list (a common slip for one inside an item) nests under the item before it."""
    start = element.attrs.get("start", "")
    number = int(start) if _counting(start) and int(start) <= _MAX_START else 1
    out.depth += 1
    out.new_list = True
    for child in element.children:
        if isinstance(child, _Text):
            # Text between the items: a browser shows it, so it is a paragraph of its own.
            out.inline(child.text, child.line)
            continue
        if child is skip or child.tag in _SKIP:
            continue
        out.flush("paragraph")
        if child in out.notes.notes:
            # A note keeps its number's place: the items after it are numbered as shown.
            number += child.tag == "li"
            out.notes_here(child.line)
            continue
        if reason := _reason_to_drop(child, out):
            yield _drop(child, out, reason, skip)
        elif child.tag in ("ul", "ol"):
            yield _walk_list(child, out, skip)
        elif child.tag != "li":
            yield _walk(child, out, "paragraph", skip)
            out.flush("paragraph")
        else:
            counted = _counter(element, child) if element.tag == "ol" else None
            out.marker = f"{number}." if element.tag == "ol" and counted is None else "-"
            out.label = f"{counted(number)}." if counted is not None else ""
            number += 1
            yield _walk(child, out, "item", skip)
            out.flush("item")
            out.marker = out.label = ""
    out.flush("paragraph")
    out.depth -= 1
    out.new_list = False


def _articles(tree: _Element) -> tuple[list[_Element], list[_Element]]:
    """The outermost <article> elements: those a reader sees, and those hidden or in comments.

    An article inside another never has more text than the one around it, so only the
    outermost are candidates (and the text of each is counted once, however deep they nest).
    """
    seen: list[_Element] = []
    unseen: list[_Element] = []
    todo: list[tuple[_Element, bool]] = [(tree, False)]
    while todo:
        element, dropped = todo.pop()
        dropped = dropped or bool(left_out(element.attrs))
        if element.tag == "article":
            (unseen if dropped else seen).append(element)
            continue
        todo.extend((c, dropped) for c in reversed(element.children) if isinstance(c, _Element))
    return seen, unseen


def _content_root(tree: _Element) -> _Element:
    """The article element with the most text, else <main>, else the body, else everything.

    A hidden article, or one in a comment thread, is the root only when there is no other.
    """
    seen, unseen = _articles(tree)
    if seen or unseen:
        return max(seen or unseen, key=lambda e: len(_clean(_raw_text(e, []))))
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


def _lang(root: _Element) -> str:
    """The language of ``root``: the ``lang`` of it or of the nearest element around it that
    has one, when it is a language tag; "" when none says ("" itself means unknown)."""
    element: _Element | None = root
    while element is not None:
        if "lang" in element.attrs:
            lang = element.attrs["lang"].strip()
            return lang if LANG_PATTERN.fullmatch(lang) else ""
        element = element.parent
    return ""


def _shows_no_notes(root: _Element) -> set[_Element]:
    """The elements in headings and captions, whose references to notes stay their text:
    a section's heading and a figure's caption are plain text in the source format."""
    return {
        inner
        for element in _iter(root)
        if element.tag in _HEADINGS or element.tag == "figcaption"
        for inner in _iter(element)
    }


def _read_notes(notes: Notes, out: _Collector) -> tuple[Note, ...]:
    """Each note the article refers to, in number order: its paragraphs, without its links
    back to the reference or its own copy of the mark. A note that refers to another numbers
    that one in turn."""
    found: list[Note] = []
    while len(found) < len(notes.numbered):
        element = notes.numbered[len(found)]
        inner = _Collector(notes=notes)
        _run(_walk(element, inner))
        inner.flush("paragraph")
        out.dropped += inner.dropped
        paragraphs = [u.text for u in inner.units if u.kind != "figure"]
        out.dropped += [
            Drop(u.text, u.line, "image in a note") for u in inner.units if u.kind == "figure"
        ]
        if paragraphs:
            paragraphs[0] = notes.strip_lead(element, paragraphs[0])
        kept = tuple(p for p in paragraphs if p)
        found.append(Note(len(found) + 1, kept, element.line, notes.first_marks.get(element, "")))
    numbered = set(notes.numbered)
    for element in sorted(notes.notes.keys() - numbered, key=notes.notes.__getitem__):
        # A note only a part of the page left out refers to: it goes with that part.
        text = _clean(_raw_text(element)).replace("\n", " ")
        if text:
            out.dropped.append(Drop(text, element.line, "note of text left out"))
    return tuple(found)


def read_page(data: bytes, name: str) -> Page:
    """A saved web page: the article element (or main content) with a real HTML parser."""
    tree = parse_page(decode_page(data, name).translate(_OWN_CHARS))
    _mark_blocks(tree)
    root = _content_root(tree)
    notes = find_notes(tree, root, _shows_no_notes(root))
    content = _Collector(notes=notes)
    _run(_walk(root, content, skip=None))
    content.flush("paragraph")
    outside = _Collector(chrome_is_text=True, notes=notes)
    if root is not tree:
        _run(_walk(tree, outside, skip=root))
        outside.flush("paragraph")
    page_notes = _read_notes(notes, content)
    title, author_name, url = _page_info(tree)
    units = list(content.units)
    if not any(u.kind == "heading" and u.level == 1 for u in units):
        # A page may put its <h1> in a header above the article element.
        h1 = next((u for u in outside.units if u.kind == "heading" and u.level == 1), None)
        if h1 is not None:
            outside.units.remove(h1)
            units.insert(0, h1)
    drops = content.dropped + outside.dropped
    drops += [
        Drop(shown_text(u.text).replace("\n", " "), u.line, "outside the article")
        for u in outside.units
    ]
    blocks = [replace(u, block=i) for i, u in enumerate(units)]
    return Page(
        tuple(blocks),
        tuple(sorted(drops, key=lambda d: d.line)),
        title,
        author_name,
        url,
        _lang(root),
        page_notes,
    )
