"""The brief a reader gets, read back from the PDF and the HTML the build writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.build import BuildOptions, build, resolve_editions
from pipeline.emphasis import emphasise
from pipeline.emphasis.units import split_sentences
from pipeline.sources import Project, read_project

from .read import REPO, collapse, parse_html, pdf_body_text, pdf_text

FOCUSES = ("security", "human-rights", "regional-impact")
EDITIONS = ("general", *FOCUSES)


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's project built once, every edition in both formats."""
    out = tmp_path_factory.mktemp("build")
    build(Project.at(REPO), BuildOptions(out_dir=out))
    return out


@pytest.fixture(scope="module")
def seed_sources():  # type: ignore[no-untyped-def]
    return read_project(Project.at(REPO), [])


def _paragraphs(sources) -> list[str]:  # type: ignore[no-untyped-def]
    article = sources.articles[0]
    return [collapse(block.text) for block in article.blocks()]


@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_holds_every_part_of_the_brief(seed_build: Path, seed_sources, edition: str) -> None:  # type: ignore[no-untyped-def]
    # Paragraphs may go on over a page break (between sentences), so without the footers.
    text = pdf_body_text(seed_build / "us-north-korea" / f"{edition}.pdf")
    focus_title = "General edition" if edition == "general" else seed_sources.focuses[edition].title
    author = seed_sources.authors["cassie-grissom"]
    for expected in (
        "Policy Brief",
        "What Is The Conflict Between The US And North Korea",
        focus_title,
        "Key takeaways",
        "About the author",
        author.name,
        collapse(author.bio[0].text),
    ):
        # Labels such as "Key takeaways" are set in capitals.
        assert expected.casefold() in text.casefold(), expected
    for paragraph in _paragraphs(seed_sources):
        assert paragraph in text
    assert "Leave a Comment" not in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_html_holds_every_part_of_the_brief(seed_build: Path, seed_sources, edition: str) -> None:  # type: ignore[no-untyped-def]
    page = parse_html(seed_build / "us-north-korea" / f"{edition}.html")
    text = collapse(page.get_text(" "))
    text_joined = collapse(page.get_text(""))
    assert page.html["lang"] == "en"
    assert "What Is The Conflict Between The US And North Korea" in page.title.string
    assert len(page.find_all("h1")) == 1
    assert page.find("main") is not None and page.find("header") is not None
    for paragraph in _paragraphs(seed_sources):
        assert paragraph in text_joined
    assert "Key takeaways" in text and "About the author" in text
    assert "Leave a Comment" not in text
    assert page.find("script") is None
    if edition != "general":
        assert page.find_all("mark"), "a focus edition highlights its most relevant sentences"


def test_html_makes_no_external_requests(seed_build: Path) -> None:
    for path in (seed_build / "us-north-korea").glob("*.html"):
        page = parse_html(path)
        for tag in page.find_all(
            ["link", "img", "script", "iframe", "source", "video", "audio", "object", "embed"]
        ):
            target = tag.get("src") or tag.get("href") or tag.get("data") or ""
            assert not re.match(r"(?i)(https?:)?//", target), (path.name, tag)
        style = " ".join(s.get_text() for s in page.find_all("style"))
        assert "@import" not in style and "url(" not in style


def test_pdf_metadata_outline_and_fonts(seed_build: Path, seed_sources) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(seed_build / "us-north-korea" / "human-rights.pdf")
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "What Is The Conflict Between The US And North Korea"
    assert meta.author == "Cassie Grissom"
    assert meta.subject == "Human Rights"
    assert "human rights" in str(meta.get("/Keywords", "")).lower()
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    titles = {s.title for s in seed_sources.articles[0].sections}
    assert titles <= set(outline)
    assert outline[0] == "Key takeaways" and outline[-1] == "About the author"
    fonts = _fonts(reader)
    assert fonts, "the PDF uses fonts"
    for name, descriptor in fonts.items():
        assert descriptor is not None and "/FontFile2" in descriptor, f"{name} is not embedded"


def _fonts(reader: PdfReader) -> dict[str, object]:
    found: dict[str, object] = {}
    for page in reader.pages:
        resources = page.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = descriptor.get_object() if descriptor else None
    return found


def test_pdf_footer_numbers_pages(seed_build: Path) -> None:
    reader = PdfReader(seed_build / "us-north-korea" / "security.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = collapse(page.extract_text())
        assert f"Page {number} of {total}" in text
        assert "Security" in text


def test_first_in_focus_section_scores_highest(seed_sources) -> None:  # type: ignore[no-untyped-def]
    article = seed_sources.articles[0]
    for edition in resolve_editions(FOCUSES, seed_sources.focuses):
        brief = emphasise(
            article, edition, tuple(seed_sources.focuses.values()), article.date or _today()
        )
        scores = [s.score for s in brief.sections]
        assert brief.in_focus, edition.id
        assert brief.in_focus[0].score == max(scores)
        assert [s.index for s in brief.context] == sorted(s.index for s in brief.context)
        assert len(brief.sections) == len(article.sections)


def test_pdf_shows_in_focus_sections_first(seed_build: Path, seed_sources) -> None:  # type: ignore[no-untyped-def]
    article = seed_sources.articles[0]
    edition = resolve_editions(("human-rights",), seed_sources.focuses)[0]
    brief = emphasise(article, edition, tuple(seed_sources.focuses.values()), _today())
    text = pdf_text(seed_build / "us-north-korea" / "human-rights.pdf")
    # The part's label is set in capitals; the takeaways before it name sections too.
    part = text.casefold().index("in focus: human rights")
    positions = [text.index(s.title, part) for s in brief.sections]
    assert positions == sorted(positions)


def test_general_edition_keeps_the_article_order(seed_build: Path, seed_sources) -> None:  # type: ignore[no-untyped-def]
    page = parse_html(seed_build / "us-north-korea" / "general.html")
    headings = [collapse(h.get_text()) for h in page.select("section.brief-section > h2")]
    assert headings == [s.title for s in seed_sources.articles[0].sections]
    # The general edition highlights its takeaways where they stand, and nothing else.
    marks = [collapse(m.get_text()) for m in page.select("main mark")]
    takeaways = [collapse(li.contents[0]) for li in page.select("section.takeaways li")]
    assert marks and marks == takeaways


@pytest.mark.parametrize("edition", EDITIONS)
def test_takeaways_are_verbatim_sentences(seed_sources, edition: str) -> None:  # type: ignore[no-untyped-def]
    article = seed_sources.articles[0]
    sentences = {s.text for block in article.blocks() for s in split_sentences(block.text)}
    brief = emphasise(
        article,
        resolve_editions((edition,), seed_sources.focuses)[0],
        tuple(seed_sources.focuses.values()),
        _today(),
    )
    # Never padded to a count: the seed says little about human rights, and gets what it says.
    assert 1 <= len(brief.takeaways) <= 3
    if edition in ("general", "security"):
        assert len(brief.takeaways) >= 3
    assert set(brief.takeaways) <= sentences
    order = [
        next(i for i, b in enumerate(article.blocks()) if t in b.text) for t in brief.takeaways
    ]
    assert order == sorted(order), "takeaways keep the article's order"


@pytest.mark.parametrize(
    ("focus", "expected"),
    [
        ("security", "Troops at the Dam"),
        ("human-rights", "Families Displaced by the Floods"),
        ("regional-impact", "Trade Along the Valley"),
    ],
)
def test_relevance_orders_an_untuned_article(fixture_project, focus: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    project = Project.at(fixture_project("synthetic"))
    sources = read_project(project, [])
    article = sources.articles[0]
    edition = resolve_editions((focus,), sources.focuses)[0]
    brief = emphasise(article, edition, tuple(sources.focuses.values()), _today())
    assert brief.in_focus[0].title == expected
    takeaway_sections = {
        next(s.title for s in article.sections if any(t in b.text for b in s.blocks))
        for t in brief.takeaways
    }
    assert takeaway_sections == {expected}, "takeaways come from the section about the focus"


def test_combined_focus_weighs_both(fixture_project) -> None:  # type: ignore[no-untyped-def]
    project = Project.at(fixture_project("synthetic"))
    sources = read_project(project, [])
    edition = resolve_editions(("security+human-rights",), sources.focuses)[0]
    assert edition.id == "security+human-rights" and edition.title == "Security + Human Rights"
    brief = emphasise(sources.articles[0], edition, tuple(sources.focuses.values()), _today())
    assert {s.title for s in brief.in_focus} >= {
        "Troops at the Dam",
        "Families Displaced by the Floods",
    }
    assert brief.context[-1].title == "Trade Along the Valley"


def test_sentence_irrelevant_to_focus_never_pads_takeaways(fixture_project) -> None:  # type: ignore[no-untyped-def]
    root = fixture_project("synthetic")
    article = root / "sources" / "articles" / "river-dispute.md"
    text = article.read_text(encoding="utf-8")
    # Keep only the security section and a lede with no security words.
    head, _, rest = text.partition("## Trade Along the Valley")
    security = rest[rest.index("## Troops at the Dam") : rest.index("## Families")]
    article.write_text(head + security, encoding="utf-8")
    sources = read_project(Project.at(root), [])
    edition = resolve_editions(("human-rights",), sources.focuses)[0]
    brief = emphasise(sources.articles[0], edition, tuple(sources.focuses.values()), _today())
    assert len(brief.takeaways) < 3


def _today():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date(2024, 1, 1)


def test_headings_are_drawn_in_the_bold_face(seed_build: Path) -> None:
    # Bold must survive a fallback font that is also a theme face (mapped as its own bold).
    fonts = _fonts(PdfReader(seed_build / "us-north-korea" / "security.pdf"))
    assert any(name.endswith(("BriefSans-Bold", "VeraBd")) for name in fonts), fonts
