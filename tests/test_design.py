"""The designed brief as a reader gets it: the first page, the takeaways, print-safe highlights,
the measure, and the theme's colours in grayscale and dark mode."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTCurve, LTTextContainer, LTTextLine
from pypdf import PdfReader

from pipeline.build import BuildOptions, build
from pipeline.errors import ConfigError
from pipeline.render.color import contrast, rgb
from pipeline.sources import Project, read_project
from pipeline.sources.config import read_config
from pipeline.sources.theme import load_theme

from .read import collapse, parse_html, squeeze

EDITIONS = ("general", "security", "human-rights", "regional-impact")
SLUG = "us-north-korea"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project with an organisation and its logo, built once."""
    from PIL import Image

    from .read import REPO

    root = tmp_path_factory.mktemp("design") / "project"
    import shutil

    shutil.copytree(REPO / "sources", root / "sources")
    Image.new("RGB", (60, 30), "#1f3a5f").save(root / "sources" / "logo.png")
    (root / "sources" / "project.yaml").write_text(
        "organisation:\n  name: Institute for Peninsula Affairs\n  logo: logo.png\n",
        encoding="utf-8",
    )
    out = root / "out"
    build(Project.at(root), BuildOptions(out_dir=out, jobs=1))
    return out


def _project(root: Path) -> Project:
    return Project.at(root)


# --- grey printers, dark screens ---------------------------------------------------------------


def _grey(color: str) -> float:
    """How much a colour darkens paper once printed in grey (0 white, 1 black), as Pillow's
    conversion to 'L' weighs the channels."""
    red, green, blue = rgb(color)
    return 1 - (red * 299 + green * 587 + blue * 114) / 1000 / 255


def test_highlight_and_tint_survive_a_grey_printer() -> None:
    theme = load_theme(None)
    assert _grey(theme.colors["highlight"]) >= 0.12
    assert _grey(theme.colors["takeaways"]) >= 0.10
    # And text still reads on them.
    assert contrast(theme.colors["highlight_text"], theme.colors["highlight"]) >= 4.5
    assert contrast(theme.colors["text"], theme.colors["takeaways"]) >= 4.5


def test_dark_mode_panel_and_highlight_stand_out_from_the_page() -> None:
    dark = load_theme(None).dark_colors
    assert contrast(dark["takeaways_edge"], dark["paper"]) >= 3
    assert contrast(dark["highlight"], dark["paper"]) >= 3
    assert contrast(dark["highlight_text"], dark["highlight"]) >= 4.5
    assert contrast(dark["text"], dark["takeaways"]) >= 4.5


# --- the PDF as drawn ----------------------------------------------------------------------------


def _highlighted_text(path: Path, highlight: str) -> str:
    """The characters drawn on the highlight's colour, page by page, in drawing order."""
    want = tuple(round(c / 255, 2) for c in rgb(highlight))
    found = []
    for page in extract_pages(path):
        items = list(page)
        rects = [
            item.bbox
            for item in items
            if isinstance(item, LTCurve)
            and item.fill
            and tuple(round(float(c), 2) for c in (item.non_stroking_color or ())) == want
        ]
        for box in items:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                for char in line if isinstance(line, LTTextLine) else ():
                    if not isinstance(char, LTChar):
                        continue
                    x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
                    if any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in rects):
                        found.append(char.get_text())
    return "".join(found)


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_takeaway_is_highlighted_in_the_pdf_body(built: Path, edition: str) -> None:
    sources = read_project(_project(built.parent), [])
    from pipeline.build import brief_date, resolve_editions
    from pipeline.emphasis import emphasise

    editions = resolve_editions(() if edition == "general" else (edition,), sources.focuses)
    chosen = next(e for e in editions if e.id == edition)
    brief = emphasise(
        sources.articles[0],
        chosen,
        tuple(sources.focuses.values()),
        brief_date(sources.articles[0]),
    )
    highlighted = squeeze(_highlighted_text(built / SLUG / f"{edition}.pdf", "#ffdc7a"))
    assert brief.takeaways or brief.sparse
    for takeaway in brief.takeaways:
        assert squeeze(takeaway) in highlighted, takeaway


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_takeaway_is_highlighted_in_the_html_body(built: Path, edition: str) -> None:
    page = parse_html(built / SLUG / f"{edition}.html")
    items = page.select("section.takeaways ol > li")
    takeaways = [collapse(li.contents[0]) for li in items]
    marks = [collapse(mark.get_text()) for mark in page.select("main mark")]
    assert set(takeaways) <= set(marks)
    # Each is numbered (an ordered list) and its cue links to a place on the page.
    for li in items:
        cue = li.select_one("a.cue")
        assert cue is not None and cue["href"].startswith("#")
        assert page.find(id=cue["href"][1:]) is not None
    # A highlighted paragraph is marked in the margin too.
    assert all(mark.find_parent("p")["class"] == ["marked"] for mark in page.select("main mark"))


def test_takeaways_are_numbered_in_the_pdf(built: Path) -> None:
    first = PdfReader(built / SLUG / "security.pdf").pages[0].extract_text()
    assert "KEY TAKEAWAYS" in first
    assert "1." in first.split("KEY TAKEAWAYS", 1)[1][:20]


@pytest.mark.parametrize("edition", ["security", "human-rights", "regional-impact"])
def test_the_focus_and_why_it_matters_lead_page_one(built: Path, edition: str) -> None:
    sources = read_project(_project(built.parent), [])
    focus = sources.focuses[edition]
    first = collapse(PdfReader(built / SLUG / f"{edition}.pdf").pages[0].extract_text())
    assert f"WHY IT MATTERS FOR {focus.title.upper()}" in first
    assert collapse(focus.description) in first
    assert "Institute for Peninsula Affairs" in first
    # The seed article has no date: the one shown is the build's, and says so.
    assert "Built " in first
    header = parse_html(built / SLUG / f"{edition}.html").select_one("header.masthead")
    assert header is not None
    assert collapse(focus.description) in collapse(header.get_text(" "))
    assert "sections in focus" in header.select_one(".coverage").get_text()
    assert header.select_one(".organisation img")["src"].startswith("data:image/png;base64,")


def test_the_general_edition_says_it_is_the_whole_article(built: Path) -> None:
    first = collapse(PdfReader(built / SLUG / "general.pdf").pages[0].extract_text())
    assert "The full article, in its own order." in first
    header = parse_html(built / SLUG / "general.html").select_one("header.masthead")
    assert "The full article, in its own order." in header.get_text()


@pytest.mark.parametrize("edition", ["general", "human-rights"])
def test_body_lines_keep_the_measure(built: Path, edition: str) -> None:
    """Lines of body text (the serif at the body size, in the text column) hold 65-75
    characters: none longer, and the typical one in that range."""
    theme = load_theme(None)
    left = theme.margins_mm[3] * MM
    size = theme.sizes["body"]
    lengths = []
    for page in extract_pages(built / SLUG / f"{edition}.pdf"):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if not isinstance(line, LTTextLine) or abs(line.x0 - left) > 1:
                    continue
                chars = [c for c in line if isinstance(c, LTChar)]
                if chars and all("Serif" in c.fontname and abs(c.size - size) < 0.1 for c in chars):
                    lengths.append(len(line.get_text().strip()))
    assert len(lengths) > 40
    # The last line of a paragraph is short: the measure is the full lines'.
    full = [n for n in lengths if n >= 50]
    assert max(lengths) <= 78
    assert 62 <= statistics.median(full) <= 75


# --- the organisation ---------------------------------------------------------------------------


def _settings(tmp_path: Path, text: str) -> Project:
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "project.yaml").write_text(text, encoding="utf-8")
    return Project.at(tmp_path)


def test_an_organisation_may_be_a_name_alone(tmp_path: Path) -> None:
    config = read_config(_settings(tmp_path, "organisation: Peninsula  Institute\n"), [])
    assert config.organisation is not None
    assert config.organisation.name == "Peninsula Institute" and config.organisation.logo == b""


@pytest.mark.parametrize(
    ("logo", "written", "problem"),
    [
        ("logo.gif", b"GIF89a", "must be a .png, .jpg or .jpeg"),
        ("logo.png", None, "no logo file"),
        ("../logo.png", b"\x89PNG\r\n\x1a\n", "inside sources/"),
        ("logo.png", b"not a png", "is not a PNG image"),
    ],
)
def test_a_bad_logo_is_an_error_on_its_line(
    tmp_path: Path, logo: str, written: bytes | None, problem: str
) -> None:
    project = _settings(tmp_path, f"# who we are\norganisation:\n  name: X\n  logo: {logo}\n")
    if written is not None:
        (project.sources / logo).write_bytes(written)
    with pytest.raises(ConfigError) as caught:
        read_config(project, [])
    assert caught.value.path == project.sources / "project.yaml"
    assert caught.value.line == 4
    assert problem in caught.value.message


def test_an_organisation_without_a_name_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs a name"):
        read_config(_settings(tmp_path, "organisation:\n  logo: logo.png\n"), [])


# --- the theme's new settings are checked ------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("pdf:\n  styles:\n    part: {caps: yes please}\n", "pdf: styles: part: caps: must be"),
        ("pdf:\n  styles:\n    part: {trackin: 1}\n", "'trackin' is not a style setting"),
        ("pdf:\n  boxes:\n    margin_mark: {ofset: 3}\n", "'ofset' is not a box setting"),
        ("pdf:\n  boxes:\n    margin_mark: {offset: -3}\n", "margin_mark: offset"),
    ],
)
def test_a_bad_design_setting_is_named(tmp_path: Path, setting: str, problem: str) -> None:
    (tmp_path / "theme.yaml").write_text(setting, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_theme(tmp_path)
    assert problem in caught.value.message
    assert (caught.value.path, caught.value.line) == (tmp_path / "theme.yaml", 3)
