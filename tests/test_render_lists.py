"""The model's flat list items become nested HTML lists, which screen readers announce."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup, Tag

from pipeline.build import BuildOptions, build
from pipeline.model import Block, BriefBlock, Run
from pipeline.render.html import Leaf, ListNode, block_tree
from pipeline.sources import Project
from pipeline.sources.theme import load_theme

from .read import FIXTURES, pdf_text
from .read.tags import Element as TagElement
from .read.tags import page_texts, structure, text_of


def _item(text: str, marker: str, level: int = 0) -> BriefBlock:
    return BriefBlock(Block("item", (Run(text),), 1, level=level, marker=marker))


def _paragraph(text: str) -> BriefBlock:
    return BriefBlock(Block("paragraph", (Run(text),), 1))


def _texts(node: ListNode) -> list[list[str]]:
    return [[item.block.text for item in entry.blocks] for entry in node.entries]


def test_items_nest_by_depth_and_paragraphs_end_a_list() -> None:
    items = [
        _paragraph("intro"),
        _item("a", "•"),
        _item("a1", "•", 1),
        _item("a2", "•", 1),
        _item("b", "•"),
        _paragraph("outro"),
    ]
    intro, outer, outro = block_tree(items, 3)
    assert isinstance(intro, Leaf) and isinstance(outro, Leaf)
    assert isinstance(outer, ListNode) and not outer.ordered
    assert _texts(outer) == [["a"], ["b"]]
    (inner,) = outer.entries[0].nested
    assert _texts(inner) == [["a1"], ["a2"]]
    assert outer.entries[1].nested == []


def test_numbered_list_keeps_its_start_and_an_items_second_paragraph() -> None:
    (node,) = block_tree([_item("three", "3."), _item("more of three", ""), _item("four", "4.")], 3)
    assert isinstance(node, ListNode)
    assert (node.ordered, node.start) == (True, 3)
    assert _texts(node) == [["three", "more of three"], ["four"]]


def test_a_bullet_list_after_a_numbered_one_is_a_new_list() -> None:
    first, second = block_tree([_item("one", "1."), _item("dot", "•")], 3)
    assert isinstance(first, ListNode) and first.ordered
    assert isinstance(second, ListNode) and not second.ordered


def test_an_item_deeper_than_any_open_list_nests_one_level_down() -> None:
    (outer,) = block_tree([_item("a", "•"), _item("deep", "•", 3)], 3)
    assert isinstance(outer, ListNode)
    assert _texts(outer.entries[0].nested[0]) == [["deep"]]


def test_headings_outside_lists_keep_their_levels() -> None:
    heading = BriefBlock(Block("heading", (Run("h"),), 1, level=4))
    (leaf,) = block_tree([heading], 3)
    assert leaf == Leaf(heading, 3)


def test_a_projects_template_can_still_cut_a_block_into_pieces(tmp_path: Path) -> None:
    """Inline markup is written in Python; templates a project wrote against the pieces of a
    block (as the built-in ones once were) keep working, and both escape the source's text."""
    from pipeline.model import Span
    from pipeline.render.html import environment, inline_html

    item = BriefBlock(
        Block("paragraph", (Run("One <b>. "), Run("Two.", bold=True)), 1), (Span(9, 13),)
    )
    env = environment((tmp_path,))
    own = env.from_string(
        "{% for p in pieces(item) %}{% if p.highlighted %}[{% endif %}"
        "{% for r in p.runs %}{{ r.text }}{% endfor %}"
        "{% if p.highlighted %}]{% endif %}{% endfor %}"
    )
    assert own.render(item=item) == "One &lt;b&gt;. [Two.]"
    assert str(inline_html(item)) == "One &lt;b&gt;. <mark><strong>Two.</strong></mark>"


# --- lists as a reader sees them in both formats ----------------------------------------------

LISTS = """---
title: Lists of Every Kind
author: ann-lee
date: 2024-03-01
---
## Duties

The treaty sets out three duties:

a. The parties withdraw troops from the border.
b. The parties exchange prisoners.
c. The parties hold talks every year.

And in brackets:

(a) Sanctions are lifted in stages.
(b) Trade resumes under monitoring.

As the importer writes a lettered list:

- a. The military leaves the zone.
- b. Observers verify it.

A. Smith and B. Jones wrote this, and the line
goes on as prose.

## Points

1. The first point has two paragraphs.

   The first point's second paragraph.
2. The second point.

Between.

1. An outer point.
   - An inner bullet.

   The outer point's second paragraph, after its nested list.
2. The outer point's neighbour.
- A bullet right after the numbers.
"""


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The general edition of an article of lettered lists and items of two paragraphs."""
    return _general_edition(tmp_path_factory, "lists", LISTS)


def _general_edition(factory: pytest.TempPathFactory, slug: str, text: str) -> Path:
    """The folder of the general edition of the article ``text``, alone in a project."""
    root = factory.mktemp(slug) / "project"
    shutil.copytree(FIXTURES / "build-small", root)
    for article in (root / "sources" / "articles").iterdir():
        article.unlink()
    (root / "sources" / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")
    out = root / "out"
    build(Project.at(root), BuildOptions(out_dir=out, focuses=("general",), jobs=1))
    return out / slug


def _html_lists(folder: Path) -> list[Tag]:
    page = BeautifulSoup((folder / "general.html").read_text(encoding="utf-8"), "html.parser")
    main = page.find("main")
    assert isinstance(main, Tag)
    return [lst for lst in main.find_all(["ol", "ul"]) if lst.find_parent("li") is None]


def _items(lst: Tag) -> list[list[str]]:
    """Each item's paragraphs (and nested lists, as their items' text), in order."""
    return [
        [
            " ".join(part.get_text(" ", strip=True).split())
            for part in li.find_all(["p", "ul"], recursive=False)
        ]
        for li in lst.find_all("li", recursive=False)
    ]


def _pdf_lists(folder: Path) -> list[list[tuple[str, str]]]:
    """Each top-level list of the PDF's structure tree: its items' label and body text."""
    pdf = folder / "general.pdf"
    root, pages = structure(pikepdf.open(pdf)), page_texts(pdf)
    inner = {id(lst) for li in root.find("LI") for lst in li.find("L")}
    return [
        [
            (text_of(li.find("Lbl")[0], pages), text_of(li.find("LBody")[0], pages))
            for li in lst.kids
            if isinstance(li, TagElement) and li.role == "LI"
        ]
        for lst in root.find("L")
        if id(lst) not in inner
    ]


def test_a_lettered_list_shows_its_letters_not_a_bullet_and_the_letter(lists: Path) -> None:
    # "a." lines ran together into one paragraph, and "- a." items read "• a. The military".
    lettered = _html_lists(lists)[:3]
    assert [(lst.name, lst.get("type"), lst.get("class")) for lst in lettered] == [
        ("ol", "a", None),
        ("ol", "a", ["marker-parens-lower"]),
        ("ol", "a", None),
    ]
    assert _items(lettered[0]) == [
        ["The parties withdraw troops from the border."],
        ["The parties exchange prisoners."],
        ["The parties hold talks every year."],
    ]
    assert _items(lettered[2]) == [["The military leaves the zone."], ["Observers verify it."]]
    labels = [[label for label, _ in lst] for lst in _pdf_lists(lists)[:3]]
    assert labels == [["a.", "b.", "c."], ["(a)", "(b)"], ["a.", "b."]]
    bodies = [body for _, body in _pdf_lists(lists)[2]]
    assert bodies == ["The military leaves the zone.", "Observers verify it."]
    # Initials that happen to start two lines are prose, as written.
    assert "A. Smith and B. Jones wrote this, and the line goes on as prose." in pdf_text(
        lists / "general.pdf"
    )


def test_an_items_second_paragraph_stays_in_that_item(lists: Path) -> None:
    # In the PDF each further paragraph was an item of its own, with no label; in the HTML a
    # paragraph after a nested list came before it.
    first, second, bullets = _html_lists(lists)[3:]
    assert _items(first) == [
        ["The first point has two paragraphs.", "The first point's second paragraph."],
        ["The second point."],
    ]
    assert _items(second) == [
        [
            "An outer point.",
            "An inner bullet.",
            "The outer point's second paragraph, after its nested list.",
        ],
        ["The outer point's neighbour."],
    ]
    assert _items(bullets) == [["A bullet right after the numbers."]]
    assert _pdf_lists(lists)[3:] == [
        [
            ("1.", "The first point has two paragraphs. The first point's second paragraph."),
            ("2.", "The second point."),
        ],
        [
            (
                "1.",
                "An outer point. • An inner bullet. The outer point's second paragraph, after "
                "its nested list.",
            ),
            ("2.", "The outer point's neighbour."),
        ],
        [("•", "A bullet right after the numbers.")],
    ]


# --- Roman numerals, and quotations in list items ---------------------------------------------

NUMERALS = """---
title: Numerals and Quotations
author: ann-lee
date: 2024-03-01
---
## Duties

The treaty sets out three duties:

i. The parties withdraw troops from the border.
ii. The parties exchange prisoners.
iii. The parties hold talks every year.

As the importer writes a list in capitals that starts at three:

- III. The third part covers the ports.
- IV. The fourth part covers the airfields.

And lettered past h:

a. One.
b. Two.
c. Three.
d. Four.
e. Five.
f. Six.
g. Seven.
h. Eight.
i. Nine.
j. Ten.

I. Smith and V. Jones wrote this line.

i. A line alone.

## Quotes

- The envoy said this at the signing:

  > We will keep every promise in this text.

  And then she left.
- The second point, plainly.

Between.

1. > A quotation that opens the item.
2. The next numbered point.
"""


@pytest.fixture(scope="module")
def numerals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The general edition of an article of lists in Roman numerals and items that quote."""
    return _general_edition(tmp_path_factory, "numerals", NUMERALS)


def test_a_list_in_roman_numerals_shows_its_numerals(numerals: Path) -> None:
    # "i. ..." lines ran together into one paragraph, and "- III. ..." items read "• III.".
    roman = _html_lists(numerals)[:2]
    assert [(lst.name, lst.get("type"), lst.get("start")) for lst in roman] == [
        ("ol", "i", None),
        ("ol", "I", "3"),
    ]
    assert _items(roman[0]) == [
        ["The parties withdraw troops from the border."],
        ["The parties exchange prisoners."],
        ["The parties hold talks every year."],
    ]
    assert _items(roman[1]) == [
        ["The third part covers the ports."],
        ["The fourth part covers the airfields."],
    ]
    assert _pdf_lists(numerals)[:2] == [
        [
            ("i.", "The parties withdraw troops from the border."),
            ("ii.", "The parties exchange prisoners."),
            ("iii.", "The parties hold talks every year."),
        ],
        [
            ("III.", "The third part covers the ports."),
            ("IV.", "The fourth part covers the airfields."),
        ],
    ]
    assert "• III." not in pdf_text(numerals / "general.pdf")


def test_whether_i_is_a_letter_or_a_numeral_follows_from_the_whole_list(numerals: Path) -> None:
    lettered = _html_lists(numerals)[2]
    assert (lettered.get("type"), lettered.get("start")) == ("a", None)
    assert [text for (text,) in _items(lettered)][7:] == ["Eight.", "Nine.", "Ten."]
    labels = [label for label, _ in _pdf_lists(numerals)[2]]
    assert labels == [f"{letter}." for letter in "abcdefghij"]
    # Initials, and one numeral alone, are prose as written.
    main = BeautifulSoup((numerals / "general.html").read_text(encoding="utf-8"), "html.parser")
    paragraphs = [" ".join(p.get_text().split()) for p in main.find_all("p")]
    assert "I. Smith and V. Jones wrote this line." in paragraphs
    assert "i. A line alone." in paragraphs
    text = pdf_text(numerals / "general.pdf")
    assert "I. Smith and V. Jones wrote this line." in text and "i. A line alone." in text


def test_a_quotation_in_a_list_item_is_a_quotation_in_that_item(numerals: Path) -> None:
    # It was a plain paragraph of the item in both formats.
    bullets, numbered = _html_lists(numerals)[3:]
    first = bullets.find_all("li", recursive=False)[0]
    assert [
        (part.name, " ".join(part.get_text().split()))
        for part in first.children
        if isinstance(part, Tag)
    ] == [
        ("p", "The envoy said this at the signing:"),
        ("blockquote", "We will keep every promise in this text."),
        ("p", "And then she left."),
    ]
    opening = numbered.find_all("li", recursive=False)
    assert [child.name for child in opening[0].children if isinstance(child, Tag)] == ["blockquote"]
    assert len(opening) == 2 and numbered.get("start") is None
    # The PDF: a BlockQuote in the item's LBody (not a P), after its text and before the
    # paragraph that follows it; an item that opens with one has its label all the same.
    pdf = numerals / "general.pdf"
    root, pages = structure(pikepdf.open(pdf)), page_texts(pdf)
    assert [text_of(quote, pages) for quote in root.find("BlockQuote")] == [
        "We will keep every promise in this text.",
        "A quotation that opens the item.",
    ]
    holding = [
        [kid.role for kid in body.kids if isinstance(kid, TagElement)]
        for body in root.find("LBody")
        if body.find("BlockQuote")
    ]
    assert holding == [["BlockQuote", "P"], ["BlockQuote"]]
    assert [label for label, _ in _pdf_lists(numerals)[4]] == ["1.", "2."]
    # Drawn as the theme draws quotations: indented from the item's text, in the muted colour.
    lines = _pdf_lines(pdf)
    item, quote, after = (
        lines[start]
        for start in (
            "• The envoy said this at the signing:",
            "We will keep every promise in this text.",
            "And then she left.",
        )
    )
    theme = load_theme(FIXTURES / "build-small" / "templates")
    indent = theme.pdf_styles["quote"].left_indent or 0.0
    assert abs(quote[0] - (after[0] + indent)) < 1 and item[0] < after[0]
    assert quote[1] != item[1] and after[1] == item[1]
    # The label of an item that opens with one is drawn as every item's label is.
    assert lines["1."][1] == item[1] and lines["1."][0] == item[0]


def _pdf_lines(pdf: Path) -> dict[str, tuple[float, tuple[float, ...]]]:
    """Each line of text page 1 draws: where it starts across, and its first letter's colour."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    found: dict[str, tuple[float, tuple[float, ...]]] = {}
    for box in next(iter(extract_pages(pdf))):
        if isinstance(box, LTTextContainer):
            for line in box:
                if isinstance(line, LTTextLine):
                    first = next(char for char in line if isinstance(char, LTChar))
                    colour = tuple(first.graphicstate.ncolor or ())
                    found[line.get_text().strip()] = (line.x0, colour)
    return found
