"""Subsections, tables, footnotes and labels in the brief's language, read back from the built
HTML (BeautifulSoup) and PDF (pikepdf, pypdf, the structure tree), in French and in Arabic.

The three PDF/UA checkers run on the same fixture project through tests/test_pdfua.py, which
builds every fixture project's briefs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.cli import main
from pipeline.emphasis.scoring import units_of
from pipeline.model import Table
from pipeline.sources import Project, read_project

from .conftest import require_pdftotext
from .read import FIXTURES, normalise, page_texts, pdftotext, squeeze, structure, text_of

PROJECT = FIXTURES / "rich-sources"
FR, AR = "eau-du-nil", "miyah-al-nil"


def _build(project: Path, out: Path, *args: str) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    result = CliRunner().invoke(
        main, ["--project", str(project), "--out", str(out), "-j", "1", "-q", *args], env=env
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rich") / "build"
    _build(PROJECT, out)
    return out


def _html(built: Path, slug: str, edition: str) -> BeautifulSoup:
    return BeautifulSoup((built / slug / f"{edition}.html").read_text("utf-8"), "html.parser")


def _article(slug: str):  # type: ignore[no-untyped-def]
    sources = read_project(Project.at(PROJECT), [], (slug,))
    return sources.articles[0]


# --- the model --------------------------------------------------------------------------------


def test_tables_and_footnotes_are_read_into_blocks_and_notes() -> None:
    article = _article(FR)
    blocks = article.blocks()
    (table_block,) = [b for b in blocks if b.kind == "table"]
    table = table_block.table
    assert isinstance(table, Table)
    assert ["".join(r.text for r in cell) for cell in table.header] == [
        "Pays",
        "Part du débit",
        "Population (millions)",
    ]
    assert table.align == ("left", "center", "right")
    assert len(table.rows) == 3 and table.rows[2][0][0].bold
    assert [r.note for r in table.rows[2][1]] == [0, 2]  # "12 %[^estim]"
    assert table_block.text == ""  # a table has no sentences
    # Footnotes are numbered in the order first referred to, and are not section blocks.
    assert [(n.level, n.text) for n in article.notes] == [
        (1, "Selon les mesures de la station d'Assouan, moyenne 1990-2020."),
        (2, "Estimation, faute de mesures publiques."),
    ]
    assert all(b.kind != "note" for b in blocks)
    first = next(b for b in blocks if any(r.note for r in b.runs))
    assert first.text.startswith("Le Nil fournit l'essentiel de l'eau douce de l'Égypte. Le")
    # Subsections stay blocks of their "##" section, with their Markdown level.
    section = article.sections[0]
    assert [(b.level, b.text) for b in section.blocks if b.kind == "heading"] == [
        (3, "Les débits"),
        (4, "Les saisons"),
    ]


def test_a_table_gives_the_scorer_no_sentences() -> None:
    article = _article(FR)
    units = units_of(article)
    table_id = next(i for i, b in enumerate(article.blocks()) if b.kind == "table")
    assert all(unit.block_id != table_id for unit in units.items)
    assert not any("Soudan" in unit.sentence.text for unit in units.items)


# --- HTML -------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["general", "water"])
def test_html_table_is_a_real_table_that_scrolls_in_its_wrapper(built: Path, edition: str) -> None:
    page = _html(built, FR, edition)
    (wrap,) = page.select("div.table-wrap")
    assert wrap["tabindex"] == "0"
    table = wrap.find("table")
    headers = table.select("thead th")
    assert [th.get_text() for th in headers] == ["Pays", "Part du débit", "Population (millions)"]
    assert all(th["scope"] == "col" for th in headers)
    rows = table.select("tbody tr")
    assert [[td.get_text() for td in tr.find_all("td")] for tr in rows] == [
        ["Égypte", "66 %", "105"],
        ["Soudan", "22 %", "46"],
        ["Éthiopie", "12 %2", "120"],
    ]
    assert rows[2].find("td").find("strong").get_text() == "Éthiopie"
    # Never a takeaway: the key takeaways hold no cell text.
    takeaways = " ".join(li.get_text() for li in page.select(".takeaways li"))
    assert "Égypte" not in takeaways and "105" not in takeaways
    css = (Path(__file__).parent.parent / "templates" / "brief.css").read_text("utf-8")
    assert ".table-wrap { overflow-x: auto;" in css


def test_html_footnotes_link_both_ways(built: Path) -> None:
    page = _html(built, FR, "general")
    refs = page.select("sup.note-ref a")
    assert [(a["href"], a["id"], a.get_text()) for a in refs] == [
        ("#fn-1", "fnref-1", "1"),
        ("#fn-2", "fnref-2", "2"),
        ("#fn-1", "fnref-1-2", "1"),
    ]
    notes = page.select("section.notes ol > li")
    assert [li["id"] for li in notes] == ["fn-1", "fn-2"]
    for li in notes:
        back = li.select_one("a.back")
        target = page.find(id=back["href"][1:])
        assert target is not None and target["href"] == f"#{li['id']}"
    assert page.select_one("section.notes h2").get_text() == "Notes"


def test_html_subsections_nest_under_their_section(built: Path) -> None:
    page = _html(built, FR, "general")
    section = page.select_one("section#s-1")
    levels = [(h.name, h.get_text()) for h in section.find_all(["h2", "h3", "h4", "h5"])]
    assert levels == [("h2", "Le contexte"), ("h3", "Les débits"), ("h4", "Les saisons")]


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        (
            FR,
            [
                "Note de synthèse",
                "Points clés",
                "Pleins feux : Eau",
                "Par",
                "7 mai 2024",
            ],
        ),
        (AR, ["موجز سياسات", "في التركيز: المياه", "بقلم", "7 مايو 2024", "الحواشي"]),
    ],
)
def test_html_labels_are_in_the_articles_language(built: Path, slug: str, words: list[str]) -> None:
    page = _html(built, slug, "water")
    text = page.get_text(" ")
    for word in words:
        assert word in text
    for english in ("Policy Brief", "Key takeaways", "About the author", "In focus"):
        assert english not in text
    general = _html(built, slug, "general")
    expected = "Édition générale" if slug == FR else "الطبعة العامة"
    assert general.select_one(".kicker .focus").get_text() == expected


# --- PDF --------------------------------------------------------------------------------------


def _outline(path: Path) -> list[tuple[int, str]]:
    reader = PdfReader(path)
    found: list[tuple[int, str]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title)))  # type: ignore[attr-defined]

    walk(reader.outline, 0)
    return found


def test_pdf_outline_nests_subsections(built: Path) -> None:
    assert _outline(built / FR / "general.pdf") == [
        (0, "Points clés"),
        (0, "Le contexte"),
        (1, "Les débits"),
        (2, "Les saisons"),
        (0, "Les négociations"),
        (1, "Les propositions"),
        (0, "Notes"),
        (0, "À propos de l’auteur"),
    ]


@pytest.mark.parametrize("slug", [FR, AR])
def test_pdf_tags_tables_notes_and_subheadings(built: Path, slug: str) -> None:
    path = built / slug / "general.pdf"
    pages = page_texts(path)
    with pikepdf.open(path) as pdf:
        tree = structure(pdf)
        root = pdf.Root.StructTreeRoot
        # Every TH says it heads its column.
        for th in tree.find("TH"):
            node = pdf.get_object(th.objgen)
            assert node.A.O == "/Table" and node.A.Scope == "/Column"
        names = [str(v) for v in root.IDTree.Names[::2]]
        assert names == ["note-1", "note-2"]
        annotations = [a for p in pdf.pages for a in p.get("/Annots", []) if "/Dest" in a]
        # Right-to-left lines are put in visual order as plain text, so only the Arabic
        # table's reference (a left-to-right cell) is a link there.
        assert len(annotations) >= (3 if slug == FR else 1) and all(
            "/StructParent" in a for a in annotations
        )
    (table,) = tree.find("Table")
    rows = [kid for kid in table.kids if getattr(kid, "role", "") == "TR"]
    cells = [[c for c in row.kids if hasattr(c, "role")] for row in rows]
    assert [[c.role for c in row] for row in cells] == [["TH"] * 3] + [["TD"] * 3] * 3
    texts = [[squeeze(text_of(c, pages)) for c in row] for row in cells]
    if slug == FR:
        assert texts[0] == ["Pays", "Partdudébit", "Population(millions)"]
        assert texts[3] == ["Éthiopie", "12%2", "120"]
    else:
        # Right to left: the tree reads the first column first, though it is drawn on the right.
        assert texts[1] == ["مصر", "66", "105"]
        assert texts[3] == ["إثيوبيا", "122", "120"]
    notes = tree.find("Note")
    assert len(notes) == 2
    assert all(any(getattr(k, "role", "") == "Lbl" for k in n.kids) for n in notes)
    headings = [e.role for e in tree.walk() if e.role[0] == "H" and e.role[1:].isdigit()]
    # "###" (and "####" in French) under "##" sections in the "In focus" part (H2).
    assert headings[:1] == ["H1"] and ("H4" if slug == FR else "H3") in headings


def test_pdf_footer_and_byline_in_the_language(built: Path) -> None:
    reader = PdfReader(built / FR / "water.pdf")
    first = reader.pages[0].extract_text()
    assert f"Page 1 sur {len(reader.pages)}" in first
    assert "Par Amina Haddad" in first and "7 mai 2024" in first
    # The box's title is set in capitals.
    assert "Note de synthèse" in first and "POINTS CLÉS" in first
    assert "Policy Brief" not in first and "key takeaways" not in first.casefold()


def test_a_right_to_left_title_bar_starts_on_the_right_and_reads_as_one_line(built: Path) -> None:
    """ "Policy Brief" where a right-to-left reader starts, the edition after it, close enough
    that pdftotext takes them as one line and reads them in that order."""
    path = built / AR / "general.pdf"
    xml = subprocess.run(
        [require_pdftotext(), "-bbox-layout", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    first = BeautifulSoup(xml, "html.parser").find("line")
    words = [(float(w["xmin"]), unicodedata.normalize("NFKC", w.text)[::-1]) for w in first("word")]
    # Drawn in visual order: right to left is the reading order.
    assert [text for _, text in sorted(words, reverse=True)] == [
        "موجز",
        "سياسات",
        "الطبعة",
        "العامة",
    ]
    with pikepdf.open(path) as pdf:
        page_width = float(pdf.pages[0].MediaBox[2])
    assert min(x for x, _ in words) > page_width / 2
    assert squeeze(normalise(pdftotext(path), compatibility=True)).startswith(
        "موجزسياساتالطبعةالعامة"
    )


def test_a_long_table_splits_with_its_header_repeated_once_tagged(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    rows = "\n".join(f"| Ligne {n} | {n * 3} |" for n in range(1, 121))
    article = project / "sources" / "articles" / "long.md"
    article.write_text(
        "---\ntitle: Un long tableau\nauthor: amina-haddad\nlang: fr\n---\n"
        "## Les chiffres\n\nLe barrage et l'eau du fleuve.\n\n"
        f"| Nom | Valeur |\n|---|---:|\n{rows}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    _build(project, out, "--article", "long", "--format", "pdf", "--focus", "general")
    path = out / "long" / "general.pdf"
    reader = PdfReader(path)
    assert len(reader.pages) >= 3
    for page in reader.pages[1:-1]:
        assert "Nom" in page.extract_text().split("Valeur")[0]  # the header on every page
    pages = page_texts(path)
    with pikepdf.open(path) as pdf:
        tree = structure(pdf)
    (table,) = tree.find("Table")
    rows_found = [k for k in table.kids if getattr(k, "role", "") == "TR"]
    assert len(rows_found) == 121
    # The repeats are artifacts: each header cell has its content on one page only.
    for th in tree.find("TH"):
        assert len({c.page for c in th.contents()}) == 1
        assert squeeze(text_of(th, pages)) in ("Nom", "Valeur")
    repeated = [p for p in pages if any("Nom" in a for a in p.artifacts)]
    assert len(repeated) >= len(pages) - 2


def test_a_project_overrides_labels(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "templates").mkdir()
    (project / "templates" / "labels.yaml").write_text(
        "fr:\n  key_takeaways: L'essentiel\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    _build(project, out, "--article", FR, "--focus", "water")
    page = _html(out, FR, "water")
    assert page.select_one("#key-takeaways").get_text() == "L'essentiel"
    assert page.select_one("#about-the-author").get_text() == "À propos de l’auteur"
    assert "L'ESSENTIEL" in PdfReader(out / FR / "water.pdf").pages[0].extract_text()


def test_a_broken_labels_file_is_one_error_line(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "templates").mkdir()
    labels = project / "templates" / "labels.yaml"
    labels.write_text("fr:\n  - not a mapping\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["--project", str(project), "--out", str(tmp_path / "out"), "-j", "1"],
        env={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.exit_code == 1
    assert "labels for 'fr' must be a mapping" in result.output
    assert "Traceback" not in result.output
    assert os.fspath(labels) in result.output or "labels.yaml" in result.output


def _one_article(tmp_path: Path, slug: str, text: str) -> Path:
    """A project of the fixture's focuses, one author (ada-byron) and one article ``text``."""
    root = tmp_path / "project"
    (root / "sources" / "articles").mkdir(parents=True)
    (root / "sources" / "authors").mkdir()
    shutil.copy(PROJECT / "sources" / "focuses.yaml", root / "sources" / "focuses.yaml")
    (root / "sources" / "authors" / "ada-byron.md").write_text(
        "---\nname: Ada Byron\n---\nAda writes about water.\n", encoding="utf-8"
    )
    (root / "sources" / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


def test_an_inline_footnote_is_a_note_like_any_other(tmp_path: Path) -> None:
    """Pandoc's inline notes ("text^[the note]") are notes, numbered with the others; an empty
    one is an empty note, never a crash."""
    root = _one_article(
        tmp_path,
        "dams",
        "---\ntitle: Dams\nauthor: ada-byron\n---\nThe dam holds the flood.^[Measured in 2020.]\n"
        "\n## Flow\n\nThe river fell by a third.[^gauge] Nobody knows why.^[]\n\n"
        "[^gauge]: The gauge at the border.\n",
    )
    out = tmp_path / "build"
    _build(root, out, "--focus", "general")
    page = BeautifulSoup((out / "dams" / "general.html").read_text("utf-8"), "html.parser")
    notes = [" ".join(li.get_text(" ").split()) for li in page.select("section.notes li")]
    assert len(notes) == 3, page.select("li")
    assert notes[0].startswith("Measured in 2020.") and notes[1].startswith("The gauge")
    pdf = squeeze(" ".join(p.extract_text() for p in PdfReader(out / "dams" / "general.pdf").pages))
    assert squeeze("Measured in 2020.") in pdf and squeeze("The gauge at the border.") in pdf


def test_a_note_referred_to_only_from_a_heading_is_warned_about_and_links_nowhere(
    tmp_path: Path,
) -> None:
    """A ``##`` heading is plain text, so a reference in it is not shown: the build says so, and
    the note gets no link back to a reference that is not there."""
    root = _one_article(
        tmp_path,
        "dams",
        "---\ntitle: Dams\nauthor: ada-byron\n---\nThe dam holds the flood.\n\n"
        "## Flow[^gauge]\n\nThe river fell by a third.[^year]\n\n"
        "[^gauge]: The gauge at the border.\n\n[^year]: In 2020.\n",
    )
    article = root / "sources" / "articles" / "dams.md"
    out = tmp_path / "build"
    result = CliRunner().invoke(
        main, ["--project", str(root), "--out", str(out), "-j", "1", "--focus", "general"]
    )
    assert result.exit_code == 0, result.output
    assert f"warning: {article}:7: the footnote reference in heading 'Flow'" in result.output
    page = BeautifulSoup((out / "dams" / "general.html").read_text("utf-8"), "html.parser")
    ids = {tag["id"] for tag in page.find_all(id=True)}
    backs = [a["href"] for a in page.select("section.notes a.back")]
    assert backs and all(href[1:] in ids for href in backs)
    assert len(page.select("section.notes li")) == 2 and len(backs) == 1


def test_a_heading_inside_a_list_item_quote_or_note_stays_in_it(tmp_path: Path) -> None:
    """A heading written in a list item, a quotation or a footnote is part of it: it neither
    starts a section of the article nor is dropped."""
    root = _one_article(
        tmp_path,
        "dams",
        "---\ntitle: Dams\nauthor: ada-byron\n---\n## Flow\n\nThe river fell.[^gauge]\n\n"
        "- ## Upstream dams\n- Downstream weirs\n\n> ## From the report\n> The flow halved.\n\n"
        "[^gauge]: ## Measured at the border\n",
    )
    (article,) = read_project(Project.at(root), []).articles
    assert [s.title for s in article.sections] == ["Flow"]
    kinds = [(b.kind, b.text) for b in article.sections[0].blocks]
    assert ("item", "Upstream dams") in kinds and ("item", "Downstream weirs") in kinds
    assert ("quote", "From the report") in kinds
    assert [n.text for n in article.notes] == ["Measured at the border"]
    out = tmp_path / "build"
    _build(root, out, "--focus", "general")
    page = BeautifulSoup((out / "dams" / "general.html").read_text("utf-8"), "html.parser")
    assert [h.get_text() for h in page.select("main h2")][:1] == ["Flow"]
    text = page.get_text(" ")
    for words in ("Upstream dams", "From the report", "Measured at the border"):
        assert words in text


@pytest.mark.parametrize("columns", [45, 300])
def test_a_table_too_wide_for_its_page_still_builds_with_every_cell(
    tmp_path: Path, columns: int
) -> None:
    """Forty columns leave each ten points: the cells' padding shrinks to keep some of them
    for text, where ReportLab was handed a negative width and the build failed."""
    header = "| " + " | ".join(f"c{i}" for i in range(columns)) + " |"
    rule = "|" + "|".join("---" for _ in range(columns)) + "|"
    row = "| " + " | ".join(f"v{i}" for i in range(columns)) + " |"
    root = _one_article(
        tmp_path,
        "wide",
        f"---\ntitle: Wide\nauthor: ada-byron\n---\n## Gauges\n\nThe river fell.\n\n"
        f"{header}\n{rule}\n{row}\n",
    )
    out = tmp_path / "build"
    _build(root, out, "--focus", "general")
    pdf = "".join(p.extract_text() for p in PdfReader(out / "wide" / "general.pdf").pages)
    flat = pdf.replace("\n", "")
    assert f"c{columns - 1}" in flat and f"v{columns - 1}" in flat
