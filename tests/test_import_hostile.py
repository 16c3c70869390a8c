"""make-brief import on hostile saved pages: a page reads in the encoding a browser would read
it in, and nesting of any depth imports.

Each page is imported into a temporary project and read back with pipeline.sources, as a build
reads it; the dropped lines are checked in the plan and in the dry-run report.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import SourceError
from pipeline.importer import ImportPlan, plan_import, write_import
from pipeline.model import Article
from pipeline.sources import Project, SourceWarning, read_article, read_authors

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A brief project with the repository's focuses, templates and one author."""
    root = tmp_path / "fresh"
    (root / "sources" / "articles").mkdir(parents=True)
    (root / "sources" / "authors").mkdir()
    shutil.copy(REPO / "sources" / "focuses.yaml", root / "sources" / "focuses.yaml")
    shutil.copy(REPO / "sources/authors/cassie-grissom.md", root / "sources/authors")
    shutil.copytree(
        REPO / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


def plan_page(root: Path, page: str | bytes, name: str = "page.html") -> ImportPlan:
    data = page.encode("utf-8") if isinstance(page, str) else page
    return plan_import(data, name, Project(root), "talks", "cassie-grissom", None)


def import_page(root: Path, page: str | bytes) -> tuple[ImportPlan, Article]:
    """Import a page and read the article back as a build does, with no warnings."""
    plan = plan_page(root, page)
    write_import(plan)
    warnings: list[SourceWarning] = []
    authors = read_authors(Project(root), warnings)
    article = read_article(plan.article_path, authors, warnings)
    assert warnings == []
    return plan, article


def texts(article: Article) -> list[str]:
    """Every text a brief can show: title, section titles and blocks."""
    return [
        article.title,
        *(s.title for s in article.sections),
        *(b.text for b in article.blocks()),
    ]


def reasons(plan: ImportPlan) -> dict[str, str]:
    return {drop.text: drop.reason for drop in plan.drops}


def page(body: str, head: str = "") -> str:
    """A page whose <article> has a title, one section and ``body`` after its first paragraph."""
    return (
        f"<!DOCTYPE html><html><head>{head}<title>Talks</title></head><body>\n"
        "<article>\n<h1>Talks resume</h1>\n<h2>Scene</h2>\n<p>Talks resumed in May.</p>\n"
        f"{body}\n<p>They stalled in June.</p>\n</article>\n</body></html>\n"
    )


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- the encoding a browser reads --------------------------------------------------------------

ARTICLE = "<article><h1>Talks resume</h1><h2>Scene</h2><p>{}</p></article>"


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="utf-16">',
        '<meta charset="UTF-16LE">',
        "<meta charset=utf-16be>",
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-16">',
    ],
)
def test_a_page_declaring_utf16_in_ascii_bytes_reads_as_utf8(project: Path, meta: str) -> None:
    _, article = import_page(project, meta + ARTICLE.format("Tea, not café."))
    assert texts(article)[-1] == "Tea, not café."


#: Pages a browser reads right: (test id, byte-order mark, head, text, the bytes' encoding).
ENCODED = [
    # A byte-order mark wins over the <meta> tag.
    ("utf-8-bom", b"\xef\xbb\xbf", '<meta charset="windows-1251">', "Привет", "utf-8"),
    ("utf-16le-bom", b"\xff\xfe", "<meta charset=iso-8859-1>", "Привет", "utf-16-le"),
    ("utf-16be-bom", b"\xfe\xff", "<meta charset=iso-8859-1>", "Привет", "utf-16-be"),
    # iso-8859-1 means windows-1252 on the web: its curly quotes are quotes.
    ("latin-1-is-1252", b"", '<meta charset="iso-8859-1">', "“Quoted” – café", "cp1252"),
    ("windows-1251", b"", "<meta charset='windows-1251'>", "Привет", "cp1251"),
    # A declaration in a comment is not one.
    ("commented-out", b"", '<!-- <meta charset="cp1251"> --><meta charset="utf-8">', "Ж", "utf-8"),
    # The first declaration with a label the web knows counts.
    ("unknown-then-known", b"", '<meta charset="bogus"><meta charset="koi8-r">', "Ж", "koi8-r"),
    # Names Python knows but the web does not are ignored.
    ("undefined", b"", '<meta charset="undefined">', "Café", "utf-8"),
    ("base64", b"", '<meta charset="base64">', "Café", "utf-8"),
    ("utf-32", b"", '<meta charset="utf-32">', "Café", "utf-8"),
    ("unicode-escape", b"", '<meta charset="unicode_escape">', r"A \u00e9", "utf-8"),
    # A declared encoding that cannot read the bytes gives way to UTF-8 that can.
    ("wrong-iso-2022-jp", b"", '<meta charset="iso-2022-jp">', "Café", "utf-8"),
    ("wrong-euc-kr", b"", '<meta charset="euc-kr">', "Tea — café", "utf-8"),
]


@pytest.mark.parametrize(
    ("bom", "head", "text", "encoding"), [pytest.param(*case[1:], id=case[0]) for case in ENCODED]
)
def test_a_page_reads_in_the_encoding_a_browser_reads_it_in(
    project: Path, bom: bytes, head: str, text: str, encoding: str
) -> None:
    _, article = import_page(project, bom + (head + ARTICLE.format(text)).encode(encoding))
    assert texts(article)[-1] == text


def test_a_page_neither_its_encoding_nor_utf8_can_read_is_one_clear_error(
    project: Path, tmp_path: Path
) -> None:
    data = ('<meta charset="iso-2022-jp">\n' + ARTICLE.format("Café")).encode("latin-1")
    with pytest.raises(
        SourceError, match=r"not valid iso-2022-jp .* or UTF-8 at byte \d+ \(byte 0xe9\)"
    ):
        plan_page(project, data)
    saved = tmp_path / "page.html"
    saved.write_bytes(data)
    result = run("import", str(saved), "--author", "cassie-grissom", "--project", str(project))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {saved}:2: not valid iso-2022-jp")
    assert len(result.output.splitlines()) == 1


def test_every_label_of_the_encoding_standard_is_known() -> None:
    standard = pytest.importorskip("webencodings.labels").LABELS
    from pipeline.importer.charset import LABELS

    codecs: dict[str, set[str]] = {}
    for label, encoding in standard.items():
        if encoding == "replacement":
            assert label not in LABELS  # ignored, like a label nobody knows
        else:
            codecs.setdefault(encoding, set()).add(LABELS[label])
    # Every label of an encoding reads it the same way...
    assert all(len(found) == 1 for found in codecs.values())
    # ...the prescan reads UTF-16 as UTF-8 and x-user-defined as windows-1252, the standard
    # decodes GBK with its GB18030 decoder, and ISO-8859-8-I differs only in display order...
    shared = [
        ("utf-16le", "utf-8"),
        ("utf-16be", "utf-8"),
        ("x-user-defined", "windows-1252"),
        ("gbk", "gb18030"),
        ("iso-8859-8-i", "iso-8859-8"),
    ]
    assert all(codecs[a] == codecs[b] for a, b in shared)
    # ...and no other two encodings share a codec.
    assert len({c for found in codecs.values() for c in found}) == len(codecs) - len(shared)


# --- nesting of any depth ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("<div>", "</div>"),
        ("<section>", "</section>"),
        ("<span>", "</span>"),
        ("<blockquote>", "</blockquote>"),
        ("<ul><li>", "</li></ul>"),
        ("<ol><li>", ""),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<article>", "</article>"),
        ("<b>", ""),
    ],
)
def test_a_page_nested_a_thousand_deep_imports(
    project: Path, tmp_path: Path, opening: str, closing: str
) -> None:
    deep = opening * 1000 + "<p>Deep text.</p>" + closing * 1000
    _, article = import_page(project, page(deep))
    shown = texts(article)
    assert "Deep text." in shown and shown[-1] == "They stalled in June."
    saved = tmp_path / "deep.html"
    saved.write_text(page(deep), "utf-8")
    args = ("import", str(saved), "--author", "cassie-grissom", "--dry-run")
    result = run(*args, "--project", str(project))
    assert result.exit_code == 0, result.output


def test_nesting_far_past_any_recursion_limit_imports(project: Path) -> None:
    deep = "<div><span>" * 20000 + "<p>Deep text.</p>" + "</span></div>" * 20000
    _, article = import_page(project, page(deep))
    assert "Deep text." in texts(article)
