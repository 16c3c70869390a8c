"""Counting with letters and numerals, superscript letters, and right-to-left list numbers:
what a reader of the page sees is what the brief shows."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from pipeline.build import BuildOptions, build
from pipeline.sources import Project

from .read import FIXTURES, import_project, read_back
from .read.tags import page_texts, structure, text_of
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


def test_a_raised_ending_of_an_abbreviation_is_part_of_the_word(project: Path) -> None:
    """ "Mr<sup>s</sup>" is "Mrs" (it was "Mr[s]", a note's mark), as "M<sup>r</sup>" was "Mr";
    a raised letter after any other word is still a mark."""
    body = (
        "<p>Mr<sup>s</sup> Smith met Sr<sup>a</sup> Ruiz, M<sup>r</sup> Roy and "
        "Mm<sup>e</sup> Roy; the treaty<sup>a</sup> was signed by Mr<sup>b</sup> Lee.</p>"
    )
    (paragraph,) = blocks(read_back(imported(project, "p.html", page(body))))
    assert paragraph.text == (
        "Mrs Smith met Sra Ruiz, Mr Roy and Mme Roy; the treaty[a] was signed by Mr[b] Lee."
    )


def test_a_romanised_name_is_kept_as_written_not_read_as_elements(project: Path) -> None:
    """Short capitalised words in a run are a name ("Ca Pa La", "Na Ta Pa"), however much their
    letters look like elements' symbols (Ca, Pa, La, Na, Ta): a superscript number after one is
    a citation, where it was a charge ("La²"); after an element in a formula it still is one."""
    body = (
        "<p>The monk Ca Pa La<sup>2</sup> led the talks with Na Ta Pa and President "
        "Na<sup>3</sup>. The ion Fe<sup>3</sup> and Ca<sup>2</sup> ions bind.</p>"
    )
    (paragraph,) = blocks(read_back(imported(project, "p.html", page(body))))
    assert paragraph.text == (
        "The monk Ca Pa La[2] led the talks with Na Ta Pa and President Na[3]. "
        "The ion Fe³ and Ca² ions bind."
    )


@pytest.fixture(scope="module")
def arabic_lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("arabic-lists")
    build(Project.at(FIXTURES / "scripts"), BuildOptions(out_dir=out, articles=("arabic-lists",)))
    return out / "arabic-lists" / "general.pdf"


def test_a_right_to_left_items_label_reads_as_its_number(arabic_lists: Path) -> None:
    """What the label draws in visual order, a screen reader still hears as "1."."""
    root = structure(pikepdf.open(arabic_lists))
    pages = page_texts(arabic_lists)
    labels = [text_of(label, pages) for label in root.find("Lbl")]
    assert labels == ["•"] * 5 + ["1.", "2.", "3."]


def test_a_superscript_number_after_a_name_that_is_an_elements_symbol_is_a_citation(
    project: Path,
) -> None:
    """Chinese and Vietnamese surnames (Li, Lu, Ho, Ge), abbreviations (Co, Sr, Fr, Mt, Md) and
    names (Al, the river Po) share their letters with elements' symbols; a superscript number
    after one is a citation, as after any word, while a charge still follows an ion."""
    body = (
        "<p>Premier Li<sup>3</sup> met Lu<sup>4</sup>, Ho<sup>5</sup> and Ge<sup>6</sup>; "
        "Smith &amp; Co<sup>7</sup>, John Smith Sr<sup>8</sup>, Fr<sup>9</sup> Brown, "
        "Mt<sup>10</sup> Fuji, Md<sup>11</sup>, Al<sup>12</sup> and the Po<sup>13</sup>. "
        "The ion Fe<sup>3</sup>.</p>"
    )
    (paragraph,) = blocks(read_back(imported(project, "p.html", page(body))))
    assert paragraph.text == (
        "Premier Li[3] met Lu[4], Ho[5] and Ge[6]; Smith & Co[7], John Smith Sr[8], Fr[9] Brown, "
        "Mt[10] Fuji, Md[11], Al[12] and the Po[13]. The ion Fe³."
    )


def test_a_note_reference_after_a_sentence_stays_at_a_page_break(tmp_path: Path) -> None:
    """A reference written after the space that ends a sentence ("dam. [^3] The next", or
    "dam. [^3]The next") stands between two sentences: when a page breaks the paragraph there,
    it stays with the sentence before it, and is neither lost nor drawn twice."""
    root = import_project(tmp_path / "project", "cassie-grissom")
    count = 150
    sentences = " ".join(
        f"Sentence {i} says troops patrol the border by the river and the dam. [^{i}]"
        for i in range(1, count + 1)
    )
    # Half of them with the reference right against the next sentence ("dam. [^3]Sentence").
    sentences = re.sub(r"(\[\^\d*[02468]\]) ", r"\1", sentences)
    notes = "".join(f"[^{i}]: Note {i}.\n" for i in range(1, count + 1))
    (root / "sources" / "articles" / "long.md").write_text(
        "---\ntitle: Long\nauthor: cassie-grissom\ndate: 2024-01-01\n---\n"
        f"## Part\n\n{sentences}\n\n{notes}",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    build(
        Project.at(root),
        BuildOptions(
            out_dir=out, articles=("long",), focuses=("general",), formats=("pdf",), jobs=1
        ),
    )
    pdf = out / "long" / "general.pdf"
    assert len(pikepdf.open(pdf).pages) > 3  # the paragraph breaks at several pages
    pages = page_texts(pdf)
    (paragraph,) = [
        p for p in structure(pikepdf.open(pdf)).find("P") if "Sentence 1 " in text_of(p, pages)
    ]
    text = text_of(paragraph, pages)
    for i in range(1, count + 1):
        # Each sentence once, followed by its reference (drawn as its number).
        assert text.count(f"Sentence {i} says") == 1
        assert re.search(rf"Sentence {i} says [^.]*dam\. {i}(?!\d)", text), i
