"""Hostile input, second round: folders where files belong, imported pages' shape and language,
and the command line used carelessly.

Each test runs make-brief as a user does, on a copy of the seed project, and reads what came out.
"""

from __future__ import annotations

from pathlib import Path

from .test_hostile_input import ARTICLE, only_error, run, write_article


def test_a_folder_named_like_an_article_is_an_error_naming_it(seed_project: Path) -> None:
    (seed_project / "sources" / "articles" / "notes.md").mkdir()
    for command in ((), ("check",)):
        status, _, stderr = run(seed_project, *command, "--quiet")
        assert status == 1
        assert only_error(stderr).endswith(
            "sources/articles/notes.md: is a folder, not a regular file: a source must be one"
        )


def test_an_image_path_naming_a_folder_is_an_error_at_its_line(seed_project: Path) -> None:
    (seed_project / "sources" / "figures").mkdir()
    write_article(seed_project, "## Section\n\nText.\n\n![A map](../figures/)\n")
    status, _, stderr = run(seed_project, "--article", "hostile", "--quiet")
    assert status == 1
    assert f"{ARTICLE}:10: image '../figures/' is a folder" in only_error(stderr)
