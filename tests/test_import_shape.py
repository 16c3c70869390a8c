"""make-brief import keeps a page's text and shape: nested lists, every table cell, footnotes.

The pages under ``fixtures/import/pages/`` are modelled on real ones (a Wikipedia article with
an infobox and references, a think tank's report with a table, a figure and endnotes, a news
story with a byline, an Arabic page), with invented text. Each is imported into a fresh
project, read back as a build reads it, and built; the HTML is parsed and the PDF's text
extracted, to check what a reader of the brief sees.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.importer import ImportPlan, plan_import, write_import
from pipeline.model import Article, Block
from pipeline.sources import Project

from .read import import_project, pdf_text, read_back, squeeze

PAGES = Path(__file__).resolve().parent / "fixtures" / "import" / "pages"
BIO = "<h2>About the author</h2><p>Jane Roe is a journalist who writes about water.</p>"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = import_project(tmp_path / "fresh", "cassie-grissom")
    (root / "sources" / "authors" / "sara-ali.md").write_text(
        "---\nname: سارة العلي\n---\nسارة العلي صحفية تكتب عن المياه.\n", encoding="utf-8"
    )
    return root


def imported(
    project: Path, page: Path | str, data: bytes | None = None, **options: str
) -> ImportPlan:
    """Import ``page`` (its bytes, or ``data`` under its name) and write the sources."""
    plan = plan_import(
        Path(page).read_bytes() if data is None else data,
        str(page),
        Project(project),
        options.get("slug"),
        options.get("author"),
    )
    write_import(plan)
    return plan


def page(body: str, lang: str = "en") -> bytes:
    """A small saved page: an article with a title, a section and a bio around ``body``."""
    return (
        f'<!doctype html><html lang="{lang}"><head><title>T</title></head><body><article>'
        f"<h1>Shape Test</h1><p>By Jane Roe | March 3, 2024</p><h2>Part</h2>{body}{BIO}"
        "</article></body></html>"
    ).encode()


def blocks(article: Article) -> list[Block]:
    return [*article.lede, *(b for s in article.sections for b in s.blocks)]


def items(article: Article) -> list[tuple[int, str, str]]:
    """Each list item as (depth, marker, text); an item's next paragraph has no marker."""
    return [(b.level, b.marker, b.text) for b in blocks(article) if b.kind == "item"]


def build(project: Path, out: Path, slug: str) -> tuple[BeautifulSoup, str]:
    """Build the general edition of ``slug``: its HTML parsed, and its PDF's text."""
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "--project", str(project)])
    assert checked.exit_code == 0, checked.output
    built = runner.invoke(
        main,
        [
            "--project",
            str(project),
            "--out",
            str(out),
            "--quiet",
            "--article",
            slug,
            "--focus",
            "general",
        ],
    )
    assert built.exit_code == 0, built.output
    html = (out / slug / "general.html").read_text("utf-8")
    return BeautifulSoup(html, "html.parser"), pdf_text(out / slug / "general.pdf")


def list_tree(element: Tag) -> list[object]:
    """A rendered list as nested Python lists: each item's own text, then its inner lists."""
    tree: list[object] = []
    for li in element.find_all("li", recursive=False):
        own = " ".join(p.get_text(" ", strip=True) for p in li.find_all("p", recursive=False))
        inner = [list_tree(x) for x in li.find_all(["ul", "ol"], recursive=False)]
        tree.append([own, *inner])
    return tree


# --- 1. nested lists ---------------------------------------------------------------------


def test_a_list_inside_a_list_item_stays_nested_in_the_sources_and_both_formats(
    project: Path, tmp_path: Path
) -> None:
    plan = imported(project, PAGES / "wiki.html", author="cassie-grissom")
    assert items(read_back(plan)) == [
        (0, "•", "The first round (2009) agreed on shared data:"),
        (1, "•", "monthly gauge readings;"),
        (1, "•", "satellite surveys of the shoreline."),
        (0, "•", "The second round (2013) stalled over quotas."),
        (0, "•", "The third round (2017) produced the draft text."),
        (1, "1.", "A quota formula."),
        (1, "2.", "A dispute panel."),
    ]
    soup, pdf = build(project, tmp_path / "out", plan.slug)
    (outer,) = [ul for ul in soup.main.find_all("ul") if ul.find_parent("li") is None]
    assert list_tree(outer) == [
        [
            "The first round (2009) agreed on shared data:",
            [["monthly gauge readings;"], ["satellite surveys of the shoreline."]],
        ],
        ["The second round (2013) stalled over quotas."],
        [
            "The third round (2017) produced the draft text.",
            [["A quota formula."], ["A dispute panel."]],
        ],
    ]
    assert outer.find("ol").find_parent("li").p.get_text(strip=True).startswith("The third")
    assert squeeze("satellite surveys of the shoreline.") in squeeze(pdf)


def test_an_items_second_paragraph_continues_the_item(project: Path) -> None:
    body = "<ul><li>Outer one<p>More about one.</p></li><li>Outer two</li></ul>"
    plan = imported(project, "p.html", page(body))
    assert items(read_back(plan)) == [
        (0, "•", "Outer one"),
        (0, "", "More about one."),
        (0, "•", "Outer two"),
    ]


def test_a_list_directly_inside_a_list_nests_under_the_item_before_it(project: Path) -> None:
    # A common slip: <ul> as a child of <ul>, which browsers show indented under "a".
    body = "<ul><li>a</li><ul><li>a1</li><li>a2</li></ul><li>b</li></ul>"
    plan = imported(project, "p.html", page(body))
    assert items(read_back(plan)) == [(0, "•", "a"), (1, "•", "a1"), (1, "•", "a2"), (0, "•", "b")]


@pytest.mark.parametrize("start", ["²", "٣", "99999999999999999999"])
def test_a_list_or_cell_number_no_browser_reads_is_no_error(project: Path, start: str) -> None:
    # int("²") raised ValueError out of the import; a start of twenty digits is no list marker.
    body = (
        f'<ol start="{start}"><li>First step</li><li>Second step</li></ol>'
        f'<table><tr><th colspan="{start}">Head</th></tr><tr><td>Cell</td></tr></table>'
    )
    article = read_back(imported(project, "p.html", page(body)))
    assert [text for _, _, text in items(article)] == ["First step", "Second step"]
    assert "Cell" in " ".join(b.text for b in blocks(article))


def test_two_lists_in_a_row_stay_two_lists_and_text_between_items_is_kept(
    project: Path,
) -> None:
    body = (
        "<ol><li>one</li><li>two</li></ol><ol><li>again</li></ol><ul><li>x</li>stray<li>y</li></ul>"
    )
    plan = imported(project, "p.html", page(body))
    article = read_back(plan)
    # The second list numbers from 1 again: Markdown did not run it on as the first's third.
    assert items(article)[:3] == [(0, "1.", "one"), (0, "2.", "two"), (0, "1.", "again")]
    assert [b.text for b in blocks(article)][-3:] == ["x", "stray", "y"]


def test_a_list_item_of_one_share_word_is_kept_in_a_list_of_text(project: Path) -> None:
    body = (
        "<p>Options:</p><ul><li>A</li><li>X</li><li>Email</li></ul>"
        "<ul><li>Share</li><li>X</li><li>Email</li></ul><p>After.</p>"
    )
    plan = imported(project, "p.html", page(body))
    assert [b.text for b in blocks(read_back(plan))] == ["Options:", "A", "X", "Email", "After."]
    # A list of nothing but share buttons is still the page's furniture.
    assert [d.text for d in plan.drops if d.reason == "web boilerplate"] == ["Share", "X", "Email"]


def test_lists_nested_deeper_than_a_source_may_be_keep_every_item(
    project: Path, tmp_path: Path
) -> None:
    depth = 30
    body = "".join(f"<ul><li>level {n}" for n in range(depth)) + "</li></ul>" * depth
    plan = imported(project, "p.html", page(body))
    found = items(read_back(plan))
    assert [text for _, _, text in found] == [f"level {n}" for n in range(depth)]
    # The source format refuses more than 20 levels: the deepest items share the last one.
    assert max(level for level, _, _ in found) == 19
    build(project, tmp_path / "out", plan.slug)


# --- 2. table cells ------------------------------------------------------------------------


def test_every_cell_of_a_layout_table_survives_even_one_character(
    project: Path, tmp_path: Path
) -> None:
    body = (
        '<table role="presentation"><tr><td>x</td><td>Reroute grain by road.</td></tr>'
        "<tr><td>-</td><td>Wait for the talks.</td></tr><tr><td>✓</td><td>1</td></tr></table>"
        "<table><tr><td>Share</td></tr><tr><td>1</td></tr><tr><td>x</td></tr></table>"
        "<p>After the tables.</p>"
    )
    plan = imported(project, "p.html", page(body))
    assert [b.text for b in blocks(read_back(plan))] == [
        # A row of a layout table reads across, as one line: the mark stays with its text.
        "x Reroute grain by road.",
        "- Wait for the talks.",
        "✓ 1",
        # A single column is read as paragraphs, and a cell is no share button.
        "Share",
        "1",
        "x",
        "After the tables.",
    ]
    assert not [d for d in plan.drops if d.reason == "web boilerplate"]
    _, pdf = build(project, tmp_path / "out", plan.slug)
    for text in ("x Reroute grain by road.", "- Wait for the talks.", "✓ 1"):
        assert squeeze(text) in squeeze(pdf)


def test_one_character_cells_of_data_tables_and_an_infobox_are_kept(
    project: Path, tmp_path: Path
) -> None:
    plan = imported(project, PAGES / "wiki.html", author="cassie-grissom")
    tables = [b.table for b in blocks(read_back(plan)) if b.table is not None]
    cells = [["".join(r.text for r in cell) for cell in row] for t in tables for row in t.rows]
    assert ["Parties", "3"] in cells and ["Ratified", "✓"] in cells
    assert ["Costane", "20", "-"] in cells
    soup, _ = build(project, tmp_path / "out", plan.slug)
    shown = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.find_all("tr")]
    assert ["Ratified", "✓"] in shown and ["Costane", "20", "-"] in shown


def test_blocks_inside_a_cell_or_heading_are_never_joined_into_one_word(project: Path) -> None:
    body = (
        "<table><tr><th>Parties</th><th>Notes</th></tr>"
        "<tr><td><ul><li>Arvenia</li><li>Belmora</li></ul></td><td><p>one</p><p>two</p></td>"
        "</tr></table><h3><span>Water</span><div>Quotas</div></h3><p>Text.</p>"
    )
    article = read_back(imported(project, "p.html", page(body)))
    table, heading, _ = blocks(article)
    assert table.table is not None
    assert ["".join(r.text for r in cell) for cell in table.table.rows[0]] == [
        "Arvenia Belmora",
        "one two",
    ]
    assert heading.text == "Water Quotas"


# --- 3. footnotes and superscripts ---------------------------------------------------------


def notes(article: Article) -> list[str]:
    return [b.text for b in article.notes]


def references(article: Article) -> list[int]:
    """The note numbers the text refers to, in reading order."""
    return [r.note for b in blocks(article) for r in b.runs if r.note]


def test_a_reports_endnotes_become_footnotes_without_their_links_back(
    project: Path, tmp_path: Path
) -> None:
    plan = imported(project, PAGES / "report.html")
    article = read_back(plan)
    assert notes(article) == [
        "Port authority monthly bulletins, January to December 2023.",
        "FAO trade data, 2022.\nFigures are for marketing years.",
        "Danube Commission, annual report 2023.",
    ]
    assert references(article) == [1, 2, 3]
    text = " ".join(b.text for b in blocks(article))
    assert "↩" not in text and "trip. Costs" in text
    # The "Notes" heading held only the notes: no empty section is left of it.
    assert [s.title for s in article.sections] == [
        "Key findings",
        "Introduction",
        "Findings",
        "Recommendations",
    ]
    assert ("Notes", "heading of the notes") in [(d.text, d.reason) for d in plan.drops]
    assert [d.text for d in plan.drops if d.reason == "link back from a note"] == ["↩︎"] * 3
    soup, pdf = build(project, tmp_path / "out", plan.slug)
    refs = soup.main.find_all("a", attrs={"role": "doc-noteref"})
    assert [a.get_text() for a in refs] == ["1", "2", "3", "3"]
    listed = soup.find("section", class_="notes").find_all("li")
    assert listed[1].get_text(" ", strip=True).startswith("FAO trade data, 2022.")
    assert squeeze("Danube Commission, annual report 2023.") in squeeze(pdf)


def test_wikipedia_references_become_footnotes_and_one_cited_twice_is_one_note(
    project: Path,
) -> None:
    plan = imported(project, PAGES / "wiki.html", author="cassie-grissom")
    article = read_back(plan)
    assert notes(article) == [
        "Accord text, article 14.",
        "Basin Commission (2020). State of the Lake. p. 4.",
        "Ministry of Water, press release, 12 March 2019.",
        "The wettest year on record was 1988.",
    ]
    # [1] is in the infobox; [2] is cited twice (its note has two links back, "^ a b"), and
    # [a] is a lettered note.
    (infobox, *_) = [b.table for b in blocks(article) if b.table is not None]
    assert [r.note for cell in infobox.rows[-1] for r in cell if r.note] == [1]
    assert references(article) == [2, 3, 2, 4]
    lede = " ".join(b.text for b in article.lede)
    assert "monitoring body.[citation needed]" in lede
    reasons = {d.text: d.reason for d in plan.drops}
    assert reasons["^ a b"] == "link back from a note"
    assert reasons["References"] == reasons["Notes"] == "heading of the notes"


def test_a_superscript_is_never_glued_to_the_word_before_it(project: Path) -> None:
    body = (
        "<p>See the note<sup>1</sup> and the reform.<sup>2,3</sup> It was signed in "
        "2019<sup>4</sup> over 5,200 km<sup>2</sup>, x<sup>2</sup> and 10<sup>9</sup> m"
        "<sup>-1</sup>; the 1<sup>st</sup> round.</p>"
    )
    plan = imported(project, "p.html", page(body))
    (paragraph,) = [b.text for b in blocks(read_back(plan))]
    assert paragraph == (
        "See the note[1] and the reform.[2,3] It was signed in 2019[4] over 5,200 km², x² and "
        "10⁹ m⁻¹; the 1st round."
    )


def test_a_link_that_is_a_number_but_no_note_stays_text(project: Path) -> None:
    body = (
        '<p>See section <a href="#s2">2</a> and note <sup><a href="#nowhere">[7]</a></sup>.</p>'
        '<h3 id="s2">Second</h3><p>Text of the second part.</p>'
    )
    plan = imported(project, "p.html", page(body))
    article = read_back(plan)
    assert article.notes == () and "See section 2 and note [7]." in blocks(article)[0].text


def test_a_note_whose_only_reference_is_left_out_is_reported(project: Path) -> None:
    body = (
        '<p>Kept text.</p><p hidden>Hidden claim.<sup><a href="#n1">1</a></sup></p>'
        '<ol><li id="n1">The hidden claim\'s source.</li></ol>'
    )
    plan = imported(project, "p.html", page(body))
    assert read_back(plan).notes == ()
    assert ("The hidden claim's source.", "note of text left out") in [
        (d.text, d.reason) for d in plan.drops
    ]


def test_the_characters_a_reference_is_written_with_are_no_reference_in_page_text(
    project: Path,
) -> None:
    body = "<p>Odd \ufdd01\ufdd0 text \ufdd12\ufdd1 here.</p>"
    plan = imported(project, "p.html", page(body))
    assert [b.text for b in blocks(read_back(plan))] == ["Odd 1 text 2 here."]


# --- the other pages ---------------------------------------------------------------------


def test_a_news_story_keeps_its_dek_and_takes_its_byline(project: Path, tmp_path: Path) -> None:
    plan = imported(project, PAGES / "news.html")
    assert (plan.author_id, str(plan.date)) == ("maria-lopez", "2024-03-05")
    article = read_back(plan)
    assert article.lede[0].text == "Dockworkers walk out for a second week, stranding 40 ships."
    assert items(article) == [
        (0, "•", "a 9% raise over two years;"),
        (0, "•", "limits on night shifts, including"),
        (1, "•", "no more than three a week,"),
        (1, "•", "a paid rest day after each run."),
    ]
    dropped = {d.text for d in plan.drops}
    assert {"Facebook", "X", "WhatsApp", "By Maria Lopez 5 March 2024"} <= dropped
    soup, _ = build(project, tmp_path / "out", plan.slug)
    assert soup.find("blockquote").get_text(strip=True).startswith("“We have been patient")


def test_an_arabic_page_keeps_its_list_table_note_and_powers(project: Path, tmp_path: Path) -> None:
    plan = imported(project, PAGES / "arabic.html", author="sara-ali", slug="water-ar")
    article = read_back(plan)
    assert article.lang == "ar"
    assert notes(article) == ["تقرير لجنة الحوض، 2021."]
    assert items(article) == [
        (0, "•", "الدولة الأولى: حصة ثابتة"),
        (1, "•", "تُراجع كل خمس سنوات"),
        (0, "•", "الدولة الثانية: حصة متغيرة"),
    ]
    assert "300 ألف كم² تقريبًا." in blocks(article)[-1].text
    soup, _ = build(project, tmp_path / "out", plan.slug)
    assert soup.html["dir"] == "rtl"
    shown = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.find_all("tr")]
    assert ["الثانية", "8", "-"] in shown


@pytest.mark.parametrize("name", ["wiki.html", "report.html", "news.html", "arabic.html"])
def test_every_page_imports_the_same_bytes_twice(project: Path, name: str) -> None:
    options = {"wiki.html": "cassie-grissom", "arabic.html": "sara-ali"}

    def text() -> str:
        data = (PAGES / name).read_bytes()
        plan = plan_import(data, str(PAGES / name), Project(project), "s", options.get(name))
        return plan.article_text

    assert text() == text()


def test_a_reference_in_a_heading_stays_text_and_its_note_keeps_its_number(
    project: Path,
) -> None:
    body = (
        '<p>Text<a href="#fn1" role="doc-noteref"><sup>1</sup></a>.</p>'
        '<h3>Findings<sup><a href="#fn2">2</a></sup></h3><p>More text.</p>'
        '<ol><li id="fn1"><p>First note.</p></li><li id="fn2"><p>Second note.</p></li></ol>'
    )
    article = read_back(imported(project, "p.html", page(body)))
    assert notes(article) == ["First note."]
    heading = next(b for b in blocks(article) if b.kind == "heading")
    assert heading.text == "Findings[2]"
    # The note the heading cites stays in the text, under the number the heading shows.
    assert items(article) == [(0, "2.", "Second note.")]


def test_a_notes_text_is_kept_when_its_markup_only_contains_the_letters_back(
    project: Path,
) -> None:
    body = (
        '<p>Claim<sup><a href="#fn1">1</a></sup> and other<sup><a href="#fn2">2</a></sup>.</p>'
        '<ol><li id="fn1"><p class="has-background">Background note text that matters.</p>'
        ' <a href="#r1" class="footnote-back">back</a></li>'
        '<li id="fn2">See the <em class="feedback-form">feedback report</em> for details.</li>'
        "</ol>"
    )
    plan = imported(project, "p.html", page(body))
    assert notes(read_back(plan)) == [
        "Background note text that matters.",
        "See the feedback report for details.",
    ]
    assert [d.text for d in plan.drops if d.reason == "link back from a note"] == ["back"]


def test_a_notes_links_to_a_section_or_the_article_are_its_text(project: Path) -> None:
    body = (
        '<section id="data"><table><tr><th>Year</th><th>Value</th></tr><tr><td>2020</td>'
        '<td>12<sup><a href="#fn1">1</a></sup></td></tr></table></section>'
        '<ol><li id="fn1">Estimate; see <a href="#data">the data section</a> and '
        '<a href="#story">the full story</a>.</li></ol>'
    )
    data = page(body).replace(b"<article>", b'<article id="story">')
    plan = imported(project, "p.html", data)
    assert notes(read_back(plan)) == ["Estimate; see the data section and the full story."]


def test_a_note_cited_only_by_another_note_is_kept(project: Path, tmp_path: Path) -> None:
    body = (
        '<p>Body cites one<sup><a href="#fn1">1</a></sup> only.</p>'
        '<ol><li id="fn1">Note one, see also<sup><a href="#fn2">2</a></sup>.</li>'
        '<li id="fn2">Note two, see<sup><a href="#fn3">3</a></sup>.</li>'
        '<li id="fn3">Note three is cited by note two.</li></ol>'
    )
    plan = imported(project, "p.html", page(body))
    article = read_back(plan)
    assert notes(article) == [
        "Note one, see also.",
        "Note two, see.",
        "Note three is cited by note two.",
    ]
    assert [[r.note for r in b.runs if r.note] for b in article.notes] == [[2], [3], []]
    soup, _ = build(project, tmp_path / "out", plan.slug)
    listed = soup.find("section", class_="notes").find_all("li")
    assert listed[2].get_text(" ", strip=True).startswith("Note three")
    assert "[^" not in soup.get_text()


def test_notes_that_are_terms_or_table_rows_stay_one_note_each(project: Path) -> None:
    body = (
        '<p>Claim<sup><a href="#d1">1</a></sup> and<sup><a href="#d2">2</a></sup>, row'
        '<sup><a href="#r1">3</a></sup> and<sup><a href="#r2">4</a></sup>.</p>'
        '<div class="notes"><dl><dt id="d1">1.</dt><dd>Term note one.</dd>'
        '<dt id="d2">2.</dt><dd>Term note two.</dd></dl></div>'
        '<div class="tnotes"><table><tr id="r1"><td>3</td><td>Row note three.</td></tr>'
        '<tr id="r2"><td>4</td><td>Row note four.</td></tr></table></div>'
    )
    plan = imported(project, "p.html", page(body))
    article = read_back(plan)
    assert notes(article) == [
        "Term note one.",
        "Term note two.",
        "Row note three.",
        "Row note four.",
    ]
    assert references(article) == [1, 2, 3, 4]
    assert [b.kind for b in blocks(article)] == ["paragraph"]
    assert [d.text for d in plan.drops if d.reason == "mark of a note"] == ["1.", "2.", "3", "4"]


def test_a_block_holding_two_notes_targets_is_no_note(project: Path) -> None:
    body = (
        '<p>Claim<sup><a href="#a1">1</a></sup> and<sup><a href="#a2">2</a></sup>.</p>'
        '<p><a id="a1"></a>First anchor text. <a id="a2"></a>Second anchor text.</p>'
    )
    article = read_back(imported(project, "p.html", page(body)))
    assert notes(article) == []
    assert "Claim[1] and[2]." in blocks(article)[0].text


def test_a_reference_followed_by_a_parenthesis_stays_a_reference(
    project: Path, tmp_path: Path
) -> None:
    body = (
        '<p>Ref then paren<sup><a href="#fn1">1</a></sup>(https://example.org) link-like.</p>'
        '<table><tr><th>A</th><th>B</th></tr><tr><td>cell<sup><a href="#fn1">1</a></sup>'
        "(x)</td><td>b</td></tr></table>"
        '<ol><li id="fn1">The note.</li></ol>'
    )
    plan = imported(project, "p.html", page(body))
    article = read_back(plan)
    assert blocks(article)[0].text == "Ref then paren(https://example.org) link-like."
    assert references(article) == [1]
    soup, _ = build(project, tmp_path / "out", plan.slug)
    assert "paren1(https://example.org) link-like." in soup.main.get_text()
    assert soup.main.find("a", href="https://example.org") is None
    assert soup.find("td").get_text() == "cell1(x)"


@pytest.mark.parametrize("kind", ["superscripts", "notes", "nested superscripts"])
def test_thousands_of_superscripts_or_notes_import_in_seconds(project: Path, kind: str) -> None:
    if kind == "superscripts":
        body = "<p>" + " ".join(f"word<sup>{n}</sup>" for n in range(4000)) + "</p>"
    elif kind == "notes":
        refs = " ".join(f'claim<sup><a href="#fn{n}">{n}</a></sup>' for n in range(1, 5001))
        listed = "".join(f'<li id="fn{n}">Note {n}.</li>' for n in range(1, 5001))
        body = f"<p>{refs}</p><ol>{listed}</ol>"
    else:
        body = "<p>Start " + "<sup>" * 4000 + "abc" + "</sup>" * 4000 + " end.</p>"
    started = time.monotonic()
    plan = plan_import(page(body), "p.html", Project(project), "s", None)
    assert time.monotonic() - started < 8
    assert "word\\[3999\\]" in plan.article_text or kind != "superscripts"
    assert "[^5000]: Note 5000." in plan.article_text or kind != "notes"


def test_a_superscript_is_a_power_after_a_symbol_and_a_note_after_a_word_token(
    project: Path,
) -> None:
    body = (
        "<p>Einstein wrote E = mc<sup>2</sup> and (x+1)<sup>2</sup> over m/s<sup>2</sup>.</p>"
        "<p>Deaths from COVID-19<sup>4</sup>, in the 1990s<sup>5</sup>, the USA's<sup>6</sup>"
        " and the G20<sup>7</sup>; x = -3<sup>2</sup>, not Fe<sup>3</sup>.</p>"
    )
    plan = imported(project, "p.html", page(body))
    assert [b.text for b in blocks(read_back(plan))] == [
        "Einstein wrote E = mc² and (x+1)² over m/s².",
        "Deaths from COVID-19[4], in the 1990s[5], the USA's[6] and the G20[7]; x = -3², not Fe³.",
    ]


def test_a_reference_to_an_empty_note_is_its_number_in_brackets(
    project: Path, tmp_path: Path
) -> None:
    body = (
        '<p>Body cites one<sup><a href="#fn1">1</a></sup> and<sup><a href="#fn2">2</a></sup>'
        ' and<sup><a href="#fn3">3</a></sup>.</p>'
        '<ol><li id="fn1">Note one.</li><li id="fn2"><a href="#x">↩</a></li>'
        '<li id="fn3">Note three.</li></ol>'
    )
    plan = imported(project, "p.html", page(body))
    article = read_back(plan)
    assert notes(article) == ["Note one.", "Note three."]
    assert blocks(article)[0].text == "Body cites one and[2] and."
    soup, _ = build(project, tmp_path / "out", plan.slug)
    assert "[^" not in soup.get_text()
    assert len(soup.find("section", class_="notes").find_all("li")) == 2


def test_a_note_in_a_layout_tables_cell_is_only_a_note(project: Path) -> None:
    body = (
        '<p>Claim one<sup><a href="#n1">1</a></sup> and two<sup><a href="#n2">2</a></sup>.</p>'
        '<table role="presentation"><tr><td id="n1">Layout cell note one.</td><td>x</td></tr>'
        "<tr><td>Long sentence in a layout cell here.</td>"
        '<td id="n2">Another layout note, long enough text.</td></tr></table>'
    )
    article = read_back(imported(project, "p.html", page(body)))
    assert notes(article) == ["Layout cell note one.", "Another layout note, long enough text."]
    text = " ".join(b.text for b in blocks(article))
    assert "note one" not in text and "Another layout" not in text
    assert "Long sentence in a layout cell here." in text


def test_a_list_counted_with_letters_or_numerals_keeps_them(project: Path, tmp_path: Path) -> None:
    """The source format counts lists with digits only: a list a page counts with letters or
    roman numerals becomes a list whose items start with them, and the brief shows them as a
    lettered list or one in roman numerals, from where the page starts it (they showed
    "• a. First option" and "• III. Third part"). A list of one item is not told from an item
    whose text starts "i. ": it keeps its numeral as its first word."""
    body = (
        '<ol type="a"><li>First option</li><li>Second option</li></ol>'
        '<p>Then:</p><ol style="color: red; list-style-type: upper-roman" start="3">'
        '<li>Third part</li><li>Fourth part<ol type="i"><li>inner one</li></ol></li></ol>'
        '<p>And:</p><ol type="i"><li>Small one</li><li>Small two</li></ol>'
        "<ol><li>Plain one</li></ol>"
    )
    plan = imported(project, "p.html", page(body))
    assert items(read_back(plan)) == [
        (0, "a.", "First option"),
        (0, "b.", "Second option"),
        (0, "III.", "Third part"),
        (0, "IV.", "Fourth part"),
        (1, "•", "i. inner one"),
        (0, "i.", "Small one"),
        (0, "ii.", "Small two"),
        (0, "1.", "Plain one"),
    ]
    soup, pdf = build(project, tmp_path / "out", plan.slug)
    shown = {
        (ol.get("type"), ol.get("start")): [squeeze(li.get_text()) for li in ol.find_all("li")]
        for ol in soup.find_all("ol")
    }
    assert shown[("a", None)] == ["Firstoption", "Secondoption"]
    assert shown[("I", "3")] == ["Thirdpart", "Fourthparti.innerone", "i.innerone"]
    assert shown[("i", None)] == ["Smallone", "Smalltwo"]
    assert "a. First option b. Second option" in pdf
    assert "III. Third part IV. Fourth part" in pdf and "i. Small one ii. Small two" in pdf
    assert "• a." not in pdf and "• III." not in pdf and "• i. Small" not in pdf


def test_a_superscript_letter_after_a_word_is_a_mark_not_part_of_it(project: Path) -> None:
    body = (
        '<p>The treaty<sup>a</sup> held, as the pact<sup><a href="#gone">b</a></sup> did, '
        "in the 2<sup>e</sup> round.<sup>c</sup> With x<sup>n</sup> terms.</p>"
    )
    (paragraph,) = [b for b in blocks(read_back(imported(project, "p.html", page(body))))]
    assert paragraph.text == (
        "The treaty[a] held, as the pact[b] did, in the 2e round.[c] With xn terms."
    )


def test_a_subscript_is_no_citation(project: Path) -> None:
    body = (
        "<p>Rust is Fe<sub>2</sub>O<sub>3</sub>, and x<sup><sub>2</sub></sup> too, as a "
        "claim<sup>4</sup> is cited.</p>"
    )
    (paragraph,) = [b for b in blocks(read_back(imported(project, "p.html", page(body))))]
    assert paragraph.text == "Rust is Fe2O3, and x2 too, as a claim[4] is cited."


def test_a_reference_to_an_empty_note_keeps_the_pages_mark(project: Path) -> None:
    body = (
        '<p>One<sup><a href="#fa">a</a></sup> and two<sup><a href="#fb">b</a></sup>; '
        'three<sup><a href="#f8">[8]</a></sup>.</p>'
        '<ol><li id="fa">Note A.</li><li id="fb"><a href="#x">↩</a></li>'
        '<li id="f8"><a href="#x">↩</a></li></ol>'
    )
    article = read_back(imported(project, "p.html", page(body)))
    assert notes(article) == ["Note A."]
    assert blocks(article)[0].text == "One and two[b]; three[8]."
    assert references(article) == [1]


def test_a_superscript_number_after_a_chemical_element_is_its_charge(project: Path) -> None:
    """Fe<sup>3</sup> is iron's charge, not a note; a symbol that is also an English word
    ("He", "In", "No") is not taken for one."""
    body = "<p>The ion Fe<sup>3</sup> and Ca<sup>2</sup>; In<sup>4</sup> and note<sup>5</sup>.</p>"
    (paragraph,) = [b for b in blocks(read_back(imported(project, "p.html", page(body))))]
    assert paragraph.text == "The ion Fe³ and Ca²; In[4] and note[5]."
