"""make-brief import keeps a real page's shape: nested headings, lists, tables, figures.

The fixtures are a saved Wikipedia-style page (with its ``_files`` folder, one image present and
one missing) and the same article copied as plain text. Each import is written to a temporary
project and read back as a build reads it; every line the importer drops is checked by its text,
its line in the input and its reason.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from markdown_it import MarkdownIt

from pipeline.cli import main
from pipeline.errors import SourceError
from pipeline.importer import ImportPlan, describe_import, plan_import, write_import
from pipeline.model import Article, Block
from pipeline.sources import Project

from .read import import_project, read_back

REPO = Path(__file__).resolve().parent.parent
IMPORTS = Path(__file__).resolve().parent / "fixtures" / "import" / "wiki"
WIKI_PAGE = IMPORTS / "wiki-page.html"
WIKI_TEXT = IMPORTS / "wiki-plain.txt"
PNG = IMPORTS / "wiki-page_files" / "220px-Panmunjom.png"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return import_project(tmp_path / "fresh", "cassie-grissom")


def plan_file(
    root: Path, path: Path | str, data: bytes | None = None, **options: Any
) -> ImportPlan:
    return plan_import(
        Path(path).read_bytes() if data is None else data,
        str(path),
        Project(root),
        options.get("slug"),
        options.get("author", "cassie-grissom"),
        options.get("date"),
    )


def shape(block: Block) -> tuple[str, ...]:
    """A block as a reader describes it: its kind and text, a heading's level, a table's cells."""
    if block.kind == "heading":
        return ("heading", str(block.level), block.text)
    if block.kind == "table":
        assert block.table is not None
        cells = [block.table.header, *block.table.rows]
        return ("table", *(" | ".join("".join(r.text for r in c) for c in row) for row in cells))
    if block.kind == "figure":
        assert block.figure is not None
        return ("figure", block.figure.source, block.figure.alt, block.figure.caption)
    return (block.kind, block.text)


def structure(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "lede": [shape(b) for b in article.lede],
        "sections": [(s.title, [shape(b) for b in s.blocks]) for s in article.sections],
    }


def drops(plan: ImportPlan) -> list[tuple[int, str, str]]:
    return [(d.line, d.text, d.reason) for d in plan.drops]


# --- a saved Wikipedia-style page -----------------------------------------------------------------

FIGURE_ALT = "Blue huts straddling the demarcation line"

WIKI_PAGE_STRUCTURE = {
    "title": "Korean Demilitarized Zone",
    "lede": [
        (
            "paragraph",
            "The Korean Demilitarized Zone is a strip of land running across the Korean "
            "Peninsula near the 38th parallel north.[1] It was established by the armistice "
            "of 1953.",
        )
    ],
    "sections": [
        (
            "History",
            [
                ("heading", "3", "Armistice"),
                # Without figure support in the reader, a figure reads back as its alt text.
                (
                    "figure",
                    "sources/articles/korean-demilitarized-zone/220px-panmunjom.png",
                    FIGURE_ALT,
                    "The Joint Security Area at Panmunjom",
                ),
                (
                    "paragraph",
                    "The armistice was signed on 27 July 1953 and created a buffer zone four "
                    "kilometres wide.[2]",
                ),
                ("heading", "3", "Incidents"),
                (
                    "paragraph",
                    "Soldiers of both sides have crossed the line in both directions during "
                    "2017.[63][64]",
                ),
            ],
        ),
        (
            "Crossings",
            [
                ("paragraph", "Road and rail crossings"),
                (
                    "table",
                    "Crossing | Opened | Use",
                    "Gyeongui Line | 2007 | Freight | passengers",
                    "Donghae Line | 2006 | Tourism (suspended)",
                ),
                ("paragraph", "Both rail lines have been closed since 2008.[5]"),
            ],
        ),
    ],
}

WIKI_PAGE_DROPS = [
    (11, "Jump to content", "web boilerplate"),
    (14, "Main page", "site navigation"),
    (14, "Current events", "site navigation"),
    (24, "From Wikipedia, the free encyclopedia", "web boilerplate"),
    (27, "Jump to navigation", "web boilerplate"),
    (28, "Jump to search", "web boilerplate"),
    (
        31,
        "This article is about the border zone. For the line that divides it, see Military "
        "Demarcation Line.",
        "hatnote",
    ),
    (34, "[edit]", "edit link"),
    (35, "[edit]", "edit link"),
    (38, "[edit]", "edit link"),
    (40, "Map of the zone", "image not found: wiki-page_files/Map.png"),
    (40, "Map of the zone in 1953", "caption of a missing image"),
    (41, "[edit]", "edit link"),
    (49, "Korean War", "site navigation"),
    (49, "Battle of Inchon · Armistice", "site navigation"),
    (
        52,
        'Retrieved from "https://en.wikipedia.org/w/index.php?title=Korean_Demilitarized_Zone'
        '&oldid=1"',
        "web boilerplate",
    ),
    (54, "Categories:", "web boilerplate"),
    (54, "Borders of Korea", "related links"),
    (59, "This page was last edited on 1 May 2024, at 10:00\xa0(UTC).", "site footer"),
    (
        60,
        "Text is available under the Creative Commons Attribution-ShareAlike License 4.0; "
        "additional terms may apply.",
        "site footer",
    ),
]


def test_saved_wiki_page_imports_with_its_shape(project: Path) -> None:
    plan = plan_file(project, WIKI_PAGE)
    write_import(plan)
    assert structure(read_back(plan)) == WIKI_PAGE_STRUCTURE
    assert drops(plan) == WIKI_PAGE_DROPS
    assert plan.sections == (("History", 3), ("Crossings", 3))


def test_every_dropped_line_of_the_wiki_page_is_on_its_line(project: Path) -> None:
    lines = WIKI_PAGE.read_text("utf-8").splitlines()
    for line, text, _ in drops(plan_file(project, WIKI_PAGE)):
        source = re.sub(r"<[^>]*>", "", lines[line - 1])
        source = source.replace("&amp;", "&").replace("&#160;", "\xa0")
        assert text.split(" ")[0].strip('"') in source, (line, text)


def test_saved_page_table_becomes_a_gfm_table_with_escaped_cells(project: Path) -> None:
    plan = plan_file(project, WIKI_PAGE)
    table = [line for line in plan.article_text.splitlines() if line.startswith("|")]
    assert table == [
        "| Crossing | Opened | Use |",
        "| --- | --- | --- |",
        "| Gyeongui Line | 2007 | Freight \\| passengers |",
        "| Donghae Line | 2006 | Tourism (suspended) |",
    ]


def test_available_image_becomes_a_figure_copied_under_sources(project: Path) -> None:
    plan = plan_file(project, WIKI_PAGE)
    slug = "korean-demilitarized-zone"
    caption = "The Joint Security Area at Panmunjom"
    figure = f'![{FIGURE_ALT}]({slug}/220px-panmunjom.png "{caption}")'
    assert figure in plan.article_text.splitlines()
    assert "Map.png" not in plan.article_text and "Map of the zone" not in plan.article_text
    written = write_import(plan)
    copied = project / "sources" / "articles" / slug / "220px-panmunjom.png"
    assert copied in written and copied.read_bytes() == PNG.read_bytes()
    report = describe_import(plan)
    assert f"figure:   articles/{slug}/220px-panmunjom.png <- {PNG}" in report.splitlines()
    assert "  line 40: Map of the zone  [image not found: wiki-page_files/Map.png]" in report


def test_imported_page_with_a_figure_checks_and_builds(project: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["import", str(WIKI_PAGE), "--author", "cassie-grissom", "--project", str(project)]
    )
    assert result.exit_code == 0, result.output
    checked = runner.invoke(main, ["check", "--project", str(project)])
    assert checked.exit_code == 0, checked.output
    out = tmp_path / "out"
    built = runner.invoke(main, ["--project", str(project), "--out", str(out), "--quiet"])
    assert built.exit_code == 0, built.output
    # The copied image is the brief's figure: embedded in the HTML, with its alt text and caption.
    html = (out / "korean-demilitarized-zone" / "general.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    (figure,) = soup.find_all("figure")
    image = figure.find("img")
    assert image["alt"] == FIGURE_ALT and image["src"].startswith("data:image/png;base64,")
    assert "The Joint Security Area at Panmunjom" in figure.find("figcaption").get_text()
    pdf = pikepdf.open(out / "korean-demilitarized-zone" / "general.pdf")
    drawn = [
        xobject
        for page in pdf.pages
        for xobject in page.resources.get("/XObject", {}).values()
        if xobject.get("/Subtype") == "/Image"
    ]
    assert drawn, "the PDF draws the image"


def test_image_outside_the_page_folder_or_remote_is_dropped_and_never_read(
    project: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.png"
    shutil.copy(PNG, secret)
    folder = tmp_path / "saved"
    (folder / "page_files").mkdir(parents=True)
    shutil.copy(PNG, folder / "page_files" / "ok.png")
    (folder / "page_files" / "fake.png").write_bytes(b"<svg>not a png</svg>")
    page = folder / "page.html"
    page.write_text(
        "<article><h1>Talks</h1><h2>Scene</h2><p>Talks resumed.</p>\n"
        '<img alt="Up" src="../secret.png">\n'
        f'<img alt="Absolute" src="{secret}">\n'
        '<img alt="Remote" src="https://example.org/a.png">\n'
        '<img alt="Fake" src="page_files/fake.png">\n'
        '<img src="page_files/ok.png">\n'
        '<p>Inline <img alt="OK" src="page_files/ok.png"> image.</p></article>',
        "utf-8",
    )
    plan = plan_file(project, page, slug="talks")
    assert drops(plan) == [
        (2, "Up", "image outside the page's folder: ../secret.png"),
        (3, "Absolute", f"image outside the page's folder: {secret}"),
        (4, "Remote", "remote image: https://example.org/a.png"),
        (5, "Fake", "not a PNG or JPEG image: page_files/fake.png"),
        (6, "page_files/ok.png", "image without alt text"),
    ]
    body = plan.article_text.split("---\n")[-1]
    assert body.split("\n\n")[-2:] == ["Inline image.", "![OK](talks/ok.png)\n"]


def test_alt_text_and_caption_read_back_verbatim(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    shutil.copy(PNG, folder / "a b.png")
    page = folder / "page.html"
    alt = "A *starred* [map] of <the> zone_1 \\ & more"
    caption = 'The "line" \\ *drawn*'
    page.write_text(
        "<article><h1>Talks</h1><h2>Scene</h2><p>Talks resumed.</p><figure>"
        f'<img alt="{html.escape(alt)}" src="a%20b.png"><figcaption>{html.escape(caption)}'
        "</figcaption></figure></article>",
        "utf-8",
    )
    plan = plan_file(project, page, slug="talks")
    assert plan.figures[0].reference == "talks/a-b.png"
    line = plan.article_text.split("## Scene\n\n")[1].split("\n\n")[1].strip()
    # As CommonMark reads it: the alt text is the image's inline content, as plain text.
    (image,) = MarkdownIt().parseInline(line)[0].children or []
    assert image.type == "image" and image.attrGet("title") == caption
    assert MarkdownIt().renderer.renderInlineAsText(image.children or [], {}, {}) == alt


def test_images_of_a_page_not_read_from_a_file_are_listed(project: Path) -> None:
    # No such file next to the page: it came from elsewhere, and so its images are not found.
    plan = plan_file(project, "no-such-folder/saved.html", data=WIKI_PAGE.read_bytes(), slug="d")
    assert (36, FIGURE_ALT, "image not found: wiki-page_files/220px-Panmunjom.png") in drops(plan)
    assert "![" not in plan.article_text


def test_import_of_a_page_is_deterministic(project: Path) -> None:
    first, second = plan_file(project, WIKI_PAGE), plan_file(project, WIKI_PAGE)
    assert first == second and describe_import(first) == describe_import(second)


# --- the same article copied as plain text --------------------------------------------------------

WIKI_TEXT_STRUCTURE = {
    "title": "Korean Demilitarized Zone",
    "lede": [
        (
            "paragraph",
            "The Korean Demilitarized Zone is a strip of land running across the Korean "
            "Peninsula.[1] It was established by the armistice of 1953.",
        )
    ],
    "sections": [
        (
            "History",
            [
                ("heading", "3", "Armistice"),
                (
                    "paragraph",
                    "The armistice was signed on 27 July 1953 and created a buffer zone four "
                    "kilometres wide.[2]",
                ),
                ("paragraph", "Soldiers crossed the line during 2017.[63][64]"),
                ("heading", "3", "Incidents"),
                ("paragraph", "Defections are rare but widely reported.[3]"),
            ],
        ),
        (
            "Crossings",
            [
                ("heading", "3", "Open crossings"),
                ("paragraph", "- Gyeongui Line, for freight"),
                ("paragraph", "- Donghae Line, for tourism"),
                ("heading", "3", "Key figures"),
                ("paragraph", "Two lines"),
                ("paragraph", "Four stations"),
                ("paragraph", "Both rail lines have been closed since 2008.[citation needed]"),
            ],
        ),
    ],
}

WIKI_TEXT_DROPS = [
    (2, "From Wikipedia, the free encyclopedia", "web boilerplate"),
    (3, "Jump to navigation", "web boilerplate"),
    (4, "Jump to search", "web boilerplate"),
    (
        5,
        "This article is about the border zone. For the line that divides it, see Military "
        "Demarcation Line.",
        "hatnote",
    ),
    (9, "[edit]", "edit link"),
    (11, "[edit]", "edit link"),
    (21, "[edit]", "edit link"),
    (
        34,
        'Retrieved from "https://en.wikipedia.org/w/index.php?title=Korean_Demilitarized_Zone'
        '&oldid=1"',
        "web boilerplate",
    ),
]


def test_plain_text_copy_of_a_wiki_page_keeps_its_headings(project: Path) -> None:
    plan = plan_file(project, WIKI_TEXT)
    write_import(plan)
    assert structure(read_back(plan)) == WIKI_TEXT_STRUCTURE
    assert drops(plan) == WIKI_TEXT_DROPS
    assert plan.sections == (("History", 3), ("Crossings", 5))


def test_every_line_of_the_plain_text_is_kept_or_dropped(project: Path) -> None:
    plan = plan_file(project, WIKI_TEXT)
    write_import(plan)
    article = read_back(plan)
    kept = "\n".join(
        [article.title, *(s.title for s in article.sections), *(b.text for b in article.blocks())]
    )
    dropped = {(d.line, d.text) for d in plan.drops}
    for number, raw in enumerate(WIKI_TEXT.read_text("utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or (number, line) in dropped:
            continue
        # A heading keeps its text; its edit link is listed among the dropped lines.
        if line.endswith("[edit]"):
            assert (number, "[edit]") in dropped
            line = line.removesuffix("[edit]")
        assert line in kept, f"{number}: {line!r}"


@pytest.mark.parametrize(
    "line",
    [
        "Soldiers crossed the line during 2017.[63][64]",
        "Talks stalled in Hanoi.[12]",
        "The vote was close.[a][note 3]",
        "Both lines closed in 2008.[citation needed]",
    ],
)
def test_a_sentence_ending_in_citation_markers_is_never_a_heading(project: Path, line: str) -> None:
    text = f"A Title\n\nBackground\n\nTalks resumed in May.\n\n{line}\n\nThey stalled.\n"
    plan = plan_file(project, "c.txt", data=text.encode(), slug="c")
    assert plan.sections == (("Background", 3),)
    escaped = line.replace("[", "\\[").replace("]", "\\]")
    assert f"\n{escaped}\n" in plan.article_text


# --- bylines and dates in other languages ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "name", "date"),
    [
        (["By Jane Doe", "March 3, 2024"], "Jane Doe", dt.date(2024, 3, 3)),
        (["Par Jean Dupont", "Publié le 1er juin 2023"], "Jean Dupont", dt.date(2023, 6, 1)),
        (["Par Hélène Brûlé | 12 février 2024"], "Hélène Brûlé", dt.date(2024, 2, 12)),
        (["Por María García", "12 de junio de 2023"], "María García", dt.date(2023, 6, 12)),
        (["Publicado el 3 de septiembre de 2022 por Ana López"], "Ana López", dt.date(2022, 9, 3)),
        (["Von Hans Müller", "12. März 2024"], "Hans Müller", dt.date(2024, 3, 12)),
        (["Von Jörg Schmidt | 05.11.2023"], "Jörg Schmidt", dt.date(2023, 11, 5)),
        (["Veröffentlicht am 2. Januar 2021 von Eva Klein"], "Eva Klein", dt.date(2021, 1, 2)),
        (["Par Jean Dupont", "31/12/2023"], "Jean Dupont", dt.date(2023, 12, 31)),
        (["By Jane Doe", "12/31/2023"], "Jane Doe", dt.date(2023, 12, 31)),
        (["Por Ana López", "2023/06/12"], "Ana López", dt.date(2023, 6, 12)),
    ],
)
def test_bylines_and_dates_in_four_languages(
    project: Path, lines: list[str], name: str, date: dt.date
) -> None:
    # One long line, as text copied from a page has: the file is not taken for hard-wrapped.
    text = "\n".join(["Un titre", *lines, "", "Contexte", "", "Le texte commence ici. " * 6, ""])
    plan = plan_file(project, "b.txt", data=text.encode(), slug="b")
    assert (plan.author_name, plan.date) == (name, date)
    assert [d.text for d in plan.drops] == lines
    assert plan.sections == (("Contexte", 1),)


def test_an_ambiguous_numeric_date_is_dropped_but_not_guessed(project: Path) -> None:
    text = "A Title\nBy Jane Doe\n03/04/2024\n\nBackground\n\n" + "Talks resumed. " * 8 + "\n"
    plan = plan_file(project, "d.txt", data=text.encode(), slug="d")
    assert (plan.author_name, plan.date) == ("Jane Doe", None)
    assert [d.text for d in plan.drops] == ["By Jane Doe", "03/04/2024"]
    assert any("03/04/2024" in note and "--date" in note for note in plan.notes)


def test_a_name_with_von_is_not_a_byline(project: Path) -> None:
    text = "A Title\nUrsula von der Leyen\n\nBackground\n\nTalks resumed.\n"
    plan = plan_file(project, "v.txt", data=text.encode(), slug="v")
    assert plan.drops == () and plan.lede_count == 1


# --- slugs in any script --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("What Is The Conflict Between The Us And North Korea", None),
        ("Café diplomacy: l’été des négociations", "cafe-diplomacy-l-ete-des-negociations"),
        ("Война и мир в Европе", "voina-i-mir-v-evrope"),
        ("한반도 평화", "hanbando-pyeonghwa"),
        ("北朝鮮", "bei-zhao-xian"),
        ("Straße der Einheit", "strasse-der-einheit"),
    ],
)
def test_slugs_for_titles_in_any_script(project: Path, title: str, slug: str | None) -> None:
    text = f"{title}\n\nBackground\n\nTalks resumed in May.\n"
    plan = plan_file(project, "s.txt", data=text.encode())
    expected = slug or "what-is-the-conflict-between-the-us-and-north-korea"
    assert plan.slug == expected
    assert plan.article_path.name == f"{expected}.md"


def test_a_title_with_no_letters_still_needs_a_slug(project: Path) -> None:
    text = "★ ★ ★\n\nBackground\n\nTalks resumed in May.\n"
    with pytest.raises(SourceError, match="pass --slug"):
        plan_file(project, "s.txt", data=text.encode())
