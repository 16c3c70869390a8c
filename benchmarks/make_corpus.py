#!/usr/bin/env python3
"""Generate a brief project of N articles for benchmarks: ``make_corpus.py DIR --articles 50``.

The articles are made of the seed project's own sentences (``sources/articles/*.md`` of this
repository), reshuffled under the seed's section headings, so relevance scoring and layout meet
realistic text. The same arguments always give the same files (a seeded random generator).
Half the articles have a date; the others take SOURCE_DATE_EPOCH's, as undated articles do.
Uses only the standard library, so it runs before make-brief is installed.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_SOURCES = REPO / "sources"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_FIRST_NAMES = ["Ana", "Ben", "Chidi", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jun"]
_LAST_NAMES = ["Okafor", "Lindqvist", "Moreau", "Park", "Santos", "Haddad", "Novak", "Reyes"]


def seed_text(sources: Path) -> tuple[list[str], list[str]]:
    """The seed articles' sentences and section headings."""
    sentences: list[str] = []
    headings: list[str] = []
    for path in sorted((sources / "articles").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---", 2)[-1] if text.startswith("---") else text
        for block in re.split(r"\n\s*\n", body):
            block = block.strip()
            if block.startswith("## "):
                headings.append(block[3:].strip())
            elif block and not block.startswith(("#", "-", "*", ">", "```")):
                sentences.extend(
                    s.strip() for s in _SENTENCE_END.split(" ".join(block.split())) if s.strip()
                )
    if not sentences or not headings:
        sys.exit(
            f"make_corpus: no article text with '## ' sections found in {sources / 'articles'}"
        )
    return sentences, headings


def article_text(
    index: int,
    author: str,
    rng: random.Random,
    sentences: list[str],
    headings: list[str],
    sections: int,
    paragraphs: int,
) -> str:
    """One article: front matter, a lede, then ``sections`` sections of ``paragraphs`` each."""
    chosen = rng.sample(headings, min(sections, len(headings)))
    while len(chosen) < sections:
        chosen.append(f"{rng.choice(headings)} ({len(chosen) + 1})")
    topic = rng.choice(headings)
    lines = [
        "---",
        f"title: {topic} — case {index}",
        f"author: {author}",
        *(
            [f"date: {2020 + index % 5}-{1 + index % 12:02d}-{1 + index % 28:02d}"]
            if index % 2 == 0
            else []
        ),
        f"summary: A generated article for benchmarks, number {index}.",
        "---",
        " ".join(rng.choices(sentences, k=2)),
        "",
    ]
    for heading in chosen:
        lines += [f"## {heading}", ""]
        for _ in range(paragraphs):
            lines += [" ".join(rng.choices(sentences, k=rng.randint(3, 5))), ""]
    return "\n".join(lines)


def make_corpus(
    out: Path,
    articles: int,
    authors: int = 5,
    sections: int = 5,
    paragraphs: int = 2,
    seed: int = 1,
    force: bool = False,
) -> list[Path]:
    """Write ``out/sources/``: the seed's focuses, ``authors`` authors, ``articles`` articles."""
    sources = out / "sources"
    if sources.exists():
        if not force:
            sys.exit(f"make_corpus: {sources} exists; pass --force to replace it")
        shutil.rmtree(sources)
    (sources / "articles").mkdir(parents=True)
    (sources / "authors").mkdir()
    shutil.copyfile(SEED_SOURCES / "focuses.yaml", sources / "focuses.yaml")
    sentences, headings = seed_text(SEED_SOURCES)
    rng = random.Random(seed)
    author_ids = []
    for number in range(1, authors + 1):
        name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
        author_id = f"author-{number:03d}"
        author_ids.append(author_id)
        bio = " ".join(rng.choices(sentences, k=2))
        (sources / "authors" / f"{author_id}.md").write_text(
            f"---\nname: {name}\nrole: Analyst\n---\n{name} writes policy analysis. {bio}\n",
            encoding="utf-8",
        )
    written = []
    for number in range(1, articles + 1):
        article_rng = random.Random(f"{seed}-{number}")
        text = article_text(
            number,
            author_ids[(number - 1) % len(author_ids)],
            article_rng,
            sentences,
            headings,
            sections,
            paragraphs,
        )
        path = sources / "articles" / f"article-{number:04d}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "dir", type=Path, help="project folder to create (sources/ is written inside)"
    )
    parser.add_argument("--articles", type=int, default=50, help="number of articles (default 50)")
    parser.add_argument("--authors", type=int, default=5, help="number of authors (default 5)")
    parser.add_argument("--sections", type=int, default=5, help="sections per article (default 5)")
    parser.add_argument(
        "--paragraphs",
        type=int,
        default=2,
        help="paragraphs per section (default 2; raise it for longer articles)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="replace an existing DIR/sources")
    args = parser.parse_args(argv)
    for name in ("articles", "authors", "sections", "paragraphs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    started = time.perf_counter()
    written = make_corpus(
        args.dir, args.articles, args.authors, args.sections, args.paragraphs, args.seed, args.force
    )
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in written)
    print(
        f"wrote {len(written)} articles ({words} words) by {args.authors} authors"
        f" to {args.dir / 'sources'}"
        f" in {time.perf_counter() - started:.2f} s"
    )


if __name__ == "__main__":
    main()
