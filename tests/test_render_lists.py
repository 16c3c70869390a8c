"""The model's flat list items become nested HTML lists, which screen readers announce."""

from __future__ import annotations

from pathlib import Path

from pipeline.model import Block, BriefBlock, Run
from pipeline.render.html import Leaf, ListNode, block_tree


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
