"""The command line against a project's own templates and theme, ``--quiet``, and options
typed before a command: each mistake is one ``error:`` line with the file and line, and a
failed build leaves every earlier output as it was.

Every test runs make-brief as a user does, in the project's folder (so errors name
``templates/...`` as the user typed it), through click's CliRunner.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.render.html import compiled, prebuilt
from pipeline.render.html.environment import Sandbox

from .conftest import forget_compiled_templates
from .read import REPO
from .test_errors_broken import snapshot
from .test_hostile_input import only_error

DAY = 1_700_000_000
BUILTIN = REPO / "templates"


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small fixture project, as the current folder, built once with the HTML briefs."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    root = fixture_project("build-small")
    monkeypatch.chdir(root)
    code, _, stderr = run("--jobs", "1", "--format", "html", "--quiet")
    assert code == 0, stderr
    return root


def run(*args: str) -> tuple[int, str, str]:
    """make-brief with ``args``, as a new process: exit status, standard output and error."""
    forget_compiled_templates()
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def change_an_article(root: Path) -> None:
    """A save that makes every brief of alpha stale, so the next build would replace them."""
    article = root / "sources" / "articles" / "alpha.md"
    article.write_text(article.read_text() + "\nTroops left the border in May.\n")


def own_template(root: Path, name: str, line: int, text: str) -> Path:
    """The built-in template ``name`` copied into the project with ``text`` as line ``line``."""
    lines = (BUILTIN / name).read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(line - 1, text + "\n")
    path = root / "templates" / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def fails_leaving_the_build(root: Path, args: tuple[str, ...], expected: str) -> None:
    """The build exits 1 with ``expected`` as its one line, and leaves every earlier output as
    it was."""
    before = snapshot(root / "build")
    code, _, stderr = run("--jobs", "1", *args)
    assert code == 1
    assert only_error(stderr) == expected
    assert snapshot(root / "build") == before


def fails_the_build_and_check(root: Path, expected: str) -> None:
    """An HTML build fails as :func:`fails_leaving_the_build` says, and ``check`` exits 1 with
    the same one line."""
    fails_leaving_the_build(root, ("--format", "html"), expected)
    code, _, stderr = run("check")
    assert code == 1
    assert only_error(stderr) == expected


# --- 1. A project's own templates are tried before any output is replaced --------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # Unknown to Jinja2 when it compiles the page, which it did only once the briefs were
        # written.
        ("{{ articles | nosuchfilter }}", "template syntax error: No filter named 'nosuchfilter'."),
        ("{% if %}", "template syntax error: Expected an expression, got 'end of statement block'"),
        # Found only by rendering the page with the briefs it lists.
        (
            "{% for a in articles %}{{ a.nothing_here }}{% endfor %}",
            "template uses an undefined value: 'pipeline.build.index.IndexArticle object' has "
            "no attribute 'nothing_here'",
        ),
        ("{{ 1 // 0 }}", "template failed: ZeroDivisionError: integer division or modulo by zero"),
    ],
    ids=["unknown-filter", "syntax", "undefined", "runtime"],
)
@pytest.mark.parametrize("formats", [("html",), ("pdf",)], ids=["html", "pdf"])
def test_a_broken_index_template_fails_before_any_brief_is_replaced(
    project: Path, text: str, problem: str, formats: tuple[str, ...]
) -> None:
    own_template(project, "index.html.j2", 13, text)
    change_an_article(project)
    args = tuple(f"--format={fmt}" for fmt in formats)
    fails_leaving_the_build(project, args, f"error: templates/index.html.j2:13: {problem}")


def test_a_broken_index_template_fails_a_build_that_only_removes_briefs(project: Path) -> None:
    own_template(project, "index.html.j2", 13, "{{ articles | nosuchfilter }}")
    (project / "sources" / "articles" / "gamma.md").unlink()
    fails_leaving_the_build(
        project,
        ("--format", "html"),
        "error: templates/index.html.j2:13: template syntax error: No filter named 'nosuchfilter'.",
    )


def test_a_stylesheet_the_index_cannot_inline_fails_a_pdf_build_before_writing(
    project: Path,
) -> None:
    css = (BUILTIN / "brief.css").read_text(encoding="utf-8")
    (project / "templates" / "brief.css").write_text(css + "\n/* </style> */\n")
    change_an_article(project)
    fails_leaving_the_build(
        project,
        ("--format", "pdf"),
        "error: templates/brief.css: the stylesheet must not contain '</style'",
    )


def test_a_broken_template_a_brief_includes_now_and_then_fails_before_writing(
    project: Path,
) -> None:
    # alpha's brief, the first rendered, does not include it; a later one would have.
    own_template(
        project,
        "brief.html.j2",
        3,
        "{% if article.slug == 'gamma' %}{% include 'sidebar.html.j2' %}{% endif %}",
    )
    (project / "templates" / "sidebar.html.j2").write_text("<aside>\n{% for x in %}\n</aside>\n")
    change_an_article(project)
    (project / "sources" / "articles" / "gamma.md").write_text(
        (project / "sources" / "articles" / "gamma.md").read_text() + "\nA new line.\n"
    )
    fails_leaving_the_build(
        project,
        ("--format", "html"),
        "error: templates/sidebar.html.j2:2: template syntax error: Expected an expression, got "
        "'end of statement block'",
    )


@pytest.mark.parametrize(
    ("name", "line", "text", "missing"),
    [
        ("brief.html.j2", 3, "{% include 'parts/sidebar.html.j2' %}", ["parts/sidebar.html.j2"]),
        ("brief.html.j2", 5, "{% import 'forms.html.j2' as forms %}", ["forms.html.j2"]),
        ("index.html.j2", 13, "{% include ['a.j2', 'b.j2'] %}", ["a.j2", "b.j2"]),
        # Missing in a template the brief imports: that template and its line.
        ("macros.html.j2", 5, "{% include 'gone.html.j2' %}", ["gone.html.j2"]),
    ],
    ids=["include", "import", "include-list", "in-an-imported-template"],
)
def test_a_missing_included_template_names_who_includes_it_and_where_it_was_looked_for(
    project: Path, name: str, line: int, text: str, missing: list[str]
) -> None:
    # It was "error: templates/brief.html.j2: template '...' not found": no line, no paths.
    own_template(project, name, line, text)
    change_an_article(project)
    tried = ", ".join(
        str(Path(folder, wanted)) for wanted in missing for folder in ("templates", BUILTIN)
    )
    shown = " or ".join(f"'{wanted}'" for wanted in missing)
    expected = f"error: templates/{name}:{line}: template {shown} not found (looked for {tried})"
    fails_the_build_and_check(project, expected)


#: Templates Jinja2 reads but Python cannot compile: the error was the article's ("cannot
#: build alpha [general, html]: RecursionError") or "make-brief check failed".
TOO_DEEP = {
    "parentheses": ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "deeper than Python's stack"),
    "blocks": (
        "{% for a in [1] %}" * 25 + "x" + "{% endfor %}" * 25,
        "too many statically nested blocks",
    ),
}


@pytest.mark.parametrize("case", sorted(TOO_DEEP))
@pytest.mark.parametrize("included", [False, True], ids=["own", "included"])
def test_a_template_too_deep_to_compile_is_one_error_naming_it(
    project: Path, case: str, included: bool
) -> None:
    text, detail = TOO_DEEP[case]
    if included:
        (project / "templates" / "deep.html.j2").write_text(f"<p>\n{text}\n</p>\n")
        own_template(project, "brief.html.j2", 3, "{% include 'deep.html.j2' %}")
    else:
        own_template(project, "brief.html.j2", 3, text)
    change_an_article(project)
    named = "deep.html.j2" if included else "brief.html.j2"
    expected = (
        f"error: templates/{named}: template nests too deeply to compile ({detail}): nest "
        "fewer blocks, or fewer parentheses or operators in one expression"
    )
    fails_the_build_and_check(project, expected)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{% macro f(x) %}{{ f(x) }}{% endmacro %}{{ f(1) }}", "template recurses without end"),
        ("{% set x = 'a' * 10 ** 15 %}", "template ran out of memory making a value"),
    ],
    ids=["recursion", "memory"],
)
def test_a_template_that_recurses_or_runs_out_of_memory_is_one_line(
    project: Path, text: str, problem: str
) -> None:
    # The memory one was "template failed: MemoryError: ", with nothing after the colon.
    own_template(project, "index.html.j2", 13, text)
    change_an_article(project)
    for args in (("--jobs", "1", "--format", "html"), ("check",)):
        code, _, stderr = run(*args)
        assert code == 1
        assert only_error(stderr) == f"error: templates/index.html.j2:13: {problem}"


def test_a_working_own_index_template_is_the_page_written(project: Path) -> None:
    own_template(project, "index.html.j2", 10, '<meta name="made-by" content="our own index">')
    change_an_article(project)
    code, _, stderr = run("--jobs", "1", "--format", "html", "--quiet")
    assert code == 0, stderr
    page = BeautifulSoup((project / "build" / "index.html").read_text(), "html.parser")
    assert page.find("meta", attrs={"name": "made-by"})["content"] == "our own index"
    assert len(page.select(".index-article")) == 3


# --- 2. The theme: names that are no style, box or face, and fonts at their line -------------


@pytest.mark.parametrize(
    ("theme", "line", "problem"),
    [
        (
            "pdf:\n  styles:\n    bdoy: {size: 9}\n",
            3,
            "pdf: styles: unknown style 'bdoy' (did you mean 'body'?)",
        ),
        (
            "pdf:\n  boxes:\n    takeaway: {fill: accent}\n",
            3,
            "pdf: boxes: unknown box 'takeaway' (did you mean 'takeaways'?)",
        ),
        (
            "pdf:\n  styles:\n    heading:\n      font: heading\n      sze: 12\n",
            5,
            "pdf: styles: heading: 'sze' is not a style setting (did you mean 'size'?)",
        ),
        (
            "pdf:\n  boxes:\n    about:\n      paddin: [1, 2, 3, 4]\n",
            4,
            "pdf: boxes: about: 'paddin' is not a box setting (did you mean 'padding'?)",
        ),
        (
            "fonts:\n  body:\n    regular: Brief Serif\n    bol: Brief Sans\n",
            4,
            "fonts: body: unknown font face 'bol' (did you mean 'bold'?)",
        ),
        (
            "fonts:\n  heading:\n    regular: Brief Sans\n    bold:\n      - Brief Sans\n"
            "      - ../outside/Bold.ttf\n",
            6,
            "fonts: '../outside/Bold.ttf' leads out of templates/: keep the project's fonts in "
            "templates/ (or name a family, or system:FILE)",
        ),
        (
            "fonts:\n  mono: C:fonts/Mono.ttf\n",
            2,
            "fonts: 'C:fonts/Mono.ttf' leads out of templates/: keep the project's fonts in "
            "templates/ (or name a family, or system:FILE)",
        ),
        (
            "fonts:\n  fallback:\n    - Noto Sans\n    - '\\Windows\\Fonts\\arial.ttf'\n",
            4,
            "fonts: '\\Windows\\Fonts\\arial.ttf' leads out of templates/: keep the project's "
            "fonts in templates/ (or name a family, or system:FILE)",
        ),
    ],
    ids=[
        "style",
        "box",
        "style-setting",
        "box-setting",
        "face",
        "font-path",
        "drive-relative",
        "root-relative",
    ],
)
def test_a_theme_name_that_names_nothing_is_an_error_at_its_line(
    project: Path, theme: str, line: int, problem: str
) -> None:
    # Each was left out without a word (a font path was named without its line).
    (project / "templates" / "theme.yaml").write_text(theme)
    expected = f"error: templates/theme.yaml:{line}: {problem}"
    fails_the_build_and_check(project, expected)


#: A theme value that is wrong, its line, and the problem: each was reported at the theme file
#: with no line (and some as Python's words: "'int' object is not subscriptable").
BAD_VALUES = {
    "page-size": ("page:\n  size: A5\n", 2, "page: size: must be A4 or Letter, not 'A5'"),
    "margin-word": (
        "page:\n  margins_mm:\n    top: wide\n",
        3,
        "page: margins_mm: top: must be a number of millimetres, not 'wide'",
    ),
    "margins-list": (
        "page:\n  margins_mm: [10, 10]\n",
        2,
        "page: margins_mm: must be a mapping of settings, not a list",
    ),
    "size-word": ("sizes:\n  body: big\n", 2, "sizes: body: must be a number, not 'big'"),
    "sizes-list": ("sizes: [1, 2]\n", 1, "sizes: must be a mapping of settings, not a list"),
    "colour": (
        "colors:\n  muted: grey\n",
        2,
        "colors: muted: must be a hex colour such as \"#1d1d1f\", not 'grey'",
    ),
    "dark-colour": (
        "dark_colors:\n  paper: night\n",
        2,
        "dark_colors: paper: must be a hex colour, not 'night'",
    ),
    "style-colour": (
        "pdf:\n  styles:\n    body:\n      color: ink\n",
        4,
        "pdf: styles: body: color: 'ink' is not one of the theme's colours",
    ),
    "style-font": (
        "pdf:\n  styles:\n    quote:\n      font: serif\n",
        4,
        "pdf: styles: quote: font: must be body, heading or mono",
    ),
    "style-size": (
        "pdf:\n  styles:\n    body:\n      size: huge\n",
        4,
        "pdf: styles: body: size: 'huge' is neither a number nor a size such as 'body * 1.15'",
    ),
    "style-not-a-mapping": (
        "pdf:\n  styles:\n    body: 12\n",
        3,
        "pdf: styles: body: must be a mapping of settings, not 12",
    ),
    "padding-short": (
        "pdf:\n  boxes:\n    about:\n      padding: [1, 2]\n",
        4,
        "pdf: boxes: about: padding: must be a list of four lengths (top, right, bottom, left), "
        "not a list",
    ),
    "padding-item": (
        "pdf:\n  boxes:\n    about:\n      padding:\n        - 1\n        - 2\n        - 3\n"
        "        - wide\n",
        8,
        "pdf: boxes: about: padding: 3: 'wide' is neither a number nor a size such as "
        "'body * 1.15'",
    ),
    "box-rule": (
        "pdf:\n  boxes:\n    footer: {rule: ink}\n",
        3,
        "pdf: boxes: footer: rule: 'ink' is not one of the theme's colours",
    ),
    "divides-by-zero": (
        "pdf:\n  list_indent: body / 0\n",
        2,
        "pdf: list_indent: 'body / 0' divides by zero",
    ),
    "section-not-a-mapping": (
        "# the PDF\npdf: 3\n",
        2,
        "pdf: must be a mapping of settings, not 3",
    ),
    "missing-face": (
        "fonts:\n  body:\n    regular: Brief Serif\n    bold: [fonts/Missing-Bold.ttf]\n",
        4,
        "fonts: body: no font found for the bold face among: fonts/Missing-Bold.ttf",
    ),
    # The built-in family is one name, on its own line: the project's mapping replaces it, so
    # the faces it leaves out are the project's too.
    "missing-family": (
        "# fonts\nfonts:\n  body: {regular: [fonts/Missing.ttf]}\n",
        3,
        "fonts: body: no font found for the regular, bold, italic and bold italic faces among: "
        "fonts/Missing.ttf",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_a_bad_theme_value_is_an_error_at_its_line_in_words(project: Path, case: str) -> None:
    theme, line, problem = BAD_VALUES[case]
    (project / "templates" / "theme.yaml").write_text(theme)
    expected = f"error: templates/theme.yaml:{line}: {problem}"
    fails_the_build_and_check(project, expected)


@pytest.mark.parametrize(
    "font", ["C:\\Fonts\\x.ttf", "\\\\server\\share\\x.ttf", "//server/share/x.ttf"]
)
def test_a_windows_absolute_font_path_is_refused_on_any_machine(project: Path, font: str) -> None:
    path = project / "templates" / "theme.yaml"
    path.write_text(f"fonts:\n  body: '{font}'\n")
    code, _, stderr = run("check")
    assert code == 1
    assert only_error(stderr).startswith(
        f"error: templates/theme.yaml:2: fonts: '{font}' is an absolute path, which no other "
        "machine has, leading out of templates/"
    )


def test_every_built_in_style_box_and_face_may_be_given(project: Path) -> None:
    builtin = (BUILTIN / "theme.yaml").read_text(encoding="utf-8")
    faces = "{regular: Brief Serif, bold: Brief Serif, italic: Brief Serif, bold_italic: Vera}"
    assert "\n  body: Brief Serif\n" in builtin
    theme = builtin.replace("\n  body: Brief Serif\n", f"\n  body: {faces}\n")
    (project / "templates" / "theme.yaml").write_text(theme)
    code, _, stderr = run("check")
    assert code == 0, stderr


# --- 3. --quiet prints errors only ------------------------------------------------------------


def test_quiet_prints_no_warning_before_or_after_the_command(project: Path) -> None:
    article = project / "sources" / "articles" / "beta.md"
    article.write_text(article.read_text().replace("author:", "sumary: typo\nauthor:"))
    warning = "warning: sources/articles/beta.md:3: unknown front-matter key 'sumary'"
    for args in (("check",), ("--format", "html", "--jobs", "1")):
        code, _, stderr = run(*args)
        assert code == 0 and stderr.startswith(warning)  # told without --quiet
        for quiet in ((*args, "-q"), ("--quiet", *args)):
            code, stdout, stderr = run(*quiet)
            assert (code, stdout, stderr) == (0, "", "")


def test_quiet_still_prints_the_error(project: Path) -> None:
    (project / "sources" / "focuses.yaml").write_text("- not a mapping\n")
    for args in (("check", "-q"), ("-q", "--format", "html")):
        code, stdout, stderr = run(*args)
        assert code == 1 and stdout == ""
        assert only_error(stderr).startswith("error: sources/focuses.yaml")


def test_quiet_json_prints_the_json_and_no_warning(project: Path) -> None:
    article = project / "sources" / "articles" / "beta.md"
    article.write_text(article.read_text().replace("author:", "sumary: typo\nauthor:"))
    code, stdout, stderr = run("-q", "check", "--json")
    assert code == 0 and stderr == ""
    assert json.loads(stdout)["warnings"][0]["line"] == 3  # the JSON still lists it


# --- 4. Options before the command apply to it, or are a usage error --------------------------


def test_json_before_a_command_is_the_commands_json(project: Path) -> None:
    for command in ("check", "focuses"):
        code, stdout, stderr = run("--json", command)
        assert code == 0, stderr
        assert json.loads(stdout)["schema"] == 1


def test_focus_and_article_before_explain_are_what_it_explains(project: Path) -> None:
    code, stdout, stderr = run("--article", "beta", "--focus", "security", "explain", "--json")
    assert code == 0, stderr
    assert json.loads(stdout) == json.loads(
        run("explain", "--article", "beta", "--focus", "security", "--json")[1]
    )


def test_out_before_merge_is_the_folder_it_merges_into(project: Path) -> None:
    for part in ("1/2", "2/2"):
        code, _, stderr = run("--shard", part, "--out", f"part-{part[0]}", "--format", "html", "-q")
        assert code == 0, stderr
    code, _, stderr = run("--out", "merged", "merge", "part-1", "part-2")
    assert code == 0, stderr
    merged = json.loads((project / "merged" / "manifest.json").read_text())
    whole = json.loads((project / "build" / "manifest.json").read_text())
    assert merged["artifacts"] == whole["artifacts"]  # the briefs of both parts
    assert not (project / "build" / "part-1").exists()


def test_an_option_after_the_command_wins_over_the_same_before_it(project: Path) -> None:
    code, _, stderr = run("--out", "first", "merge", "--out", "second", "build")
    assert code == 1  # build/ holds no shard: what matters is where it looked to write
    assert "not a shard" in only_error(stderr)
    assert not (project / "first").exists()


@pytest.mark.parametrize(
    ("before", "command"),
    [
        (("--out", "elsewhere"), ("check",)),
        (("--dist", "briefs.zip"), ("focuses",)),
        (("--format", "pdf"), ("check",)),
        (("--focus", "security"), ("focuses",)),
        (("--jobs", "2"), ("merge", "build")),
        (("--sign",), ("verify", "build/index.html")),
        (("--shard", "1/2"), ("check",)),
        # init --force and import --force mean something else than the build's --force.
        (("--force",), ("init", "new")),
        (("--force",), ("import", "page.txt")),
        (("--project", "."), ("init", "new")),
    ],
)
def test_an_option_before_a_command_that_does_not_take_it_is_a_usage_error(
    project: Path, before: tuple[str, ...], command: tuple[str, ...]
) -> None:
    # It was dropped without a word: make-brief --out elsewhere check checked, and said ok.
    (project / "page.txt").write_text("A title\n\nSome text.\n")
    state = snapshot(project)
    result = CliRunner().invoke(main, [*before, *command])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"Error: {before[0]} is given before '{command[0]}', which takes no {before[0]} "
        f"(see 'make-brief {command[0]} --help')"
    )
    assert snapshot(project) == state


# --- 5. A project's templates render in a sandbox ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "access to attribute '__class__' of 'str' object is unsafe.",
        ),
        ("{{ lipsum.__globals__['os'] }}", "access to attribute '__globals__' of 'function'"),
        ("{{ '{0.__class__}'.format(article) }}", "access to attribute '__class__' of 'Article'"),
        # Values that lead to files: a path of the model, or one of the theme's folders.
        ("{{ article.path.read_text() }}", "access to attribute 'path' of 'Article' object"),
        (
            "{{ theme.search_dirs[0].parent.joinpath('secret.txt').read_text() }}",
            "access to attribute 'search_dirs' of 'Theme' object is unsafe.",
        ),
        # A list or mapping every brief shares cannot be changed by one of them.
        ("{{ theme.colors.clear() }}", "access to attribute 'clear' of 'dict' object is unsafe."),
    ],
    ids=["subclasses", "globals", "format", "path", "theme-folder", "mutation"],
)
def test_a_template_cannot_reach_python_or_files(project: Path, text: str, problem: str) -> None:
    # Beside sources/ and templates/, where no template may read.
    (project / "secret.txt").write_text("the secret words")
    own_template(project, "brief.html.j2", 3, text)
    change_an_article(project)
    expected = f"error: templates/brief.html.j2:3: template does what no template may: {problem}"
    code, _, stderr = run("--jobs", "1", "--format", "html")
    assert code == 1
    assert only_error(stderr).startswith(expected)
    code, _, stderr = run("check")
    assert code == 1
    assert expected in stderr
    built = b"".join(p.read_bytes() for p in (project / "build").rglob("*") if p.is_file())
    assert b"the secret words" not in built


def test_a_sandbox_violation_in_the_index_leaves_the_briefs(project: Path) -> None:
    own_template(project, "index.html.j2", 13, "{{ articles.__class__ }}")
    change_an_article(project)
    fails_leaving_the_build(
        project,
        ("--format", "html"),
        "error: templates/index.html.j2:13: template does what no template may: access to "
        "attribute '__class__' of 'tuple' object is unsafe.",
    )


def test_a_template_still_reads_every_value_it_is_given(project: Path) -> None:
    own_template(
        project,
        "brief.html.j2",
        6,
        "{% set shown = '{}|{}|{}'.format(article.title, theme.page_size, "
        "labels['key_takeaways']) %}{% set n = namespace(count=0) %}"
        "{% for block in article.blocks() %}{% set n.count = n.count + 1 %}{% endfor %}"
        '<meta name="shown" content="{{ shown }}|{{ n.count }}|{{ "%s" % edition.id }}">',
    )
    code, _, stderr = run("--jobs", "1", "--format", "html", "--article", "alpha", "-q")
    assert code == 0, stderr
    page = BeautifulSoup((project / "build" / "alpha" / "security.html").read_text(), "html.parser")
    shown = page.find("meta", attrs={"name": "shown"})["content"]
    assert shown == "Missiles and Markets|A4|Key takeaways|3|security"


def test_code_compiled_outside_the_sandbox_is_never_run_in_it() -> None:
    """The built-in templates' shipped Python, and compiled templates kept in an output
    folder, are keyed on the environment: code Jinja2 generated for a plain environment calls
    functions directly, past the sandbox's check."""
    shipped = json.loads(prebuilt.PREBUILT.read_text(encoding="utf-8"))
    python = shipped["templates"]["brief.html.j2"]["python"]
    assert "environment.call(context, " in python and "context.call(" not in python

    sandboxed = prebuilt.builtin_environment()
    assert isinstance(sandboxed, Sandbox)
    plain = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    plain.filters.update(sandboxed.filters)
    # The same syntax, so the same source compiles to other code only for the sandbox.
    assert compiled.syntax_options(plain)[:-2] == compiled.syntax_options(sandboxed)[:-2]
    assert compiled.syntax_options(plain) != compiled.syntax_options(sandboxed)
    assert prebuilt.generation_key(plain) != prebuilt.generation_key(sandboxed)


# --- a project's own index page, tried with what the output folder will hold -----------------


def test_an_index_template_reading_every_brief_builds_a_new_folder(project: Path) -> None:
    # Fine with the three articles the page lists; tried with only the first brief rendered,
    # it would fail before any was written.
    own_template(
        project, "index.html.j2", 10, '<meta name="third" content="{{ articles[2].slug }}">'
    )
    shutil.rmtree(project / "build")
    for formats in (("--format", "html"), ()):
        code, _, stderr = run("--jobs", "1", *formats, "--quiet")
        assert code == 0, stderr
        page = BeautifulSoup((project / "build" / "index.html").read_text(), "html.parser")
        assert page.find("meta", attrs={"name": "third"})["content"] == "gamma"


def test_an_index_template_reading_every_file_size_builds_a_new_folder(project: Path) -> None:
    # Each file the page will list has a size, a hash and (a PDF) pages while it is tried.
    own_template(
        project,
        "index.html.j2",
        10,
        "{% for a in articles %}{% for e in a.editions %}{% for f in e.files %}"
        "{{ (f.bytes // f.bytes) }}{% if f.format == 'pdf' %}{{ f.pages // f.pages }}{% endif %}"
        "{% endfor %}{% endfor %}{% endfor %}",
    )
    shutil.rmtree(project / "build")
    code, _, stderr = run("--jobs", "1", "--quiet")
    assert code == 0, stderr


def test_a_template_cannot_show_the_theme_folders(project: Path) -> None:
    own_template(project, "brief.html.j2", 3, "{% for d in theme.search_dirs %}{{ d }}{% endfor %}")
    code, _, stderr = run("--jobs", "1", "--format", "html", "--force")
    assert code == 1
    assert only_error(stderr).startswith(
        "error: templates/brief.html.j2:3: template does what no template may: access to "
        "attribute 'search_dirs' of 'Theme' object is unsafe."
    )
    built = b"".join(p.read_bytes() for p in (project / "build").rglob("*.html"))
    assert str(BUILTIN).encode() not in built


def test_check_finds_what_the_build_finds_wrong_in_an_own_index_page(project: Path) -> None:
    own_template(project, "index.html.j2", 10, "{{ articles[0].no_such_value }}")
    expected = "error: templates/index.html.j2:10: template uses an undefined value:"
    code, _, stderr = run("--jobs", "1", "--force")
    assert code == 1
    assert only_error(stderr).startswith(expected)
    code, _, stderr = run("check")
    assert code == 1
    assert expected in stderr


def test_check_passes_an_own_index_page_that_reads_every_brief_and_its_files(
    project: Path,
) -> None:
    """What a good page reads of the briefs it lists (the third article, each file's size and
    pages, a picture where there is one) check supplies too: no false alarm."""
    own_template(
        project,
        "index.html.j2",
        10,
        "{{ articles[2].slug }}{% for a in articles %}{% for e in a.editions %}"
        "{% for f in e.files %}{{ f.size }}{{ f.pages or '' }}"
        "{% if f.thumbnail %}{{ f.thumbnail.width }}{% endif %}{% endfor %}"
        "{% endfor %}{% endfor %}",
    )
    code, _, stderr = run("check")
    assert code == 0, stderr
    own_template(project, "index.html.j2", 10, "{{ articles[3].slug }}")
    code, _, stderr = run("check")
    assert code == 1
    assert "error: templates/index.html.j2:10: template uses an undefined value:" in stderr
