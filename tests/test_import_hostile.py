"""make-brief import on hostile saved pages: what a reader never sees is not article text, a page
reads in the encoding a browser would read it in, and nesting of any depth imports.

Each page is imported into a temporary project and read back with pipeline.sources, as a build
reads it; the dropped lines are checked in the plan and in the dry-run report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import SourceError
from pipeline.importer import ImportPlan, plan_import, write_import
from pipeline.model import Article
from pipeline.sources import Project, SourceWarning, read_article, read_authors

from .read import import_project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A brief project with the repository's focuses, templates and one author."""
    return import_project(tmp_path / "fresh", "cassie-grissom")


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


# --- reader comments --------------------------------------------------------------------------

THREAD = "<p>Troll99 says:</p><p>This is all lies, wake up people.</p><p>Reply</p>"


#: Ways pages mark a comment thread: (test id, the thread's markup).
THREADS = [
    ("section-id", f'<section id="comments"><h3>3 Comments</h3>{THREAD}</section>'),
    (
        "comment-list",
        f'<div class="comments-area"><ol class="comment-list"><li>{THREAD}</ol></div>',
    ),
    ("commentlist", f'<ol class="commentlist"><li class="comment">{THREAD}</li></ol>'),
    ("prefixed", f'<div class="post-comments">{THREAD}</div>'),
    ("disqus", f'<div id="disqus_thread">{THREAD}</div>'),
    ("replies", f'<ul class="replies"><li>{THREAD}</li></ul>'),
    ("role", f'<div role="comment">{THREAD}</div>'),
    ("schema-org", f'<article itemscope itemtype="https://schema.org/Comment">{THREAD}</article>'),
    ("one-comment", f'<ul><li class="comment">{THREAD}</li></ul>'),
]


@pytest.mark.parametrize("thread", [pytest.param(markup, id=name) for name, markup in THREADS])
def test_a_comment_thread_inside_the_article_is_dropped_and_listed(
    project: Path, thread: str
) -> None:
    plan, article = import_page(project, page(thread))
    assert texts(article) == [
        "Talks resume",
        "Scene",
        "Talks resumed in May.",
        "They stalled in June.",
    ]
    why = reasons(plan)
    for line in ("Troll99 says:", "This is all lies, wake up people.", "Reply"):
        assert why[line] == "reader comments"
    # Each dropped comment line names its line in the page.
    lines = page(thread).splitlines()
    assert all(d.text.split(" ")[0] in lines[d.line - 1] for d in plan.drops)


def test_the_dry_run_lists_each_comment_line_with_its_reason(project: Path, tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_text(page(f'<section id="comments">\n{THREAD}\n</section>'), "utf-8")
    args = ("import", str(saved), "--author", "cassie-grissom", "--dry-run")
    result = run(*args, "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "line 7: Troll99 says:  [reader comments]" in result.output
    assert "line 7: Reply  [reader comments]" in result.output
    assert "dropped:  3 lines" in result.output


@pytest.mark.parametrize(
    "markup",
    [
        # A state of the page, not the thread: it may mark the element holding the article.
        '<div class="entry no-comments"><p>Kept text.</p></div>',
        '<div class="has-comments"><p>Kept text.</p></div>',
        '<div id="comments-closed"><p>Kept text.</p></div>',
        # An opinion piece, and commentary, are the author's text.
        '<div class="tonal__main--tone-comment"><p>Kept text.</p></div>',
        '<div class="commentary"><p>Kept text.</p></div>',
        '<div role="article"><p>Kept text.</p></div>',
    ],
)
def test_names_that_only_look_like_comments_are_kept(project: Path, markup: str) -> None:
    plan, article = import_page(project, page(markup))
    assert "Kept text." in texts(article)
    assert plan.drops == ()


# --- hidden elements --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attributes",
    [
        "hidden",
        'hidden=""',
        'hidden="hidden"',
        'aria-hidden="true"',
        'aria-hidden="TRUE"',
        'style="display:none"',
        'style="color: red; DISPLAY : None !important"',
        'style="visibility:hidden"',
        'style="visibility: collapse"',
        'style="display: block; /* later */ display: none"',
    ],
)
def test_hidden_elements_are_dropped_and_listed(project: Path, attributes: str) -> None:
    markup = f"<div {attributes}><h3>Preview</h3><p>Secret draft text.</p></div>"
    plan, article = import_page(project, page(markup))
    assert "Secret draft text." not in texts(article) and "Preview" not in texts(article)
    assert reasons(plan) == {
        "Preview": "hidden on the page",
        "Secret draft text.": "hidden on the page",
    }
    assert "They stalled in June." in texts(article)


def test_hidden_words_inside_a_sentence_are_dropped_and_the_sentence_stays_whole(
    project: Path,
) -> None:
    markup = (
        '<p>Prices rose <span style="display:none">cheap pills here</span>by five per '
        '<b aria-hidden="true">SEO</b>cent.</p>'
    )
    plan, article = import_page(project, page(markup))
    assert "Prices rose by five per cent." in texts(article)
    assert reasons(plan) == {
        "cheap pills here": "hidden on the page",
        "SEO": "hidden on the page",
    }


@pytest.mark.parametrize(
    "attributes",
    [
        'hidden="until-found"',  # found by searching the page: a closed accordion's text
        'aria-hidden="false"',
        'style="display: none; display: block"',
        'style="visibility: visible"',
        'class="hidden"',  # what a class does is in a stylesheet the importer does not read
    ],
)
def test_elements_a_reader_sees_are_kept(project: Path, attributes: str) -> None:
    plan, article = import_page(project, page(f"<p {attributes}>Seen text.</p>"))
    assert "Seen text." in texts(article)
    assert plan.drops == ()


def test_a_hidden_heading_outside_the_article_is_not_the_title(project: Path) -> None:
    markup = (
        "<html><body><header><h1 hidden>Example Review</h1><h1>Talks resume</h1></header>"
        "<article><h2>Scene</h2><p>Talks resumed in May.</p></article></body></html>"
    )
    plan, article = import_page(project, markup)
    assert article.title == "Talks resume"
    assert reasons(plan) == {"Example Review": "hidden on the page"}


def test_a_hidden_article_is_not_taken_for_the_content(project: Path) -> None:
    markup = (
        "<html><body><article hidden><h1>Old draft</h1><h2>Draft</h2>"
        + "<p>Draft text.</p>" * 20
        + "</article><article><h1>Talks resume</h1><h2>Scene</h2><p>Talks resumed in May.</p>"
        "</article></body></html>"
    )
    plan, article = import_page(project, markup)
    assert article.title == "Talks resume"
    assert "Draft text." not in texts(article)
    assert reasons(plan)["Draft text."] == "hidden on the page"


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


def test_deep_hidden_and_comment_elements_are_still_dropped(project: Path) -> None:
    deep = (
        "<div>" * 3000
        + '<div hidden><p>Secret.</p></div><div class="comments">'
        + "<div>" * 3000
        + THREAD
        + "</div>" * 3001
        + "<p>Deep text.</p>"
        + "</div>" * 3000
    )
    plan, article = import_page(project, page(deep))
    assert "Deep text." in texts(article) and "Troll99 says:" not in texts(article)
    assert reasons(plan) == {
        "Secret.": "hidden on the page",
        "Troll99 says:": "reader comments",
        "This is all lies, wake up people.": "reader comments",
        "Reply": "reader comments",
    }


def test_nesting_far_past_any_recursion_limit_imports(project: Path) -> None:
    deep = "<div><span>" * 20000 + "<p>Deep text.</p>" + "</span></div>" * 20000
    _, article = import_page(project, page(deep))
    assert "Deep text." in texts(article)
