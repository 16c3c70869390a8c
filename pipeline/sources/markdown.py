"""CommonMark bodies -> blocks, split into sections at level-2 headings.

markdown-it-py does the parsing; this module only walks its token stream. Raw HTML is switched
off, so markup in a source reaches the model as plain text and is escaped by each renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from ..errors import SourceError
from ..model import Block, BlockKind, Cell, Run, Table, roman_numeral, roman_value
from .problems import SourceWarning, Warnings

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

    from .images import ImageReader

#: The only link targets a brief keeps; any other link is shown as its text.
SAFE_SCHEMES = ("http://", "https://", "mailto:")

#: How deep lists and block quotes may nest inside each other. Deeper is an error: markdown-it
#: stops parsing at its nesting limit and drops the rest of the body without a word, so the
#: limit it is given lets through everything this deep, and whatever would reach it is refused.
MAX_NESTING = 20
#: markdown-it's own limit, in its levels: a list takes two (the list and its item), a quote one.
_PARSER_NESTING = 2 * MAX_NESTING + 1


@dataclass(frozen=True)
class Heading:
    """A level-1 or level-2 heading in a body: the start of a section."""

    title: str
    line: int
    #: The footnotes its text refers to, which a heading (plain text) cannot show.
    notes: tuple[int, ...] = ()


@dataclass
class _Counter:
    """The markers of one open list: bullets (``number`` None), numbers, letters or Roman
    numerals."""

    #: The next item's number (from 1 for "a" and "i"), or None for bullets.
    number: int | None = None
    #: For a lettered list, its first letter ("a" or "A") and the form of its markers; for
    #: one in Roman numerals, "i" or "I".
    letter: str = ""
    form: str = "{}."
    #: Whether each item's text starts with its marker, to be taken off: a bullet list the
    #: source letters or numbers by hand ("- a. ...", "- iv. ..."), as CommonMark has no
    #: lettered lists.
    lettered_by_hand: bool = False
    #: Whether it counts in Roman numerals ("i." "ii." "iii.").
    roman: bool = False
    #: How many quotes were open around the list: one opened since is inside an item.
    quote_depth: int = 0


@dataclass
class _Context:
    """Where the walk is: inside which lists and quotes."""

    quote_depth: int = 0
    lists: list[_Counter] = field(default_factory=list)
    #: The marker waiting for the first paragraph of the current list item.
    pending_marker: str = ""
    #: Inside a footnote's definition: its number (0 outside one), its runs so far, its line.
    note: int = 0
    note_runs: list[Run] = field(default_factory=list)
    note_line: int = 0
    #: Where what the walk finds worth telling goes (a table row's cells beyond its header).
    warnings: Warnings = field(default_factory=list)

    def check_depth(self, line: int, path: Path | None) -> None:
        """Refuse a list or quote opened deeper than :data:`MAX_NESTING` (quotes take fewer of
        markdown-it's levels than lists, so only this count catches the deepest of them)."""
        if self.quote_depth + len(self.lists) > MAX_NESTING:
            raise _too_deep(line, path)


class _ImageInText(Exception):
    """Raised where an image is part of a paragraph's text, a heading, a list, a quote, a
    table or a footnote: only an image that is a paragraph of its own is a figure."""


_IMAGE_IN_TEXT = (
    "an image must be a paragraph of its own to be a figure (not inside text, a heading, a "
    "list, a quote, a table or a footnote): put ![what it shows](path) on a line of its own, "
    "with a blank line before and after"
)


class _TooDeep(Exception):
    """Raised while parsing where markdown-it would drop the rest of the body: at ``line``,
    counted from 0 at the body's first line."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class _NoteTwice(Exception):
    """Raised while parsing at a footnote's second definition, of which markdown-it keeps only
    the last without a word: its label, and the lines of both, counted from 0 at the body's
    first line."""

    def __init__(self, label: str, first: int, second: int):
        super().__init__(label, first, second)
        self.label, self.first, self.second = label, first, second


def _notes_defined_once(state: StateCore) -> None:
    """Refuse a footnote label defined twice, before the footnote plugin's tail keeps the last."""
    first: dict[str, int] = {}
    for token in state.tokens:
        if token.type == "footnote_reference_open" and token.map:
            label = str(token.meta["label"])
            if label in first:
                raise _NoteTwice(label, first[label], token.map[0])
            first[label] = token.map[0]


#: A block rule of markdown-it: (state, first line, end line, silent) -> whether it matched.
TableRule: TypeAlias = "Callable[[StateBlock, int, int, bool], bool]"


def _counting_cells(table: TableRule) -> TableRule:
    """The GFM table rule, noting in each row's ``tr_open`` the cells its line holds.

    A row with more cells than the header keeps only as many, as GFM says, and markdown-it
    drops the rest before any token holds them: the count is what tells the reader so.
    """
    from markdown_it.common.utils import mdTrim
    from markdown_it.rules_block.table import escapedSplit, getLine

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        first = len(state.tokens)
        if not table(state, start, end, silent):
            return False
        for token in state.tokens[first:]:
            if token.type == "tr_open" and token.map:
                # Split as the rule splits: escaped pipes kept, outer pipes not cells.
                cells = escapedSplit(mdTrim(getLine(state, token.map[0])))
                if cells and cells[0] == "":
                    cells.pop(0)
                if cells and cells[-1] == "":
                    cells.pop()
                token.meta["cells"] = [mdTrim(cell) for cell in cells]
        return True

    return rule


def _too_deep(line: int, path: Path | None) -> SourceError:
    return SourceError(
        f"nested deeper than {MAX_NESTING} levels of lists and quotes: "
        "flatten them (nothing this deep can be shown)",
        path,
        line,
    )


@cache
def _parser() -> MarkdownIt:
    # Imported here: a build with every brief up to date parses no Markdown at all.
    from markdown_it import MarkdownIt
    from markdown_it.parser_block import ParserBlock

    class BoundedBlockParser(ParserBlock):
        """The block parser, raising :class:`_TooDeep` where markdown-it would skip the rest of
        the body because it is nested too deeply."""

        def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
            if state.level >= state.md.options.maxNesting:
                line = state.skipEmptyLines(startLine)
                if line < endLine and state.sCount[line] >= state.blkIndent:
                    raise _TooDeep(line)
            super().tokenize(state, startLine, endLine)

    from mdit_py_plugins.footnote import footnote_plugin

    class AnyLinkParser(MarkdownIt):
        """CommonMark that keeps every link, to be judged by :func:`safe_href`."""

        # markdown-it refuses links to javascript:, data: and the like by leaving their Markdown
        # source as text ("[click](javascript:...)"). Accept every link here instead: safe_href
        # then drops any target that is not http, https or mailto, and the reader sees the
        # link's words.
        def validateLink(self, url: str) -> bool:
            return True

    # GFM pipe tables and footnotes ("text[^1]" ... "[^1]: the note") on top of CommonMark.
    parser = AnyLinkParser("commonmark", {"html": False, "maxNesting": _PARSER_NESTING})
    parser.enable("table").use(footnote_plugin)
    parser.core.ruler.before("footnote_tail", "notes_defined_once", _notes_defined_once)
    bounded = BoundedBlockParser()
    bounded.ruler = parser.block.ruler  # the rules as the preset and plugins enabled them
    table = next(rule for rule in bounded.ruler.__rules__ if rule.name == "table")
    bounded.ruler.at("table", _counting_cells(table.fn), {"alt": table.alt})
    parser.block = bounded
    return parser


def safe_href(href: str) -> str | None:
    """The link target if it is one a reader may follow, else None."""
    cleaned = href.strip()
    return cleaned if cleaned.lower().startswith(SAFE_SCHEMES) else None


def parse_body(
    body: str,
    first_line: int,
    path: Path | None = None,
    images: ImageReader | None = None,
    warnings: Warnings | None = None,
) -> list[Block | Heading]:
    """Parse a Markdown body into blocks and section headings, in source order.

    ``first_line`` is the 1-based line of the body's first line in its file (``path``), so
    every block carries its line in the file. Lists and quotes nested deeper than
    :data:`MAX_NESTING` raise :class:`SourceError` at the line where they go too deep, and a
    footnote defined twice at its second definition.

    With ``images``, an image that is a paragraph of its own is a ``figure`` block, read by
    it, and any other image an error; without, an image is its alt text (an author's bio).
    A table row's cells beyond its header, which are not shown, are told in ``warnings``.
    """
    try:
        tokens = _parser().parse(body)
    except _TooDeep as exc:
        raise _too_deep(first_line + exc.line, path) from None
    except _NoteTwice as exc:
        raise SourceError(
            f"the footnote [^{exc.label}] is defined twice (first on line "
            f"{first_line + exc.first}): the second would silently replace the first",
            path,
            first_line + exc.second,
        ) from None
    context = _Context(warnings=[] if warnings is None else warnings)
    return list(_walk(tokens, first_line, path, images, context))


def parse_inline(text: str) -> tuple[Run, ...]:
    """Parse one line of Markdown (a title, a summary) into runs."""
    tokens = _parser().parseInline(text)
    return _runs(tokens[0].children or []) if tokens else ()


def _walk(
    tokens: list[Token],
    first_line: int,
    path: Path | None,
    images: ImageReader | None,
    context: _Context,
) -> Iterator[Block | Heading]:
    line = first_line
    try:
        for i, token in enumerate(tokens):
            line = first_line + (token.map[0] if token.map else 0)
            yield from _block(tokens, i, line, context, first_line, path, images)
    except _ImageInText:
        raise SourceError(_IMAGE_IN_TEXT, path, line) from None


def _block(
    tokens: list[Token],
    i: int,
    line: int,
    context: _Context,
    first_line: int,
    path: Path | None,
    images: ImageReader | None,
) -> Iterator[Block | Heading]:
    """What the token ``tokens[i]``, at ``line``, adds to the body, if anything."""
    token = tokens[i]
    as_text = images is None  # where images are their alt text rather than figures
    kind = token.type
    if kind == "blockquote_open":
        context.quote_depth += 1
        context.check_depth(line, path)
    elif kind == "blockquote_close":
        context.quote_depth -= 1
    elif kind == "ordered_list_open":
        counter = _Counter(int(token.attrGet("start") or 1))
        context.lists.append(replace(counter, quote_depth=context.quote_depth))
        context.check_depth(line, path)
    elif kind == "bullet_list_open":
        counter = _lettered_by_hand(tokens, i) or _Counter()
        context.lists.append(replace(counter, quote_depth=context.quote_depth))
        context.check_depth(line, path)
    elif kind in ("bullet_list_close", "ordered_list_close"):
        context.lists.pop()
    elif kind == "list_item_open":
        context.pending_marker = _next_marker(context.lists[-1])
    elif kind == "heading_open" and (context.note or context.lists or context.quote_depth):
        # A heading inside a footnote, list item or quotation belongs to it, not to the
        # article's outline: it is a line of that note, item or quotation, in bold.
        inline = tokens[i + 1]
        runs = tuple(replace(run, bold=True) for run in _runs(inline.children or [], as_text))
        if context.note:
            if context.note_runs:
                context.note_runs.append(Run("\n"))
            context.note_line = context.note_line or line
            context.note_runs += runs
        else:
            yield replace(_paragraph(inline, line, context, as_text), runs=runs)
    elif kind == "heading_open":
        runs = _runs(tokens[i + 1].children or [], as_text)
        level = int(token.tag[1])
        if level <= 2:
            notes = tuple(run.note for run in runs if run.note)
            yield Heading("".join(run.text for run in runs).strip(), line, notes)
        else:
            yield Block("heading", runs, line, level=level)
    elif kind == "paragraph_open" and context.note:
        if context.note_runs:
            context.note_runs.append(Run("\n"))
        context.note_line = context.note_line or line
        context.note_runs += _runs(tokens[i + 1].children or [], as_text)
    elif kind == "paragraph_open":
        alone = _images_alone(tokens[i + 1])
        inside = context.lists or context.quote_depth
        lettered = (
            None
            if context.quote_depth or context.pending_marker
            else _lettered_lines(tokens[i + 1])
        )
        if images is not None and alone and not inside:
            for image, at in alone:
                yield _figure(image, line + at, images)
        elif lettered is not None:
            # Lines that each start with the next letter ("a. ...", "b. ...") or numeral ("i.",
            # "ii.") are a lettered list, which CommonMark would run together into one
            # paragraph.
            counter, lines = lettered
            for at, children in lines:
                runs = _without_label(_runs(children, as_text))
                marker = _next_marker(counter)
                yield Block(
                    "item",
                    runs,
                    line + at,
                    level=len(context.lists),
                    marker=marker,
                    roman=counter.roman,
                )
        else:
            yield _paragraph(tokens[i + 1], line, context, as_text)
    elif kind == "table_open":
        table, extra = _table(tokens, i, as_text)
        if path is not None:
            context.warnings += (
                SourceWarning(_cells_not_shown(cells, len(table.header)), path, first_line + at)
                for at, cells in extra
            )
        yield Block("table", (), line, table=table)
    elif kind == "footnote_open":
        context.note, context.note_runs, context.note_line = int(token.meta["id"]) + 1, [], 0
    elif kind == "footnote_close":
        runs = tuple(context.note_runs)
        yield Block("note", runs, context.note_line or first_line, level=context.note)
        context.note = 0
    elif kind in ("fence", "code_block"):
        text = token.content.rstrip("\n")
        if text.strip():
            yield Block("code", (Run(text, code=True),), line)


def _images_alone(inline: Token) -> list[tuple[Token, int]]:
    """The images of a paragraph that holds nothing else (but line breaks and spaces), each
    with its line from the paragraph's first; empty when it holds anything else."""
    found: list[tuple[Token, int]] = []
    at = 0
    for child in inline.children or []:
        if child.type == "image":
            found.append((child, at))
        elif child.type in ("softbreak", "hardbreak"):
            at += 1
        elif not (child.type == "text" and not child.content.strip()):
            return []
    return found


def _figure(image: Token, line: int, images: ImageReader) -> Block:
    """A figure block of ``![alt](src "caption")``, its image read and checked."""
    alt = "".join(run.text for run in _runs(image.children or [], True))
    src, caption = str(image.attrGet("src") or ""), str(image.attrGet("title") or "")
    return Block("figure", (), line, figure=images.figure(src, alt, caption, line))


def _table(
    tokens: list[Token], start: int, as_text: bool
) -> tuple[Table, list[tuple[int, list[str]]]]:
    """The table whose ``table_open`` is ``tokens[start]``: header cells, rows, alignments; and
    the rows that had cells beyond the header, each as its line (from the body's first) and the
    Markdown of those cells."""
    header: list[Cell] = []
    rows: list[list[Cell]] = []
    align: list[str] = []
    extra: list[tuple[int, list[str]]] = []
    for token, after in zip(tokens[start:], tokens[start + 1 :], strict=False):
        if token.type == "table_close":
            break
        if token.type == "tr_open" and header:
            rows.append([])
            beyond = token.meta.get("cells", [])[len(header) :]
            if beyond and token.map:
                extra.append((token.map[0], beyond))
        elif token.type in ("th_open", "td_open"):
            cell = _runs(after.children or [], as_text) if after.type == "inline" else ()
            if token.type == "th_open":
                header.append(cell)
                style = str(token.attrGet("style") or "")
                align.append(style.removeprefix("text-align:"))
            else:
                rows[-1].append(cell)
    table = Table(tuple(header), tuple(tuple(row) for row in rows), tuple(align))
    return table, extra


def _cells_not_shown(cells: list[str], columns: int) -> str:
    """The warning for a table row whose ``cells`` go beyond the header's ``columns``."""
    shown = ", ".join(f"'{cell if len(cell) <= 40 else cell[:39] + '…'}'" for cell in cells)
    which = f"the last {len(cells)} ({shown}) are" if len(cells) > 1 else f"the last ({shown}) is"
    return (
        f"this table row has {columns + len(cells)} cells and its header {columns}: {which} "
        "not shown; give the header a cell for every column"
    )


def _next_marker(counter: _Counter) -> str:
    number = counter.number
    if number is None:
        return "•"
    counter.number = number + 1
    if counter.roman:
        return counter.form.format(roman_numeral(number, counter.letter == "I"))
    if counter.letter:
        return counter.form.format(chr(ord(counter.letter) + number - 1))
    return f"{number}."


#: A letter's label at the start of a line or item: "a.", "b)" or "(c)", then a space.
_LABEL = re.compile(r"(\(?)([a-zA-Z])([.)])[ \t]+")
#: A Roman numeral's label there: "iv." or "IV.", then a space (in one case: see
#: :func:`pipeline.model.roman_value`).
_NUMERAL_LABEL = re.compile(r"([ivxlcdmIVXLCDM]+)\.[ \t]+")


def _letters(texts: list[str], from_a: bool = False) -> _Counter | None:
    """The lettered list ``texts`` make if each starts with the next letter's label and goes
    on after it, in one form and case ("a." "b." "c.", or "(A)" "(B)"), at least two of them
    (the first "a" or "A" if ``from_a``); else None."""
    labels = [_LABEL.match(text) for text in texts]
    found = [
        label for label, text in zip(labels, texts, strict=True) if label and text[label.end() :]
    ]
    if len(texts) < 2 or len(found) != len(texts) or (from_a and found[0][2] not in "aA"):
        return None
    forms = {(label[1], label[3]) for label in found}
    letters = [label[2] for label in found]
    if len(forms) != 1 or not (all(map(str.islower, letters)) or all(map(str.isupper, letters))):
        return None
    ((opening, closing),) = forms
    if opening and closing != ")":
        return None
    if any(ord(letter) - ord(letters[0]) != at for at, letter in enumerate(letters)):
        return None
    first = "a" if letters[0].islower() else "A"
    form = f"{opening}{{}}{closing}"
    return _Counter(ord(letters[0]) - ord(first) + 1, first, form, lettered_by_hand=True)


def _numerals(texts: list[str], from_i: bool = False) -> _Counter | None:
    """The list in Roman numerals ``texts`` make if each starts with the next numeral's label
    and goes on after it, in one case ("i." "ii." "iii.", or "IV." "V."), at least two of them
    (the first "i." or "I." if ``from_i``); else None.

    No list is both this and one of :func:`_letters`: the numerals of one letter ("i", "v",
    "x") are never consecutive, so which one a list is follows from all its labels.
    """
    labels = [_NUMERAL_LABEL.match(text) for text in texts]
    found = [
        label for label, text in zip(labels, texts, strict=True) if label and text[label.end() :]
    ]
    if len(texts) < 2 or len(found) != len(texts):
        return None
    numerals = [label[1] for label in found]
    values = [roman_value(numeral) for numeral in numerals]
    if not (all(map(str.islower, numerals)) or all(map(str.isupper, numerals))):
        return None
    if values[0] is None or (from_i and values[0] != 1):
        return None
    if any(value != values[0] + at for at, value in enumerate(values)):
        return None
    first = "i" if numerals[0].islower() else "I"
    return _Counter(values[0], first, lettered_by_hand=True, roman=True)


def _lettered_by_hand(tokens: list[Token], start: int) -> _Counter | None:
    """The lettered list a bullet list (``tokens[start]`` opens it) is, if the text of each of
    its items starts with the next letter ("- a. ...", "- b. ...") or Roman numeral ("- i.
    ...", "- ii. ..."); else None."""
    level = tokens[start].level
    texts: list[str] = []
    for at in range(start + 1, len(tokens)):
        token = tokens[at]
        if token.type == "bullet_list_close" and token.level == level:
            break
        if token.type == "list_item_open" and token.level == level + 1:
            after = tokens[at + 1 : at + 3]
            if len(after) < 2 or after[0].type != "paragraph_open":
                return None
            texts.append(after[1].content)
    return _letters(texts) or _numerals(texts)


def _lettered_lines(inline: Token) -> tuple[_Counter, list[tuple[int, list[Token]]]] | None:
    """A paragraph each of whose lines starts with the next letter's or Roman numeral's label,
    as the list it is and each line's inline tokens with its line from the paragraph's first;
    else None."""
    lines: list[tuple[int, list[Token]]] = [(0, [])]
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append((len(lines), []))
        else:
            lines[-1][1].append(child)
    texts = inline.content.split("\n")
    if len(texts) != len(lines):
        return None  # a line break the paragraph's text does not show
    # From "a" and "i" only: a paragraph's lines are prose far more often than an item's text
    # is, and a run of lines from "d." or "IV." on is most likely one.
    counter = _letters(texts, from_a=True) or _numerals(texts, from_i=True)
    return None if counter is None else (counter, lines)


def _without_label(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """``runs`` without the letter's or numeral's label they start with ("a. ", "iv. "): the
    item's marker."""
    label = (_LABEL.match(runs[0].text) or _NUMERAL_LABEL.match(runs[0].text)) if runs else None
    if label is None:
        return runs
    rest = runs[0].text[label.end() :]
    return ((replace(runs[0], text=rest),) if rest else ()) + runs[1:]


def _paragraph(inline: Token, line: int, context: _Context, as_text: bool) -> Block:
    runs = _runs(inline.children or [], as_text)
    kind: BlockKind = "paragraph"
    marker = ""
    roman = in_item = False
    if context.lists:
        counter = context.lists[-1]
        # A quote opened inside the item (not a list inside a quote) is a quotation in it.
        in_item = context.quote_depth > counter.quote_depth
        kind = "quote" if in_item else "item"
        marker, context.pending_marker = context.pending_marker, ""
        roman = bool(marker) and counter.roman
        if marker and counter.lettered_by_hand:
            runs = _without_label(runs)
    elif context.quote_depth:
        kind = "quote"
    level = max(len(context.lists) - 1, 0)
    return Block(kind, runs, line, level=level, marker=marker, roman=roman, in_item=in_item)


def _runs(children: list[Token], images_as_text: bool = True) -> tuple[Run, ...]:
    """Inline tokens -> runs, merging neighbours that share a style; an image is its alt
    text, or, unless ``images_as_text``, raises :class:`_ImageInText`."""
    runs: list[Run] = []
    bold = italic = 0
    hrefs: list[str | None] = []

    def add(text: str, code: bool = False) -> None:
        href = hrefs[-1] if hrefs else None
        run = Run(text, bold=bold > 0, italic=italic > 0, code=code, href=href)
        last = runs[-1] if runs else None
        if (
            last
            and not last.note
            and (last.bold, last.italic, last.code, last.href)
            == (
                run.bold,
                run.italic,
                run.code,
                run.href,
            )
        ):
            runs[-1] = Run(last.text + text, run.bold, run.italic, run.code, run.href)
        elif text:
            runs.append(run)

    for child in children:
        kind = child.type
        if kind == "footnote_ref":
            # An inline note ("text^[the note]") is referenced once and has no subId.
            number, ref = int(child.meta["id"]) + 1, int(child.meta.get("subId", 0))
            runs.append(Run("", note=number, note_ref=ref))
        elif kind == "text":
            add(child.content)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            add(child.content, code=True)
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            hrefs.append(safe_href(str(child.attrGet("href") or "")))
        elif kind == "link_close":
            hrefs.pop()
        elif kind == "image" and not images_as_text:
            raise _ImageInText
        elif kind in ("image", "html_inline"):
            add(child.content)
    return tuple(runs)
