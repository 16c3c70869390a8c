"""The PDF renderer's own line breaker for styled paragraphs makes exactly ReportLab's lines.

``pipeline.render.pdf.paragraph`` breaks paragraphs of several styles (highlights, links, bold
words) itself, answering ReportLab's per-word questions once per paragraph; these tests hold it
to ReportLab's ``Paragraph.breakLines``: the same lines, runs, widths and fragment words for
the same markup and widths, and the same PDF bytes for a whole brief.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph as rl_paragraph

from pipeline.render.pdf import paragraph as fast

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, splitLongWords=1)


def _words(line: Any) -> list[list[tuple[str, str]]]:
    return [sorted((k, repr(v)) for k, v in word.__dict__.items()) for word in line.words]


def layout(para: Any, broken: Any) -> dict[str, Any]:
    """Everything breakLines hands on: the lines with their runs, the widest line, and the
    paragraph's fragments as words (what split() and drawing read)."""
    if broken.kind == 1:
        lines: Any = [
            ({k: v for k, v in line.__dict__.items() if k != "words"}, _words(line))
            for line in broken.lines
        ]
    else:
        lines = repr(broken.lines)
    return {
        "kind": broken.kind,
        "lines": lines,
        "width_max": para._width_max,
        "frags": repr(para.frags),
    }


def both(markup: str, widths: list[float], style: ParagraphStyle = BODY, **kw: Any) -> Any:
    """Break ``markup`` with ReportLab's breaker and with ours; the two layouts and whether
    ours took its own path."""
    ours = fast.Paragraph(markup, style, **kw)
    theirs = rl_paragraph.Paragraph(markup, style, **kw)
    own_path = fast._breaks_styled(ours, list(widths))
    w_ours, w_theirs = list(widths), list(widths)
    got = layout(ours, ours.breakLines(w_ours))
    expected = layout(theirs, theirs.breakLines(w_theirs))
    assert w_ours == w_theirs  # the bullet's room is taken off the first line alike
    return got, expected, own_path


HIGHLIGHT = '<span backColor="#fff3b0">'
MARKUPS = [
    f"Plain start, then {HIGHLIGHT}a highlighted sentence that runs on for a while.</span> "
    "And the text after it, long enough to wrap over several lines of the column.",
    'A <a href="https://example.org/x" color="blue"><u>linked phrase</u></a> inside, '
    "<b>bold words</b>, <i>italic ones</i> and <b><i>both</i></b> together in one line.",
    f"{HIGHLIGHT}Highlighted from the first word, with a <b>bold</b> run inside</span>"
    f"and no space before the next run{HIGHLIGHT}, then another</span>.",
    "Line one<br/>line two after a break<br/><br/>and a third after an empty one.",
    'Footnote<super><a href="#note-1" color="blue">1</a></super> and '
    '<font face="Times-Roman" size="12">a larger face</font> mixed with the body.',
    f"{HIGHLIGHT}only a highlight</span>",
    "<b>Bold</b> then plain",
]


@pytest.mark.parametrize("markup", MARKUPS)
@pytest.mark.parametrize("widths", [[400.0, 400.0], [180.0, 200.0], [61.0, 90.0], [35.0, 35.0]])
def test_styled_paragraphs_break_into_reportlabs_lines(markup: str, widths: list[float]) -> None:
    got, expected, own_path = both(markup, widths)
    assert own_path
    assert got == expected


def test_bullets_take_the_same_room_off_the_first_line() -> None:
    style = ParagraphStyle("item", BODY, leftIndent=4, bulletIndent=0, bulletFontName="Helvetica")
    got, expected, own_path = both(MARKUPS[0], [200.0, 200.0], style, bulletText="10.")
    assert own_path
    assert got == expected
    assert len(got["lines"]) > 3


def test_a_word_too_long_for_the_line_is_split_by_reportlab() -> None:
    # Hands back to ReportLab's breaker, which cuts the word; the result is still its own.
    markup = f"Short then {HIGHLIGHT}{'x' * 120}</span> and more."
    got, expected, own_path = both(markup, [150.0, 150.0])
    assert own_path
    assert got == expected
    assert len(got["lines"]) >= 4


def test_soft_hyphens_are_left_to_reportlab() -> None:
    markup = f"Some {HIGHLIGHT}extra\u00adordinarily\u00adlong\u00adcompound</span> words."
    got, expected, _ = both(markup, [70.0, 70.0])
    assert got == expected


def test_features_briefs_do_not_use_take_reportlabs_path() -> None:
    for style in (
        ParagraphStyle("h", BODY, hyphenationLang="en_GB"),
        ParagraphStyle("u", BODY, uriWasteReduce=0.3),
        ParagraphStyle("e", BODY, embeddedHyphenation=1),
        ParagraphStyle("a", BODY, autoLeading="max"),
        ParagraphStyle("r", BODY, wordWrap="RTL"),
    ):
        para = fast.Paragraph(MARKUPS[1], style)
        assert not fast._breaks_styled(para, [200.0, 200.0]), style.name
    # A single plain fragment is ReportLab's quick path already.
    assert not fast._breaks_styled(fast.Paragraph("one style only", BODY), [200.0, 200.0])


_RUN = st.tuples(
    st.lists(
        st.sampled_from(["a", "the", "policy", "framework", "x" * 30, "Ünïcode", "—", ""]),
        min_size=1,
        max_size=8,
    ).map(" ".join),
    st.sampled_from(["", "b", "i", "hl", "a", "big"]),
    st.booleans(),
)


def _markup(runs: list[tuple[str, str, bool]]) -> str:
    parts = []
    for text, kind, space in runs:
        piece = {
            "": text,
            "b": f"<b>{text}</b>",
            "i": f"<i>{text}</i>",
            "hl": f"{HIGHLIGHT}{text}</span>",
            "a": f'<a href="https://example.org/" color="blue">{text}</a>',
            "big": f'<font size="14">{text}</font>',
        }[kind]
        parts.append(piece + (" " if space else ""))
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_RUN, min_size=1, max_size=10),
    st.floats(min_value=20, max_value=500),
    st.floats(min_value=20, max_value=500),
)
def test_any_styled_paragraph_breaks_as_reportlab_does(
    runs: list[tuple[str, str, bool]], first: float, later: float
) -> None:
    got, expected, _ = both(_markup(runs), [first, later])
    assert got == expected


def briefs_through(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch, module: Any, name: str
) -> tuple[Any, list[bytes], list[tuple[tuple[Any, ...], Any]]]:
    """The seed's PDF briefs made with every call to ``module.name`` recorded (its arguments
    and what it returned), and the in-process subject, to make them again."""
    from benchmarks.run import InProcess

    subject = InProcess(seed_project)
    calls: list[tuple[tuple[Any, ...], Any]] = []
    own = getattr(module, name)

    def counted(*args: Any) -> Any:
        calls.append((args, own(*args)))
        return calls[-1][1]

    monkeypatch.setattr(module, name, counted)
    return subject, [subject.make("pdf") for _ in subject.editions], calls


def made_again(subject: Any) -> list[bytes]:
    subject._turn = 0
    return [subject.make("pdf") for _ in subject.editions]


def test_a_brief_is_the_same_bytes_with_reportlabs_breaker(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subject, briefs, calls = briefs_through(seed_project, monkeypatch, fast, "_break_styled")
    assert calls  # the briefs' highlighted paragraphs took the quick path
    monkeypatch.setattr(fast, "_breaks_styled", lambda para, width: False)
    assert made_again(subject) == briefs


def test_the_quick_path_leaves_the_paragraph_as_reportlab_does() -> None:
    # split() reads the fragment words the breaker leaves in .frags: a paragraph cut in two
    # draws the same lines either way.
    ours = fast.Paragraph(MARKUPS[0], BODY)
    theirs = rl_paragraph.Paragraph(MARKUPS[0], BODY)
    for para in (ours, theirs):
        para.wrap(120, 1000)
    heads = [p.split(120, 3 * BODY.leading) for p in (ours, theirs)]
    assert [len(h) for h in heads] == [2, 2]
    for index in range(2):
        a, b = heads[0][index], heads[1][index]
        a.wrap(120, 1000)
        b.wrap(120, 1000)
        assert layout(a, a.blPara) == layout(b, b.blPara)


def test_fonts_split_text_into_the_subsets_reportlab_would() -> None:
    # Two documents, one split with ReportLab's loop and one with the font's own: the same
    # runs for every text, and the same codes assigned in the same subsets at the end.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFont

    from pipeline.render.pdf import fonts_for
    from pipeline.render.pdf.fonts import LazyTTFont
    from pipeline.sources.theme import load_theme

    body, _, _ = fonts_for(load_theme(None))
    font = pdfmetrics.getFont(body.regular)
    assert isinstance(font, LazyTTFont)
    glyphs = sorted(code for code, glyph in font.face.charToGlyph.items() if glyph and code > 32)
    assert len(glyphs) > 300  # enough letters to need a second subset
    many = "".join(map(chr, glyphs[:300]))
    texts = [
        "",
        "Plain words\u00a0with a no-break space",
        "Plain words again,\u00a0all assigned",  # every letter has its code already
        many,  # fills the first subset and starts the second
        many[::-1] + " mixed " + many[:40],  # runs alternate between subsets
        "\u4e00 not in the font, then text",
        "Plain words",
        "\u00a0\u00a0",  # no-break spaces only: spaces
        many,  # every code assigned, some past the first subset
        many[250:] + " tail",  # all in the second subset but the tail's space
        "A plain line after them",
    ]
    ours, theirs = PDFDocument(), PDFDocument()
    for text in texts:
        assert font.splitString(text, ours) == TTFont.splitString(font, text, theirs), text
    a, b = font.state[ours], font.state[theirs]
    assert (a.assignments, a.subsets, a.nextCode) == (b.assignments, b.subsets, b.nextCode)
    assert len(a.subsets) >= 2


def test_structure_dictionaries_and_widths_are_written_as_reportlab_writes_them() -> None:
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFDictionary,
        PDFDocument,
        PDFName,
        PDFString,
    )

    from pipeline.render.pdf.pdfua.serialise import FastArray, FastDictionary

    doc = PDFDocument()
    refs = [doc.Reference(PDFDictionary({"N": n})) for n in range(14)]
    values: list[Any] = [
        [],
        [3],
        list(range(500, 537)),  # a font's widths: ten to a line
        [refs[0], 2, refs[1], 7.25, -1, 0.0001, 123456.789],
        [PDFName("Span"), "/Already a name", True, PDFString("(text) é"), *refs],
    ]

    def pair(entries: dict[str, Any]) -> tuple[bytes, bytes]:
        return FastDictionary(entries).format(doc), PDFDictionary(entries).format(doc)

    for items in values:
        assert FastArray(items).format(doc) == PDFArray(items).format(doc), items
        nested = [FastArray(items), FastDictionary({"K": refs[2], "MCID": 4})]
        plain = [PDFArray(items), PDFDictionary({"K": refs[2], "MCID": 4})]
        assert FastArray(nested).format(doc) == PDFArray(plain).format(doc)
    many = {f"Key{n}": refs[n] for n in range(13)} | {"S": PDFName("P"), "Lang": PDFString("en")}
    ours, theirs = pair(many)  # more than six entries: ReportLab breaks the line
    assert ours == theirs
    assert ours.count(b"\n") > 3
    ours, theirs = pair({"Type": PDFName("StructElem"), "K": FastArray([1, 2])})
    assert ours == pair({"Type": PDFName("StructElem"), "K": PDFArray([1, 2])})[1]
    assert pair({}) == (b"<<\n\n>>", b"<<\n\n>>")
    ordered = OrderedDict([("Z", 1), ("A", refs[3])])  # kept in its order, not sorted
    written = FastDictionary(ordered).format(doc)
    assert written == PDFDictionary(ordered).format(doc)
    assert written.index(b"/Z") < written.index(b"/A")


def _fragments(frags: list[Any] | None) -> list[list[tuple[str, str]]] | None:
    if frags is None:
        return None
    return [sorted((k, repr(v)) for k, v in frag.__dict__.items()) for frag in frags]


def _reportlab_parse(markup: str, style: ParagraphStyle = BODY) -> Any:
    from reportlab.platypus.paraparser import ParaParser

    parser = ParaParser()
    parser.caseSensitive = 1
    return parser.parse(rl_paragraph.cleanBlockQuotedText(markup), style)


PARSED = [
    *MARKUPS,
    "Tom &amp; Jerry &lt;b&gt;not bold&lt;/b&gt; &quot;quoted&quot; it&#x27;s &#39;x&#39;",
    "&nbsp;",
    "",
    "   spaced \n  over\tlines   ",
    '<a href="https://example.org/?a=1&amp;b=2" color="#0b5fff"><u>query</u></a>',
    '<FONT FACE="Courier">upper-case tags</FONT> and <B>bold</B>',
    '<span backColor="#fff3b0"><font face="Times-Roman">fallback</font> run</span>',
    '<para alignment="center">a para of its own</para>',
    "<br/><br />two breaks",
    "x<super>2</super> and x<sub>3</sub>",
    "an &bogus; entity ReportLab does not know, &#233;t&#xe9; &#0; &amp;&amp;",
]


@pytest.mark.parametrize("markup", PARSED)
def test_markup_is_read_into_reportlabs_fragments(markup: str) -> None:
    text = rl_paragraph.cleanBlockQuotedText(markup)
    ours = fast._parse(text, BODY, 1)
    assert ours is not None  # the quick reader took it
    theirs = _reportlab_parse(markup)
    assert _fragments(ours[1]) == _fragments(theirs[1])
    assert repr(ours[0].__dict__) == repr(theirs[0].__dict__)  # the style, as <para> sets it
    assert ours[2] == theirs[2]
    para, plain = fast.Paragraph(markup, BODY), rl_paragraph.Paragraph(markup, BODY)
    assert para.text == plain.text
    assert _fragments(para.frags) == _fragments(plain.frags)


@pytest.mark.parametrize(
    "markup",
    [
        "a stray & ampersand",  # html.parser's own rules for a bare "&"
        "<!-- a comment --> text",
        "<b class=unquoted>x</b>",
        "&amp without its semicolon",
        "a < b",
    ],
)
def test_other_markup_is_left_to_reportlabs_parser(markup: str) -> None:
    assert fast._parse(rl_paragraph.cleanBlockQuotedText(markup), BODY, 1) is None
    para, plain = fast.Paragraph(markup, BODY), rl_paragraph.Paragraph(markup, BODY)
    assert _fragments(para.frags) == _fragments(plain.frags)


@pytest.mark.parametrize(
    "markup", ["<b>never closed", "<b>crossed <i>tags</b></i>", "past Unicode &#1114112;"]
)
def test_broken_markup_fails_as_reportlabs_parser_does(markup: str) -> None:
    with pytest.raises(ValueError) as theirs:
        rl_paragraph.Paragraph(markup, BODY)
    with pytest.raises(ValueError) as ours:
        fast.Paragraph(markup, BODY)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("markup", ["plain text", "it&#x27;s &amp; more", "&nbsp;", ""])
@pytest.mark.parametrize(
    "style",
    [
        BODY,
        ParagraphStyle("bold", BODY, fontName="Helvetica-BoldOblique", textColor="#336699"),
        ParagraphStyle("times", BODY, fontName="Times-Italic", fontSize=7.5),
    ],
)
def test_text_without_tags_makes_reportlabs_fragments(markup: str, style: ParagraphStyle) -> None:
    text = rl_paragraph.cleanBlockQuotedText(markup)
    ours, theirs = fast._parse(text, style, 1), _reportlab_parse(markup, style)
    assert ours is not None
    assert ours[0] is style
    assert _fragments(ours[1]) == _fragments(theirs[1])
    # The attributes in ReportLab's order, and lists shared by a paragraph's fragments alike.
    assert [list(f.__dict__) for f in ours[1]] == [list(f.__dict__) for f in theirs[1]]
    if len(ours[1]) > 1:
        assert ours[1][0].link is ours[1][1].link and theirs[1][0].link is theirs[1][1].link
        assert ours[1][0].link is not fast._parse(text, style, 1)[1][0].link


def test_an_unknown_charref_form_is_left_to_reportlab() -> None:
    assert fast._texts([(3, "X27", None)]) is None
    # ReportLab's parser has no handler for it: the same failure either way.
    with pytest.raises(AttributeError) as theirs:
        rl_paragraph.Paragraph("it&#X27;s", BODY)
    with pytest.raises(AttributeError) as ours:
        fast.Paragraph("it&#X27;s", BODY)
    assert str(ours.value) == str(theirs.value)


_PIECE = st.sampled_from(
    [
        "word",
        " ",
        "&amp;",
        "&lt;",
        "&#x27;",
        "&#39;",
        "&nbsp;",
        "Ünï",
        "<br/>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        '<span backColor="#fff3b0">',
        "</span>",
        '<a href="#note-1" color="blue">',
        "</a>",
        "<super>",
        "</super>",
        '<font face="Times-Roman">',
        "</font>",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECE, max_size=16))
def test_any_markup_reads_as_reportlab_reads_it(pieces: list[str]) -> None:
    markup = "".join(pieces)
    try:
        theirs = _fragments(rl_paragraph.Paragraph(markup, BODY).frags)
    except ValueError as exc:
        with pytest.raises(ValueError) as ours:
            fast.Paragraph(markup, BODY)
        assert str(ours.value) == str(exc)
        return
    assert _fragments(fast.Paragraph(markup, BODY).frags) == theirs


def test_a_brief_is_the_same_bytes_with_reportlabs_markup_parser(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subject, briefs, calls = briefs_through(seed_project, monkeypatch, fast, "_parse")
    # Every paragraph of the briefs took the quick reader.
    assert calls and all(parsed is not None for _, parsed in calls)
    monkeypatch.setattr(fast, "_parse", lambda text, style, case_sensitive: None)
    assert made_again(subject) == briefs


def test_remembered_widths_are_reportlabs_widths() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for text in ["policy", "", " ", "Ünïcode —", "x" * 40]:
        for font, size in [("Helvetica", 10), ("Helvetica-Bold", 8.5), ("Times-Roman", 12)]:
            first = fast.remembered_width(text, font, size)
            assert first == stringWidth(text, font, size)
            assert type(first) is type(stringWidth(text, font, size))
            assert fast.remembered_width(text, font, size) == first


def test_a_width_is_remembered_for_the_font_not_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfbase import pdfmetrics

    registry = fast._FONTS
    monkeypatch.setitem(registry, "mb-test-face", pdfmetrics.getFont("Helvetica"))
    narrow = fast.remembered_width("WWWW", "mb-test-face", 10)
    # The same name registered again for another font: its own width, not the one remembered.
    monkeypatch.setitem(registry, "mb-test-face", pdfmetrics.getFont("Courier"))
    assert fast.remembered_width("WWWW", "mb-test-face", 10) == pdfmetrics.stringWidth(
        "WWWW", "Courier", 10
    )
    assert narrow != pdfmetrics.stringWidth("WWWW", "Courier", 10)


def test_reportlab_measures_with_its_own_width_outside_a_break(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fast.Paragraph(MARKUPS[0], BODY).wrap(200, 1000)
    fast.Paragraph("plain text of one style", BODY).wrap(200, 1000)
    assert rl_paragraph.stringWidth is stringWidth

    def broken(*args: Any) -> Any:
        raise RuntimeError("breaker failed")

    monkeypatch.setattr(fast, "_break_styled", broken)
    with pytest.raises(RuntimeError):
        fast.Paragraph(MARKUPS[0], BODY).wrap(200, 1000)
    assert rl_paragraph.stringWidth is stringWidth


def test_a_groups_frame_is_copied_as_deepcopy_copies_it() -> None:
    import copy

    from reportlab.lib.colors import red
    from reportlab.platypus import Frame
    from reportlab.platypus import flowables as rl_flowables

    from pipeline.render.pdf.flowables import KeepWithNext, copy_of_frame

    frame = Frame(10, 20, 300, 400, id="body", leftPadding=0)
    frame._frameBGs = [("bg", red)]
    frame._prevASpace, frame._atTop = 12.0, 0
    ours, theirs = copy_of_frame(frame), copy.deepcopy(frame)
    assert type(ours) is Frame and ours is not frame
    assert repr(ours.__dict__) == repr(theirs.__dict__)
    assert ours._frameBGs == frame._frameBGs and ours._frameBGs is not frame._frameBGs
    listed = [1, [2, 3]]
    assert copy_of_frame(listed) == listed and copy_of_frame(listed)[1] is not listed[1]
    group = KeepWithNext([fast.Paragraph("Heading", BODY), fast.Paragraph(MARKUPS[0], BODY)])
    group.canv = None
    group.wrap(300, 400)
    assert rl_flowables.deepcopy is copy.deepcopy  # ReportLab's own again after the wrap


def test_a_brief_is_the_same_bytes_with_deepcopied_frames(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import copy

    from pipeline.render.pdf import flowables

    subject, briefs, calls = briefs_through(seed_project, monkeypatch, flowables, "copy_of_frame")
    # Headings' groups were laid out on a copy of the frame.
    assert "Frame" in {type(args[0]).__name__ for args, _ in calls}
    monkeypatch.setattr(flowables, "copy_of_frame", copy.deepcopy)
    assert made_again(subject) == briefs


def test_names_and_strings_are_written_as_reportlab_writes_them() -> None:
    from reportlab.pdfbase import pdfdoc

    from pipeline.render.pdf.pdfua.serialise import remembered_names

    format_, name = pdfdoc.format, pdfdoc.PDFName
    document = pdfdoc.PDFDocument(invariant=1)
    values: list[Any] = ["/Annot", "Ünïcode (x)", "", 3, 2.5, True, b"raw", pdfdoc.PDFString("s")]
    keys = ["Type", "Odd Name#(1)", "é", ""]
    expected = [format_(value, document) for value in values], [name(key) for key in keys]
    with remembered_names():
        assert pdfdoc.format is not format_ and pdfdoc.PDFName is not name
        for _ in range(2):  # made, then remembered
            assert [pdfdoc.format(value, document) for value in values] == expected[0]
            assert [pdfdoc.PDFName(key) for key in keys] == expected[1]
        assert pdfdoc.PDFName("a b", "\x20") == name("a b", "\x20")
    assert (pdfdoc.format, pdfdoc.PDFName) == (format_, name)


def test_a_brief_is_the_same_bytes_with_reportlabs_names(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import nullcontext

    from benchmarks.run import InProcess
    from pipeline.render.pdf.pdfua import canvas

    subject = InProcess(seed_project)
    briefs = [subject.make("pdf") for _ in subject.editions]
    monkeypatch.setattr(canvas, "remembered_names", nullcontext)
    assert made_again(subject) == briefs


def test_reportlabs_dictionaries_and_arrays_are_written_as_it_writes_them() -> None:
    from collections import OrderedDict

    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    from pipeline.render.pdf.pdfua.serialise import remembered_names

    document = pdfdoc.PDFDocument(invariant=1)
    target = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Page")})
    reference = document.Reference(target)
    widths = pdfdoc.PDFArray(list(range(500, 537)))
    mixed = pdfdoc.PDFArray([reference, 1.5, 0, pdfdoc.PDFName("XYZ"), pdfdoc.PDFString("é")])
    entries = {f"K{i}": i * 0.5 for i in range(14)}
    forced = pdfdoc.PDFDictionary({"A": 1, "B": mixed})
    forced.multiline = "forced"
    values = [
        pdfdoc.PDFDictionary({}),
        pdfdoc.PDFDictionary({"Widths": widths, "Ref": reference, "Array": mixed, "On": True}),
        pdfdoc.PDFDictionary(entries),
        pdfdoc.PDFDictionary(OrderedDict(reversed(list(entries.items())))),
        pdfdoc.PDFDictionary({"Nested": pdfdoc.PDFDictionary({"Deep": mixed})}),
        pdfdoc.PDFArray([]),
        widths,
        mixed,
        pdfdoc.PDFArrayCompact(list(range(25))),
        forced,
    ]
    default = rl_config.pdfMultiLine
    for multiline in (0, 1):
        rl_config.pdfMultiLine = multiline
        try:
            expected = [pdfdoc.format(value, document) for value in values]
            with remembered_names():
                assert [pdfdoc.format(value, document) for value in values] == expected
        finally:
            rl_config.pdfMultiLine = default


def both_plain(markup: str, widths: list[float], style: ParagraphStyle = BODY, **kw: Any) -> Any:
    """A paragraph of one style broken by ReportLab and by :func:`fast._break_plain`: the two
    results (everything on them) and whether ours kept its own answer."""
    ours = fast.Paragraph(markup, style, **kw)
    theirs = rl_paragraph.Paragraph(markup, style, **kw)
    path = fast._quick_path(ours, list(widths))
    w_ours, w_theirs = list(widths), list(widths)
    fresh = fast.Paragraph(markup, style, **kw)
    own = path == "plain" and fast._break_plain(fresh, list(widths)) is not None
    got, expected = ours.breakLines(w_ours), theirs.breakLines(w_theirs)
    assert w_ours == w_theirs
    return (
        (repr(sorted(got.__dict__.items())), ours._width_max, repr(ours.frags)),
        (repr(sorted(expected.__dict__.items())), theirs._width_max, repr(theirs.frags)),
        own,
    )


PLAIN = [
    "A paragraph of one style that runs on for long enough to wrap over several lines.",
    "Non\u00a0breaking\u00a0spaces keep these\u00a0words together on one line or the next.",
    "   leading and trailing spaces   ",
    "",
    "Ünïcode — and punctuation: “quoted”, (bracketed) & escaped &lt;tags&gt;.",
]


@pytest.mark.parametrize("markup", PLAIN)
@pytest.mark.parametrize("widths", [[400.0, 400.0], [180.0, 200.0], [61.0, 90.0], [35.0, 35.0]])
def test_plain_paragraphs_break_into_reportlabs_lines(markup: str, widths: list[float]) -> None:
    got, expected, _ = both_plain(markup, widths)
    assert got == expected
    if markup and "&" not in markup:  # one fragment: the quick path
        assert fast._quick_path(fast.Paragraph(markup, BODY), widths) == "plain"


def test_plain_paragraphs_with_bullets_and_one_width() -> None:
    style = ParagraphStyle("item", BODY, leftIndent=4, bulletIndent=0, bulletFontName="Helvetica")
    got, expected, own = both_plain(PLAIN[0], [150.0, 150.0], style, bulletText="10.")
    assert own and got == expected
    ours, theirs = fast.Paragraph(PLAIN[0], BODY), rl_paragraph.Paragraph(PLAIN[0], BODY)
    assert repr(ours.breakLines(120.0).__dict__) == repr(theirs.breakLines(120.0).__dict__)


@pytest.mark.parametrize(
    "markup",
    ["Short then " + "x" * 120 + " and more.", "Some extra\u00adordinarily\u00adlong words."],
)
def test_words_to_split_or_hyphenate_are_left_to_reportlab(markup: str) -> None:
    got, expected, own = both_plain(markup, [70.0, 70.0])
    assert not own  # ReportLab's breaker made the lines
    assert got == expected


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "the", "policy", "framework", "x" * 25, "Ünï", "—", "a\u00a0b"]),
        max_size=40,
    ).map(" ".join),
    st.floats(min_value=20, max_value=500),
    st.floats(min_value=20, max_value=500),
    st.sampled_from([None, "•", "10."]),
)
def test_any_plain_paragraph_breaks_as_reportlab_does(
    text: str, first: float, later: float, bullet: str | None
) -> None:
    style = ParagraphStyle("item", BODY, leftIndent=6, bulletIndent=0)
    got, expected, _ = both_plain(text, [first, later], style, bulletText=bullet)
    assert got == expected


def test_a_brief_is_the_same_bytes_with_reportlabs_plain_breaker(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subject, briefs, calls = briefs_through(seed_project, monkeypatch, fast, "_break_plain")
    assert any(lines is not None for _, lines in calls)  # plain paragraphs took the quick path
    monkeypatch.setattr(fast, "_break_plain", lambda para, widths: None)
    assert made_again(subject) == briefs


def test_briefs_share_their_styles_and_are_the_bytes_fresh_styles_make(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from benchmarks.run import InProcess
    from pipeline.render.pdf import styles

    subject = InProcess(seed_project)
    first = styles.styles_for(subject.context, "#336699")
    assert styles.styles_for(subject.context, "#336699") is first
    assert styles.styles_for(subject.context, "#993366") is not first
    # Another theme object, even an equal one, gets styles of its own.
    other = dataclasses.replace(subject.context, theme=dataclasses.replace(subject.context.theme))
    assert styles.styles_for(other, "#336699") is not first
    shared = [subject.make("pdf") for _ in range(2 * len(subject.editions))]
    made = []
    make = styles._make_styles

    class Forgetful(dict[Any, Any]):
        def __setitem__(self, key: Any, value: Any) -> None:
            made.append(key)

    def counted(theme: Any, accent: str) -> Any:
        made.append(accent)
        return make(theme, accent)

    monkeypatch.setattr(styles, "_MADE", Forgetful())
    monkeypatch.setattr(styles, "_make_styles", counted)
    subject._turn = 0
    assert [subject.make("pdf") for _ in range(2 * len(subject.editions))] == shared
    assert len(made) == 2 * 2 * len(subject.editions)  # every brief made its own styles


def test_a_brief_is_the_same_bytes_with_font_subsets_cut_afresh(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.pdfbase.ttfonts import TTFontFace

    from pipeline.render.pdf.fonts import RememberingFace

    subject, briefs, calls = briefs_through(
        seed_project, monkeypatch, RememberingFace, "makeSubset"
    )
    # Four editions, the same faces and letters: each face's subset was cut once and recalled.
    programs = [program for _, program in calls]
    assert len(programs) > len({id(program) for program in programs})
    monkeypatch.setattr(RememberingFace, "makeSubset", TTFontFace.makeSubset)
    monkeypatch.setattr(RememberingFace, "addSubsetObjects", TTFontFace.addSubsetObjects)
    assert made_again(subject) == briefs
