"""The flowables a brief needs beyond ReportLab's: outline entries, paragraphs that break only
between sentences, headings that keep with the start of the block after them, and figures'
images, drawn archival."""

from __future__ import annotations

import copy
import io
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, KeepTogether, Table
from reportlab.platypus import flowables as rl_flowables
from reportlab.rl_config import paraFontSizeHeightOffset

from ...emphasis.units import Sentence, split_sentences
from ...model import BriefBlock, Figure
from .. import clip
from .internals import frame_height, frame_of, lent_frame, row_heights
from .paragraph import Paragraph


class Anchor(Flowable):
    """A zero-size flowable that names the place it lands, for links inside the document (a
    footnote reference links to its note).

    It keeps with the next flowable, so the place is on that flowable's page even when it moves
    to the next page.
    """

    def __init__(self, key: str):
        super().__init__()
        self.key = key
        self.width = self.height = 0
        self.keepWithNext = 1

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)


class Bookmark(Anchor):
    """An anchor that also adds an outline entry (kept with its heading, as any anchor)."""

    def __init__(self, title: str, key: str, level: int = 0):
        super().__init__(key)
        self.title, self.level = title, level

    def draw(self) -> None:
        super().draw()
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=False)


class RightToLeftTable(Table):
    """A table whose first column is on the right, for a right-to-left brief: its cells are
    given in visual order (left to right), and each row's cells are drawn from the right, so
    that the page paints them in reading order, as the structure tree has them."""

    _held: list[tuple[Any, ...]]

    def draw(self) -> None:
        self._held = []
        super().draw()
        self._flush()

    def _drawCell(self, *args: Any) -> None:
        # (cell, style, (x, y), (width, height)): a new y is a new row.
        if self._held and self._held[-1][2][1] != args[2][1]:
            self._flush()
        self._held.append(args)

    def _flush(self) -> None:
        for args in reversed(self._held):
            super()._drawCell(*args)  # type: ignore[misc]
        self._held = []


class Tracked(Paragraph):
    """A paragraph whose letters are spaced ``style.tracking`` points apart (tracked capitals).

    ReportLab's paragraphs have no letter spacing: each line's text object is given the PDF's
    character spacing as it is begun. Meant for one-line labels, whose width it does not change.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Each letter takes its width and the tracking: break the lines as if in a column
        # narrower by that share, so that a tracked line still ends inside the real one.
        tracking = float(getattr(self.style, "tracking", 0.0))
        plain = self.getPlainText()
        if tracking and plain:
            width = stringWidth(plain, self.style.fontName, self.style.fontSize) / len(plain)
            availWidth *= width / (width + tracking)
        return super().wrap(availWidth, availHeight)

    def draw(self) -> None:
        canvas, tracking = self.canv, float(getattr(self.style, "tracking", 0.0))
        begin = canvas.beginText

        def tracked(*args: Any, **kwargs: Any) -> Any:
            text = begin(*args, **kwargs)
            text.setCharSpace(tracking)
            return text

        canvas.beginText = tracked  # type: ignore[method-assign]
        try:
            super().draw()
        finally:
            del canvas.beginText


@dataclass(frozen=True)
class MarginMark:
    """The mark drawn in the margin beside a highlighted paragraph, so that a highlight survives
    printing in black and white and reading without telling colours apart."""

    color: Color
    width: float
    #: How far from the text column the mark stands.
    offset: float


class Sentences(Sequence[Sentence]):
    """The sentences ``first`` onwards (and before ``stop``) of a paragraph, each moved ``cut``
    characters to the left: those of a stretch of the paragraph, without copying them (a
    paragraph of a megabyte has fifty thousand, and is cut at every page)."""

    def __init__(
        self, whole: list[Sentence], first: int = 0, stop: int | None = None, cut: int = 0
    ):
        self._whole, self._first, self._cut = whole, first, cut
        self._stop = len(whole) if stop is None else stop

    def __len__(self) -> int:
        return self._stop - self._first

    @overload
    def __getitem__(self, index: int) -> Sentence: ...

    @overload
    def __getitem__(self, index: slice) -> Sentences: ...

    def __getitem__(self, index: int | slice) -> Sentence | Sentences:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            assert step == 1
            return Sentences(self._whole, self._first + start, self._first + stop, self._cut)
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        sentence = self._whole[self._first + index % len(self)]
        cut = self._cut
        return (
            sentence
            if not cut
            else Sentence(sentence.text, sentence.start - cut, sentence.end - cut)
        )

    def after(self, count: int) -> Sentences:
        """The sentences after the first ``count``, as their stretch of the text has them."""
        return Sentences(
            self._whole, self._first + count, self._stop, self[count].start + self._cut
        )


class WholeSentences(Paragraph):
    """A paragraph that breaks across pages only between sentences.

    pdftotext, screen readers' reflow and copy-paste all read the running footer between the
    last line of one page and the first of the next; a break between sentences keeps every
    sentence whole. The first part ends where its last sentence ends, like a paragraph, and
    keeps at least two lines (no orphan). A sentence too long for a whole page still breaks
    where it must. ``markup`` turns any stretch of ``item`` into paragraph markup.
    """

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        bulletText: str | None = None,
        frags: list[Any] | None = None,
        *,
        item: BriefBlock | None = None,
        markup: Callable[[BriefBlock], str] | None = None,
        mark: MarginMark | None = None,
        right: bool = False,
        sentences: Sentences | None = None,
    ):
        # ``frags``: ReportLab makes the two pieces of a paragraph it breaks between lines with
        # ``type(self)(None, style, bulletText=..., frags=...)``.
        super().__init__(text, style, bulletText=bulletText, frags=frags)
        self._item, self._markup = item, markup
        #: The sentences of ``item``'s text, once known: a piece cut from a paragraph is given
        #: its share of the whole one's, so a long paragraph is split into sentences once, not
        #: again for what is left of it at every page.
        self._sentences = sentences
        #: The margin mark, drawn when the paragraph holds a highlight, in the right margin
        #: (``right``) for a right-to-left paragraph.
        self._mark, self._right = mark, right
        self._marked = item is not None and bool(item.highlights)

    def draw(self) -> None:
        super().draw()
        mark = self._mark
        if mark is None or not self._marked:
            return
        # Drawn inside the paragraph's tagged content, the line is part of its decoration
        # artifact, as the highlight's background is.
        canvas = self.canv
        x = self.width + mark.offset if self._right else -mark.offset
        canvas.saveState()
        canvas.setStrokeColor(mark.color)
        canvas.setLineWidth(mark.width)
        canvas.setLineCap(0)
        descent = self.style.leading - self.style.fontSize
        canvas.line(x, descent * 0.5, x, self.height - descent * 0.5)
        canvas.restoreState()

    #: What a paragraph's markup gives it (``Paragraph.__init__``): a piece made with
    #: :meth:`later` has none of it until one of these is asked for.
    _FROM_MARKUP = frozenset({"text", "frags", "caseSensitive", "encoding", "debug"})

    @classmethod
    def later(
        cls,
        style: ParagraphStyle,
        *,
        item: BriefBlock,
        markup: Callable[[BriefBlock], str],
        mark: MarginMark | None,
        right: bool,
        sentences: Sentences,
    ) -> WholeSentences:
        """The paragraph of ``item`` (with no bullet), its markup made and read only once it
        is needed: what is left of a long paragraph after a page is, at each page, only laid
        out as far as the next page takes, and not made into markup whole each time."""
        piece = cls.__new__(cls)
        piece.style, piece.bulletText = style, None
        piece._item, piece._markup, piece._sentences = item, markup, sentences
        piece._mark, piece._right, piece._marked = mark, right, bool(item.highlights)
        piece.__dict__["_pending"] = []
        return piece

    def __getattr__(self, name: str) -> Any:
        # Only reached for what the instance does not have: a piece made later, made now.
        pending = self.__dict__.get("_pending")
        if pending is None or name not in self._FROM_MARKUP:
            raise AttributeError(name)
        del self.__dict__["_pending"]
        assert self._item is not None and self._markup is not None
        Paragraph.__init__(self, self._markup(self._item), self.style, None)
        for callback in pending:
            callback(self)
        return getattr(self, name)

    def when_made(self, callback: Callable[[WholeSentences], None]) -> None:
        """Call ``callback`` with this paragraph once its markup is read (now, if it is)."""
        pending = self.__dict__.get("_pending")
        if pending is None:
            callback(self)
        else:
            pending.append(callback)

    def sentence_list(self) -> Sentences:
        """The sentences of the paragraph's block (none when it is not a brief's block)."""
        if self._sentences is None:
            self._sentences = Sentences(
                split_sentences(self._item.block.text) if self._item else []
            )
        return self._sentences

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A paragraph far taller than the room offered is only laid out as far as needed to
        # tell that it does not fit (its first sentences, about as much as the room): the
        # frame then splits it, and the pieces are laid out anew anyway. Laid out whole at
        # every page, a paragraph of a megabyte would take the square of its length.
        # The first k sentences never take fewer lines than the first k - 1, so a start that
        # is taller than the room means the whole is too.
        height = self._start_too_tall(availWidth, availHeight)
        if height is not None:
            self.width, self.height = availWidth, height
            return availWidth, height
        return super().wrap(availWidth, availHeight)

    def _start_too_tall(self, width: float, height: float) -> float | None:
        """The height of a start of the paragraph taller than ``height``, or None when the
        paragraph does not look at least twice as tall as that (then it is laid out whole)."""
        if self._item is None or self._markup is None or "blPara" in self.__dict__:
            return None
        style = self.style
        # About half an em a character: enough to tell a paragraph of pages from one that
        # may fit, which is all this guess is for.
        room = max(width - style.leftIndent - style.rightIndent, style.fontSize)
        lines = len(self._item.block.text) * style.fontSize * 0.5 / room
        if lines * style.leading < 2 * height:
            return None
        sentences = self.sentence_list()
        count = 1
        while count < len(sentences):
            first = clip(self._item, 0, sentences[count - 1].end)
            start = type(self)(self._markup(first), style, self.bulletText)
            start_height = float(start.wrap(width, height)[1])
            if start_height > height:
                return start_height
            count *= 2
        return None

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self._split_between_sentences(available_width, available_height)
        if parts:
            return parts
        if self._item is None or self._no_page_holds_first_sentence(available_width):
            # Not a brief's block, or waiting for the next page would not keep the sentence
            # whole either: break between lines, here (laid out whole for that).
            if "blPara" not in self.__dict__:
                Paragraph.wrap(self, available_width, available_height)
            pieces: list[Flowable] = super().split(available_width, available_height)
            for piece in pieces:
                if isinstance(piece, WholeSentences):  # the whole paragraph's mark, if any
                    piece._marked, piece._mark, piece._right = self._marked, self._mark, self._right
            return pieces
        return []

    def _no_page_holds_first_sentence(self, width: float) -> bool:
        """Whether the paragraph's first sentence is too tall for any page: this is the top of
        the frame, or the sentence is taller than the whole frame (a list of 400 names)."""
        frame = frame_of(self)
        if frame is None:
            return False
        if getattr(frame, "_atTop", False):
            return True
        if self._item is None or self._markup is None:
            return False
        full_height = frame_height(frame)
        sentences = self.sentence_list()
        first = clip(self._item, 0, sentences[0].end) if sentences else self._item
        sentence = type(self)(self._markup(first), self.style, self.bulletText)
        return float(sentence.wrap(width, full_height)[1]) > full_height

    def _split_between_sentences(self, width: float, height: float) -> list[Flowable]:
        """The paragraph cut after its most sentences that fit in ``height`` (at least two
        lines of them), or nothing when even the first sentence does not fit.

        The first k sentences never take fewer lines than the first k - 1: lines are filled
        word by word, so a longer start of the same text breaks into the same lines and then
        some. The most sentences that fit are therefore found by doubling the count until it
        no longer fits, then halving the range that is left: about 2 log2(k) trial layouts
        for the k sentences that fit, rather than one for every sentence that does not.
        """
        if self._item is None or self._markup is None:
            return []
        item, markup = self._item, self._markup
        sentences = self.sentence_list()
        notes = _note_offsets(item)

        def head_of(count: int) -> WholeSentences:
            # A note referred to after the space that ends the last sentence ("dam. [^3] The",
            # "dam. [^3]The") is in neither sentence: it goes with the head, so the page break
            # does not lose it.
            end = sentences[count - 1].end
            if count < len(sentences):
                gap = bisect_right(notes, sentences[count].start) - 1
                if gap >= 0 and notes[gap] > end:
                    end = notes[gap]
            first = clip(item, 0, end)
            return type(self)(
                markup(first),
                self.style,
                self.bulletText,
                item=first,
                markup=markup,
                mark=self._mark,
                right=self._right,
                sentences=sentences[:count],
            )

        # The head may hold 1 to n - 1 sentences: ``fits`` is the most known to fit (0: none
        # known yet), ``head`` and ``head_height`` its layout, ``too_many`` the fewest known
        # not to (the whole paragraph is why it is being split).
        fits, head, head_height, too_many = 0, None, 0.0, len(sentences)

        def tried(count: int) -> bool:
            nonlocal fits, head, head_height, too_many
            trial = head_of(count)
            trial_height = trial.wrap(width, height)[1]
            if trial_height <= height:
                fits, head, head_height = count, trial, trial_height
                return True
            too_many = count
            return False

        # Doubling first, from one sentence: what fits is at most a page, so no trial lays out
        # much more than a page of text. Halving from the middle would lay out half of a long
        # paragraph at every page break, the square of its length in all.
        count = 1
        while count < too_many and tried(count):
            count *= 2
        while too_many - fits > 1:
            tried((fits + too_many) // 2)
        if head is None or head_height < 2 * self.style.leading - 0.01:
            return []  # no head fits, or the one that fits holds less than two lines
        tail = clip(item, sentences[fits].start, len(item.block.text))
        rest = type(self).later(
            self.style,
            item=tail,
            markup=markup,
            mark=self._mark,
            right=self._right,
            sentences=sentences.after(fits),
        )
        return [head, rest]


def _note_offsets(item: BriefBlock) -> list[int]:
    """Where in ``item``'s text each of its footnote references stands, in order."""
    offsets, offset = [], 0
    for run in item.block.runs:
        if run.note:
            offsets.append(offset)
        offset += len(run.text)
    return offsets


class RightToLeftItem(WholeSentences):
    """A right-to-left list item: its bullet or number on the right, where its lines start,
    ``style.bulletIndent`` in from the right edge, and its text's right edge ``style.rightIndent``
    in (so a nested item indents from the right).

    ReportLab draws a bullet on the left, and takes its width off the first line; this item's
    lines are already broken to the whole width between its indents and put in visual order
    (:func:`.markup.rtl_markup`), so it lays them out as if there were no bullet and draws the
    bullet itself, before the text, as its label (``Lbl``) comes first in the structure tree.
    """

    def breakLines(self, width: Any) -> Any:
        bullet, self.bulletText = self.bulletText, None
        try:
            return super().breakLines(width)
        finally:
            self.bulletText = bullet

    def drawPara(self, debug: int = 0) -> None:
        bullet = self.bulletText
        if not isinstance(bullet, str) or not bullet:
            super().drawPara(debug)
            return
        self._draw_bullet(bullet)
        self.bulletText = None
        try:
            super().drawPara(debug)
        finally:
            self.bulletText = bullet

    def _draw_bullet(self, bullet: str) -> None:
        """The bullet on the first line's baseline, its right end ``bulletIndent`` from the
        right edge: in its own text object, as ReportLab draws a bullet."""
        style, canvas, lines = self.style, self.canv, self.__dict__["blPara"]
        first = lines if lines.kind == 0 else lines.lines[0]
        # Where ReportLab puts the first line's baseline, and a bullet on it.
        top = first.fontSize if paraFontSizeHeightOffset else getattr(first, "ascent", None)
        y = self.height - (first.fontSize if top is None else top)
        y += getattr(style, "bulletOffsetY", 0)
        size = style.bulletFontSize
        x = self.width - style.bulletIndent - stringWidth(bullet, style.bulletFontName, size)
        canvas.saveState()
        text = canvas.beginText(x, y)
        text.setFont(style.bulletFontName, size)
        text.setFillColor(getattr(style, "bulletColor", style.textColor))
        text.textOut(bullet)
        canvas.drawText(text)
        canvas.restoreState()


#: Points kept free below a heading's group when it is split, against rounding in the frame.
ROOM_MARGIN = 0.5


class WholeRows(Table):
    """A table whose rows go to the next page whole, and are cut only when taller than a page.

    ``splitInRow`` stays off so a row (a takeaway) is never cut in two; a row that no page can
    hold whole is cut between its lines rather than stopping the build.
    """

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(available_width, available_height)
        frame = frame_of(self)
        if parts or self.splitInRow or frame is None:
            return parts
        if max(row_heights(self), default=0.0) <= frame_height(frame):
            return parts
        self.splitInRow = 1
        try:
            parts = super().split(available_width, available_height)
        finally:
            self.splitInRow = 0
        return parts


class KeepWithNext(KeepTogether):
    """Headings (with their bookmark and rule) kept with the start of the block that follows.

    ReportLab's own KeepTogether moves the whole group to the next page when it does not fit,
    which leaves a gap as tall as the paragraph after the heading. This one first tries to keep
    the heading with as much of that block as fits (whole sentences, at least two lines), and
    only moves the group when not even that fits, so a heading never ends a page.
    """

    # Set by KeepTogether: the flowables kept together, and their height once wrapped.
    _content: list[Flowable]
    _H: float

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # ReportLab lays the group out on a deep copy of the document's frame, made with its
        # module's deepcopy: for this group that is the quicker copy of the same frame.
        previous = rl_flowables.deepcopy  # type: ignore[attr-defined]
        rl_flowables.deepcopy = copy_of_frame  # type: ignore[attr-defined]
        try:
            size: tuple[float, float] = super().wrap(availWidth, availHeight)
        finally:
            rl_flowables.deepcopy = previous  # type: ignore[attr-defined]
        return size

    def getSpaceBefore(self, content: list[Flowable] | None = None) -> float:
        """The space before the first flowable that is drawn.

        ReportLab's answer is the first flowable's, here the zero-size bookmark's: the frame then
        reserved no room for the heading's own space before, and a group that seemed to fit left
        its heading alone at the foot of the page.
        """
        for flowable in self._content if content is None else content:
            if not hasattr(flowable, "frameAction") and not isinstance(flowable, Bookmark):
                return flowable.getSpaceBefore()
        return 0.0

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        given, used = self._room(available_width, available_height)
        last = self._content[-1]
        whole = used + last.wrapOn(self.canv, available_width, available_height)[1]
        if available_height < self._H or whole > given:  # the whole group does not fit
            parts = self._split_last(available_width, available_height)
            if parts:
                return parts
            frame = getattr(self, "_frame", None)
            if whole > given and frame is not None and not getattr(frame, "_atTop", True):
                # Added one by one, the heading would fit and the block under it would not:
                # ReportLab's own split, going by the group's height alone, would leave the
                # heading at the foot of the page. The whole group goes to the next one.
                from reportlab.platypus.doctemplate import FrameBreak

                return [FrameBreak(), *self._content]
        return super().split(available_width, available_height)

    def _room(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The height the frame gives the group, and what all but its last flowable take of it
        (with the last one's space before).

        The parts are added to the frame one by one, as it adds any flowable: each takes its
        space before, less the space after of the one above it. The zero-size bookmark in front
        resets that, so the heading takes its whole space before, though the frame gave this
        group its space before less the space after of the paragraph above.
        """
        *lead, last = self._content
        frame = getattr(self, "_frame", None)
        given = available_height
        if frame is not None and not getattr(frame, "_atTop", True):
            given += max(self.getSpaceBefore() - getattr(frame, "_prevASpace", 0.0), 0.0)
        used, above = 0.0, 0.0
        for flowable in lead:
            height = flowable.wrapOn(self.canv, available_width, available_height)[1]
            if height <= 0:
                continue
            used += max(flowable.getSpaceBefore() - above, 0.0) + height
            above = flowable.getSpaceAfter()
            used += above
        used += max(last.getSpaceBefore() - above, 0.0)
        return given, used

    def _split_last(self, available_width: float, available_height: float) -> list[Flowable]:
        *lead, last = self._content
        drawn = [f for f in lead if f.wrapOn(self.canv, available_width, available_height)[1] > 0]
        if not drawn:
            return []
        given, used = self._room(available_width, available_height)
        room = given - used - ROOM_MARGIN
        if room <= 0:
            return []
        # The frame tells the last flowable whether a page could hold it whole at all.
        with lent_frame(last, frame_of(self)):
            parts = last.splitOn(self.canv, available_width, room)
        if len(parts) != 2:
            return []
        return [*lead, *parts]


#: Values ``copy.deepcopy`` hands back as they are.
_ATOMIC = frozenset({int, float, str, bool, type(None)})


def copy_of_frame(thing: Any, memo: dict[int, Any] | None = None) -> Any:
    """``copy.deepcopy(thing)``, done directly for a :class:`Frame`: a new frame with the same
    attributes, its numbers and names shared (deepcopy keeps those) and anything else (a
    frame's background list) deep-copied."""
    if type(thing) is not Frame:
        return copy.deepcopy(thing, memo)
    memo = {} if memo is None else memo
    copied = Frame.__new__(Frame)
    memo[id(thing)] = copied
    copied.__dict__.update(
        {
            key: value if type(value) in _ATOMIC else copy.deepcopy(value, memo)
            for key, value in thing.__dict__.items()
        }
    )
    return copied


class Picture(Flowable):
    """A figure's image, at most ``width`` wide and ``max_height`` tall, its aspect kept, and
    never larger than at 96 pixels an inch (a small image is not blown up into a blur).

    What is drawn is archival (PDF/A-2b) whatever the file holds: a JPEG in RGB or grey is
    embedded as it is; anything else (transparency, a palette, CMYK, 16 bits a channel) is
    first flattened onto white and made RGB or grey, so the page needs no soft mask and no
    colour space the sRGB output intent does not describe.
    """

    def __init__(self, figure: Figure, width: float, max_height: float):
        super().__init__()
        self.figure = figure
        natural = 72 / 96
        scale = min(width / figure.width, max_height / figure.height, natural)
        self.drawWidth, self.drawHeight = figure.width * scale, figure.height * scale
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.drawWidth > available_width:  # a narrower frame than the one sized for
            ratio = available_width / self.drawWidth
            self.drawWidth, self.drawHeight = available_width, self.drawHeight * ratio
        self.width, self.height = self.drawWidth, self.drawHeight
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(
            archival_image(self.figure), 0, 0, self.drawWidth, self.drawHeight, mask=None
        )


def archival_image(figure: Figure) -> ImageReader:
    """The figure's image as ReportLab embeds it in an archival PDF (see :class:`Picture`)."""
    from PIL import Image

    with Image.open(io.BytesIO(figure.data)) as image:
        if figure.media_type == "image/jpeg" and image.mode in ("RGB", "L"):
            return ImageReader(io.BytesIO(figure.data))  # embedded as is (DCTDecode)
        image.load()
        grey = image.mode in ("1", "L", "LA", "I", "I;16", "F") and "transparency" not in image.info
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            flat.alpha_composite(rgba)
            converted = flat.convert("RGB")
        elif image.mode in ("I", "I;16", "F"):
            converted = image.convert("I").point(lambda v: v / 256).convert("L")
        else:
            converted = image.convert("L" if grey else "RGB")
    return ImageReader(converted)
