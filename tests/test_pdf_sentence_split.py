"""A paragraph split between sentences keeps the most whole sentences that fit.

``WholeSentences`` finds them by halving the range of sentence counts, relying on the first k
sentences never taking fewer lines than the first k - 1. These tests hold it to the plain
search it replaced, which lays out the first n - 1, n - 2, ... sentences until some fit: the same
cut, for paragraphs of one style and with highlights, at every height.
"""

from __future__ import annotations

from html import escape
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle

from pipeline.emphasis.units import split_sentences
from pipeline.model import Block, BriefBlock, Run, Span
from pipeline.render import clip
from pipeline.render.pdf.flowables import WholeSentences

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, splitLongWords=1)
WIDTH = 180.0
WORDS = ["policy", "a", "sanctions", "regional", "talks", "of", "the", "enforcement", "UN"]


def markup(part: BriefBlock) -> str:
    """The block's text as paragraph markup, each highlight in bold (a style of its own)."""
    text, pieces, at = part.block.text, [], 0
    for span in part.highlights:
        pieces += [escape(text[at : span.start]), f"<b>{escape(text[span.start : span.end])}</b>"]
        at = span.end
    return "".join([*pieces, escape(text[at:])])


def linear_split(para: WholeSentences, width: float, height: float) -> list[Any]:
    """The search before halving: the longest start of whole sentences, of two lines or more."""
    item = para._item
    assert item is not None
    sentences = split_sentences(item.block.text)
    for k in range(len(sentences) - 1, 0, -1):
        first = clip(item, 0, sentences[k - 1].end)
        head = WholeSentences(markup(first), para.style, item=first, markup=markup)
        head_height = head.wrap(width, height)[1]
        if 2 * para.style.leading - 0.01 <= head_height <= height:
            tail = clip(item, sentences[k].start, len(item.block.text))
            return [head, WholeSentences(markup(tail), para.style, item=tail, markup=markup)]
    return []


def texts(parts: list[Any]) -> list[str]:
    return [part._item.block.text for part in parts]


sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(
    lambda words: " ".join(words).capitalize() + "."
)


@settings(max_examples=60, deadline=None)
@given(
    sentences=st.lists(sentence, min_size=1, max_size=12),
    lines=st.integers(min_value=0, max_value=30),
    highlighted=st.lists(st.integers(min_value=0, max_value=11), max_size=4, unique=True),
)
def test_the_cut_is_the_one_the_plain_search_finds(
    sentences: list[str], lines: int, highlighted: list[int]
) -> None:
    text = " ".join(sentences)
    starts = [text.index(s) for s in sentences]
    spans = tuple(
        Span(starts[i], starts[i] + len(sentences[i]))
        for i in sorted(highlighted)
        if i < len(sentences)
    )
    item = BriefBlock(Block("paragraph", (Run(text),), 1), spans)
    para = WholeSentences(markup(item), BODY, item=item, markup=markup)
    height = lines * BODY.leading + 0.5
    assert texts(para._split_between_sentences(WIDTH, height)) == texts(
        linear_split(para, WIDTH, height)
    )


def test_a_long_paragraph_is_laid_out_a_page_at_a_time(monkeypatch: Any) -> None:
    """Cut page after page, as a frame cuts it, a paragraph of a hundred pages is laid out
    about as far as each page takes: not what is left of it whole at every page, which for a
    paragraph of a megabyte is minutes of work. Every sentence ends up on a page, in order."""
    from pipeline.render.pdf.paragraph import Paragraph

    text = " ".join(f"Sentence {n} of the paragraph that goes on and on." for n in range(3000))
    item = BriefBlock(Block("paragraph", (Run(text),), 1))
    laid_out: list[int] = []
    break_lines = Paragraph.breakLines

    def counted(self: Paragraph, width: Any) -> Any:
        laid_out.append(sum(len(getattr(frag, "text", "")) for frag in self.frags))
        return break_lines(self, width)

    monkeypatch.setattr(Paragraph, "breakLines", counted)
    page = 40 * BODY.leading
    piece, pages = WholeSentences(markup(item), BODY, item=item, markup=markup), []
    while piece.wrap(WIDTH, page)[1] > page:
        head, piece = piece.split(WIDTH, page)
        assert head.wrap(WIDTH, page)[1] <= page
        pages.append(head._item.block.text)
    pages.append(piece._item.block.text)
    assert len(pages) > 100
    assert " ".join(pages) == text
    assert sum(laid_out) < 10 * len(text)
