#!/usr/bin/env python3
"""Prove that a change to make-brief leaves its output byte for byte as it was.

    python benchmarks/byte_identity.py record DIR     # on the code before the change
    python benchmarks/byte_identity.py check DIR      # on the code after it

``record`` builds a fixed set of projects into ``DIR/record/`` and writes ``DIR/sha256.json``, the
SHA-256 of every file each build wrote; ``check`` builds the same projects into ``DIR/check/`` and
compares, listing every file that is missing, new or different (exit 1 if any is). The projects:

* this repository's own project (``sources/`` and ``templates/``);
* the relevance articles (``benchmarks/relevance/articles``) as one project, with their authors
  and the focuses of ``sources/focuses.yaml``;
* a generated corpus (``benchmarks/make_corpus.py``), the kind of articles the 200-brief
  benchmark builds;
* the buildable projects under ``tests/fixtures/``.

The projects always come from the repository this script is in; the code that builds them is
whatever make-brief the interpreter running this script imports, so to record the code of
another branch, run this script with that checkout's environment::

    /path/to/main/.venv/bin/python benchmarks/byte_identity.py record /tmp/ident
    .venv/bin/python benchmarks/byte_identity.py check /tmp/ident

Every build runs with the same ``SOURCE_DATE_EPOCH``, into an empty folder. ``--jobs`` may
differ between ``record`` and ``check``: the output must not depend on it either. Left out of the
comparison: the build's own state (the files whose names start with a dot, such as its cache of
compiled templates), and ``inputs_sha256`` in ``manifest.json``, which hashes make-brief's own
code on purpose (so a scheduled job sees a new release) and so changes with any change to it.
Uses only the standard library and the make-brief command.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EPOCH = "1700000000"
#: The generated corpus: enough articles to meet every edition's layout, few enough to be quick.
CORPUS_ARTICLES = 12
#: Fixture projects that are not meant to build (each of broken/ is a project with one fault).
UNBUILDABLE_FIXTURES = {"broken", "import"}
#: Stands in for the manifest's code-dependent hash; see the module's docstring.
INPUTS_PLACEHOLDER = "<inputs_sha256: hashes make-brief's code, not compared>"


@dataclass(frozen=True)
class Source:
    """One project to build: its name in the manifest and the folder holding its sources/."""

    name: str
    root: Path


def fixture_projects() -> list[Source]:
    """The fixture projects a build accepts, by folder name."""
    fixtures = REPO / "tests" / "fixtures"
    return [
        Source(f"fixture-{path.name}", path)
        for path in sorted(fixtures.iterdir())
        if path.is_dir() and path.name not in UNBUILDABLE_FIXTURES and (path / "sources").is_dir()
    ]


def relevance_project(root: Path) -> Source:
    """The relevance articles and their authors, with this repository's focuses."""
    relevance = REPO / "benchmarks" / "relevance"
    sources = root / "sources"
    shutil.copytree(relevance / "articles", sources / "articles")
    shutil.copytree(relevance / "authors", sources / "authors")
    shutil.copy(REPO / "sources" / "focuses.yaml", sources / "focuses.yaml")
    return Source("relevance", root)


def corpus_project(root: Path) -> Source:
    """A generated corpus; make_corpus.py gives the same files for the same arguments."""
    command = [sys.executable, str(HERE / "make_corpus.py"), str(root)]
    subprocess.run([*command, "--articles", str(CORPUS_ARTICLES)], check=True, capture_output=True)
    return Source(f"corpus-{CORPUS_ARTICLES}", root)


def projects(scratch: Path) -> list[Source]:
    """Every project to build, the generated ones made under ``scratch``."""
    return [
        Source("seed", REPO),
        relevance_project(scratch / "relevance"),
        corpus_project(scratch / "corpus"),
        *fixture_projects(),
    ]


def build(source: Source, out: Path, jobs: int) -> None:
    """Build every brief of ``source`` into the empty folder ``out``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE_BRIEF_")}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    command = [sys.executable, "-m", "pipeline", "--project", str(source.root), "--out", str(out)]
    # Run from an empty folder, so the interpreter imports the installed make-brief and not a
    # pipeline/ folder that happens to be in the working directory.
    done = subprocess.run(
        [*command, "--jobs", str(jobs), "-q"],
        cwd=out.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{source.name}: make-brief failed ({done.returncode}):\n{done.stderr}")


def file_digest(path: Path, relative: Path) -> str:
    """The SHA-256 of a file; in the top-level manifest, its code-dependent hash replaced."""
    data = path.read_bytes()
    if relative == Path("manifest.json"):
        inputs = json.loads(data).get("inputs_sha256")
        if inputs:
            # Replaced in the bytes, so every other byte of the manifest is still compared.
            data = data.replace(inputs.encode("ascii"), INPUTS_PLACEHOLDER.encode("ascii"))
    return hashlib.sha256(data).hexdigest()


def digests(out: Path) -> dict[str, str]:
    """Every file a build wrote under ``out`` (its state files left out), by relative path."""
    found: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        found[relative.as_posix()] = file_digest(path, relative)
    return found


def build_all(target: Path, jobs: int) -> dict[str, str]:
    """Build every project into ``target/NAME/`` and hash what each wrote."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    files: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="byte-identity-") as scratch:
        for source in projects(Path(scratch)):
            out = target / source.name
            build(source, out, jobs)
            found = digests(out)
            print(f"{source.name}: {len(found)} files", file=sys.stderr)
            files.update({f"{source.name}/{path}": digest for path, digest in found.items()})
    return files


def code_identity() -> dict[str, str]:
    """Which make-brief built the files: its folder, and its git commit when it has one."""
    done = subprocess.run(
        [sys.executable, "-c", "import pipeline, sys; sys.stdout.write(pipeline.__file__)"],
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
    )
    package = Path(done.stdout).parent
    head = subprocess.run(
        ["git", "-C", str(package), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return {"package": str(package), "commit": head.stdout.strip()}


def compare(recorded: dict[str, str], now: dict[str, str]) -> list[str]:
    """One line per file that is missing, new or different."""
    lines = [f"missing: {path}" for path in sorted(recorded.keys() - now.keys())]
    lines += [f"new: {path}" for path in sorted(now.keys() - recorded.keys())]
    lines += [
        f"differs: {path}"
        for path in sorted(recorded.keys() & now.keys())
        if recorded[path] != now[path]
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("dir", type=Path, help="where the manifest and the builds go")
    parser.add_argument("--jobs", type=int, default=1, help="make-brief --jobs (default: 1)")
    args = parser.parse_args(argv)
    manifest_path = args.dir / "sha256.json"
    if args.action == "check" and not manifest_path.is_file():
        parser.error(f"no {manifest_path}: run 'record {args.dir}' with the code before first")
    code = code_identity()
    print(f"make-brief from {code['package']} ({code['commit'] or 'no git commit'})")
    files = build_all(args.dir / args.action, args.jobs)
    if args.action == "record":
        record = {"code": code, "jobs": args.jobs, "files": files}
        manifest_path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        print(f"recorded {len(files)} files in {manifest_path}")
        return 0
    recorded = json.loads(manifest_path.read_text())
    problems = compare(recorded["files"], files)
    for line in problems:
        print(line)
    made_by = recorded["code"]["commit"] or recorded["code"]["package"]
    verdict = f"{len(problems)} differ" if problems else "all identical"
    print(f"{len(files)} files compared with {made_by}: {verdict}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
