"""make-brief import: scraped text and saved web pages become sources without losing a sentence.

The fixtures in tests/fixtures/import/ are scraped articles in different shapes. Each import is
written to a temporary project and read back with pipeline.sources, so the tests see what a
build sees: block texts, section titles and the author's bio, not the Markdown that holds them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.errors import SourceError
from pipeline.importer import (
    ImportPlan,
    describe_import,
    escape_line,
    plan_import,
    restore_acronyms,
    write_import,
)
from pipeline.model import Article, Author, Block
from pipeline.sources import (
    Project,
    SourceWarning,
    read_article,
    read_authors,
    read_project,
    split_front_matter,
)
from pipeline.sources.markdown import parse_body

from .read import import_project

REPO = Path(__file__).resolve().parent.parent
IMPORTS = Path(__file__).resolve().parent / "fixtures" / "import"
SEED = IMPORTS / "us-north-korea.txt"
#: Builds compared byte for byte need the same date on both sides.
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A brief project with the repository's focuses and templates, and no articles or authors."""
    return import_project(tmp_path / "fresh")


def plan_fixture(root: Path, name: str, **options: Any) -> ImportPlan:
    path = IMPORTS / name
    return plan_import(
        path.read_bytes(),
        name,
        Project(root),
        options.get("slug"),
        options.get("author"),
        options.get("date"),
    )


def read_back(plan: ImportPlan) -> tuple[Article, Author]:
    """The written article and its author, read as a build reads them, with no warnings."""
    warnings: list[SourceWarning] = []
    authors = read_authors(Project(plan.project_root), warnings)
    article = read_article(plan.article_path, authors, warnings)
    assert warnings == []
    return article, article.author


def import_fixture(root: Path, name: str, **options: Any) -> tuple[ImportPlan, Article, Author]:
    plan = plan_fixture(root, name, **options)
    write_import(plan)
    article, author = read_back(plan)
    return plan, article, author


def blocks(items: tuple[Block, ...]) -> list[str]:
    return [block.text for block in items]


def structure(article: Article) -> dict[str, Any]:
    """An article as a person describes it: title, lede, and each section's block texts."""
    return {
        "title": article.title,
        "lede": blocks(article.lede),
        "sections": [(section.title, blocks(section.blocks)) for section in article.sections],
    }


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


# --- the seed ---------------------------------------------------------------------------------


def test_seed_import_is_byte_identical_to_the_committed_sources(project: Path) -> None:
    plan = plan_fixture(project, "us-north-korea.txt", slug="us-north-korea")
    committed = REPO / "sources"
    assert plan.article_text == (committed / "articles" / "us-north-korea.md").read_text("utf-8")
    assert plan.author_text == (committed / "authors" / "cassie-grissom.md").read_text("utf-8")
    assert plan.author_id == "cassie-grissom"
    assert plan.dropped == ("Leave a Comment",)


def test_seed_import_reads_back_as_the_committed_article(project: Path, seed_project: Path) -> None:
    _, article, author = import_fixture(project, "us-north-korea.txt", slug="us-north-korea")
    warnings: list[SourceWarning] = []
    committed = read_project(Project(seed_project), warnings).articles[0]
    assert structure(article) == structure(committed)
    assert (author.name, blocks(author.bio)) == (
        committed.author.name,
        blocks(committed.author.bio),
    )
    assert [(s.title, len(s.blocks)) for s in article.sections] == [
        ("Historical Background", 2),
        ("Current Status", 2),
        ("US Perspective", 2),
        ("North Korean Perspective", 2),
        ("Impact on the Region", 1),
        ("International Efforts to Resolve the Conflict", 1),
        ("Analysis and Conclusion", 1),
    ]


def test_seed_import_links_the_existing_author_and_says_so(seed_project: Path) -> None:
    plan = plan_fixture(seed_project, "us-north-korea.txt", slug="us-north-korea")
    assert plan.author_exists and plan.author_text is None
    assert plan.bio.startswith("Cassie Grissom is an American journalist")
    assert any("already exists" in note for note in plan.notes)
    before = (seed_project / "sources" / "authors" / "cassie-grissom.md").read_bytes()
    assert write_import(plan, force=True) == [plan.article_path]
    assert (seed_project / "sources" / "authors" / "cassie-grissom.md").read_bytes() == before
    assert (
        plan.article_path.read_bytes() == (REPO / "sources/articles/us-north-korea.md").read_bytes()
    )


def test_dry_run_report_for_the_seed(project: Path) -> None:
    report = describe_import(plan_fixture(project, "us-north-korea.txt", slug="us-north-korea"))
    lines = report.splitlines()
    assert lines[0] == "title:    What Is The Conflict Between The US And North Korea"
    assert "  Historical Background (2 paragraphs)" in lines
    assert "  Impact on the Region (1 paragraph)" in lines
    assert "  Cassie Grissom is an American journalist" in report
    assert "  line 37: Leave a Comment  [web boilerplate]" in lines
    assert (
        "author:   cassie-grissom -> sources/authors/cassie-grissom.md (new: Cassie Grissom)"
        in lines
    )


def test_planning_writes_nothing(project: Path) -> None:
    before = files(project)
    plan_fixture(project, "us-north-korea.txt")
    assert files(project) == before


# --- scraped fixtures in other shapes ---------------------------------------------------------

EXPECTED: dict[str, dict[str, Any]] = {
    "sentence-case-windows.txt": {
        "options": {},
        "title": "Sanctions and the Korean peninsula: what has changed since 2017",
        "author": ("jane-doe", "Jane Doe"),
        "date": dt.date(2024, 3, 3),
        "lede": [
            "The sanctions regime against North Korea has grown for two decades. It now covers "
            "coal, textiles, seafood and most refined petroleum."
        ],
        "sections": [
            (
                "How the sanctions regime evolved",
                [
                    "The UN Security Council passed its first resolution on the North's weapons "
                    "programme in 2006. Each later test brought a new resolution & a longer list "
                    "of "
                    "banned goods.",
                    "By 2017 the measures capped oil imports and banned the export of workers. "
                    'Critics called this "maximum pressure"; supporters called it overdue.',
                ],
            ),
            (
                "What the measures have achieved",
                [
                    "Trade figures suggest the measures cut official exports by about 90 percent. "
                    "Yet ship-to-ship transfers — documented in UN panel reports [sic] — continue "
                    "at sea.",
                    "* Coal exports: down sharply since 2017.",
                    "1. The first panel report appeared in 2010, and set the pattern.",
                    'Analysts write "sanctions_fatigue" and *fatigue* in their notes; the &amp; '
                    "sign, "
                    "<b>tags</b> and a back\\slash appear as written.",
                    "# is how one panel member began every footnote, for reasons nobody recalls.",
                ],
            ),
            (
                "Where policy goes next",
                [
                    "Most proposals now combine targeted relief with verification. None has yet "
                    "won "
                    "support in both capitals."
                ],
            ),
        ],
        "bio": [
            "Jane Doe is a senior researcher who has covered East Asian security for a decade. "
            "Her work has appeared in several policy journals.",
            "She lives in Geneva.",
        ],
        "dropped": [
            "Skip to content",
            "Menu",
            "Home » World » Asia",
            "We use cookies to ensure that we give you the best experience on our website. If you "
            "continue to use this site we will assume that you are happy with it.",
            "Accept",
            "By Jane Doe | March 3, 2024",
            "Share this:",
            "Facebook",
            "Twitter",
            "Related posts",
            "Why talks stalled in Hanoi",
            "The economics of the border trade",
            "About the author",
            "© 2024 Example Policy Review. All rights reserved.",
        ],
    },
    "numbered-no-bio.txt": {
        "options": {"author": "cassie-grissom"},
        "title": "NATO And The EU After The US Election",
        "author": ("cassie-grissom", "Cassie Grissom"),
        "date": None,
        "lede": [
            "Europe\u2019s defence planners spent the autumn waiting for a result they could not "
            "influence."
        ],
        "sections": [
            (
                "1. Background",
                [
                    "For seventy years the alliance has rested on an American guarantee. Critics "
                    "once "
                    "spelled it Nato, as some British papers still do.",
                    "Three options are on the table:",
                    "Burden sharing",
                    "Joint procurement",
                    "A European pillar",
                    "Each option has costs that members weigh differently.",
                ],
            ),
            (
                "2. The alliance\u2019s choices",
                [
                    "Members can spend more, spend together, or spend differently. The first is "
                    "the "
                    "easiest to announce and the hardest to sustain."
                ],
            ),
            (
                "3. What Europe can do",
                [
                    "The EU has new money for joint purchases. Whether it can turn money into "
                    "capability is the open question."
                ],
            ),
        ],
        "bio": None,
        "dropped": [
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "Comment *",
            "Name *",
            "Email *",
            "Website",
            "Save my name, email, and website in this browser for the next time I comment.",
            "Post Comment",
        ],
    },
    "title-case-question.txt": {
        "options": {},
        "title": "Can Diplomacy Still Work On The Korean Peninsula?",
        "author": ("ana-perez", "Ana Pérez"),
        "date": dt.date(2024, 2, 14),
        "lede": [
            "Three summits in two years raised hopes that a deal was close. None of them produced "
            "one."
        ],
        "sections": [
            (
                "Why Earlier Talks Failed",
                [
                    "Each side wanted the other to move first. The sequencing problem was never "
                    "solved, only postponed."
                ],
            ),
            (
                "What Would A Deal Look Like?",
                [
                    "A freeze on testing in exchange for partial sanctions relief is the option "
                    "most "
                    "often discussed. It would leave the arsenal in place.",
                    "Verification would be the hardest part.",
                ],
            ),
            (
                "The Role Of China",
                ["Beijing holds most of the economic leverage. It has used it sparingly."],
            ),
        ],
        "bio": [
            "Dr. Ana Pérez is a senior fellow at an independent institute, where her work covers "
            "arms control in East Asia."
        ],
        "dropped": [
            "Advertisement",
            "Posted on 14 February 2024 by Ana Pérez",
            "Share this:",
            "Like this:",
            "Like Loading...",
        ],
    },
    "markdown-wrapped.txt": {
        "options": {"date": dt.date(2022, 1, 31)},
        "title": "The Long Road to Denuclearization",
        "author": ("sam-okafor", "Sam Okafor"),
        "date": dt.date(2022, 1, 31),
        "lede": [
            "Negotiators have tried freezes, grand bargains and step-by-step deals. Each approach "
            "has failed for reasons of its own, and each left a record that the next round had to "
            "overcome."
        ],
        "sections": [
            (
                "The Agreed Framework",
                [
                    "Signed in 1994, the framework traded a freeze of the plutonium programme for "
                    "fuel "
                    "oil and two light-water reactors. It collapsed in 2002 amid charges of a "
                    "secret "
                    "enrichment programme.",
                    "What went wrong",
                    "Neither side trusted the other to deliver on time.",
                ],
            ),
            (
                "Six-Party Talks",
                [
                    "From 2003 to 2009 six governments met in Beijing. The talks produced a joint "
                    "statement in 2005 but no lasting agreement."
                ],
            ),
        ],
        "bio": ["Sam Okafor writes about nuclear diplomacy and teaches at a university in Lagos."],
        "dropped": ["About the Author"],
        "subheadings": ("What went wrong",),
    },
    "saved-page.html": {
        "options": {"slug": "water-food-power"},
        "title": "Water, Food and Power in North Korea",
        "author": ("min-jun-lee", "Min-jun Lee"),
        "date": dt.date(2023, 6, 12),
        "lede": ["Floods and droughts shape the harvest more than any policy does."],
        "sections": [
            (
                "A fragile harvest",
                [
                    "Most farms depend on rain, and the hungry season runs from May to July.",
                    "Aid agencies report that rations fell to 300\xa0grams a day in 2021 & again "
                    "in 2022.",
                    "Rice and maize are the staples.",
                    "Potatoes fill the gap in the north.",
                ],
            ),
            (
                "Control of distribution",
                [
                    "The state decides who eats first.\nMarkets decide who eats well.",
                    "“Food is politics here,” one defector said.",
                    "Markets",
                    "Private markets, once tolerated, now supply most urban households. A *, a "
                    "[bracket] and &amp; change nothing.",
                ],
            ),
        ],
        "bio": ["Min-jun Lee is a journalist based in Seoul who writes about food security."],
        "dropped": [
            "Example Review",
            "Home",
            "Asia",
            "About",
            "This site uses cookies to improve your experience.",
            "By Min-jun Lee",
            "June 12, 2023",
            "Related",
            "Why the border matters",
            "Share this: Facebook Twitter",
            "About the author",
            "© 2023 Example Review",
            "Privacy Policy",
        ],
        "subheadings": ("Markets",),
    },
}


@pytest.fixture
def project_with_cassie(project: Path) -> Path:
    shutil.copy(REPO / "sources/authors/cassie-grissom.md", project / "sources/authors")
    return project


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_imports_to_the_structure_a_person_would_choose(
    project_with_cassie: Path, name: str
) -> None:
    expected = EXPECTED[name]
    plan, article, author = import_fixture(project_with_cassie, name, **expected["options"])
    assert structure(article) == {
        "title": expected["title"],
        "lede": expected["lede"],
        "sections": expected["sections"],
    }
    assert (author.id, author.name) == expected["author"]
    assert article.date == expected["date"]
    if expected["bio"] is not None:
        assert blocks(author.bio) == expected["bio"]
        assert plan.bio == "\n\n".join(expected["bio"])
    else:
        assert plan.bio == "" and plan.author_exists
    assert list(plan.dropped) == expected["dropped"]
    # A sub-heading is a block of its section but not one of its paragraphs.
    subheadings = expected.get("subheadings", ())
    assert plan.sections == tuple(
        (title, len([text for text in paras if text not in subheadings]))
        for title, paras in expected["sections"]
    )


def test_subheadings_stay_inside_their_section(project: Path) -> None:
    plan, article, _ = import_fixture(project, "markdown-wrapped.txt")
    framework = article.sections[0]
    assert [(b.kind, b.level) for b in framework.blocks] == [
        ("paragraph", 0),
        ("heading", 3),
        ("paragraph", 0),
    ]
    assert plan.sections == (("The Agreed Framework", 2), ("Six-Party Talks", 1))


def test_windows_fixture_really_has_windows_line_endings() -> None:
    data = (IMPORTS / "sentence-case-windows.txt").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 10


def test_saved_page_keeps_lists_quotes_breaks_and_its_address(project: Path) -> None:
    plan, article, _ = import_fixture(project, "saved-page.html")
    kinds = [(b.kind, b.marker) for s in article.sections for b in s.blocks]
    assert ("item", "•") in kinds and ("quote", "") in kinds
    assert article.source_url == "https://example.org/2023/water-food-power"
    assert "window.dataLayer" not in plan.article_text and "font-family" not in plan.article_text
    reasons = {d.text: d.reason for d in plan.drops}
    assert reasons["Why the border matters"] == "site navigation"
    assert reasons["Privacy Policy"] == "outside the article"


def test_page_with_no_article_element_uses_main_and_its_title(project_with_cassie: Path) -> None:
    page = (
        "<html><head><title>Talks &amp; Tensions</title></head><body><nav>Home</nav>"
        "<main><h2>Background</h2><p>Talks resumed in May.<p>They stalled in June.</main>"
        "<footer>Contact us</footer></body></html>"
    )
    plan = plan_import(
        page.encode(), "page.htm", Project(project_with_cassie), None, "cassie-grissom", None
    )
    assert plan.title == "Talks & Tensions"
    assert plan.sections == (("Background", 2),)
    assert plan.dropped == ("Home", "Contact us")


def test_page_in_a_declared_legacy_encoding(project_with_cassie: Path) -> None:
    page = (
        '<meta charset="iso-8859-1"><article><h1>Caf\xe9 diplomacy</h1>'
        "<h2>Scene</h2><p>Tea, not caf\xe9.</p></article>"
    )
    plan = plan_import(
        page.encode("latin-1"),
        "p.html",
        Project(project_with_cassie),
        "cafe",
        "cassie-grissom",
        None,
    )
    assert plan.title == "Café diplomacy"
    assert "Tea, not café." in plan.article_text


# --- nothing is lost --------------------------------------------------------------------------

TEXT_FIXTURES = sorted(p.name for p in IMPORTS.glob("*.txt"))


@pytest.mark.parametrize("name", TEXT_FIXTURES)
def test_every_line_that_is_not_dropped_is_in_the_sources(
    project_with_cassie: Path, name: str
) -> None:
    options = EXPECTED.get(name, {"options": {"slug": "us-north-korea"}})["options"]
    project = project_with_cassie
    if name == "us-north-korea.txt":
        (project / "sources/authors/cassie-grissom.md").unlink()  # so the page's bio is written
    plan, article, author = import_fixture(project, name, **options)
    kept = [article.title, *(s.title for s in article.sections), *blocks(article.blocks())]
    if not plan.author_exists:
        kept += [author.name, *blocks(author.bio)]
    sources = "\n".join(kept)
    dropped = {(d.line, d.text) for d in plan.drops}
    lines = (IMPORTS / name).read_bytes().decode("utf-8").splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or (number, line) in dropped:
            continue
        # A Markdown heading keeps its text, not its "#" marks; the title alone may differ,
        # and only in the case of acronyms ("Us" -> "US").
        found = (
            line in sources
            or re.sub(r"^#{1,6}\s+", "", line) in sources
            or line.casefold() == article.title.casefold()
        )
        assert found, f"{name}:{number}: {line!r} is neither in the sources nor reported as dropped"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_dropped_line_names_its_line_in_the_input(
    project_with_cassie: Path, name: str
) -> None:
    plan = plan_fixture(project_with_cassie, name, **EXPECTED[name]["options"])
    lines = (IMPORTS / name).read_bytes().decode("utf-8").splitlines()
    for drop in plan.drops:
        assert drop.text.split(" ")[0] in lines[drop.line - 1], drop


def test_sentences_that_merely_mention_boilerplate_words_are_kept(
    project_with_cassie: Path,
) -> None:
    text = (
        "Share this:\nA Title\n\nBackground\n\nComments from officials suggest otherwise.\n"
        "Share prices fell when the test was announced.\nHome to 25 million people, the North is "
        "poor.\n"
        "Read more reports and the picture is the same.\nLike\n"
    )
    plan = plan_import(
        text.encode(), "a.txt", Project(project_with_cassie), None, "cassie-grissom", None
    )
    assert plan.dropped == ("Share this:", "Like")
    assert plan.sections == (("Background", 4),)


# --- verbatim Markdown ------------------------------------------------------------------------

TRICKY = [
    "- starts like a list item",
    "+ so does this",
    "* and this",
    "1. an ordered one",
    "12) another",
    "# a heading?",
    "> a quote",
    "---",
    "***",
    "___",
    "=====",
    "~~~ a fence",
    "```code```",
    "<div>raw html</div>",
    "<https://example.org> autolink",
    "[a link](https://example.org) and [ref]",
    "[ref]: https://example.org",
    "![an image](x.png)",
    "*emphasis* and _more_ and **strong** and __this__",
    "snake_case_words and 2*3*4",
    "&amp; &copy; &#65; &#x41; & alone",
    "back\\slash and a trailing one\\",
    "a `code span` here",
    "| a | table |",
    "100% of 3.5 million",
]


@pytest.mark.parametrize("text", TRICKY)
def test_escaped_line_renders_verbatim(text: str) -> None:
    (block,) = parse_body(escape_line(text), 1)
    assert isinstance(block, Block)
    assert (block.kind, block.text) == ("paragraph", text.strip())


@given(
    st.text(
        alphabet=st.characters(
            categories=["L", "N", "P", "S", "Zs"], exclude_characters="\x85\u2028\u2029"
        ),
        min_size=1,
    ).filter(lambda s: s.strip() == s and s != "")
)
def test_any_line_renders_verbatim(text: str) -> None:
    parsed = parse_body(escape_line(text), 1)
    assert [(b.kind, b.text) for b in parsed if isinstance(b, Block)] == [("paragraph", text)]


TITLES = [
    "Sanctions: What Comes Next",
    "'Quoted' at the start",
    '"Double" at the start',
    "Yes",
    "2023",
    "- a dash first",
    "#hashtag first",
    "a: b # c",
    "[Bracketed] title",
    "{Braced} title",
    "@at and `tick",
    "null",
    "Tilde ~ and percent %",
]


@pytest.mark.parametrize("title", TITLES)
def test_any_title_survives_the_front_matter(project_with_cassie: Path, title: str) -> None:
    text = f"{title}\n\nBackground\n\nTalks resumed in May.\n"
    plan = plan_import(
        text.encode(), "t.txt", Project(project_with_cassie), "t", "cassie-grissom", None
    )
    data, _, _ = split_front_matter(plan.article_text, plan.article_path)
    assert data["title"] == title
    write_import(plan)
    article, _ = read_back(plan)
    assert article.title == title


@pytest.mark.parametrize(
    ("title", "restored"),
    [
        (
            "What Is The Conflict Between The Us And North Korea",
            "What Is The Conflict Between The US And North Korea",
        ),
        ("Us Policy Toward Pyongyang", "US Policy Toward Pyongyang"),
        ("The Us-Led Coalition", "The US-Led Coalition"),
        ("What It Means For Us", "What It Means For Us"),
        ("Nato, The Eu And The Un", "NATO, The EU And The UN"),
        ("Nato's Eastern Flank", "NATO's Eastern Flank"),
        ("Un-American Activities", "Un-American Activities"),
        ("Europe Between Us And Them", "Europe Between Us And Them"),
        ("Untitled Eulogy", "Untitled Eulogy"),
        ("Why Us-China Talks Stalled", "Why US-China Talks Stalled"),
    ],
)
def test_title_case_acronyms_are_restored(title: str, restored: str) -> None:
    assert restore_acronyms(title) == restored


def test_acronyms_are_restored_in_the_title_only(project_with_cassie: Path) -> None:
    _, article, _ = import_fixture(
        project_with_cassie, "numbered-no-bio.txt", author="cassie-grissom"
    )
    assert article.title == "NATO And The EU After The US Election"
    assert (
        "Critics once spelled it Nato, as some British papers still do."
        in article.sections[0].blocks[0].text
    )


# --- refusing, overwriting, failing clearly ----------------------------------------------------


def test_existing_article_is_not_overwritten_without_force(project: Path) -> None:
    plan = plan_fixture(project, "us-north-korea.txt", slug="us-north-korea")
    plan.article_path.parent.mkdir(parents=True, exist_ok=True)
    plan.article_path.write_text("hand edited\n", encoding="utf-8")
    with pytest.raises(SourceError, match="already exists: pass --force") as caught:
        write_import(plan)
    assert caught.value.path == plan.article_path
    assert plan.article_path.read_text(encoding="utf-8") == "hand edited\n"
    assert not plan.author_path.exists(), "nothing is written when one file is refused"
    assert write_import(plan, force=True) == [plan.author_path, plan.article_path]
    assert plan.article_path.read_text(encoding="utf-8") == plan.article_text
    assert [p.name for p in plan.article_path.parent.iterdir()] == ["us-north-korea.md"]


def test_existing_author_created_since_planning_is_not_overwritten(project: Path) -> None:
    plan = plan_fixture(project, "us-north-korea.txt", slug="us-north-korea")
    plan.author_path.write_text("---\nname: Someone Else\n---\n", encoding="utf-8")
    with pytest.raises(SourceError, match="already exists"):
        write_import(plan)
    assert not plan.article_path.exists()


def test_no_bio_and_no_author_asks_for_author(project_with_cassie: Path) -> None:
    with pytest.raises(
        SourceError, match=r"pass --author ID \(known authors: cassie-grissom\)"
    ) as caught:
        plan_fixture(project_with_cassie, "numbered-no-bio.txt")
    assert caught.value.path == Path("numbered-no-bio.txt")


def test_unknown_author_without_a_bio_is_an_error(project: Path) -> None:
    with pytest.raises(SourceError, match=r"create sources/authors/nobody\.md"):
        plan_fixture(project, "numbered-no-bio.txt", author="nobody")


def test_author_option_names_a_new_author_from_the_bio(project: Path) -> None:
    plan = plan_fixture(project, "us-north-korea.txt", author="c-grissom")
    assert plan.author_path.name == "c-grissom.md"
    assert plan.author_text is not None and plan.author_text.startswith(
        "---\nname: Cassie Grissom\n---\n"
    )
    assert plan.slug == "what-is-the-conflict-between-the-us-and-north-korea"


@pytest.mark.parametrize(
    ("data", "match", "line"),
    [
        (b"Title\n\xff\xfe broken\n", "not valid UTF-8", 2),
        (b"\n\n  \n", "no title found", 1),
        # A text copied without its title: its first paragraph is no title.
        (
            b"\nThe war began in 2011. Within a year the army had lost the north and the "
            b"rebels held the border crossings.\n\n## Background\n\nText.\n",
            "the first line is a paragraph of more than one sentence, not a title",
            2,
        ),
        (
            b"Dr. Ana P\xc3\xa9rez of the U.S. Senate asks why the war in the north began. "
            b"Nobody could say.\n\n## Background\n\nText.\n",
            "the first line is a paragraph of more than one sentence, not a title",
            1,
        ),
        (
            b" ".join([b"word"] * 45) + b"\n\n## Background\n\nText.\n",
            "the first line is a paragraph of 45 words, not a title",
            1,
        ),
        (
            b"Title\n\nOne paragraph only.\n\nJane Doe is a journalist.\n",
            "no section headings",
            None,
        ),
    ],
)
def test_bad_input_is_a_clear_error(
    project: Path, data: bytes, match: str, line: int | None
) -> None:
    with pytest.raises(SourceError, match=match) as caught:
        plan_import(data, "in.txt", Project(project), None, None, None)
    assert (caught.value.path, caught.value.line) == (Path("in.txt"), line)


@pytest.mark.parametrize("option", [{"slug": "Bad Slug"}, {"author": "a--b"}])
def test_bad_ids_are_refused(project: Path, option: dict[str, str]) -> None:
    with pytest.raises(SourceError, match="lowercase letters, digits and single hyphens"):
        plan_fixture(project, "us-north-korea.txt", **option)


# --- the command line -------------------------------------------------------------------------


def run(*args: str, input: bytes | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=input, env=EPOCH, catch_exceptions=False)


def test_cli_dry_run_prints_the_structure_and_writes_nothing(project: Path) -> None:
    before = files(project)
    result = run(
        "import", str(SEED), "--slug", "us-north-korea", "--dry-run", "--project", str(project)
    )
    assert result.exit_code == 0, result.output
    assert "line 37: Leave a Comment  [web boilerplate]" in result.output
    assert "  Historical Background (2 paragraphs)" in result.output
    assert files(project) == before


def test_cli_import_then_check_then_build_matches_the_committed_sources(
    project: Path, seed_project: Path, tmp_path: Path
) -> None:
    imported = run("import", str(SEED), "--slug", "us-north-korea", "--project", str(project))
    assert imported.exit_code == 0, imported.output
    assert "sources/articles/us-north-korea.md" in imported.output
    checked = run("check", "--project", str(project))
    assert checked.exit_code == 0, checked.output
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for root, out in ((project, ours), (seed_project, theirs)):
        built = run("--project", str(root), "--focus", "all", "--out", str(out), "--quiet")
        assert built.exit_code == 0, built.output
    briefs = files(ours / "us-north-korea")
    assert briefs and briefs == files(theirs / "us-north-korea")


def test_cli_reads_standard_input_and_refuses_to_overwrite(project: Path) -> None:
    args = ("import", "-", "--slug", "us-north-korea", "--project", str(project))
    first = run(*args, input=SEED.read_bytes())
    assert first.exit_code == 0, first.output
    second = run(*args, input=SEED.read_bytes())
    assert second.exit_code == 1
    assert "us-north-korea.md: already exists: pass --force" in second.output
    forced = run(*args, "--force", input=SEED.read_bytes())
    assert forced.exit_code == 0, forced.output


def test_written_files_get_the_usual_permissions(project: Path) -> None:
    mask = os.umask(0o022)
    try:
        plan = plan_fixture(project, "us-north-korea.txt", slug="us-north-korea")
        for path in write_import(plan):
            assert path.stat().st_mode & 0o777 == 0o644, path
    finally:
        os.umask(mask)


def test_bio_without_a_name_needs_an_author_id(project_with_cassie: Path) -> None:
    text = b"A Title\n\nBackground\n\nTalks resumed.\n\nAbout the author\n\nshe writes on Asia.\n"
    root = Project(project_with_cassie)
    with pytest.raises(SourceError, match="not the author's name") as caught:
        plan_import(text, "a.txt", root, None, None, None)
    assert caught.value.line == 9
    plan = plan_import(text, "a.txt", root, None, "cassie-grissom", None)
    assert plan.author_exists and plan.bio == "she writes on Asia."
    assert plan.sections == (("Background", 1),)


def test_closing_paragraph_about_a_leader_is_not_a_bio(project_with_cassie: Path) -> None:
    # It starts with a name and "is", like a bio, but says nothing about an author's work.
    text = (
        b"A Title\n\nBackground\n\nTalks resumed in May.\n"
        b"Kim Jong Un is unlikely to give up weapons he sees as his guarantee of survival.\n"
    )
    plan = plan_import(text, "a.txt", Project(project_with_cassie), None, "cassie-grissom", None)
    assert plan.bio == ""
    assert plan.sections == (("Background", 2),)


def test_long_page_of_unclosed_paragraphs(project_with_cassie: Path) -> None:
    # Old CMS output leaves <p> and <li> open; each start tag closes the last, as in a browser,
    # so the tree stays flat however long the page is.
    paragraphs = "".join(f"<p>Paragraph {n}." for n in range(2000))
    items = "".join(f"<li>Item {n}." for n in range(2000))
    page = f"<article><h1>Long</h1><h2>All</h2>{paragraphs}<ul>{items}</ul></article>"
    plan = plan_import(
        page.encode(), "long.html", Project(project_with_cassie), None, "cassie-grissom", None
    )
    assert plan.sections == (("All", 4000),)
    assert "Paragraph 1999." in plan.article_text and "- Item 1999." in plan.article_text


@pytest.mark.parametrize(
    "heading",
    ["Why *Sanctions* Fail", "C# and F# ##", "[Draft] <Now> & &amp; Then", "1. Back\\ground"],
)
def test_headings_read_back_verbatim(project_with_cassie: Path, heading: str) -> None:
    text = f"A Title\n\n{heading}\n\nTalks resumed in May.\n".encode()
    plan = plan_import(text, "h.txt", Project(project_with_cassie), None, "cassie-grissom", None)
    write_import(plan)
    article, _ = read_back(plan)
    assert [s.title for s in article.sections] == [heading]


@pytest.mark.parametrize(
    "title",
    [
        "Dr. Ana Pérez Explains How the War in Sudan Began and Why It Matters to the U.S. Now",
        "War Returns. What Now?",
        "What Is The Conflict Between The US And North Korea",
    ],
)
def test_a_title_with_abbreviations_or_two_short_sentences_is_a_title(
    project: Path, title: str
) -> None:
    data = f"{title}\n\n## Background\n\nThe war began in 2011.\n\nJane Doe is a journalist.\n"
    plan = plan_import(data.encode(), "in.txt", Project(project), None, None, None)
    assert plan.title == title
