"""Sharded builds: ``--shard K/N`` builds a stable part, ``merge`` puts the parts back together,
byte for byte the folder an unsharded build writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build.cache import CACHE_DIR
from pipeline.build.shard import Shard, shard_of
from pipeline.cli import main

from .read import REPO

EPOCH = "1700000000"
EDITIONS = ("general", "security", "human-rights", "regional-impact")
STATE = ".make-brief-state.json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def files(root: Path) -> dict[str, bytes]:
    """Every file of an output folder but the build's private state (inodes, mtimes, hashes)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != STATE and CACHE_DIR not in p.relative_to(root).parts
    }


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of five short generated articles by two authors: 20 briefs, 40 files."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path / "corpus"
    script = REPO / "benchmarks" / "make_corpus.py"
    args = ["--articles", "5", "--authors", "2", "--sections", "2", "--paragraphs", "1"]
    subprocess.run([sys.executable, str(script), str(root), *args], check=True, capture_output=True)
    return root


def build_shards(project: Path, count: int, out: Path) -> list[Path]:
    folders = []
    for index in range(1, count + 1):
        folder = out / f"shard-{index}"
        code, _, stderr = run(
            "--project", str(project), "--shard", f"{index}/{count}", "--out", str(folder), "-q"
        )
        assert code == 0, stderr
        folders.append(folder)
    return folders


def test_three_shards_merged_equal_the_unsharded_build_byte_for_byte(
    corpus: Path, tmp_path: Path
) -> None:
    whole = tmp_path / "whole"
    assert run("--project", str(corpus), "--out", str(whole), "-q")[0] == 0
    parts = build_shards(corpus, 3, tmp_path)
    shares = [set(files(part)) - {"manifest.json", "index.html"} for part in parts]
    assert all(shares), "every part holds some briefs"
    assert not (shares[0] & shares[1] or shares[0] & shares[2] or shares[1] & shares[2])
    assert set().union(*shares) == set(files(whole)) - {"manifest.json", "index.html"}

    merged = tmp_path / "merged"
    code, stdout, stderr = run(
        "merge", "--project", str(corpus), *map(str, parts), "--out", str(merged)
    )
    assert code == 0, stderr
    assert "merged 3 shards" in stdout
    expected, got = files(whole), files(merged)
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        assert got[name] == data, name
    assert "shard" not in json.loads((merged / "manifest.json").read_text(encoding="utf-8"))


def test_a_merged_folder_rebuilds_incrementally(corpus: Path, tmp_path: Path) -> None:
    parts = build_shards(corpus, 2, tmp_path)
    merged = tmp_path / "merged"
    assert run("merge", "--project", str(corpus), *map(str, parts), "--out", str(merged))[0] == 0
    code, stdout, _ = run("--project", str(corpus), "--out", str(merged))
    assert code == 0
    assert "0 built, 40 up to date" in stdout


def test_a_shard_manifest_says_which_part_of_which_build(corpus: Path, tmp_path: Path) -> None:
    first, second = build_shards(corpus, 2, tmp_path)
    one = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    two = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    assert (one["shard"]["index"], one["shard"]["count"]) == (1, 2)
    assert (two["shard"]["index"], two["shard"]["count"]) == (2, 2)
    assert one["shard"]["inputs_sha256"] == two["shard"]["inputs_sha256"]
    for artifact in one["artifacts"]:
        assert Shard(1, 2).holds(artifact["article"], artifact["focus"])


def test_shards_of_different_inputs_are_refused(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build_shards(corpus, 2, tmp_path / "a")[0]
    article = next((corpus / "sources" / "articles").glob("*.md"))
    article.write_text(
        article.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8"
    )
    second = build_shards(corpus, 2, tmp_path / "b")[1]
    code, _, stderr = run(
        "merge", "--project", str(corpus), str(first), str(second), "--out", str(tmp_path / "m")
    )
    assert code == 1
    assert (
        "error:" in stderr and "shard 2/2 was built from different inputs than shard 1/2" in stderr
    )
    assert not (tmp_path / "m").exists()

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400 * 3))
    third = build_shards(corpus, 2, tmp_path / "c")[1]
    code, _, stderr = run(
        "merge", "--project", str(corpus), str(second), str(third), "--out", str(tmp_path / "m")
    )
    assert code == 1 and "different inputs" in stderr


def test_missing_repeated_and_foreign_parts_are_refused(corpus: Path, tmp_path: Path) -> None:
    first, second, third = build_shards(corpus, 3, tmp_path)
    out = str(tmp_path / "m")
    code, _, stderr = run("merge", "--project", str(corpus), str(first), str(third), "--out", out)
    assert code == 1 and "shard 2 of 3 missing" in stderr
    code, _, stderr = run(
        "merge", "--project", str(corpus), str(first), str(first), str(second), "--out", out
    )
    assert code == 1 and "shard 1/3 is given twice" in stderr
    other = build_shards(corpus, 2, tmp_path / "two")[0]
    code, _, stderr = run("merge", "--project", str(corpus), str(first), str(other), "--out", out)
    assert code == 1 and "different numbers of parts" in stderr
    whole = tmp_path / "whole"
    assert run("--project", str(corpus), "--out", str(whole), "-q")[0] == 0
    code, _, stderr = run("merge", "--project", str(corpus), str(whole), "--out", out)
    assert code == 1 and "not a shard" in stderr
    assert "Traceback" not in stderr


def test_merge_will_not_mix_into_a_folder_that_holds_files(corpus: Path, tmp_path: Path) -> None:
    parts = build_shards(corpus, 2, tmp_path)
    out = tmp_path / "m"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, stderr = run("merge", "--project", str(corpus), *map(str, parts), "--out", str(out))
    assert code == 1 and "not empty" in stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_changed_file_in_a_part_is_refused(corpus: Path, tmp_path: Path) -> None:
    parts = build_shards(corpus, 2, tmp_path)
    victim = next(parts[0].glob("*/*.html"))
    victim.write_text("tampered", encoding="utf-8")
    code, _, stderr = run(
        "merge", "--project", str(corpus), *map(str, parts), "--out", str(tmp_path / "m")
    )
    assert code == 1 and "changed since" in stderr


@pytest.mark.parametrize("spec", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"])
def test_a_bad_shard_is_a_usage_error(corpus: Path, spec: str) -> None:
    code, _, stderr = run("--project", str(corpus), "--shard", spec)
    assert code == 2 and "--shard" in stderr and "Traceback" not in stderr


def test_parts_are_stable_and_an_article_moves_only_its_own_briefs() -> None:
    slugs = [f"article-{n:04d}" for n in range(200)]
    before = {(s, e): shard_of(s, e, 4) for s in slugs for e in EDITIONS}
    after = {(s, e): shard_of(s, e, 4) for s in [*slugs, "a-new-article"] for e in EDITIONS}
    assert all(after[key] == part for key, part in before.items())
    sizes = [list(before.values()).count(k) for k in (1, 2, 3, 4)]
    assert min(sizes) > len(before) / 4 * 0.8, sizes
    for (slug, edition), part in before.items():
        assert [Shard(k, 4).holds(slug, edition) for k in (1, 2, 3, 4)].count(True) == 1
        assert Shard(part, 4).holds(slug, edition)


def test_merge_refuses_a_checkout_other_than_the_shards_were_built_from(
    corpus: Path, tmp_path: Path
) -> None:
    parts = build_shards(corpus, 2, tmp_path)
    (corpus / "sources" / "focuses.yaml").write_text(
        (corpus / "sources" / "focuses.yaml")
        .read_text(encoding="utf-8")
        .replace("Security", "Safety"),
        encoding="utf-8",
    )
    code, _, stderr = run(
        "merge", "--project", str(corpus), *map(str, parts), "--out", str(tmp_path / "m")
    )
    assert code == 1 and "merge from the checkout they were built from" in stderr


def test_shards_built_after_the_focuses_are_reordered_merge_to_one_edition_once(
    corpus: Path, tmp_path: Path
) -> None:
    def shards() -> list[Path]:
        folders = []
        for index in (1, 2):
            folder = tmp_path / f"part-{index}"
            args = ["--project", str(corpus), "--shard", f"{index}/2", "--out", str(folder)]
            code, _, stderr = run(*args, "--focus", "security+human-rights", "-q")
            assert code == 0, stderr
            folders.append(folder)
        return folders

    shards()
    focuses = corpus / "sources" / "focuses.yaml"
    text = focuses.read_text(encoding="utf-8")
    rights, regional = text.index("\nhuman-rights:"), text.index("\nregional-impact:")
    focuses.write_text(text[rights + 1 : regional + 1] + text[: rights + 1] + text[regional + 1 :])
    # The edition is now human-rights+security, and its briefs may fall to the other part.
    merged = tmp_path / "merged"
    code, _, stderr = run(
        "merge", "--project", str(corpus), *map(str, shards()), "--out", str(merged)
    )
    assert code == 0, stderr
    names = {p.name for p in merged.rglob("*.pdf")}
    assert "human-rights+security.pdf" in names and "security+human-rights.pdf" not in names
    assert len(list(merged.rglob("human-rights+security.pdf"))) == 5
