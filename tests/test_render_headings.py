"""HTML heading levels follow how the Markdown headings nest, never skipping a level."""

from __future__ import annotations

from pipeline.model import Block, BriefBlock, Run
from pipeline.render.html import heading_levels


def _heading(level: int) -> BriefBlock:
    return BriefBlock(Block("heading", (Run("h"),), 1, level=level))


def _paragraph() -> BriefBlock:
    return BriefBlock(Block("paragraph", (Run("p"),), 1))


def test_a_skipped_markdown_level_is_closed_up() -> None:
    items = [_paragraph(), _heading(4), _paragraph(), _heading(6)]
    assert heading_levels(items, 3) == [0, 3, 0, 4]


def test_siblings_and_returns_keep_their_relative_levels() -> None:
    items = [_heading(3), _heading(4), _heading(4), _heading(3), _heading(5)]
    assert heading_levels(items, 3) == [3, 4, 4, 3, 4]


def test_levels_stop_at_six() -> None:
    assert heading_levels([_heading(3), _heading(4), _heading(5), _heading(6)], 4) == [4, 5, 6, 6]


def test_plain_blocks_are_accepted() -> None:
    assert heading_levels([Block("heading", (Run("h"),), 1, level=5)], 3) == [3]
