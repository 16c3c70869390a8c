"""A focus's title per language (``titles:`` in focuses.yaml), read with clear errors and shown
in the brief of an article in that language, in both formats; other languages show ``title``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import BriefError
from pipeline.model import Edition
from pipeline.sources import read_focuses

from .read import FIXTURES, normalise, pdftotext

PROJECT = FIXTURES / "rich-sources"


def test_titles_are_read_and_chosen_by_language_with_the_default_last() -> None:
    water = read_focuses(PROJECT / "sources" / "focuses.yaml")["water"]
    assert water.title == "Water"
    assert dict(water.titles) == {"fr": "Eau", "ar": "المياه", "es": "Agua"}
    assert [water.title_in(lang) for lang in ("fr", "fr-CA", "AR", "es-419", "de", "en")] == [
        "Eau",
        "Eau",
        "المياه",
        "Agua",
        "Water",
        "Water",
    ]
    assert Edition("water", (water,)).title_in("es") == "Agua"


def test_a_plain_string_title_still_works(tmp_path: Path) -> None:
    path = tmp_path / "focuses.yaml"
    path.write_text(
        "water:\n  title: Water\n  color: '#1b6a72'\n  keywords: [river]\n", encoding="utf-8"
    )
    water = read_focuses(path)["water"]
    assert (water.titles, water.title_in("fr")) == ((), "Water")


def test_bad_titles_are_each_an_error_at_their_line(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "sources" / "focuses.yaml").write_text(
        "water:\n"
        "  title: Water\n"
        "  titles: [Eau, Agua]\n"
        "  color: '#1b6a72'\n"
        "  keywords: [eau]\n"
        "dams:\n"
        "  title: Dams\n"
        "  titles: {fr: Barrages, français: Barrages, es: ''}\n"
        "  color: '#1b6a72'\n"
        "  keywords: [barrage]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    where = f"error: {project / 'sources' / 'focuses.yaml'}"
    assert errors == [
        f"{where}:3: focus 'water': 'titles' must map language tags to titles, as in "
        "titles: {fr: Droits humains, es: Derechos humanos}",
        f"{where}:8: focus 'dams': 'titles': 'français' is not a language tag such as fr or pt-BR",
        f"{where}:8: focus 'dams': 'titles': the es title must be non-empty text",
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("titles") / "build"
    result = CliRunner().invoke(
        main,
        ["--project", str(PROJECT), "--out", str(out), "-q", "--focus", "water"],
        env={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(
    ("slug", "title", "in_focus"),
    [
        ("eau-du-nil", "Eau", "Pleins feux : Eau"),
        ("agua-del-nilo", "Agua", "En foco: Agua"),
        ("miyah-al-nil", "المياه", "في التركيز: المياه"),
    ],
)
def test_the_brief_shows_the_title_in_its_language(
    built: Path, slug: str, title: str, in_focus: str
) -> None:
    page = BeautifulSoup((built / slug / "water.html").read_text("utf-8"), "html.parser")
    assert page.select_one(".kicker .focus").get_text() == title
    assert in_focus in page.get_text(" ")
    assert "Water" not in page.get_text(" ")
    text = normalise(pdftotext(built / slug / "water.pdf"), compatibility=True)
    # Word by word: pdftotext may move the colon of a right-to-left heading; the part label
    # is set in capitals.
    assert title in text and "Water" not in text
    assert all(word.strip(":").casefold() in text.casefold() for word in in_focus.split())


@pytest.mark.parametrize(
    ("slug", "description"),
    [
        ("eau-du-nil", "L’eau potable, les fleuves et la sécheresse."),
        ("agua-del-nilo", "El abastecimiento de agua, los ríos y la sequía."),
    ],
)
def test_the_first_page_gives_the_description_in_the_briefs_language(
    built: Path, slug: str, description: str
) -> None:
    page = BeautifulSoup((built / slug / "water.html").read_text("utf-8"), "html.parser")
    assert page.select_one(".matters-text").get_text() == description
    first_page = normalise(pdftotext(built / slug / "water.pdf"), compatibility=True)
    assert " ".join(description.split()) in " ".join(first_page.split())


def test_descriptions_must_map_language_tags_to_text(tmp_path: Path) -> None:
    path = tmp_path / "focuses.yaml"
    path.write_text(
        "water:\n  title: Water\n  description: Rivers.\n  descriptions: [Eau]\n"
        "  color: '#1b6a72'\n  keywords: [river]\n",
        encoding="utf-8",
    )
    with pytest.raises(BriefError) as caught:
        read_focuses(path)
    assert "'descriptions' must map language tags" in str(caught.value)
    assert caught.value.line == 4
