"""Hostile text from sources shows as text in both formats and never becomes markup or a link.

The fixture project tests/fixtures/hostile/ holds the attacks: HTML and ReportLab paragraph
markup in the body, the title, the summary, the author's name and role and a focus's title;
entities and quotes; and links to every kind of target. The briefs are read back the way a reader's
tools read them: html5lib parses the HTML as a browser does, pypdf extracts the PDF's text,
link annotations and metadata.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.build import BuildOptions, build
from pipeline.sources import Project

from .read import (
    FIXTURES,
    html_document,
    html_text,
    normalise,
    pdf_link_targets,
    pdf_metadata,
    pdf_outline,
    pdf_text,
    squeeze,
)

HOSTILE = FIXTURES / "hostile"
EDITIONS = ("general", "rights")

TITLE = '<script>alert("title")</script> & <a href="javascript:x">Markup</a> \'quotes\''
SUMMARY = '<font size="40">Big</font> &amp; <para> "summary"'
AUTHOR = 'Mallory <img src=x onerror=alert(1)> & "Eve"'
ROLE = '<font color="red">Chief</font> &amp; <para>'
FOCUS = 'Rights & <b>Wrongs</b> "quoted" <script>alert(1)</script>'
SECTION = '<b>Section</b> & "Co" <script>x</script>'
#: Text of markup.md as a reader must see it (CommonMark turns &amp; into & and &lt; into <).
BODY = [
    "Lede with <b>not bold</b> & an ampersand.",
    "<script>alert(1)</script>",
    '<img src=x onerror=alert(1)> and <font color="red" size="30">font</font> and',
    '<a href="https://evil.example/">an anchor</a> and <para alignment="right">para</para> tags.',
    "Entities: & is an ampersand, <b> is text, \" and ' are quotes, \u00a0done.",
    "Quotes \"double\" and 'single' and <code> with <br/> and <![CDATA[ x ]]> and <!-- note -->",
    '<span backColor="#ff0000">span</span> and <u>u</u> and <strike>s</strike> markup rights.',
    '<div onclick="alert(1)">A raw HTML block stays text.</div>',
    "<i>Subheading</i> & more",
    'A list item with <seq/> and <onDraw name="x"/> and <link href="x">link</link>.',
    "A quote with <sup>sup</sup> and <greek>a</greek>.",
    '</pre><script>alert("code")</script>',
    'Mallory\'s bio has <script>alert("bio")</script> and a bad link and',
]
#: The only link targets the briefs may hold, in reading order.
SAFE_LINKS = [
    "https://example.org/a?b=1&c=2",
    "http://example.org/plain",
    "mailto:someone@example.org",
    "https://example.org/auto",
    "https://example.org/%22onmouseover=%22alert(1)",
    "https://example.org/'onclick='alert(1)",
    "https://example.org/%3Cb%3E",
]
BIO_LINK = "https://example.org/bio"

#: Every element and attribute the templates themselves write; anything else came from a source.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "div", "p", "span", "h1", "h2",
    "h3", "h4", "h5", "h6", "time", "nav", "a", "main", "section", "ul", "li", "mark", "code",
    "blockquote", "pre", "footer", "em", "strong", "br", "link", "ol",
}  # fmt: skip
TEMPLATE_ATTRIBUTES = {
    "lang", "dir", "charset", "name", "content", "class", "id", "href", "type", "aria-label",
    "aria-labelledby", "datetime", "style", "tabindex", "rel", "start",
}  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    build(
        Project.at(HOSTILE),
        BuildOptions(focuses=EDITIONS, articles=("markup", "links"), out_dir=folder),
    )
    return folder


def briefs(out: Path, slug: str, fmt: str) -> list[Path]:
    return [out / slug / f"{edition}.{fmt}" for edition in EDITIONS]


@pytest.mark.parametrize("slug", ["markup", "links"])
def test_html_has_no_element_or_attribute_from_sources(out: Path, slug: str) -> None:
    for path in briefs(out, slug, "html"):
        document = html_document(path)
        elements = list(document.iter())
        assert {element.tag for element in elements} <= TEMPLATE_TAGS
        for element in elements:
            assert set(element.attrib) <= TEMPLATE_ATTRIBUTES, (element.tag, element.attrib)
            if "style" in element.attrib:
                assert re.fullmatch(r"--depth: \d+", element.attrib["style"])
        assert document.findall(".//script") == []
        # The only <style> is the stylesheet, and nothing from a source is inside it.
        (style,) = document.findall(".//style")
        assert "<" not in html_text(style)


def test_html_shows_markup_as_text(out: Path) -> None:
    for path in briefs(out, "markup", "html"):
        document = html_document(path)
        text = normalise(html_text(document.find("body")))
        for fragment in [*BODY, TITLE, SUMMARY, AUTHOR, ROLE, SECTION]:
            assert normalise(fragment) in text
        assert html_text(document.find(".//h1")) == TITLE
        assert document.find(".//meta[@name='author']").attrib["content"] == AUTHOR
    title = html_document(out / "markup" / "rights.html").find(".//title")
    assert html_text(title) == f"{TITLE} · {FOCUS} · Policy Brief"


def test_pdf_shows_markup_as_text(out: Path) -> None:
    for path in briefs(out, "markup", "pdf"):
        # Squeezed: a long line wraps wherever the page ends, so spaces are not comparable.
        text = squeeze(normalise(pdf_text(path)))
        for fragment in [*BODY, TITLE, SUMMARY, AUTHOR, ROLE, SECTION]:
            assert squeeze(normalise(fragment)) in text
    rights = squeeze(normalise(pdf_text(out / "markup" / "rights.pdf")))
    assert squeeze(normalise("Policy Brief " + FOCUS)) in rights  # the label at the top
    # The part's label is set in capitals.
    assert squeeze(normalise("In focus: " + FOCUS)).upper() in rights


def test_pdf_metadata_and_bookmarks_hold_the_raw_text(out: Path) -> None:
    path = out / "markup" / "rights.pdf"
    metadata = pdf_metadata(path)
    assert metadata["Title"] == TITLE
    assert metadata["Author"] == AUTHOR
    assert metadata["Subject"] == FOCUS
    assert metadata["Keywords"].startswith(FOCUS + ", ")
    assert SECTION in pdf_outline(path)


def test_pdf_footer_shows_title_and_focus_as_text(out: Path) -> None:
    text = normalise(pdf_text(out / "markup" / "general.pdf"))
    full = normalise(f"{TITLE} · General edition")
    # The footer keeps the text column's measure: a title too long for it is cut with "…".
    cut = [full[:n].rstrip() + "…" for n in range(40, len(full))]
    assert full in text or any(shown in text for shown in cut)


def test_only_http_https_and_mailto_links_survive_in_the_pdf(out: Path) -> None:
    for path in briefs(out, "links", "pdf"):
        assert pdf_link_targets(path) == [*SAFE_LINKS, BIO_LINK]
    for path in briefs(out, "markup", "pdf"):
        assert pdf_link_targets(path) == [BIO_LINK]


def test_only_http_https_and_mailto_links_survive_in_the_html(out: Path) -> None:
    for edition in EDITIONS:
        document = html_document(out / "links" / f"{edition}.html")
        # Besides the takeaways' cues, which link to sections of the page itself.
        hrefs = [a.attrib["href"] for a in document.iter("a") if "cue" not in a.get("class", "")]
        author_url = "https://example.org/mallory?a=1&b=2"
        # A quote may not stand in a URL: the page percent-encodes it, as a browser would.
        source_url = "https://example.org/source?x=1&y=%222%22"
        assert hrefs == [f"{edition}.pdf", *SAFE_LINKS, author_url, BIO_LINK, source_url]


def test_unsafe_links_keep_their_words(out: Path) -> None:
    expected = (
        "A script link, a mixed-case one, a data link, a vbscript one and a relative one show only "
        "their text."
    )
    autolink = "Autolinks: https://example.org/auto is kept and javascript:alert(2) is text."
    for path in [*briefs(out, "links", "pdf"), *briefs(out, "links", "html")]:
        text = normalise(
            pdf_text(path) if path.suffix == ".pdf" else html_text(html_document(path))
        )
        assert expected in text
        assert autolink in text
        assert "](" not in text  # no Markdown link source left over
