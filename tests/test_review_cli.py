"""A project's own index template tried with what the output folder will hold, and the
theme's folders kept from the templates like every other path."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .test_hostile_cli import BUILTIN, DAY, own_template, run
from .test_hostile_input import only_error


@pytest.fixture
def project(fixture_project: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small fixture project (three articles), as the current folder, built once with the
    HTML briefs."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY))
    root = fixture_project("build-small")
    monkeypatch.chdir(root)
    code, _, stderr = run("--jobs", "1", "--format", "html", "--quiet")
    assert code == 0, stderr
    return root


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
