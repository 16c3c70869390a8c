"""ReportLab's Paragraph, laid out once per width, and its styled lines broken faster.

Platypus wraps a paragraph each time a layout step asks about it: when ``keepWithNext`` groups a
heading with the paragraph after it and again when each is placed, and a table wraps its cells
when sizing the table and again when drawing it. Breaking a paragraph into lines is most of the
cost of a brief, and a paragraph breaks into the same lines for the same width, so this one
breaks them once per width and answers repeated questions from that.

A paragraph of more than one style (a highlighted sentence, a link, a bold word: every
highlight's start and end marker is a fragment of its own) goes through ReportLab's general
line breaker, which asks, for every word, whether its style is the one before it
(``sameFrag``, a few microseconds each in C, as it looks up attributes a fragment does not
have), for the font's ascent and descent, and for the width of a space in each styled run of
the line so far. :func:`_break_styled` is that same breaker, step for step and with the same
arithmetic, so its lines are the ones ReportLab makes; it answers those questions once per
paragraph and style. It covers what briefs use (no hyphenation, shaping, bidi or automatic
leading) and hands anything else, and a word too long for a line or with a soft hyphen,
back to ReportLab's own.

The same goes for a paragraph of one style: :func:`_break_plain` is ReportLab's quick path,
each word's width looked up among those already measured (:func:`remembered_width`, which
ReportLab's own breaker also measures with while one of these paragraphs is broken).

The markup itself is read without ReportLab's HTML parser (:func:`_parse`): briefs write only
tags with double-quoted attributes, entities and character references, which a pattern cuts
into the very calls ``html.parser`` would make on ReportLab's paragraph parser, and that
parser's own handlers build the fragments.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from reportlab.lib.fonts import ps2tt as _ps2tt
from reportlab.lib.fonts import tt2ps as _tt2ps
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import paragraph, paraparser

from .internals import registered_fonts

#: ReportLab's paragraph module, for the helpers and fragment classes its stubs leave out.
_rl: Any = paragraph
_rlp: Any = paraparser
#: ReportLab's registry of fonts by name.
_FONTS = registered_fonts()


class Paragraph(paragraph.Paragraph):
    """A :class:`reportlab.platypus.Paragraph` that remembers its lines for the last width."""

    _wrapped_width: float | None = None

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is None and isinstance(text, str):
            text = cleaner(text)
            parsed = _parse(text, style, self.caseSensitive)
            if parsed is not None and parsed[1] is not None:
                # What ReportLab's _setup does with its parser's answer.
                style, frags, bullet_frags = parsed
                _rl.textTransformFrags(frags, style)
                if bullet_frags:
                    bulletText = bullet_frags
                self.text, self.frags, self.style = text, frags, style
                self.bulletText, self.debug = bulletText, 0
                return
        super()._setup(text, style, bulletText, frags, cleaner)  # type: ignore[misc]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A paragraph's height does not depend on the height offered. split() drops blPara when
        # it gives up on a frame, so the lines are only reused while they are still there.
        if availWidth == self._wrapped_width and "blPara" in self.__dict__:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth if "blPara" in self.__dict__ else None
        return size

    def breakLines(self, width: Any) -> Any:
        # ReportLab measures every word with its module's stringWidth: for this paragraph it
        # is the remembering one (the same numbers), and then ReportLab's own again.
        measure = _rl.stringWidth
        _rl.stringWidth = remembered_width
        try:
            return self._break_lines(width)
        finally:
            _rl.stringWidth = measure

    def _break_lines(self, width: Any) -> Any:
        path = _quick_path(self, width)
        if path is None:
            return super().breakLines(width)
        widths: list[float] = width if isinstance(width, list) else [width]
        offered = list(widths)
        lines = _break_plain(self, widths) if path == "plain" else _break_styled(self, widths)
        if lines is None:
            # Something only ReportLab's breaker handles: it starts again from the same widths.
            widths[:] = offered
            return super().breakLines(width)
        return lines


#: Widths already measured, by font (the object: a name can be registered again for another
#: file), text, size and encoding. Words recur within a brief and across briefs.
_WIDTHS: dict[tuple[Any, str, float, str], float] = {}
#: Past this many widths the memory starts again (a few MB at most).
_WIDTHS_KEPT = 200_000


def remembered_width(text: Any, fontName: str, fontSize: float, encoding: str = "utf8") -> float:
    """``pdfmetrics.stringWidth``, each answer remembered."""
    font = _FONTS.get(fontName)
    if font is None or type(text) is not str:
        return stringWidth(text, fontName, fontSize, encoding)
    key = (font, text, fontSize, encoding)
    found = _WIDTHS.get(key)
    if found is None:
        if len(_WIDTHS) >= _WIDTHS_KEPT:
            _WIDTHS.clear()
        found = _WIDTHS[key] = stringWidth(text, fontName, fontSize, encoding)
    return found


def _quick_path(para: Any, width: Any) -> str | None:
    """Which of this module's breakers can break ``para``: "plain" (:func:`_break_plain`) where
    ReportLab would take its quick path for a paragraph of one style, "styled"
    (:func:`_break_styled`) where it would take its general path, or None where the paragraph
    uses features of either path that briefs do not use (ReportLab's own breaker then)."""
    frags = para.frags
    style = para.style
    if not frags or not isinstance(width, list | int | float):
        return None
    word_wrap = style.wordWrap
    auto_leading = getattr(para, "autoLeading", getattr(style, "autoLeading", ""))
    if (
        (word_wrap and word_wrap.upper() in ("RTL", "LTR", "CJK"))
        or style.shaping
        or getattr(style, "hyphenationLang", "")
        or style.uriWasteReduce
        or style.embeddedHyphenation
        or auto_leading not in ("", "off")
    ):
        return None
    if len(frags) == 1:
        only = frags[0]
        simple = not (
            style.endDots
            or hasattr(only, "cbDefn")
            or hasattr(only, "backColor")
            or _rl._processed_frags(frags)
        )
        if simple:
            return "plain"
    return "styled"


def _breaks_styled(para: Any, width: Any) -> bool:
    """Whether :func:`_break_styled` can break ``para`` (see :func:`_quick_path`)."""
    return _quick_path(para, width) == "styled"


def _begin(para: Any, maxWidths: list[float]) -> tuple[int, float]:
    """How both of ReportLab's line breakers start: the paragraph's measures reset and the
    bullet's width taken off the first line; the last line's number and the first's width."""
    para._width_max = 0
    para.height = 0
    para._splitLongWordCount = para._hyphenations = 0
    maxlineno = len(maxWidths) - 1
    _rl._handleBulletWidth(para.bulletText, para.style, maxWidths)
    return maxlineno, maxWidths[0]


def _break_plain(para: Any, maxWidths: list[float]) -> Any:
    """ReportLab's ``Paragraph.breakLines`` for a paragraph of one style (its quick path), as
    it runs when :func:`_quick_path` says "plain", or None where it would split or hyphenate a
    word, or the paragraph's one fragment is words already (a piece of a split paragraph).

    The same steps and arithmetic as ReportLab's, without its checks for what such a paragraph
    cannot hold (words already split, soft hyphens, hyphenation), and with each word's width
    looked up in :data:`_WIDTHS` before it is measured."""
    rl = _rl
    style = para.style
    f = para.frags[0]
    fontSize = f.fontSize
    fontName = f.fontName
    font = _FONTS.get(fontName)
    if font is None or not hasattr(f, "text"):
        return None
    maxlineno, maxWidth = _begin(para, maxWidths)
    lineno = 0
    ascent, descent = getAscentDescent(fontName, fontSize)
    text = rl.strip(f.text)
    if not text:
        return f.clone(kind=0, lines=[], ascent=ascent, descent=descent, fontSize=fontSize)
    if "\u00ad" in text:  # a soft hyphen: ReportLab may break the word there
        return None
    encoding = para.encoding
    widths = _WIDTHS
    spaceWidth = remembered_width(" ", fontName, fontSize, encoding)
    dSpaceShrink = style.spaceShrinkage * spaceWidth
    splitLongWords = style.splitLongWords
    lines: list[tuple[float, list[str]]] = []
    cLine: list[str] = []
    currentWidth = -spaceWidth
    for word in rl.split(text):
        wordWidth = widths.get((font, word, fontSize, encoding))
        if wordWidth is None:
            wordWidth = remembered_width(word, fontName, fontSize, encoding)
        newWidth = currentWidth + spaceWidth + wordWidth
        limWidth = maxWidth + dSpaceShrink * len(cLine)
        if newWidth > limWidth and splitLongWords:
            nmw = min(lineno, maxlineno)
            if wordWidth > max(maxWidths[nmw : nmw + 1]):
                return None  # a word wider than the line: ReportLab splits it
        if newWidth <= limWidth or not cLine:
            cLine.append(word)
            currentWidth = newWidth
        else:
            if currentWidth > para._width_max:
                para._width_max = currentWidth
            lines.append((maxWidth - currentWidth, cLine))
            cLine = [word]
            currentWidth = wordWidth
            lineno += 1
            maxWidth = maxWidths[min(maxlineno, lineno)]
    if cLine:
        if currentWidth > para._width_max:
            para._width_max = currentWidth
        lines.append((maxWidth - currentWidth, cLine))
    return f.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=fontSize)


def _break_styled(para: Any, maxWidths: list[float]) -> Any:
    """ReportLab's ``Paragraph.breakLines`` for a paragraph of several styles, as it runs when
    :func:`_breaks_styled` holds, or None where it would hyphenate or split a word.

    ReportLab's names and order of steps are kept, so the two read side by side; what differs
    is only that widths, ascents and style comparisons are asked once per paragraph."""
    rl = _rl
    FK_TEXT, FK_BREAK = rl._FK_TEXT, rl._FK_BREAK
    HSFrag, SplitFrag, SplitFragH = rl._HSFrag, rl._SplitFrag, rl._SplitFragH
    SHYWord, InjectedFrag, FragLine = rl._SHYWord, rl._InjectedFrag, rl.FragLine
    style = para.style
    maxlineno, maxWidth = _begin(para, maxWidths)
    lineno = 0
    spaceShrinkage = style.spaceShrinkage
    splitLongWords = style.splitLongWords
    njlbv = not style.justifyBreaks

    # What ReportLab asks again and again, asked once per paragraph.
    spaces: dict[tuple[str, float], float] = {}
    heights: dict[tuple[str, float], tuple[float, float]] = {}
    alike: dict[tuple[int, int], bool] = {}

    def space(font: str, size: float) -> float:
        key = (font, size)
        found = spaces.get(key)
        if found is None:
            found = spaces[key] = stringWidth(" ", font, size)
        return found

    def extent(font: str, size: float) -> tuple[float, float]:
        key = (font, size)
        found = heights.get(key)
        if found is None:
            found = heights[key] = getAscentDescent(font, size)
        return found

    def same(a: Any, b: Any) -> bool:
        # sameFrag reads no fragment's text, and a run is a clone of its source fragment with
        # only its text changed, so the answer for the run is the answer for its source.
        key = (id(a), id(b))
        found = alike.get(key)
        if found is None:
            found = alike[key] = bool(rl.sameFrag(a, b))
        return found

    def line(line_break: bool) -> Any:
        """The line of ``words`` so far; it widens the paragraph's widest line."""
        if currentWidth > para._width_max:
            para._width_max = currentWidth
        return FragLine(
            extraSpace=maxWidth - currentWidth,
            wordCount=n,
            lineBreak=line_break,
            words=words,
            fontSize=maxSize,
            ascent=maxAscent,
            descent=minDescent,
            maxWidth=maxWidth,
            sFW=sFW,
        )

    lines: list[Any] = []
    FW: list[Any] = []
    words: list[Any] = []
    sFW = 0
    n = 0
    spaceWidth = currentWidth = 0.0
    maxSize = maxAscent = minDescent = 0.0
    g: Any = None
    g_source: Any = None
    # The fragment whose size, ascent and descent the line's are known to take in already:
    # max and min give the same answer when taken again, so a word in the style of the one
    # before it skips them (most words of a line are).
    folded: Any = None
    for w in rl._getFragWords(para.frags, maxWidth):
        FW.append(w)
        f = w[-1][0]
        fontName = f.fontName
        fontSize = f.fontSize

        if not words:
            n = 0
            spaceWidth = currentWidth = 0
            maxSize = fontSize
            maxAscent, minDescent = extent(fontName, fontSize)
            folded = f

        wordWidth = w[0]
        f = w[1][0]
        newWidth = currentWidth + spaceWidth + wordWidth if wordWidth > 0 else currentWidth

        lineBreak = f._fkind == FK_BREAK
        limWidth = maxWidth
        # The shrink allowed is never negative, so it only matters to a word past maxWidth;
        # ReportLab works it out for every word, over all of the line's runs so far.
        if spaceShrinkage and (spaceShrinkage < 0 or newWidth > maxWidth):
            spaceShrink = spaceWidth
            for wi in words:
                if wi._fkind == FK_TEXT:
                    ns = wi.text.count(" ")
                    if ns:
                        spaceShrink += ns * space(wi.fontName, wi.fontSize)
            spaceShrink *= spaceShrinkage
            limWidth += spaceShrink
        if (
            not lineBreak
            and newWidth > limWidth
            and not isinstance(w, SplitFragH)
            and not hasattr(f, "cbDefn")
        ):
            if isinstance(w, SHYWord):
                return None
            if splitLongWords and not isinstance(w, SplitFrag):
                nmw = min(lineno, maxlineno)
                if wordWidth > max(maxWidths[nmw : nmw + 1]):
                    return None
        endLine = (newWidth > limWidth and n > 0) or lineBreak
        if not endLine:
            nText = w[1][1]
            if nText:
                n += 1
            fontSize = f.fontSize
            if f is not folded:
                ascent, descent = extent(f.fontName, fontSize)
                maxSize = max(maxSize, fontSize)
                maxAscent = max(maxAscent, ascent)
                minDescent = min(minDescent, descent)
                folded = f
            if not words:
                g = f.clone()
                g_source = f
                words = [g]
                g.text = nText
            elif not same(g_source, f):
                if spaceWidth:
                    i = len(words) - 1
                    while i >= 0:
                        wi = words[i]
                        i -= 1
                        if wi._fkind == FK_TEXT:
                            if not wi.text.endswith(" "):
                                wi.text += " "
                            break
                g = f.clone()
                g_source = f
                words.append(g)
                g.text = nText
            elif spaceWidth:
                if not g.text.endswith(" "):
                    g.text += " " + nText
                else:
                    g.text += nText
            else:
                g.text += nText

            spaceWidth = space(fontName, fontSize) if isinstance(w, HSFrag) else 0

            ni = 0
            for part in w[2:]:
                g = part[0].clone()
                g_source = part[0]
                g.text = part[1]
                if g.text:
                    ni = 1
                words.append(g)
                fontSize = g.fontSize
                ascent, descent = extent(g.fontName, fontSize)
                maxSize = max(maxSize, fontSize)
                maxAscent = max(maxAscent, ascent)
                minDescent = min(minDescent, descent)
            if not nText and ni:
                n += 1
            currentWidth = newWidth
        else:
            if lineBreak:
                g = f.clone()
                g_source = f
                words.append(g)
                llb = njlbv and not isinstance(w, InjectedFrag)
            else:
                llb = False

            lines.append(line(llb))
            sFW = len(FW) - 1

            lineno += 1
            maxWidth = maxWidths[min(maxlineno, lineno)]

            if lineBreak:
                words = []
                continue

            spaceWidth = space(fontName, fontSize) if isinstance(w, HSFrag) else 0
            currentWidth = wordWidth
            n = 1
            g = f.clone()
            g_source = f
            maxSize = g.fontSize
            maxAscent, minDescent = extent(g.fontName, maxSize)
            folded = f
            words = [g]
            g.text = w[1][1]

            for part in w[2:]:
                g = part[0].clone()
                g_source = part[0]
                g.text = part[1]
                words.append(g)
                fontSize = g.fontSize
                ascent, descent = extent(g.fontName, fontSize)
                maxSize = max(maxSize, fontSize)
                maxAscent = max(maxAscent, ascent)
                minDescent = min(minDescent, descent)

    if words:
        lines.append(line(False))
    para.frags = FW
    return rl.ParaLines(kind=1, lines=lines)


#: One piece of paragraph markup as ``html.parser`` reads it: a run of text, a start tag (its
#: attributes double-quoted, maybe closed with "/>"), an end tag, a character reference or an
#: entity, each ending in ";". Markup with anything else is left to ReportLab's parser.
_PIECE = re.compile(
    r"([^&<]+)"
    r"|<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][-a-zA-Z0-9_]*=\"[^\"<>]*\")*)\s*(/?)>"
    r"|</([a-zA-Z][a-zA-Z0-9]*)\s*>"
    r"|&#([0-9]+|[xX][0-9a-fA-F]+);"
    r"|&([a-zA-Z][-.a-zA-Z0-9]*);"
)
_ATTRIBUTE = re.compile(r"([a-zA-Z][-a-zA-Z0-9_]*)=\"([^\"<>]*)\"")


def _parse(text: str, style: Any, case_sensitive: int) -> Any:
    """``ParaParser().parse(text, style)`` for markup :data:`_PIECE` reads, else None.

    ``html.parser`` (ReportLab's parser's base, with ``convert_charrefs`` off) hands each run of
    text between tags and references to ``handle_data``, each tag to ``handle_starttag`` with
    its name and attribute names in lowercase and the values unescaped ("/>" to
    ``handle_starttag`` then ``handle_endtag``), each entity to ``handle_entityref``, each
    character reference to ``handle_charref``: the same calls in the same order are made here.
    """
    calls: list[tuple[int, Any, Any]] = []
    at, end = 0, len(text)
    match = _PIECE.match
    while at < end:
        found = match(text, at)
        if found is None:
            return None
        data, tag, attributes, closed, end_tag, charref, entity = found.groups()
        if data is not None:
            calls.append((0, data, None))
        elif tag is not None:
            pairs = [
                (k.lower(), unescape(v) if v else v) for k, v in _ATTRIBUTE.findall(attributes)
            ]
            calls.append((1, tag.lower(), pairs))
            if closed:
                calls.append((2, tag.lower(), None))
        elif end_tag is not None:
            calls.append((2, end_tag.lower(), None))
        elif charref is not None:
            calls.append((3, charref, None))
        else:
            calls.append((4, entity, None))
        at = found.end()
    if all(kind == 0 or kind >= 3 for kind, _, _ in calls):
        texts = _texts(calls)
        if texts is not None:
            made = _text_fragments(texts, style)
            if made is not None:
                return made
    parser = _rlp.ParaParser()
    parser.caseSensitive = case_sensitive
    parser._setup_for_parse(style)
    if not (len(text) >= 6 and text[0] == "<" and _rlp._re_para.match(text)):
        calls.insert(0, (1, "para", []))
        calls.append((2, "para", None))
    handlers = (
        parser.handle_data,
        parser.handle_starttag,
        parser.handle_endtag,
        parser.handle_charref,
        parser.handle_entityref,
    )
    try:
        for kind, value, pairs in calls:
            if kind == 1:
                handlers[1](value, pairs)
            else:
                handlers[kind](value)
    except Exception:
        return None  # ReportLab's parser says what is wrong, as it would without this one
    return parser._complete_parse()


#: Character references html.parser hands on and ReportLab's handle_charref reads as it reads
#: them (a lowercase "x" for hexadecimal), to a character that exists.
_CHARREF = re.compile(r"[0-9]+|x[0-9a-fA-F]+")


def _texts(calls: list[tuple[int, Any, Any]]) -> list[str] | None:
    """The text each call of markup without tags hands ``handle_data``, as ReportLab's
    parser works it out (an entity it does not know stays as written); None for a character
    reference it would reject."""
    texts = []
    entities = _rlp.known_entities
    for kind, value, _ in calls:
        if kind == 0:
            texts.append(value)
        elif kind == 4:
            found = entities.get(value)
            texts.append(f"&{value};" if found is None else found)
        else:
            if not _CHARREF.fullmatch(value):
                return None
            number = int(value[1:], 16) if value[0] == "x" else int(value)
            if number > 0x10FFFF:
                return None
            texts.append(chr(number))
    return texts


def _text_fragments(texts: list[str], style: Any) -> Any:
    """What ReportLab's parser makes of markup without tags, in ``style``: one fragment for
    each text it is handed, each a copy of the paragraph's first fragment (``_initial_frag``,
    its attributes set in the same order) in the face for its bold and italic; None if the
    style's font is not one ReportLab knows (its parser then says so)."""
    try:
        family, bold, italic = _ps2tt(style.fontName)
    except Exception:
        return None
    first = _rlp.ParaFrag()
    first.rise = 0
    first.greek = 0
    first.link = []
    first.fontName, first.bold, first.italic = family, bold, italic
    first.fontSize = style.fontSize
    first.textColor = style.textColor
    first.us_lines = []
    first.__tag__ = "para"
    face = _tt2ps(family, bold, italic)
    state = first.__dict__
    made = _rlp.ParaFrag
    fragments = []
    for text in texts:
        fragment = made.__new__(made)
        fragment.__dict__.update(state)
        fragment.fontName = face
        fragment.text = text
        fragments.append(fragment)
    return style, fragments, None
