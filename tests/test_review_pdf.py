"""Counting with letters and numerals, superscript letters, and right-to-left list numbers:
what a reader of the page sees is what the brief shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from .read import import_project, read_back
from .test_import_shape import blocks, imported, items, page


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return import_project(tmp_path / "fresh", "cassie-grissom")


def test_a_count_no_letter_or_numeral_writes_is_shown_in_digits(project: Path) -> None:
    """A browser counts an item numbered 0 (or past 3999 in roman numerals) with digits, as
    letters and roman numerals have none for it: the item never starts with a bare "."."""
    body = (
        '<ol type="a" start="0"><li>Zero</li><li>One</li></ol>'
        '<ol type="I" start="0"><li>Nought</li></ol>'
        '<ol type="i" start="3999"><li>Last roman</li><li>Past roman</li></ol>'
    )
    shown = items(read_back(imported(project, "p.html", page(body))))
    # Each a top-level item of its own (the digits are its text, not a list inside it).
    assert {(depth, marker) for depth, marker, _ in shown} == {(0, "•")}
    texts = [text for _, _, text in shown]
    assert texts == ["0. Zero", "a. One", "0. Nought", "mmmcmxcix. Last roman", "4000. Past roman"]


def test_a_superscript_letter_after_a_roman_numeral_is_an_ordinal(project: Path) -> None:
    """French writes a century as a roman numeral with a superscript ending ("XIXᵉ siècle"):
    the letter is part of the ordinal, as after digits ("2<sup>e</sup>"), not a note's mark."""
    body = (
        "<p>Au XIX<sup>e</sup> siècle, sous Louis XIV, le II<sup>e</sup> Empire; "
        "un traité<sup>a</sup> signé.</p>"
    )
    (paragraph,) = blocks(read_back(imported(project, "p.html", page(body, "fr"))))
    assert paragraph.text == "Au XIXe siècle, sous Louis XIV, le IIe Empire; un traité[a] signé."
