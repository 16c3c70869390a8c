"""Hostile input: nothing silently lost, nothing unbounded, no traceback, the right file named.

Each test writes the hostile source into a copy of the seed project and runs make-brief as a
user does (the command line through click's CliRunner, or a build), then reads what came out.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table
from reportlab.platypus.doctemplate import LayoutError

from pipeline.cli import main
from pipeline.render.pdf import layout_problem

from .read import html_document, html_text, pdf_body_text, squeeze

AUTHOR = "cassie-grissom"
ARTICLE = "sources/articles/hostile.md"
SUBCOMMANDS = frozenset({"check", "focuses"})


def run(project: Path, *args: str) -> tuple[int, str, str]:
    """make-brief with ``args`` on ``project``: exit status, standard output and error."""
    command = list(args[:1]) if args and args[0] in SUBCOMMANDS else []
    rest = list(args[len(command) :])
    result = CliRunner().invoke(main, [*command, "--project", str(project), *rest])
    return result.exit_code, result.stdout, result.stderr


def write_article(project: Path, body: str, front: str = "") -> Path:
    """An article by the seed project's author with ``body`` under its front matter."""
    path = project / ARTICLE
    path.write_text(
        f"---\ntitle: Hostile input\nauthor: {AUTHOR}\n{front}---\n\n{body}", encoding="utf-8"
    )
    return path


def build(project: Path, *args: str) -> tuple[int, str, str]:
    return run(project, "--article", "hostile", "--focus", "general", "--quiet", *args)


def only_error(stderr: str) -> str:
    """The one ``error:`` line of a failed command; fails on a traceback or any other line."""
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    return errors[0]


def html_text_of(project: Path) -> str:
    return (project / "build" / "hostile" / "general.html").read_text(encoding="utf-8")


def html_body(project: Path) -> str:
    return html_text(html_document(project / "build" / "hostile" / "general.html"))


def pdf_body(project: Path) -> str:
    return pdf_body_text(project / "build" / "hostile" / "general.pdf")


# --- text silently lost: deep nesting ---------------------------------------------------------


@pytest.mark.parametrize(
    "nested",
    ["- " * 10 + "deepest words", "> " * 20 + "deepest words", "1. " * 15 + "deepest words"],
    ids=["list-10-deep", "quote-20-deep", "ordered-15-deep"],
)
def test_deep_nesting_keeps_every_later_paragraph(seed_project: Path, nested: str) -> None:
    write_article(
        seed_project,
        f"## First\n\nBefore the nesting.\n\n{nested}\n\nAfter the nesting.\n\n"
        "## Second section\n\nThe last paragraph survives.\n",
    )
    code, _, stderr = run(seed_project, "check")
    assert code == 0, stderr
    assert "is empty" not in stderr
    code, _, stderr = build(seed_project)
    assert code == 0, stderr
    for text in (html_body(seed_project), pdf_body(seed_project)):
        for words in ("deepest words", "After the nesting.", "Second section", "survives"):
            assert words in text


@pytest.mark.parametrize(
    "nested",
    ["- " * 21 + "too deep", "> " * 21 + "too deep", ">" * 5000 + "too deep"],
    ids=["list-21-deep", "quote-21-deep", "quote-5000-deep"],
)
def test_nesting_past_the_limit_is_an_error_at_its_line(seed_project: Path, nested: str) -> None:
    write_article(seed_project, f"## First\n\nBefore.\n\n{nested}\n\nAfter.\n")
    for args in (("check",), ("--article", "hostile", "--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        error = only_error(stderr)
        # The nesting is on line 10: four lines of front matter, a blank, the heading...
        assert error.startswith(f"error: {seed_project / ARTICLE}:10: nested deeper than 20 ")
    assert not (seed_project / "build" / "hostile").exists()


# --- text silently lost: a footnote defined twice ----------------------------------------------


def test_a_footnote_defined_twice_is_an_error_at_the_second(seed_project: Path) -> None:
    write_article(
        seed_project,
        "## A\n\nThe army grew.[^1] Rights fell.[^rights]\n\n"
        "[^1]: The first definition.\n\n> [^rights]: A note in a quotation.\n\n"
        "[^1]: The second definition.\n",
    )
    for args in (("check",), ("--article", "hostile", "--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        # The heading is on line 6: the definitions are on lines 10, 12 and 14.
        assert only_error(stderr) == (
            f"error: {seed_project / ARTICLE}:14: the footnote [^1] is defined twice (first on "
            "line 10): the second would silently replace the first"
        )
    assert not (seed_project / "build" / "hostile").exists()


def test_footnotes_with_other_labels_are_each_kept(seed_project: Path) -> None:
    write_article(
        seed_project,
        "## A\n\nThe army grew.[^1] Rights fell.[^a] Again.[^A]\n\n"
        "[^1]: Note one.\n[^a]: Note a.\n[^A]: Note capital A.\n",
    )
    code, _, stderr = build(seed_project, "--format", "html")
    assert code == 0, stderr
    for note in ("Note one.", "Note a.", "Note capital A."):
        assert note in html_body(seed_project)


# --- text silently lost: a table row wider than its header ---------------------------------------


def test_a_table_row_wider_than_its_header_is_a_warning_at_its_line(seed_project: Path) -> None:
    write_article(
        seed_project,
        "## A\n\nThe army grew.\n\n| Year | Troops |\n|---|---|\n| 1950 | 10 | Overflowed |\n"
        "| 1953 |\n| a \\| b | c | d | e |\n\n> | Quoted |\n> |---|\n> | one | two |\n",
    )
    path = seed_project / ARTICLE
    expected = [
        f"warning: {path}:12: this table row has 3 cells and its header 2: the last ('Overflowed') "
        "is not shown; give the header a cell for every column",
        f"warning: {path}:14: this table row has 4 cells and its header 2: the last 2 ('d', "
        "'e') are not shown; give the header a cell for every column",
        f"warning: {path}:18: this table row has 2 cells and its header 1: the last ('two') is "
        "not shown; give the header a cell for every column",
    ]
    for args in (("check",), ("--article", "hostile", "--focus", "general", "--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 0, stderr
        assert [line for line in stderr.splitlines() if "table row" in line] == expected
    # The row with fewer cells than the header loses nothing, and says nothing.
    body = html_body(seed_project)
    assert "1953" in body and "a | b" in body and "Overflowed" not in body


# --- text silently lost: a paragraph taller than a page ---------------------------------------

NAMES = [f"Signatory{chr(65 + i % 26)}{chr(65 + i // 26 % 26)} Person{i}" for i in range(400)]
TOKEN = "".join("abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(20_000))


def test_a_sentence_of_400_names_breaks_across_pages(seed_project: Path) -> None:
    sentence = "The letter was signed by " + ", ".join(NAMES) + "."
    write_article(seed_project, f"## Signatories\n\n{sentence}\n\n## After\n\nThe end.\n")
    code, _, stderr = build(seed_project, "--format", "pdf")
    assert code == 0, stderr
    pdf = seed_project / "build" / "hostile" / "general.pdf"
    assert len(PdfReader(pdf).pages) >= 3
    text = squeeze(pdf_body(seed_project))
    assert squeeze(sentence) in text
    assert "Theend." in text


def test_a_20000_character_token_breaks_across_lines_and_pages(seed_project: Path) -> None:
    write_article(seed_project, f"## Token\n\nHere is {TOKEN} in one word.\n")
    code, _, stderr = build(seed_project, "--format", "pdf")
    assert code == 0, stderr
    assert squeeze(f"Here is {TOKEN} in one word.") in squeeze(pdf_body(seed_project))


def test_a_pinned_takeaway_taller_than_a_page_breaks(seed_project: Path) -> None:
    sentence = f"Human rights abuses against political prisoners are recorded in {TOKEN} today."
    front = f"tailoring:\n  human-rights:\n    pin: ['{sentence}']\n"
    write_article(seed_project, f"## Abuses\n\n{sentence}\n\nMore text here.\n", front)
    code, _, stderr = run(
        seed_project, "--article", "hostile", "--focus", "human-rights", "--format", "pdf", "-q"
    )
    assert code == 0, stderr
    pdf = seed_project / "build" / "hostile" / "human-rights.pdf"
    text = squeeze(pdf_body_text(pdf))
    assert "KEYTAKEAWAYS" in text  # the box's title is set in capitals
    assert text.count(squeeze(sentence)) == 2  # the takeaway, and the paragraph it quotes


# --- unbounded input: YAML ---------------------------------------------------------------------

BOMB = "\n".join(
    [
        "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
        *(f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)),
    ]
)


@pytest.mark.parametrize(
    ("where", "line"),
    [
        (ARTICLE, 5),
        ("sources/focuses.yaml", 2),
        ("templates/theme.yaml", 2),
        ("sources/project.yaml", 2),
    ],
)
def test_a_yaml_alias_bomb_is_refused_at_once(seed_project: Path, where: str, line: int) -> None:
    path = seed_project / where
    if where == ARTICLE:
        write_article(seed_project, "## A\n\nText.\n", front=BOMB + "\n")
    else:
        original = path.read_text(encoding="utf-8") if path.is_file() else ""
        path.write_text(BOMB + "\n" + original, encoding="utf-8")
    # In a process of its own, with a deadline: expanded, the bomb is gigabytes of values.
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "check", "--project", str(seed_project)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    code, stderr = result.returncode, result.stderr
    assert code == 1
    # The first alias is on the bomb's second line.
    assert f"error: {path}:{line}: YAML aliases ('*a0') are not allowed in sources" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize("where", [ARTICLE, "sources/focuses.yaml"])
@pytest.mark.parametrize(
    "deep", ["x: " + "[" * 1000 + "]" * 1000, "".join(" " * i + "a:\n" for i in range(1000)) + "b"]
)
def test_yaml_nested_1000_deep_is_an_error(seed_project: Path, where: str, deep: str) -> None:
    if where == ARTICLE:
        write_article(seed_project, "## A\n\nText.\n", front=deep + "\n")
    else:
        (seed_project / where).write_text(deep + "\n", encoding="utf-8")
    code, _, stderr = run(seed_project, "check")
    assert code == 1
    assert "nested deeper than 32 levels of mappings and lists" in stderr
    assert f"error: {seed_project / where}:" in stderr
    assert "Traceback" not in stderr and "RecursionError" not in stderr


# --- tracebacks ------------------------------------------------------------------------------


def test_lone_surrogates_in_titles_and_names_are_removed_with_a_warning(seed_project: Path) -> None:
    write_article(seed_project, "## A\n\nSome text about rights.\n")
    path = seed_project / ARTICLE
    path.write_text(
        path.read_text().replace("title: Hostile input", 'title: "Hostile \\ud800in\\udfffput"')
    )
    author = seed_project / "sources" / "authors" / f"{AUTHOR}.md"
    author.write_text(author.read_text().replace("name: Cassie", 'name: "Cas\\udc00sie'), "utf-8")
    author.write_text(author.read_text().replace("Grissom\n", 'Grissom \\ud83d\\ude00"\n', 1))
    name_line = author.read_text().split("\n").index('name: "Cas\\udc00sie Grissom \\ud83d\\ude00"')
    code, _, stderr = run(seed_project, "check")
    assert code == 0, stderr
    # Half of a pair a writer split is no character: removed, and told at its line. (The
    # emoji gets a warning too: no font of the PDF has it.)
    assert set(stderr.splitlines()) >= {
        f"warning: {author}:{name_line + 1}: removed 1 lone surrogate(s) (U+DC00) written as "
        "YAML escapes: halves of UTF-16 pairs, they are no characters",
        f"warning: {path}:2: removed 2 lone surrogate(s) (U+D800, U+DFFF) written as YAML "
        "escapes: halves of UTF-16 pairs, they are no characters",
    }
    code, _, stderr = run(seed_project, "--article", "hostile", "--focus", "security", "-q")
    assert code == 0, stderr
    page = seed_project / "build" / "hostile" / "security.html"
    text = page.read_bytes().decode("utf-8")  # strict: a surrogate cannot be in UTF-8
    assert "<title>Hostile input · Security · Policy Brief</title>" in text
    assert "Cassie Grissom \U0001f600" in text  # an escaped pair is the character it stands for
    pdf = PdfReader(seed_project / "build" / "hostile" / "security.pdf")
    assert pdf.metadata is not None and pdf.metadata.title == "Hostile input"


def test_control_characters_escaped_in_front_matter_are_removed_with_a_warning(
    seed_project: Path,
) -> None:
    write_article(seed_project, "## A\n\nSome text about rights.\n", 'summary: "Sum\\0ma\\x07ry"\n')
    path = seed_project / ARTICLE
    for args in (("check",), ("--article", "hostile", "--focus", "general", "--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 0, stderr
        assert stderr.splitlines() == [
            f"warning: {path}:4: removed 2 control character(s) (U+0000, U+0007) written as "
            "YAML escapes: they cannot be shown"
        ]
    page = BeautifulSoup(html_text_of(seed_project), "html.parser")
    assert page.select_one('meta[name="description"]')["content"] == "Summary"


def test_an_imported_title_with_a_control_character_builds_with_a_warning(
    seed_project: Path, tmp_path: Path
) -> None:
    # A scraper's debris in the title: the importer writes it as a YAML escape ("\a").
    scraped = tmp_path / "scraped.txt"
    scraped.write_text(
        "Rights\x07 Under Pressure\n\nBackground\n\nThe army grew, and the rights of "
        "citizens fell with it.\n",
        encoding="utf-8",
    )
    args = ["import", "--project", str(seed_project), "--author", AUTHOR, str(scraped)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    article = seed_project / "sources" / "articles" / "rights-under-pressure.md"
    assert '"Rights\\a Under Pressure"' in article.read_text(encoding="utf-8")
    code, _, stderr = run(seed_project, "check")
    assert code == 0, stderr
    assert f"warning: {article}:2: removed 1 control character(s) (U+0007) written" in stderr


CONFIGURATION = {
    "templates/theme.yaml": ('colors:\n  accent: "#1f4e79\\x1b"\n', 3),
    "templates/labels.yaml": ('en:\n  by: "B\\0y"\n', 3),
    "sources/focuses.yaml": (None, 0),
    "sources/project.yaml": ('organisation:\n  name: "Brief\\x7fs Inc"\n', 3),
}


@pytest.mark.parametrize("where", sorted(CONFIGURATION))
def test_a_control_character_escaped_in_configuration_is_an_error_at_its_line(
    seed_project: Path, where: str
) -> None:
    path = seed_project / where
    text, line = CONFIGURATION[where]
    if text is None:  # the seed's own focuses, a title changed
        lines = path.read_text(encoding="utf-8").split("\n")
        line = lines.index("  title: Security") + 1
        lines[line - 1] = '  title: "Secu\\x00rity"'
        path.write_text("\n".join(lines), encoding="utf-8")
    else:
        path.write_text(f"# {where}\n{text}", encoding="utf-8")
    for args in (("check",), ("--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        error = only_error(stderr)
        assert error.startswith(f"error: {path}:{line}: a YAML escape makes U+00")
        assert error.endswith(", a control character that cannot be shown: remove it")
    assert not (seed_project / "build").exists()


@pytest.mark.parametrize("where", sorted(CONFIGURATION))
@pytest.mark.parametrize("how", ["raw", "lone surrogate"])
def test_a_raw_control_character_or_a_lone_surrogate_in_configuration_is_an_error_at_its_line(
    seed_project: Path, where: str, how: str
) -> None:
    # Settings are written by hand: removing what cannot be shown would change a keyword, a
    # colour or a label without a word.
    path = seed_project / where
    if where == "sources/focuses.yaml":
        lines = path.read_text(encoding="utf-8").split("\n")
        line = lines.index("  title: Security") + 1
        text = "\n".join(lines[: line - 1]) + "\n  title: {}\n" + "\n".join(lines[line:])
    else:
        line = 3
        text = {
            "templates/theme.yaml": "# theme\ncolors:\n  accent: {}\n",
            "templates/labels.yaml": "# labels\nen:\n  by: {}\n",
            "sources/project.yaml": "# project\norganisation:\n  name: {}\n",
        }[where]
    value = "Secu\x07rity" if how == "raw" else '"Secu\\udbffrity"'
    path.write_text(text.format(value), encoding="utf-8")
    expected = (
        "holds 1 control character(s) (U+0007), which cannot be shown: remove them"
        if how == "raw"
        else "a YAML escape makes U+DBFF, a lone surrogate (half of a UTF-16 pair), which is "
        "no character: remove it"
    )
    for args in (("check",), ("--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        assert only_error(stderr) == f"error: {path}:{line}: {expected}"
    assert not (seed_project / "build").exists()


TEMPLATE_FAILURES = {
    "divides-by-zero": ("<p>{{ 1 // 0 }}</p>\n", "template failed: ZeroDivisionError"),
    "recurses": (
        "{% macro f(x) %}{{ f(x) }}{% endmacro %}\n{{ f(1) }}\n",
        "template recurses without end",
    ),
}


@pytest.mark.parametrize("case", sorted(TEMPLATE_FAILURES))
def test_a_failing_template_is_named_under_check_and_build(seed_project: Path, case: str) -> None:
    source, message = TEMPLATE_FAILURES[case]
    template = seed_project / "templates" / "brief.html.j2"
    template.write_text(source, encoding="utf-8")
    for args in (("check",), ("--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        error = only_error(stderr)
        assert re.fullmatch(rf"error: {re.escape(str(template))}:[12]: {message}.*", error)


@pytest.mark.parametrize("name", ["brief.html.j2", "macros.html.j2", "brief.css"])
def test_a_template_that_is_not_utf8_is_named_under_check_and_build(
    seed_project: Path, name: str
) -> None:
    # It was "cannot build <article>" under build, naming the article (or for macros the
    # built-in brief.html.j2), and "make-brief check failed: UnicodeDecodeError".
    template = seed_project / "templates" / name
    template.write_bytes(b"<p>\n<p>caf\xe9</p>\n")
    for args in (("check",), ("--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        assert only_error(stderr) == (
            f"error: {template}:2: not valid UTF-8 at byte 10 (byte 0xe9); save the file as UTF-8"
        )


@pytest.mark.parametrize(
    ("setting", "line", "problem"),
    [
        ('# ours\ncolours: {accent: "#8e2c48"}\n', 2, "'colours' is not a theme setting (colors, "),
        ("page:\n  margins: {top: 5}\n", 2, "page: 'margins' is not a setting there (margins_mm, "),
        ("fonts:\n  bdy: Brief Sans\n", 2, "fonts: 'bdy' is not a setting there (body, "),
        ("pdf:\n  stles: {}\n", 2, "pdf: 'stles' is not a setting there (boxes, "),
    ],
)
def test_a_theme_setting_that_is_no_setting_is_an_error_at_its_line(
    seed_project: Path, setting: str, line: int, problem: str
) -> None:
    # A misspelt setting used to change nothing without a word.
    theme = seed_project / "templates" / "theme.yaml"
    theme.write_text(setting, encoding="utf-8")
    for args in (("check",), ("--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        assert only_error(stderr).startswith(f"error: {theme}:{line}: {problem}")


@pytest.mark.parametrize(
    ("font", "problem"),
    [
        ("../../outside/Serif.ttf", "leads out of templates/: keep the project's fonts in"),
        ("fonts/../../Serif.ttf", "leads out of templates/: keep the project's fonts in"),
        ("system:../../../outside/Serif.ttf", "give system: a font file's name, such as"),
        ("system:/etc/passwd", "give system: a font file's name, such as"),
        # What Windows reads from a drive's current folder, a drive's root, another drive or
        # another machine: refused on every machine, as the same theme builds on all of them.
        ("C:fonts/Serif.ttf", "leads out of templates/: keep the project's fonts in"),
        ("'\\Serif.ttf'", "leads out of templates/: keep the project's fonts in"),
        ("'C:\\Serif.ttf'", "is an absolute path, which no other machine has, leading out of"),
        ("'\\\\server\\share\\Serif.ttf'", "is an absolute path, which no other machine"),
        ("system:C:Serif.ttf", "give system: a font file's name, such as"),
    ],
)
def test_a_theme_font_outside_templates_is_refused_not_read(
    seed_project: Path, font: str, problem: str
) -> None:
    # A font "relative to templates/" (or to the system's font folders) that climbs out of it
    # was read from wherever it led; an absolute system: path was "NotImplementedError".
    outside = seed_project.parent / "outside"
    outside.mkdir()
    planted = outside / "Serif.ttf"
    planted.write_bytes(b"not read")
    (seed_project / "Serif.ttf").write_bytes(b"not read")
    theme = seed_project / "templates" / "theme.yaml"
    theme.write_text(f"fonts:\n  body: {{regular: [{font}]}}\n", encoding="utf-8")
    for args in (("check",), ("--format", "pdf")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        # At the font's line, which the error did not say.
        written = font.strip("'")  # the YAML quotes, which keep backslashes as they are
        assert only_error(stderr).startswith(f"error: {theme}:2: fonts: '{written}'")
        assert problem in stderr


def test_a_1200_character_keyword_is_an_error_in_focuses(seed_project: Path) -> None:
    focuses = seed_project / "sources" / "focuses.yaml"
    text = focuses.read_text()
    focuses.write_text(text.replace("    - army\n", f"    - {'x' * 1200}\n", 1))
    code, _, stderr = run(seed_project, "check")
    assert code == 1
    assert only_error(stderr).startswith(f"error: {focuses}:")
    assert "is longer than 80 characters" in stderr


@pytest.mark.parametrize("keyword", ["'*'", "' * '", "'--'"])
def test_a_keyword_without_a_word_is_an_error_in_focuses(seed_project: Path, keyword: str) -> None:
    focuses = seed_project / "sources" / "focuses.yaml"
    lines = focuses.read_text().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line == "    - army\n")
    lines.insert(number, f"    - {keyword}\n")
    focuses.write_text("".join(lines))
    for args in (("check",), ("--focus", "security", "--format", "html")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        error = only_error(stderr)
        assert error.startswith(f"error: {focuses}:")
        assert "has no letter or digit" in error


def test_an_unforeseen_exception_is_one_line_and_a_traceback_with_verbose(
    seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.check

    def broken(project: object) -> None:
        raise ZeroDivisionError("a bug\nerror: not a real line")

    monkeypatch.setattr(pipeline.check, "check_project", broken)
    code, _, stderr = run(seed_project, "check")
    assert code == 1
    assert stderr.splitlines() == [
        "error: main check failed: ZeroDivisionError: a bug\\nerror: not a real line "
        "(run again with --verbose for the traceback)"
    ]
    result = CliRunner().invoke(main, ["--verbose", "check", "--project", str(seed_project)])
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: main check failed: ZeroDivisionError")


# --- errors that name the wrong file, and values nobody checked -------------------------------

THEMES = {
    "size-zero": ("sizes:\n  body: 0\n", 2, "sizes: body: must be a length in points above 0"),
    "size-negative": ("sizes:\n  title: -4\n", 2, "sizes: title: must be a length"),
    "size-nan": ("sizes:\n  heading: .nan\n", 2, "sizes: heading: must be a length"),
    "style-negative": (
        "pdf:\n  styles:\n    body:\n      space_after: -5\n",
        4,
        "pdf: styles: body: space_after: must be a length in points from 0",
    ),
    "margins-wider-than-the-page": (
        "page:\n  margins_mm:\n    left: 150\n    right: 80\n",
        2,
        "page: margins_mm: left and right (150 + 80 mm) must leave half of the page's 210 mm",
    ),
    "margin-nan": (
        "page:\n  margins_mm:\n    top: .nan\n",
        3,
        "page: margins_mm: top: must be a number of millimetres from 0, not nan",
    ),
}


@pytest.mark.parametrize("case", sorted(THEMES))
def test_a_bad_theme_value_is_an_error_at_its_line(seed_project: Path, case: str) -> None:
    source, line, message = THEMES[case]
    theme = seed_project / "templates" / "theme.yaml"
    theme.write_text(f"# {case}\n{source}", encoding="utf-8")
    for args in (("check",), ("--format", "pdf")):
        code, _, stderr = run(seed_project, *args)
        assert code == 1
        assert only_error(stderr).startswith(f"error: {theme}:{line + 1}: {message}")
        assert "sources/articles" not in stderr


def test_a_theme_switch_written_yes_or_on_still_switches(seed_project: Path) -> None:
    # Sources read only true and false as booleans (so that "lang: no" stays Norwegian); a theme
    # written for YAML 1.1's "yes" and "on" kept building before that, and must still.
    theme = seed_project / "templates" / "theme.yaml"
    theme.write_text(
        "pdf:\n  styles:\n    heading: {caps: yes, bold: on, keep_with_next: Yes}\n",
        encoding="utf-8",
    )
    code, _, stderr = run(seed_project, "check")
    assert code == 0, stderr
    theme.write_text("pdf:\n  styles:\n    heading: {caps: maybe}\n", encoding="utf-8")
    code, _, stderr = run(seed_project, "check")
    assert code == 1
    assert only_error(stderr) == (
        f"error: {theme}:3: pdf: styles: heading: caps: must be true or false, not 'maybe'"
    )


def test_a_layout_failure_is_worded_the_same_in_every_run(tmp_path: Path) -> None:
    def failure() -> str:
        doc = SimpleDocTemplate(str(tmp_path / "x.pdf"), pagesize=A4)
        with pytest.raises(LayoutError) as caught:
            doc.build([Table([["row"]], rowHeights=[5000])])
        return layout_problem(caught.value)

    first, second = failure(), failure()
    assert first == second
    assert "0x" not in first
    assert "too large on page" in first


def test_a_file_name_with_a_newline_cannot_forge_an_error_line(seed_project: Path) -> None:
    write_article(seed_project, "## A\n\nText.\n")
    bad = seed_project / "sources" / "articles" / "Bad\nerror: forged.md"
    (seed_project / ARTICLE).rename(bad)
    code, _, stderr = run(seed_project, "check")
    assert code == 1
    error = only_error(stderr)
    assert "'" + str(bad).replace("\n", "\\n") + "'" in error


def test_an_author_bio_nested_too_deep_names_the_author_file(seed_project: Path) -> None:
    write_article(seed_project, "## A\n\nText.\n")
    author = seed_project / "sources" / "authors" / f"{AUTHOR}.md"
    author.write_text(author.read_text() + "\n" + "- " * 21 + "too deep\n", encoding="utf-8")
    code, _, stderr = run(seed_project, "--article", "hostile", "--format", "html")
    assert code == 1
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert errors[0].startswith(f"error: {author}:6: nested deeper than 20")
    # ...and the article says only that its author cannot be used until that file is fixed.
    assert all("nested deeper" not in line for line in errors[1:])


# --- labels that passed check and failed the build half-way -----------------------------------


def outputs(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder``: its mtime and bytes, to tell that a build left it alone."""
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# The label on the file's third line, under "en:" and a comment, and what check says of it.
BAD_LABELS = {
    "unknown-placeholder": ('in_focus: "In focus: {bogus}"', "'in_focus' (en) has {bogus}, "),
    "lone-brace": ('sparse: "Little on {focus"', "'sparse' (en) has a lone brace: "),
    "lone-closing-brace": ('page: "Page {number} of {total}}"', "'page' (en) has a lone brace"),
    "positional": ('in_focus: "In focus: {0}"', "'in_focus' (en) has {0}, which"),
    "attribute": ('in_focus: "{focus.__class__}"', "'in_focus' (en) has {focus.__class__}, "),
    "index": ('coverage: "{sections[0]} of {total}"', "'coverage' (en) has {sections[0]}, "),
    "conversion": ('built: "Built {date!r}"', "'built' (en) has {date!r}: write the placeholder "),
    "format-spec": ('highlighted_many: "{count:>9}"', "'highlighted_many' (en) has {count:>9}: "),
    "placeholder-of-another-label": (
        'takeaway_cue: "{focus}"',
        "'takeaway_cue' (en) has {focus}, which make-brief does not fill in: this label takes "
        "{section}",
    ),
    # A label no value fills would show the placeholder's name, braces and all.
    "placeholder-in-a-label-that-takes-none": (
        'key_takeaways: "Takeaways for {focus}"',
        "'key_takeaways' (en) has {focus}, which make-brief does not fill in: this label takes "
        "no values (a brace shown as it is is written {{ or }})",
    ),
    "lone-brace-in-a-label-that-takes-none": (
        'by: "By {"',
        "'by' (en) has a lone brace: this label takes no values, and a brace shown as it is",
    ),
    "date-quote-not-closed": ("date: d 'de MMMM y", "'date' (en) has a quote (') that is not "),
    "date-time-field": ('date: "d MMMM y, HH:mm"', "'date' (en) has 'HH', a time-of-day"),
    "date-unknown-letter": ('date: "d MMMM y j"', "'date' (en) has the letter 'j', which is no "),
    "date-field-too-long": ('date: "EEEEEEE d MMMM"', "'date' (en) has 'EEEEEEE', which is no "),
    # A misspelt label would never be shown: the brief would keep the built-in word.
    "misspelt-label": (
        'in_focs: "Im Fokus"',
        "'in_focs' (en) is no label make-brief shows: did you mean 'in_focus'? the labels are ",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_LABELS))
def test_a_bad_label_is_an_error_at_its_line_before_any_brief_is_written(
    seed_project: Path, case: str
) -> None:
    # Built before: the general edition and the index use no in_focus, so a build that found
    # the label only when a focus's brief needed it had already rewritten them.
    assert run(seed_project, "--format", "html", "--quiet")[0] == 0
    before = outputs(seed_project / "build")
    label, message = BAD_LABELS[case]
    labels = seed_project / "templates" / "labels.yaml"
    labels.write_text(f"# {case}\nen:\n  {label}\n", encoding="utf-8")
    for args in (("check",), ("--format", "html"), ("--format", "pdf")):
        code, stdout, stderr = run(seed_project, *args)
        assert code == 1, stdout + stderr
        assert only_error(stderr).startswith(f"error: {labels}:3: {message}")
    assert outputs(seed_project / "build") == before


def test_a_label_a_projects_own_template_asks_for_is_a_label(seed_project: Path) -> None:
    templates = seed_project / "templates"
    template = templates / "brief.html.j2"
    template.write_text(
        template.read_text("utf-8").replace(
            '<p class="byline">',
            '<p class="subscribe">{{ labels["subscribe"] }}</p>\n<p class="byline">',
        ),
        encoding="utf-8",
    )
    (templates / "labels.yaml").write_text('en:\n  subscribe: "Subscribe"\n', encoding="utf-8")
    assert run(seed_project, "check")[0] == 0
    code, _, stderr = run(seed_project, "--format", "html", "--focus", "security", "-q")
    assert code == 0, stderr
    html = (seed_project / "build" / "us-north-korea" / "security.html").read_text("utf-8")
    assert BeautifulSoup(html, "html.parser").select_one(".subscribe").get_text() == "Subscribe"


def test_placeholders_and_escaped_braces_are_filled_in(seed_project: Path) -> None:
    labels = seed_project / "templates" / "labels.yaml"
    labels.write_text(
        'en:\n  in_focus: "{{{focus}}} in focus, {focus}"\n  by: "{{written by}}"\n'
        "  date: \"EEEE, d 'of' MMMM y ''yy\"\n",
        encoding="utf-8",
    )
    assert run(seed_project, "check")[0] == 0
    code, _, stderr = run(seed_project, "--focus", "security", "-q")
    assert code == 0, stderr
    html = (seed_project / "build" / "us-north-korea" / "security.html").read_text("utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one("#in-focus").get_text() == "{Security} in focus, Security"
    # A label filled in with nothing writes its braces as the others do, in both formats.
    assert page.select_one(".byline").get_text().startswith("{written by} ")
    assert "{written by}" in pdf_body_text(seed_project / "build/us-north-korea/security.pdf")
    assert re.search(r"[A-Z][a-z]+day, \d+ of [A-Z][a-z]+ \d{4} '\d\d", page.get_text())


def test_the_date_fields_labels_accept_are_those_babel_formats() -> None:
    from babel.dates import PATTERN_CHARS

    from pipeline.render.labels import DATE_FIELDS, TIME_FIELDS

    assert set(DATE_FIELDS) | TIME_FIELDS == set(PATTERN_CHARS)
    assert not set(DATE_FIELDS) & TIME_FIELDS
    for letter, lengths in DATE_FIELDS.items():
        expected = PATTERN_CHARS[letter]
        assert lengths == (None if expected is None else tuple(expected)), letter


@pytest.mark.parametrize(
    ("front", "element", "shown"),
    [
        # YAML 1.1 reads these as true, false, a float and an integer; a brief shows the text.
        ("lang: no\n", "html", "no"),  # Norwegian
        ("summary: Yes\n", "p.dek", "Yes"),
        ("summary: Off\n", "p.dek", "Off"),
        ("summary: 3.10\n", "p.dek", "3.10"),
        ("summary: 0x1F\n", "p.dek", "0x1F"),
        ("summary: 1_000\n", "p.dek", "1_000"),
    ],
)
def test_front_matter_text_is_shown_as_written(
    seed_project: Path, front: str, element: str, shown: str
) -> None:
    write_article(seed_project, "## Section\n\nTroops moved to the border.\n", front)
    code, _, stderr = build(seed_project, "--format", "html")
    assert code == 0, stderr
    page = BeautifulSoup(html_text_of(seed_project), "html.parser")
    found = page.select_one(element)
    assert found is not None
    assert (found["lang"] if element == "html" else found.get_text(strip=True)) == shown


def test_a_focus_title_and_keywords_yaml_1_1_would_read_as_booleans_are_text(
    seed_project: Path,
) -> None:
    focuses = seed_project / "sources" / "focuses.yaml"
    focuses.write_text(
        "nordic:\n  title: On\n  description: The north.\n  keywords: [NO, Norway, yes]\n"
        '  color: "#1f4e79"\n',
        encoding="utf-8",
    )
    code, stdout, stderr = run(seed_project, "focuses")
    assert code == 0, stderr
    assert "nordic" in stdout and "On" in stdout
