"""Sheets for labelling articles blind, and label files from what the labellers answer.

    python benchmarks/label_sheet.py sheet ARTICLE.md... --out SHEETS/
    python benchmarks/label_sheet.py collect SHEETS/SLUG.txt ANSWER.yaml... --split tune

``sheet`` writes, for each make-brief article, ``SLUG.txt``: its sentences numbered (S001,
S002, ...) under its ``## `` headings, as make-brief splits them, with headings, list items and
tables shown in brackets as context. A labeller who never saw a brief reads it and answers, for
each focus, in the form ``LABELLING.md`` gives with sentence numbers for sentences::

    focuses:
      security: {sparse: false, first_section: [Heading], strong: [S012], acceptable: [S003]}
      human-rights: {sparse: true, first_section: [], strong: [], acceptable: []}
      regional-impact: ...

``collect`` turns one or more labellers' answers into ``benchmarks/relevance/labels/SLUG.yaml``
(the first labeller as ``focuses:``, any others as ``passes:``), each number replaced by its
sentence, and checks that every number and heading is the article's.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from relevance import FOCUSES, SET, project_of

from pipeline.emphasis.units import split_sentences, without_citations
from pipeline.errors import BriefError, ProblemList, located
from pipeline.model import Article, Block
from pipeline.sources import read_project

_NUMBERED = re.compile(r"^(S\d{3,}) (.*)$")


def sheet(article_files: list[Path], authors: Path) -> dict[str, str]:
    """Each article's sheet, by slug."""
    with tempfile.TemporaryDirectory() as tmp:
        articles = read_project(project_of(Path(tmp), article_files, authors), []).articles
        return {article.slug: sheet_of(article) for article in articles}


def sheet_of(article: Article) -> str:
    """One article's sentences numbered under its headings, other blocks as context."""
    lines = [f"# {article.title}  (slug: {article.slug})", ""]
    count = 0
    parts: list[tuple[str | None, tuple[Block, ...]]] = [(None, article.lede)]
    parts += [(section.title, section.blocks) for section in article.sections]
    for title, blocks in parts:
        if title is not None:
            lines += [f"## {title}", ""]
        for block in blocks:
            if block.kind != "paragraph":
                lines.append(f"   [{block.kind}] {block.text.replace(chr(10), ' ')[:300]}")
                continue
            for sentence in split_sentences(without_citations(block.text)):
                count += 1
                lines.append(f"S{count:03d} {sentence.text}")
            lines.append("")
    return "\n".join(lines) + "\n"


def read_sheet(text: str) -> tuple[dict[str, str], set[str]]:
    """A sheet's sentences by number, and its headings."""
    sentences, headings = {}, set()
    for line in text.splitlines():
        if numbered := _NUMBERED.match(line):
            sentences[numbered[1]] = numbered[2]
        elif line.startswith("## "):
            headings.add(line[3:])
    return sentences, headings


class AnswerError(ValueError):
    """An answer names a sentence or heading the article does not have."""


def judged(answer: dict, sentences: dict[str, str], headings: set[str], where: str) -> dict:  # type: ignore[type-arg]
    """One labeller's answer with sentences for numbers, in the label file's form."""
    found = {}
    for focus in FOCUSES:
        given = (answer.get("focuses") or {}).get(focus)
        if not isinstance(given, dict):
            raise AnswerError(f"{where}: no answer for the focus {focus!r}")
        for heading in given.get("first_section") or []:
            if heading not in headings:
                raise AnswerError(f"{where}: {focus}: no section {heading!r} in the article")
        strong = list(given.get("strong") or [])
        for number in strong + list(given.get("acceptable") or []):
            if number not in sentences:
                raise AnswerError(f"{where}: {focus}: no sentence {number} in the sheet")
        found[focus] = {
            "sparse": bool(given.get("sparse")),
            "first_section": list(given.get("first_section") or []),
            "strong": [sentences[n] for n in strong],
            "acceptable": [sentences[n] for n in given.get("acceptable") or [] if n not in strong],
        }
    return found


def collect(sheet_file: Path, answers: list[Path], split: str) -> dict:  # type: ignore[type-arg]
    """The label file of one article from its sheet and its labellers' answers."""
    try:
        sentences, headings = read_sheet(sheet_file.read_text(encoding="utf-8"))
    except OSError as problem:
        raise AnswerError(f"{sheet_file}: {problem.strerror}") from problem
    passes = []
    for path in answers:
        try:
            answer = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except OSError as problem:
            raise AnswerError(f"{path}: {problem.strerror}") from problem
        except yaml.YAMLError as problem:
            raise AnswerError(f"{path}: not YAML ({problem})") from problem
        if not isinstance(answer, dict):
            raise AnswerError(f"{path}: not a mapping of focuses")
        passes.append(judged(answer, sentences, headings, str(path)))
    labels: dict = {"article": sheet_file.stem, "split": split, "focuses": passes[0]}  # type: ignore[type-arg]
    if passes[1:]:
        labels["passes"] = passes[1:]
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("sheet", help="number articles' sentences for labelling")
    make.add_argument("articles", nargs="+", type=Path)
    make.add_argument("--out", type=Path, required=True)
    make.add_argument("--authors", type=Path, default=SET / "authors")
    gather = commands.add_parser("collect", help="a label file from labellers' answers")
    gather.add_argument("sheet", type=Path)
    gather.add_argument("answers", nargs="+", type=Path)
    gather.add_argument("--split", choices=("tune", "test"), required=True)
    gather.add_argument("--into", type=Path, default=SET / "labels")
    args = parser.parse_args()
    if args.command == "sheet":
        args.out.mkdir(parents=True, exist_ok=True)
        try:
            sheets = sheet(args.articles, args.authors)
        except BriefError as problem:
            # The articles are read from a copy: name each one as the user gave it.
            given = {path.name: path for path in args.articles}
            problems = problem.problems if isinstance(problem, ProblemList) else [problem]
            for one in problems:
                where = given.get(one.path.name, one.path) if one.path else None
                print(f"error: {located(one.message, where, one.line)}", file=sys.stderr)
            sys.exit(1)
        for slug, text in sheets.items():
            (args.out / f"{slug}.txt").write_text(text, encoding="utf-8")
            print(f"{slug}: {len(read_sheet(text)[0])} sentences")
        return
    try:
        labels = collect(args.sheet, args.answers, args.split)
    except AnswerError as problem:
        sys.exit(f"error: {problem}")
    target = args.into / f"{labels['article']}.yaml"
    target.write_text(
        yaml.safe_dump(labels, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8"
    )
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
