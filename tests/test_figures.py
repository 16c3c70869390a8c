"""Figures: ``![alt](path "caption")`` read from sources/, checked, shown in both formats and
keyed in the build, read back as a reader would (BeautifulSoup, pikepdf and the tagged tree).

The validators (the three PDF/UA checkers in tests/test_pdfua.py, Nu and axe in
tests/validators/) build the same fixture project, whose French, Arabic and Spanish articles
each have a figure.
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from pipeline.build import BuildOptions, BuildResult, build
from pipeline.cli import main
from pipeline.emphasis.scoring import units_of
from pipeline.model import Figure
from pipeline.sources import Project, read_project

from .read import FIXTURES, page_texts, squeeze, structure, text_of

PROJECT = FIXTURES / "rich-sources"
FR, AR, ES = "eau-du-nil", "miyah-al-nil", "agua-del-nilo"
CHART = "sources/figures/debit-du-nil.png"
DAM = "sources/figures/barrage.jpg"
ENV = {"SOURCE_DATE_EPOCH": "1700000000"}


def _article(slug: str, root: Path = PROJECT):  # type: ignore[no-untyped-def]
    return read_project(Project.at(root), [], (slug,)).articles[0]


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=ENV)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("figures") / "build"
    code, output = _cli("--project", str(PROJECT), "--out", str(out), "-j", "1", "-q")
    assert code == 0, output
    return out


# --- reading ----------------------------------------------------------------------------------


def test_a_figure_is_read_with_its_image_alt_and_caption() -> None:
    article = _article(FR)
    chart, dam = article.figures()
    assert isinstance(chart, Figure)
    assert chart.source == CHART and dam.source == DAM
    assert (chart.media_type, chart.width, chart.height) == ("image/png", 640, 320)
    assert dam.media_type == "image/jpeg"
    assert chart.alt.startswith("Diagramme en barres : l'Égypte reçoit 66 %")
    assert chart.caption == "Part du débit du Nil par pays"
    assert chart.data == (PROJECT / CHART).read_bytes()
    (block,) = [b for b in article.blocks() if b.figure is chart]
    assert block.kind == "figure" and block.text == "" and block.line == 25


def test_a_figure_gives_no_sentence_to_score() -> None:
    article = _article(FR)
    figure_ids = {i for i, b in enumerate(article.blocks()) if b.kind == "figure"}
    assert figure_ids and not {u.block_id for u in units_of(article).items} & figure_ids


def _project_with(tmp_path: Path, body: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    for path in (project / "sources" / "articles").glob("*.md"):
        path.unlink()
    (project / "sources" / "articles" / "essai.md").write_text(
        "---\ntitle: Essai\nauthor: amina-haddad\nlang: fr\n---\n## Partie\n\nUn texte.\n\n"
        + body
        + "\n",
        encoding="utf-8",
    )
    return project


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("![Un graphique](../figures/absent.png)", "image '../figures/absent.png' not found"),
        ("![Un graphique](https://example.org/a.png)", "is not a local file"),
        ("![Un graphique](data:image/png;base64,iVBORw0KGgo=)", "is not a local file"),
        ("![Un graphique](//example.org/a.png)", "is not a local file"),
        ("![Un graphique](/etc/hosts)", "has an absolute path"),
        ("![Un graphique](../../outside.png)", "is outside sources/"),
        ("![Un graphique](../figures/link.png)", "is outside sources/"),
        ("![Un graphique](../figures/text.png)", "is not a PNG or JPEG image"),
        ("![Un graphique](../figures/drawing.svg)", "is SVG, which is not supported"),
        ("![Un graphique](../figures/broken.png)", "cannot be read"),
        ("![](../figures/debit-du-nil.png)", "has no alt text"),
        (
            "Voir ![Un graphique](../figures/debit-du-nil.png) ici.",
            "must be a paragraph of its own",
        ),
        ("- ![Un graphique](../figures/debit-du-nil.png)", "must be a paragraph of its own"),
        ("| a |\n|---|\n| ![x](../figures/debit-du-nil.png) |", "must be a paragraph of its own"),
    ],
)
def test_a_bad_image_is_one_error_at_its_line(tmp_path: Path, body: str, message: str) -> None:
    project = _project_with(tmp_path, body)
    figures = project / "sources" / "figures"
    (tmp_path / "outside.png").write_bytes((PROJECT / CHART).read_bytes())
    (project / "outside.png").write_bytes((PROJECT / CHART).read_bytes())
    os.symlink(tmp_path / "outside.png", figures / "link.png")
    (figures / "text.png").write_text("not an image", encoding="utf-8")
    (figures / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (figures / "broken.png").write_bytes((PROJECT / CHART).read_bytes()[:200])
    for command in (
        ["check", "--project", str(project)],
        ["--project", str(project), "--out", str(tmp_path / "out"), "-q"],
    ):
        code, output = _cli(*command)
        lines = [line for line in output.splitlines() if line.startswith("error:")]
        assert code == 1
        assert len(lines) == 1, output
        where = (project / "sources" / "articles" / "essai.md").as_posix()
        assert lines[0].startswith(f"error: {where}:10: ") and message in lines[0], lines[0]
        assert "Traceback" not in output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def test_an_image_in_an_authors_bio_stays_its_alt_text(tmp_path: Path) -> None:
    project = _project_with(tmp_path, "")
    bio = project / "sources" / "authors" / "amina-haddad.md"
    bio.write_text(bio.read_text("utf-8") + "\n![Son portrait](https://example.org/a.png)\n")
    article = _article("essai", project)
    assert article.author.bio[-1].text == "Son portrait"


# --- HTML -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", [FR, AR, ES])
def test_html_figure_is_an_embedded_image_with_alt_and_caption(built: Path, slug: str) -> None:
    page = BeautifulSoup((built / slug / "water.html").read_text("utf-8"), "html.parser")
    figures = page.find_all("figure")
    article = _article(slug)
    assert len(figures) == len(article.figures()) >= 1
    for tag, figure in zip(figures, article.figures(), strict=True):
        img = tag.find("img")
        assert img["alt"] == figure.alt
        prefix = f"data:{figure.media_type};base64,"
        assert img["src"].startswith(prefix)
        assert base64.b64decode(img["src"][len(prefix) :]) == figure.data
        assert (int(img["width"]), int(img["height"])) == (figure.width, figure.height)
        assert tag.find("figcaption").get_text() == figure.caption
    # Nothing is fetched: every image is in the page itself.
    assert all(tag["src"].startswith("data:") for tag in page.find_all(src=True))


# --- PDF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", [FR, AR, ES])
def test_pdf_figure_is_tagged_with_its_alt_and_caption(built: Path, slug: str) -> None:
    path = built / slug / "general.pdf"
    article = _article(slug)
    pages = page_texts(path)
    with pikepdf.open(path) as pdf:
        tree = structure(pdf)
        nodes = [pdf.get_object(e.objgen) for e in tree.find("Figure")]
        media = [float(v) for v in pdf.pages[0].MediaBox]
        assert [str(n.Alt) for n in nodes] == [f.alt for f in article.figures()]
        for node in nodes:
            assert node.A.O == "/Layout"
            x1, y1, x2, y2 = (float(v) for v in node.A.BBox)
            assert 0 < x1 < x2 < media[2] and 0 < y1 < y2 < media[3]
            assert x2 - x1 <= media[2] - 2 * 56  # at most the text width (margins of 56 pt or more)
    roles = [e.role for e in tree.walk() if e.role in ("Figure", "Caption")]
    assert roles == ["Figure", "Caption"] * len(article.figures())
    captions = [squeeze(text_of(e, pages)) for e in tree.find("Caption")]
    assert captions == [squeeze(f.caption) for f in article.figures()]


def test_pdf_images_are_archival(built: Path) -> None:
    """No soft mask (the PNG's transparency is flattened onto white), colour in RGB, and the
    JPEG embedded as it is."""
    with pikepdf.open(built / FR / "general.pdf") as pdf:
        images = {
            int(x.Width): x
            for page in pdf.pages
            for x in page.Resources.get("/XObject", {}).values()
            if x.get("/Subtype") == "/Image"
        }
        assert set(images) == {640, 800}
        for image in images.values():
            assert "/SMask" not in image and "/Mask" not in image
            assert image.ColorSpace == "/DeviceRGB"
        assert "/DCTDecode" in [str(f) for f in pikepdf.Array(images[800].Filter)]
        chart = pikepdf.PdfImage(images[640]).as_pil_image()
        assert chart.getpixel((2, 2)) == (255, 255, 255)  # transparent in the file: white here


# --- the build key ----------------------------------------------------------------------------


def _run(root: Path) -> BuildResult:
    return build(Project.at(root), BuildOptions(jobs=1))


def test_changing_an_image_rebuilds_exactly_the_briefs_that_show_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    _run(project)
    assert {a.path for a in _run(project).built} == set()
    from PIL import Image

    with Image.open(project / DAM) as image:
        image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(project / DAM, quality=80)
    assert {a.path for a in _run(project).built} == {
        f"{FR}/{e}.{f}" for e in ("general", "water") for f in ("pdf", "html")
    }
    assert {a.path for a in _run(project).built} == set()
    with Image.open(project / CHART) as image:
        image.rotate(180).save(project / CHART)
    assert {a.path.split("/")[0] for a in _run(project).built} == {FR, AR, ES}
