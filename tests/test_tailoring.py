"""Tailoring as a reader of the brief meets it: trustworthy sentences, names, no padding, overrides.

Each test writes a small project of its own, so what it asserts follows from the text in front of
it, and reads the built brief back (HTML with a parser, PDF with pypdf) where a reader would see
the choice.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build import BuildOptions, build, resolve_editions
from pipeline.cli import main
from pipeline.emphasis import emphasise, matcher
from pipeline.emphasis.places import countries_named
from pipeline.emphasis.scoring import salience, units_of, weigh
from pipeline.emphasis.units import (
    leans_on_previous,
    split_sentences,
    unfit_for_takeaway,
    without_citations,
)
from pipeline.sources import Project, read_project

from .read import REPO, collapse, parse_html, pdf_text, relevance_benchmark

DAY = dt.date(2024, 1, 1)
FOCUSES = """\
security:
  title: Security
  description: Force and its threats.
  color: "#1f4e79"
  keywords: [military, troops, missile, attack, war]
rights:
  title: Human Rights
  description: The people who live under it.
  color: "#8e2c48"
  keywords: [human rights, abuses: 2, refugee, detention, people]
  exclude: [Rights Council of Elders]
"""
AUTHOR = "---\nname: Ada Byron\n---\nAda writes about policy.\n"


def project(tmp_path: Path, article: str, focuses: str = FOCUSES) -> Path:
    """A project with one article (front matter and body as given) and one author."""
    root = tmp_path / "project"
    (root / "sources" / "articles").mkdir(parents=True)
    (root / "sources" / "authors").mkdir()
    (root / "sources" / "focuses.yaml").write_text(focuses, encoding="utf-8")
    (root / "sources" / "authors" / "ada-byron.md").write_text(AUTHOR, encoding="utf-8")
    text = article
    (root / "sources" / "articles" / "piece.md").write_text(text, encoding="utf-8")
    return root


def brief_of(root: Path, focus: str):  # type: ignore[no-untyped-def]
    sources = read_project(Project.at(root), [])
    edition = resolve_editions((focus,), sources.focuses)[0]
    return emphasise(sources.articles[0], edition, tuple(sources.focuses.values()), DAY)


# --- sentence units -----------------------------------------------------------------------------


def test_citation_markers_end_the_sentence_they_cite() -> None:
    text = "Fighting resumed in 2016.[12] Over 17 million people fled.[13][14] Talks failed."
    assert [s.text for s in split_sentences(text)] == [
        "Fighting resumed in 2016.[12]",
        "Over 17 million people fled.[13][14]",
        "Talks failed.",
    ]


def test_a_companys_legal_form_after_an_abbreviation_does_not_start_a_sentence() -> None:
    text = (
        "Shares of May & Baker Nig. Plc rose by 9% in 2021. Exports grew. "
        "It was sold to Acme Co. Ltd. in 2019. Sales fell."
    )
    assert [s.text for s in split_sentences(text)] == [
        "Shares of May & Baker Nig. Plc rose by 9% in 2021.",
        "Exports grew.",
        "It was sold to Acme Co. Ltd. in 2019.",
        "Sales fell.",
    ]


def test_a_quotation_of_several_sentences_stays_in_one_unit() -> None:
    text = "“We will fight. We will win,” the general said. The war went on. It cost 3.5 billion."
    assert [s.text for s in split_sentences(text)] == [
        "“We will fight. We will win,” the general said.",
        "The war went on.",
        "It cost 3.5 billion.",
    ]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            'They accused the police of "committ[ing] serious abuses" in the camps.[4]',
            "committ[ing]",
        ),
        (
            'The court said the law "[has meant that] few are tried" at all.[citation needed]',
            "[has",
        ),
        ('Observers wrote "the vote [sic] was free" in their report.[a][who?]', "[sic]"),
    ],
)
def test_a_quotations_own_brackets_stay_and_maintenance_tags_go(text: str, quoted: str) -> None:
    """Brackets inside a quotation are the quoting author's words; a takeaway that dropped them
    would misquote. Encyclopedia tags ("[citation needed]", "[who?]", "[a]") are not text."""
    plain = without_citations(text)
    assert quoted in plain
    assert "[4]" not in plain and "needed" not in plain and "who?" not in plain
    assert "[a]" not in plain
    assert [s.text for s in split_sentences(text)] == [text]


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("Troops moved.", "fragment"),
        ("troops moved north of the river after the ceasefire collapsed last week.", "mid"),
        ("Troops moved north of the river after the ceasefire collapsed last week", "terminal"),
        ("“Troops moved north of the river after the ceasefire collapsed last week.", "quotation"),
    ],
)
def test_fragments_and_cut_sentences_cannot_be_takeaways(sentence: str, why: str) -> None:
    reason = unfit_for_takeaway(sentence)
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "sentence",
    [
        "However, the troops stayed in the north for another year.",
        "These efforts did not stop the attacks on the northern villages.",
        "It provided the troops with missiles and armoured vehicles.",
        "It was a major blow to the army, which lost its northern airbase.",
        "It was in ruins when the troops arrived and found that the villagers had fled.",
        "It has been in operation since 2010 and carries most of the oil that the north sells.",
        "It is the largest army in the region, with 300,000 troops under arms.",
        "Chief among these issues is the deployment of troops on the border.",
        "The latter was arrested by the military police in the capital.",
        "Minutes later, missiles struck the airport and the port.",
        "Two years later the army withdrew from the northern provinces.",
        "The remainder live in camps along the border with the north.",
        "At the time, the rebels held most of the eastern districts.",
        "Five more soldiers were killed the following night near the bridge.",
        "By the end of the week, two more villages had been shelled by the army.",
        "The meeting resulted in a regional court for crimes committed by the militias.",
        "The initiative aimed to end food insecurity in the northern provinces by 2030.",
        "In response to the attack, the army closed the border with the north.",
        "In response, the army closed the border with the north for a month.",
        "The subsequent administration imposed sanctions on the court's officials.",
        "The former was arrested by the military police in the capital.",
        "China blocked the former's entry into the group for a decade.",
        "Of these, two villages were shelled by the army in the north.",
        "Notably, the army withdrew from the northern provinces within a year.",
        "For example, the army closed the border with the north for a month.",
        "As a result of this, the army closed the border with the north.",
    ],
)
def test_a_sentence_that_leans_on_the_one_before_is_not_self_contained(sentence: str) -> None:
    assert leans_on_previous(sentence, "en")
    assert unfit_for_takeaway(sentence) is None  # the shape is fine: only the reference is not


@pytest.mark.parametrize(
    "sentence",
    [
        "The government deployed 4,000 troops to the northern border in 2021.",
        "Days of fighting in 2014 left the airport in ruins and its runway closed.",
        "Years of drought have emptied the reservoirs of the southern provinces.",
        "The rest of the world condemned the invasion within hours.",
        "More than two million people fled across the border in the first month.",
        "The report of the commission found that the troops had killed 200 civilians.",
        # An "it" that stands for the clause after it refers to nothing before.
        "It is estimated that the troops had killed 200 civilians by the end of the year.",
        "It was only in 1849 that the police began to count the evictions in the north.",
        "It was not until 1990 that the border with the north opened to trade again.",
        "It remains unclear whether the army fired on the crowd outside the palace.",
        # "In response to" what it names answers nothing before it.
        "In response to the 2023 Gabonese coup, the bloc suspended Gabon's membership.",
        "In response to 2019 protests over fuel prices, the government cut taxes.",
        # "Former" before a noun is an adjective, "such as" gives examples, and "as a result
        # of" names its cause.
        "The former Soviet republics joined the alliance's army in 1992.",
        "Andrew MacLeod, the former chief of operations, accused the army of abuses.",
        "Factors such as drought and war drove two million people from their homes.",
        "As a result of the ban, the court was asked for an advisory opinion.",
    ],
)
def test_a_sentence_that_stands_alone_is_self_contained(sentence: str) -> None:
    assert leans_on_previous(sentence, "en") is None
    assert unfit_for_takeaway(sentence) is None


# --- names ---------------------------------------------------------------------------------------


def test_a_keyword_inside_a_name_does_not_count_unless_it_ends_the_name() -> None:
    match = matcher(("human rights", "people", "peace", "war"))
    text = (
        "Human Rights Watch said the People's Republic of China received the Nobel Peace Prize "
        "before the Korean War."
    )
    counted = [h.keyword for h in match.hits(text) if not h.ignored]
    ignored = {h.keyword: h.ignored for h in match.hits(text) if h.ignored}
    assert counted == ["war"]  # "the Korean War" is a war
    assert ignored["human rights"] == "in the name 'Human Rights Watch'"
    assert "People's Republic of China" in ignored["people"]
    assert "Nobel Peace Prize" in ignored["peace"]


def test_a_keyword_a_name_works_for_or_against_does_not_count_though_it_ends_the_name() -> None:
    match = matcher(("border", "human rights", "terrorism", "war", "battle"))
    text = (
        "Doctors Without Borders met Physicians for Human Rights, who met the Coalition Against "
        "Terrorism after the Korean War, at the time of the Battle of the Bulge."
    )
    ignored = {h.keyword: h.ignored for h in match.hits(text) if h.ignored}
    assert ignored == {
        "border": "in the name 'Doctors Without Borders'",
        "human rights": "in the name 'Physicians for Human Rights'",
        "terrorism": "in the name 'Coalition Against Terrorism'",
        "battle": "in the name 'Battle of the Bulge'",
    }
    assert [h.keyword for h in match.hits(text) if not h.ignored] == ["war"]
    # Outside a name the same words count, after a name as before it.
    assert all(not h.ignored for h in match.hits("Doctors crossed the border without papers."))
    office = matcher(("defence", "war")).hits("The Ministry of Defence said the war was over.")
    assert [(h.keyword, h.ignored != "") for h in office] == [("defence", True), ("war", False)]


def test_a_keyword_written_as_a_name_counts_inside_names() -> None:
    match = matcher(("Security Council", "security"))
    hits = match.hits("The UN Security Council met on the security situation.")
    assert [(h.keyword, h.ignored) for h in hits] == [
        ("Security Council", ""),
        ("security", ""),
    ]


def test_a_sentence_opening_word_is_not_taken_for_a_name() -> None:
    match = matcher(("war",))
    assert [h.ignored for h in match.hits("During the Korean War, troops came.")] == [""]
    assert [h.ignored for h in match.hits("War broke out in 1950.")] == [""]


def test_exclude_phrases_cancel_the_keywords_inside_them() -> None:
    match = matcher(("human rights",), ("Human Rights Council of Elders",))
    hits = match.hits("The Human Rights Council of Elders met on human rights abuses.")
    assert [h.ignored != "" for h in hits] == [True, False]


@pytest.mark.parametrize(
    ("focus", "sentence"),
    [
        ("security", "Pensions and social security took a third of the budget in 2012."),
        ("security", "Drought threatens food security in the three northern provinces."),
        ("human-rights", "Both sides reported ceasefire violations along the front line."),
        ("human-rights", "The IMF allocated special drawing rights to every member in 2021."),
        ("regional-impact", "The regional governor opened a new hospital in the capital."),
        ("regional-impact", "Each regional committee of the agency meets once a year."),
    ],
)
def test_the_built_in_focuses_know_phrases_that_only_look_like_them(
    focus: str, sentence: str
) -> None:
    """A word of the focus inside a phrase that means something else says nothing about it."""
    definition = read_project(Project.at(REPO), []).focuses[focus]
    hits = matcher(definition.keywords, definition.exclude).hits(sentence)
    assert hits and all(hit.ignored.startswith("in the excluded phrase") for hit in hits)


# --- what a brief chooses -------------------------------------------------------------------------

LONG_SECURITY = " ".join(
    f"In the {n} district the military reported a missile attack on its troops." for n in range(12)
)
ARTICLE = f"""\
---
title: The River Dispute
author: ada-byron
---
The river has divided two provinces for a century, and its water feeds both of them.

## A Short Note

A single military convoy passed the bridge in May of that year.

## The Fighting

{LONG_SECURITY}

The military said troops would stay until every missile site had been destroyed.

## Farming

Farmers grow rice and maize on both banks, and the harvest was good this year in the valley.
Markets in the towns sell the grain to traders from the coast every autumn after the rains.
"""


def test_a_long_section_plainly_about_the_focus_outranks_a_short_one_with_a_hit(
    tmp_path: Path,
) -> None:
    brief = brief_of(project(tmp_path, ARTICLE), "security")
    assert brief.in_focus[0].title == "The Fighting"
    assert "A Short Note" not in [s.title for s in brief.in_focus]


def test_a_focus_the_article_barely_touches_gets_no_padding(tmp_path: Path) -> None:
    root = project(tmp_path, ARTICLE.replace("## The Fighting", "## The Fighting\n\nPeople"))
    brief = brief_of(root, "rights")
    assert brief.sparse
    assert brief.takeaways == () and brief.in_focus == ()
    assert brief.sparse_note.startswith("This article says little about Human Rights")
    # Every paragraph is still there, in the article's order.
    assert [s.title for s in brief.context] == ["A Short Note", "The Fighting", "Farming"]


@pytest.mark.parametrize(("other_sentences", "sparse"), [(30, False), (150, True)])
def test_a_few_lines_on_a_focus_in_a_long_article_are_not_a_brief_of_it(
    tmp_path: Path, other_sentences: int, sparse: bool
) -> None:
    """Four sentences plainly on security make a brief of a short article; in a long one about
    something else they are a passing mention, and the brief says so instead of quoting them."""
    on_focus = " ".join(
        f"Troops shelled the {place} with artillery and missiles for a week."
        for place in ("harbour", "airport", "bridge", "market")
    )
    farming = " ".join(
        f"Farmers in the {n} valley sold their grain at the autumn market."
        for n in range(other_sentences)
    )
    article = (
        "---\ntitle: The Valley\nauthor: ada-byron\n---\n\n"
        f"## Harvests\n\n{farming}\n\n## The Week of Shelling\n\n{on_focus}\n"
    )
    brief = brief_of(project(tmp_path, article), "security")
    assert brief.sparse is sparse
    assert (brief.takeaways == () and brief.in_focus == ()) is sparse


@pytest.mark.parametrize(("gathered", "sparse"), [(True, False), (False, True)])
def test_a_focus_mentioned_here_and_there_is_not_a_brief_of_it(
    tmp_path: Path, gathered: bool, sparse: bool
) -> None:
    """Eight sentences on security in a 160-sentence article: gathered in a section of their
    own, that section is about the focus; one in each of eight long sections about something
    else, they are passing mentions, and no part of the article is about security."""
    shelling = [
        f"Military troops attacked the {place} with missiles for a week."
        for place in ("harbour", "airport", "bridge", "market", "depot", "camp", "road", "port")
    ]
    sections = []
    for n in range(8):
        farming = [f"Farmers in valley {n}-{k} sold their grain at the market." for k in range(19)]
        if not gathered:
            farming.insert(9, shelling[n])
        sections.append(f"## Valley {n}\n\n" + " ".join(farming))
    if gathered:
        sections.append("## The Week of Shelling\n\n" + " ".join(shelling))
    article = "---\ntitle: The Valleys\nauthor: ada-byron\n---\n\n" + "\n\n".join(sections) + "\n"
    root = project(tmp_path, article)
    brief = brief_of(root, "security")
    assert brief.sparse is sparse
    assert (brief.takeaways == () and brief.in_focus == ()) is sparse
    # explain says which rule it was, in its line and as data.
    args = ["explain", "--project", str(root), "-a", "piece", "-f", "security", "--json"]
    data = json.loads(CliRunner().invoke(main, args).output)
    assert data["sparse"] is sparse
    assert ("mentions are scattered" in data["why_sparse"]) is sparse
    assert (data["why_sparse"] in data["summary"]) and (data["why_sparse"] == "") is not sparse


FARMING = " ".join(f"Farmers in valley {k} sold their grain at the market." for k in range(40))
FIGHTING = [
    f"Military troops attacked the {place} with missiles for a week."
    for place in ("harbour", "airport", "bridge", "market", "depot", "camp", "road")
]


@pytest.mark.parametrize(
    "body",
    [
        # Two short sections wholly about the focus beside a long one that is not.
        f"## Harvest\n\n{FARMING}\n\n## Harbour\n\n{' '.join(FIGHTING[:2])}\n\n"
        f"## Airport\n\n{' '.join(FIGHTING[2:4])}\n\n## Trade\n\n{FARMING}\n",
        # A lede about the focus.
        f"{' '.join(FIGHTING[:5])}\n\n## Harvest\n\n{FARMING}\n\n## Trade\n\n{FARMING}\n",
        # One paragraph about the focus inside a long section.
        f"## Harvest\n\n{FARMING}\n\n{' '.join(FIGHTING)}\n\n{FARMING}\n\n## Trade\n\n{FARMING}\n",
        # A single section: it is the article, and its mentions cannot be more gathered.
        f"## Report\n\n{FARMING}\n\n" + "\n\n".join(FIGHTING) + f"\n\n{FARMING}\n",
    ],
    ids=["short-sections", "lede", "paragraph", "one-section"],
)
def test_a_part_of_the_article_about_the_focus_is_not_scattered(tmp_path: Path, body: str) -> None:
    article = f"---\ntitle: The Valleys\nauthor: ada-byron\n---\n\n{body}"
    brief = brief_of(project(tmp_path, article), "security")
    assert not brief.sparse and brief.takeaways


def test_the_sparse_line_is_what_a_reader_of_either_format_sees(tmp_path: Path) -> None:
    root = project(tmp_path, ARTICLE)
    out = tmp_path / "out"
    build(Project.at(root), BuildOptions(focuses=("rights",), out_dir=out, jobs=1))
    page = parse_html(out / "piece" / "rights.html")
    note = page.select_one("p.sparse-note")
    assert note is not None and "says little about Human Rights" in note.get_text()
    assert page.select_one("section.takeaways") is None
    assert page.select_one("section.in-focus") is None
    text = collapse(pdf_text(out / "piece" / "rights.pdf"))
    assert "This article says little about Human Rights" in text
    assert "Key takeaways" not in text and "In focus" not in text


def test_takeaways_are_never_two_that_say_the_same_thing(tmp_path: Path) -> None:
    twin = "The military moved troops and missile batteries to the border after the attack."
    article = ARTICLE.replace("The river has divided", f"{twin} The river has divided").replace(
        "The military said troops", f"{twin} The military said troops"
    )
    brief = brief_of(project(tmp_path, article), "security")
    assert brief.takeaways.count(twin) == 1
    assert len(brief.takeaways) == len(set(brief.takeaways))


HARBOUR_LATER = [
    "Enemy artillery struck the eastern docks twice during the spring floods.",
    "Several rockets landed near the grain silos beside the northern canal.",
    "Small drones circled above the fishing fleet almost every single night.",
    "Four tanks crossed the wooden bridge before dawn on a Sunday.",
    "Heavy mortars damaged the customs house and its famous clock tower.",
]
HARBOUR_QUOTED = 'The envoy said "snipers stay on each roof".'
HARBOUR_OPENING = "Warships blockaded the southern approach to the harbour for a week."


def harbour(tmp_path: Path, setting: str = "") -> Path:
    """A project whose article has seven sentences on the focus, one keyword each, each in a
    paragraph of its own; ``setting`` is added to the focus's definition."""
    paragraphs = [
        f"Trade through the harbour carried on as usual. {text}" for text in HARBOUR_LATER
    ]
    paragraphs.insert(2, f"Trade through the harbour carried on as usual. {HARBOUR_QUOTED}")
    paragraphs.append(f"{HARBOUR_OPENING} Trade through the harbour carried on as usual.")
    keywords = ", ".join(
        f"{w}: 2" for w in "artillery rockets drones tanks mortars snipers warships".split()
    )
    focuses = (
        "security:\n  title: Security\n  description: Force.\n  color: '#1f4e79'\n"
        f"  keywords: [{keywords}]\n{setting}"
    )
    body = "\n\n".join(paragraphs)
    article = f"---\ntitle: Harbours\nauthor: ada-byron\n---\n\n## Ports\n\n{body}\n"
    return project(tmp_path, article, focuses)


def test_a_paragraphs_opening_sentence_and_a_plain_claim_lead_the_takeaways(
    tmp_path: Path,
) -> None:
    """Seven sentences on the focus compete for the five takeaways the focus asks for: the one
    that carries a long quotation is left out, and a paragraph's opening sentence, which says
    what the paragraph is about, is kept before sentences further into their paragraphs."""
    brief = brief_of(harbour(tmp_path, "  takeaways: 5\n"), "security")
    assert len(brief.takeaways) == 5
    assert HARBOUR_QUOTED not in brief.takeaways
    assert HARBOUR_OPENING in brief.takeaways


def test_a_brief_gives_three_takeaways_unless_its_focus_asks_for_more(tmp_path: Path) -> None:
    """Of seven sentences fit to be takeaways, the reader sees three in either format, and
    ``explain`` gives the limit it applied."""
    root = harbour(tmp_path)
    out = tmp_path / "out"
    build(Project.at(root), BuildOptions(focuses=("security",), out_dir=out, jobs=1))
    page = parse_html(out / "piece" / "security.html")
    listed = [collapse(li.contents[0]) for li in page.select("section.takeaways li")]
    assert len(listed) == 3 and HARBOUR_OPENING in listed
    text = collapse(pdf_text(out / "piece" / "security.pdf"))
    listing = text.split("KEY TAKEAWAYS")[1].split("IN FOCUS")[0]
    assert [t for t in [HARBOUR_OPENING, *HARBOUR_LATER] if t in listing] == [
        t for t in [HARBOUR_OPENING, *HARBOUR_LATER] if t in listed
    ]
    assert listing.count("→") == 3
    args = ["explain", "--project", str(root), "-a", "piece", "-f", "security", "--json"]
    data = json.loads(CliRunner().invoke(main, args).output)
    assert dict(data["thresholds"])["takeaways_max"] == 3
    passed = [s["verdict"] for s in data["sentences"] if "stronger takeaways" in s["verdict"]]
    assert passed and all("3 stronger takeaways were chosen" in v for v in passed)


def test_an_edition_of_several_focuses_gives_the_most_takeaways_any_asks_for(
    tmp_path: Path,
) -> None:
    trade = "trade:\n  title: Trade\n  description: Goods.\n  color: '#6b4e16'\n"
    root = harbour(tmp_path, trade + "  keywords: [grain, fleet, customs]\n  takeaways: 5\n")
    assert len(brief_of(root, "security").takeaways) == 3
    assert len(brief_of(root, "security+trade").takeaways) == 5
    listing = json.loads(
        CliRunner().invoke(main, ["focuses", "--project", str(root), "--json"]).output
    )
    assert {f["id"]: f["takeaways"] for f in listing["focuses"]} == {"security": 3, "trade": 5}


@pytest.mark.parametrize(
    ("sentence", "one_view"),
    [
        ("According to Anthony Roe, the army was never ready for a war.", True),
        ("According to journalist Mary Poe, the siege was planned for months.", True),
        ("Cormac Ó Dálaigh disagreed that the famine was a genocide.", True),
        ("The historian John Doe wrote that the blockade starved the city.", True),
        ("Amnesty International asserted that the forces tortured detainees.", False),
        ("According to UNHCR, five million people have fled the country.", False),
        ("According to the Human Rights Council, the strikes killed civilians.", False),
        ("The army shelled the city for a week in March.", False),
    ],
)
def test_one_persons_view_weighs_less_than_a_bodys_finding(sentence: str, one_view: bool) -> None:
    """A named commentator's view is one person's, where a brief wants what happened; a body's
    finding, or a plain statement, is not marked down."""
    plain = salience(sentence, lede=False, opening=False, subject=frozenset())
    assert (plain < 1.0) is one_view


@pytest.mark.parametrize(
    "sentence",
    [
        "Over 2 million people fled the country.",
        "Over a million people fled the country.",
        "Some half a million people fled the country.",
        "Two billion dollars of aid never reached the country.",
        "Tens of thousands of people fled the country.",
        "Inflation reached 40% within a year.",
        "Twenty thousand people fled the country.",
        "Sixteen thousand people fled the country.",
        "Some three hundred thousand people fled the country.",
    ],
)
def test_a_magnitude_in_figures_or_words_marks_a_key_point(sentence: str) -> None:
    plain = salience("People fled the country.", lede=False, opening=False, subject=frozenset())
    assert salience(sentence, lede=False, opening=False, subject=frozenset()) > plain


@pytest.mark.parametrize(
    "sentence",
    [
        "The dispute over the valley is a thousand years old.",
        "The chance of a stray shell hitting the dam was one in a million.",
        "The fossils there are 2 million years old.",
        "People have farmed the valley for thousands of years.",
        "The valley has a thousand-year history of farming.",
        "The reserve covers two thousand square kilometres.",
        "The chance of a stray shell hitting the dam was 1 in a million.",
    ],
)
def test_a_span_of_time_or_the_odds_of_something_is_no_magnitude(sentence: str) -> None:
    plain = salience("People fled the country.", lede=False, opening=False, subject=frozenset())
    assert salience(sentence, lede=False, opening=False, subject=frozenset()) == plain


def test_a_long_run_of_digits_is_read_once() -> None:
    """A figure is matched from its first digit: starting again at every digit of a run of
    them cost the square of its length (a 20,000-digit number took 48 s)."""
    from pipeline.emphasis.scoring import _MAGNITUDE

    run = "1" * 200_000
    assert _MAGNITUDE.search(run + " x") is None
    assert _MAGNITUDE.search(run + " million") is not None


def test_every_takeaway_is_highlighted_where_it_stands(tmp_path: Path) -> None:
    root = project(tmp_path, ARTICLE)
    out = tmp_path / "out"
    build(Project.at(root), BuildOptions(focuses=("security",), formats=("html",), out_dir=out))
    page = parse_html(out / "piece" / "security.html")
    # Each takeaway is followed by its cue, a link to its section.
    takeaways = [collapse(li.contents[0]) for li in page.select("section.takeaways li")]
    marks = {collapse(m.get_text()) for m in page.select("main mark")}
    assert takeaways and set(takeaways) <= marks


def test_a_heading_or_a_line_cut_off_mid_sentence_is_never_highlighted(tmp_path: Path) -> None:
    farming = " ".join(
        f"Farmers in valley {i} grow rice and maize, and the harvest was good this year."
        for i in range(8)
    )
    article = (
        "---\ntitle: The Valley\nauthor: ada-byron\n---\n"
        "The valley has fed two provinces for a century.\n\n"
        "## The Fighting\n\n"
        "### Military attack and missile troops\n\n"
        "The war ended when the last troops left the valley in the spring.\n\n"
        "The military commander said the attack on the troops and the missile site was\n\n"
        "> A quotation follows the line it completes.\n\n"
        f"## Farming\n\n{farming}\n"
    )

    def marked(text: str, name: str) -> str:
        out = tmp_path / name / "out"
        root = project(tmp_path / name, text)
        build(Project.at(root), BuildOptions(focuses=("security",), formats=("html",), out_dir=out))
        page = parse_html(out / "piece" / "security.html")
        assert not page.select("main h3 mark, main h4 mark")
        return " ".join(collapse(m.get_text()) for m in page.select("main mark"))

    cut = marked(article, "cut")
    assert "The war ended" in cut
    assert "missile site was" not in cut
    # The same sentence, ended, is highlighted: it is the cut that keeps it out.
    ended = marked(article.replace("missile site was\n", "missile site was repelled.\n"), "ended")
    assert "missile site was repelled." in ended


_STRONG = (
    "The military attack by missile troops began the war across the northern province.",
    "Veteran commanders later admitted that sending troops against fortified military "
    "positions without missile cover had prolonged the war by years.",
)


def _long_article(strong: int, filler: int = 110) -> str:
    """An article of ``filler`` sentences off the focus, ``strong`` sentences squarely on
    security (four or five of its keywords) and a dozen that name three in passing."""
    paragraphs = list(_STRONG[:strong])
    paragraphs += [
        f"The troops guarded the bridge at town {i} through the war and the winter attack."
        for i in range(12)
    ]
    fill = [f"The harvest in valley {i} was good and the markets were busy." for i in range(filler)]
    sections = [
        f"## Part {n}\n\n" + "\n\n".join([*paragraphs[n::4], *fill[n::4]]) for n in range(4)
    ]
    return "---\ntitle: A long piece\nauthor: ada-byron\n---\n\nA long piece.\n\n" + (
        "\n\n".join(sections) + "\n"
    )


def test_in_a_long_article_only_strong_sentences_follow_the_first_takeaway(
    tmp_path: Path,
) -> None:
    long = brief_of(project(tmp_path, _long_article(strong=1)), "security")
    assert long.takeaways == (_STRONG[0],)
    # The same sentences in an article of half the length: a passing one is a takeaway there.
    short = brief_of(project(tmp_path / "short", _long_article(strong=1, filler=40)), "security")
    assert len(short.takeaways) == 2 and _STRONG[0] in short.takeaways
    # A second sentence naming the focus's many sides follows the first in the long one.
    two = brief_of(project(tmp_path / "two", _long_article(strong=2)), "security")
    assert two.takeaways == _STRONG


def test_list_items_and_quotations_are_never_takeaways(tmp_path: Path) -> None:
    article = ARTICLE.replace(
        "## Farming",
        "- The military moved troops and missile batteries to the border after the attack.\n\n"
        "> The military moved troops and missile batteries north after the second attack.\n\n"
        "## Farming",
    )
    brief = brief_of(project(tmp_path, article), "security")
    assert brief.takeaways
    assert not any("batteries" in t for t in brief.takeaways)


# --- the analyst's overrides ---------------------------------------------------------------------


def with_tailoring(tailoring: str) -> str:
    return ARTICLE.replace("author: ada-byron\n", f"author: ada-byron\n{tailoring}")


def test_a_pinned_sentence_is_a_takeaway_and_an_excluded_one_is_not(tmp_path: Path) -> None:
    pinned = (
        "Farmers grow rice and maize on both banks, and the harvest was good this year in the "
        "valley."
    )
    plain = brief_of(project(tmp_path / "plain", ARTICLE), "security")
    unwanted = plain.takeaways[0]
    assert pinned not in plain.takeaways
    assert "The Fighting" in [s.title for s in plain.in_focus]
    tailored = with_tailoring(
        "tailoring:\n  security:\n"
        f'    pin: ["{pinned}"]\n    exclude: ["{unwanted}"]\n'
        '    exclude_sections: ["The Fighting"]\n'
    )
    brief = brief_of(project(tmp_path / "tailored", tailored), "security")
    assert pinned in brief.takeaways and unwanted not in brief.takeaways
    assert "The Fighting" not in [s.title for s in brief.in_focus]
    # The other focuses are not touched.
    assert brief_of(project(tmp_path / "other", tailored), "rights").sparse


def test_a_pinned_sentence_not_in_the_article_is_an_error_with_its_line(tmp_path: Path) -> None:
    tailored = with_tailoring('tailoring:\n  security:\n    pin: ["Troops never came."]\n')
    root = project(tmp_path, tailored)
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 1
    assert (
        "sources/articles/piece.md:4: 'tailoring': focus 'security': pinned sentence is "
        "not a sentence of the article: 'Troops never came.'"
    ) in result.output


def test_an_unknown_section_to_exclude_is_an_error(tmp_path: Path) -> None:
    tailored = with_tailoring('tailoring:\n  security:\n    exclude_sections: ["The Fightin"]\n')
    result = CliRunner().invoke(main, ["check", "--project", str(project(tmp_path, tailored))])
    assert result.exit_code == 1
    assert "no section is titled 'The Fightin'" in result.output


def test_a_sentence_pinned_and_excluded_is_an_error_at_its_exclusion(tmp_path: Path) -> None:
    both = "The military said troops would stay until every missile site had been destroyed."
    other = "A single military convoy passed the bridge in May of that year."
    tailored = with_tailoring(
        f'tailoring:\n  security:\n    pin:\n      - "{other}"\n      - "{both}"\n'
        f'    exclude:\n      - "{other} "\n  rights:\n    exclude: ["{both}"]\n'
    )
    root = project(tmp_path, tailored)
    path = root / "sources" / "articles" / "piece.md"
    for args in (["check", "--project", str(root)], ["--project", str(root), "--format", "html"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        # Pinned on line 7, excluded (with a space after its stop) on line 10; the rights
        # focus does not pin it, and may exclude it.
        assert errors == [
            f"error: {path}:10: 'tailoring': focus 'security': '{other[:59]}…' is both pinned "
            "(line 7) and excluded: keep it in one of the two"
        ]
    assert not (root / "build").exists()


@pytest.mark.parametrize(
    ("edition", "says"),
    [
        ("general", "'general' is the edition without emphasis"),
        ("all", "'all' is every edition at once, not a focus"),
    ],
)
def test_tailoring_for_an_edition_that_is_no_focus_says_so_at_its_line(
    tmp_path: Path, edition: str, says: str
) -> None:
    pinned = "A single military convoy passed the bridge in May of that year."
    tailored = with_tailoring(
        f'tailoring:\n  security:\n    pin: ["{pinned}"]\n  {edition}:\n    pin: ["{pinned}"]\n'
    )
    root = project(tmp_path, tailored)
    path = root / "sources" / "articles" / "piece.md"
    for args in (["check", "--project", str(root)], ["--project", str(root), "--format", "html"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert [line for line in result.stderr.splitlines() if "tailoring" in line] == [
            f"warning: {path}:7: 'tailoring': {says}, and takes no tailoring: this entry "
            "changes nothing (pin and exclude under each focus's id)"
        ]
    assert pinned in brief_of(root, "security").takeaways


# --- explain ---------------------------------------------------------------------------------


def test_explain_says_why_for_every_section_and_the_best_sentences(tmp_path: Path) -> None:
    root = project(tmp_path, ARTICLE)
    args = ["explain", "--project", str(root), "--article", "piece", "--focus", "security"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "The Fighting" in result.output and "in focus (1st)" in result.output
    assert "context: " in result.output  # Farming, with the threshold it missed
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    placements = {s["title"]: s["placement"] for s in data["sections"]}
    assert placements["The Fighting"] == "in focus (1st)"
    assert placements["Farming"].startswith("context: ")
    verdicts = [s["verdict"] for s in data["sentences"]]
    assert "takeaway" in verdicts
    assert any("not a takeaway" in v for v in verdicts)


def test_explain_lists_every_takeaway_the_brief_shows_however_it_ranks(tmp_path: Path) -> None:
    """A pinned sentence with no keyword scores nothing, below every sentence explain ranks;
    the brief still shows it, so explain must say so."""
    pinned = (
        "Farmers grow rice and maize on both banks, and the harvest was good this year in the "
        "valley."
    )
    root = project(tmp_path, with_tailoring(f'tailoring:\n  security:\n    pin: ["{pinned}"]\n'))
    args = ["explain", "--project", str(root), "--article", "piece", "--focus", "security"]
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    verdicts = {s["text"]: s["verdict"] for s in data["sentences"]}
    assert verdicts[pinned] == "takeaway (pinned)"
    for takeaway in brief_of(root, "security").takeaways:
        assert verdicts[takeaway].startswith("takeaway")


def test_explain_all_lists_every_sentence_that_matched(tmp_path: Path) -> None:
    """The best fifteen by default; every sentence with a keyword, however far down, with
    --all, so a user can see why the twentieth sentence on a focus was not picked."""
    body = "\n\n".join(
        f"In district {i} the military reported {'a missile attack on ' * (i % 3)}its troops."
        for i in range(24)
    )
    article = f"---\ntitle: Districts\nauthor: ada-byron\n---\nA report.\n\n## Reports\n\n{body}\n"
    args = [
        "explain",
        "--project",
        str(project(tmp_path, article)),
        "-a",
        "piece",
        "-f",
        "security",
    ]
    best = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)["sentences"]
    every = json.loads(CliRunner().invoke(main, [*args, "--json", "--all"]).output)
    assert len(best) == 15
    assert len(every["sentences"]) == 24
    assert [s["text"] for s in every["sentences"][:15]] == [s["text"] for s in best]
    assert dict(every["thresholds"])["takeaway_after_first_in_long_article"] == 4.0


BODY_FOCUSES = """\
regional:
  title: Regional Impact
  description: Neighbours, trade and stability.
  color: "#2e6b3f"
  keywords: [GCC, Gulf Cooperation Council, NATO, ECOWAS, trade, famine]
"""


@pytest.mark.parametrize(
    ("title", "opening", "own"),
    [
        # In the title, or its initials, or in brackets in the opening words.
        (
            "Gulf Cooperation Council",
            "The Gulf Cooperation Council (GCC) is a union.",
            {"GCC", "Gulf Cooperation Council"},
        ),
        ("NATO", "NATO is an alliance.", {"NATO"}),
        ("Economic Community of West African States", "The bloc is a union.", {"ECOWAS"}),
        (
            "The West African bloc",
            "The Economic Community (ECOWAS; CEDEAO) is a union.",
            {"ECOWAS"},
        ),
        # A topic word of the title is no name: the article is about the focus.
        ("The Great Famine", "The famine killed a million.", set()),
    ],
)
def test_a_keyword_naming_the_articles_own_subject_does_not_count(
    tmp_path: Path, title: str, opening: str, own: set[str]
) -> None:
    """In an article on the GCC every sentence names the GCC: the name says nothing of which
    sentences matter to the focus, and a sentence naming it alone is not on the focus."""
    article = (
        f"---\ntitle: {title}\nauthor: ada-byron\n---\n{opening}\n\n## Members\n\n"
        "The GCC, NATO and ECOWAS met on trade and the famine.\n"
    )
    sources = read_project(Project.at(project(tmp_path, article, BODY_FOCUSES)), [])
    piece = sources.articles[0]
    weighing = weigh(piece, sources.focuses["regional"])
    counted = {k for w in weighing.sentences for k, _ in w.terms}
    ignored = {k for w in weighing.sentences for k, why in w.ignored if "own subject" in why}
    assert ignored == own
    assert counted == ({"GCC", "NATO", "ECOWAS", "trade", "famine"} - own) | (
        {"Gulf Cooperation Council"} & counted
    )


def test_explain_names_the_keywords_that_did_not_count(tmp_path: Path) -> None:
    article = ARTICLE.replace(
        "## Farming", "The Human Rights Watch office said nothing.\n\n## Farming"
    )
    args = ["explain", "--project", str(project(tmp_path, article)), "-a", "piece", "-f", "rights"]
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    assert ["human rights", "in the name 'Human Rights Watch'", 1] in data["ignored"]


@pytest.mark.parametrize(
    ("repeated", "named"),
    [
        (["-f", "security", "-f", "rights"], "'--focus'"),
        (["-f", "security", "-a", "other"], "'--article'"),
    ],
)
def test_explain_refuses_a_second_article_or_focus_rather_than_take_the_last(
    tmp_path: Path, repeated: list[str], named: str
) -> None:
    args = ["explain", "--project", str(project(tmp_path, ARTICLE)), "-a", "piece", *repeated]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert named in result.output and "given 2 times" in result.output
    assert "Sections" not in result.output  # nothing was explained


def test_explain_takes_joined_focuses_typed_in_two_orders_as_one_edition(tmp_path: Path) -> None:
    args = ["explain", "--project", str(project(tmp_path, ARTICLE)), "-a", "piece", "--json"]
    once = CliRunner().invoke(main, [*args, "-f", "security+rights"])
    twice = CliRunner().invoke(main, [*args, "-f", "security+rights", "-f", "rights+security"])
    assert once.exit_code == twice.exit_code == 0, twice.output
    assert twice.output == once.output


def test_a_sentence_that_names_no_country_under_a_country_heading_leans_on_it(
    tmp_path: Path,
) -> None:
    """Under "Afghanistan", "Many refugees live in detention" says where; quoted alone as a
    takeaway it does not, nor does one speaking of "the country". A sentence naming a country
    or another place or body, or one under a heading naming none, stands."""
    article = (
        "---\ntitle: Refugee Programmes\nauthor: ada-byron\n---\n"
        "The programmes help refugees in many countries.\n\n## Programmes\n\n### Afghanistan\n\n"
        "Many refugees live in detention camps without any human rights protection.\n\n"
        "Refugee families in Afghanistan face detention and abuses every day.\n\n"
        "The country's police detained 300 refugees near the border last year.\n\n"
        "Use of the ports has been a source of tension between Kabul and the UNHCR.\n\n"
        "### Funding\n\nDonors cut the money for refugee detention monitoring by half.\n"
    )
    sources = read_project(Project.at(project(tmp_path, article)), [])
    unfit = {u.sentence.text: u.unfit for u in units_of(sources.articles[0]).items}
    assert unfit["Many refugees live in detention camps without any human rights protection."] == (
        "leans on its heading ('Afghanistan'): it names no country"
    )
    assert unfit["The country's police detained 300 refugees near the border last year."] == (
        "leans on its heading ('Afghanistan'): it names no country"
    )
    assert unfit["Refugee families in Afghanistan face detention and abuses every day."] == ""
    # Naming a place or body of its own, a sentence says where without its heading.
    assert unfit["Use of the ports has been a source of tension between Kabul and the UNHCR."] == ""
    assert unfit["Donors cut the money for refugee detention monitoring by half."] == ""


def test_explain_counts_in_the_singular_when_there_is_one() -> None:
    """The seed's human-rights edition: its summary counts what its sentences' verdicts say."""
    args = ["explain", "--project", str(REPO), "-a", "us-north-korea", "-f", "human-rights"]
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    count = sum(s["verdict"] == "takeaway" for s in data["sentences"])
    said = f"{count} takeaway{'' if count == 1 else 's'},"
    assert said in data["summary"], data["summary"]
    assert "1 takeaways" not in data["summary"] and "1 sentences" not in data["summary"]


# --- a regression guard on real articles -------------------------------------------------------


def test_relevance_on_real_articles_does_not_fall_back() -> None:
    """Three labelled articles of the tuning split, as a guard: not the figures we report."""
    relevance = relevance_benchmark()
    counts, _ = relevance.evaluate(
        "tune", only=("opec", "economy-of-greece", "russo-ukrainian-war")
    )
    figures = counts.figures()
    assert figures["padded_sparse_cases"] == 0
    assert figures["bad_shape"] == 0
    assert figures["self_contained_pct"] >= 97
    assert figures["first_section_pct"] >= 50
    assert figures["precision_pct"] >= 40


def test_relevance_intervals_span_the_figures_and_narrow_with_more_articles() -> None:
    """The benchmark's 90% intervals come from drawing the articles again: they hold the
    figure itself, are the same every run, and are narrower for a split of more articles."""
    relevance = relevance_benchmark()

    def split(articles: int) -> list:  # type: ignore[type-arg]
        cases = []
        for n in range(articles):
            good = n % 4 != 0  # three articles in four have their first section accepted
            takeaways = [("strong", "a"), ("acceptable", "b"), ("other", "c")][: 1 + n % 3]
            cases.append(relevance.Case(f"a{n}", "security", False, "S", good, takeaways))
        return cases

    small, large = relevance.intervals(split(8)), relevance.intervals(split(80))
    assert relevance.intervals(split(8)) == small
    low, high = large["first_section_pct"]
    assert low < 75 < high
    for name in ("first_section_pct", "precision_pct", "strong_pct"):
        assert small[name][1] - small[name][0] > large[name][1] - large[name][0] > 0


# --- sentences that relate countries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "lang", "codes"),
    [
        ("Turkey is widely considered Azerbaijan's main supporter.", "en", {"TR", "AZ"}),
        ("Iranian officials met their Syrian counterparts in Damascus.", "en", {"IR", "SY"}),
        # The longest name wins: Guinea-Bissau is one country, not Guinea and another.
        ("Guinea-Bissau closed its border with Senegal.", "en", {"GW", "SN"}),
        ("The Soviet Union and the United States signed the treaty.", "en", {"SU", "US"}),
        # CLDR's "Myanmar (Burma)" and "Bosnia & Herzegovina", as texts write them.
        ("Myanmar and Bosnia and Herzegovina abstained.", "en", {"MM", "BA"}),
        # Names in the article's own language, from CLDR.
        ("L'Allemagne et la Russie ont signé un accord gazier.", "fr", {"DE", "RU"}),
        ("Russland liefert Gas nach Ungarn.", "de-AT", {"RU", "HU"}),
        # A name is matched in its own capitals, and a country named twice is one country.
        ("They talked turkey about chad and jordan.", "en", set()),
        ("Kenya's exports grew, and Kenya's imports fell.", "en", {"KE"}),
        # A region or a place named after a country is not the country.
        ("Brazil is the largest economy in Latin America.", "en", {"BR"}),
        ("Floods hit New Mexico and the Gulf of Mexico.", "en", set()),
        ("The Democratic Republic of the Congo and the U.S. met.", "en", {"CD", "US"}),
        # A country's name that is also a person's, a river's or a state's counts standing
        # apart from other capitalised words, not inside a longer name.
        ("Michael Jordan played in Chad Smith's band in Georgia Tech's hall.", "en", set()),
        ("Troops crossed the Niger River into Mali.", "en", {"ML"}),
        ("Jordan and Chad signed the accord with Georgia.", "en", {"JO", "TD", "GE"}),
        ("King Abdullah of Jordan met the President of Niger.", "en", {"JO", "NE"}),
        # A small word opening the phrase is no part of a name.
        ("In Jordan, the refugees waited for Syria to reopen.", "en", {"JO", "SY"}),
        ("The Niger junta expelled French troops.", "en", {"NE", "FR"}),
        ("Le Niger a rompu avec la France.", "fr", {"NE", "FR"}),
        # A language is not its country: "English" names the language far more often.
        ("The report was published in English.", "en", set()),
        # Scripts without capitals, and scripts that write words without spaces between them.
        ("زار وفد من الصين مصر أمس.", "ar", {"CN", "EG"}),
        # Endings and joined prefixes, in the languages that write them.
        (
            "Отношения с Китаем ухудшились, и Россия обратилась к Казахстану.",
            "ru",
            {"CN", "RU", "KZ"},
        ),
        ("Die Sanktionen Deutschlands gegen Irans Atomprogramm.", "de", {"DE", "IR"}),
        ("Der Deutschlandfunk sendet aus Köln.", "de", set()),
        ("Venäjältä tuli kaasua Suomeen.", "fi", {"RU", "FI"}),
        ("Oroszországban és Magyarországon.", "hu", {"RU", "HU"}),
        ("وصل الوفد والصين بالعراق.", "ar", {"CN", "IQ"}),
        ("وقدمت مساعدات للصين.", "ar", {"CN"}),
        ("השגריר בישראל ובמצרים.", "he", {"IL", "EG"}),
        ("Malinowski wrote to Mali.", "en", {"ML"}),
        ("Irans and Iraks are no English words.", "en", set()),
        ("中国与日本签署了协议。", "zh", {"CN", "JP"}),
        ("중국과 일본이 협정에 서명했다.", "ko", {"CN", "JP"}),
    ],
)
def test_the_countries_a_sentence_names(sentence: str, lang: str, codes: set[str]) -> None:
    assert countries_named(sentence, lang) == codes


def test_a_country_inside_an_excluded_phrase_is_not_named() -> None:
    text = "Turkish Airlines flies to Germany and to Japan."
    assert countries_named(text, "en", [(0, len("Turkish Airlines"))]) == {"DE", "JP"}
    assert countries_named(text, "en") == {"TR", "DE", "JP"}


RELATIONS = """\
---
title: The Corridor
author: ada-byron
---
The corridor carries grain to the coast every autumn.

## Partners

Turkey is widely considered Azerbaijan's main supporter in the long dispute.

Farmers grow rice and maize on both banks of the river in the valley.
"""


@pytest.mark.parametrize(
    ("countries", "counted"),
    [
        ("", False),
        ("  countries: 1.5\n", True),
        # An excluded phrase holds no keyword, and no country either.
        ("  countries: 1.5\n  exclude: [Turkey is widely]\n", False),
    ],
)
def test_a_sentence_naming_two_countries_counts_only_where_the_focus_says(
    tmp_path: Path, countries: str, counted: bool
) -> None:
    focuses = FOCUSES.replace('  color: "#1f4e79"\n', f'  color: "#1f4e79"\n{countries}', 1)
    root = project(tmp_path, RELATIONS, focuses)
    args = ["explain", "--project", str(root), "-a", "piece", "-f", "security", "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # explain lists the sentences that score: the Turkish one only where the focus says.
    listed = {s["text"].split()[0]: s for s in data["sentences"]}
    assert ("Turkey" in listed) is counted and "Farmers" not in listed
    if counted:
        assert ["two or more countries", 1] in listed["Turkey"]["terms"]
        assert listed["Turkey"]["score"] >= 1.0


@pytest.mark.parametrize(
    ("title", "sentence", "counted"),
    [
        # The article's own country stands in every sentence: one other relates the two...
        ("The Syrian Coup of 1963", "Relations with Egypt soured within weeks.", True),
        # ...while its own, named alone, relates nothing...
        ("The Syrian Coup of 1963", "Syria's new rulers purged the officer corps.", False),
        # ...and naming only the title's countries says no more than the title does...
        ("Turkey and Azerbaijan", "Turkey is Azerbaijan's main supporter in the dispute.", False),
        # ...while one beyond them relates it to them.
        ("Turkey and Azerbaijan", "Russia arms Azerbaijan's neighbour in the dispute.", True),
    ],
)
def test_in_an_article_about_a_country_naming_one_other_relates_the_two(
    tmp_path: Path, title: str, sentence: str, counted: bool
) -> None:
    article = (
        RELATIONS.replace("title: The Corridor", f"title: {title}")
        .replace("Turkey is widely considered Azerbaijan's main supporter in the long dispute.", "")
        .replace("Farmers grow rice", f"{sentence}\n\nFarmers grow rice")
    )
    focuses = FOCUSES.replace('  color: "#1f4e79"\n', '  color: "#1f4e79"\n  countries: 1.5\n', 1)
    root = project(tmp_path, article, focuses)
    args = ["explain", "--project", str(root), "-a", "piece", "-f", "security", "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    listed = {s["text"]: s for s in data["sentences"]}
    assert (
        sentence in listed and ["two or more countries", 1] in listed[sentence]["terms"]
    ) is counted
    # explain says which countries stand in every sentence, in JSON and in text.
    named = {
        "The Syrian Coup of 1963": ["Syria"],
        "Turkey and Azerbaijan": ["Azerbaijan", "Türkiye"],
    }
    assert data["title_countries"] == named[title]
    text = CliRunner().invoke(main, args[:-1]).output
    assert "Countries the title names" in text and f"\n  {', '.join(named[title])}\n" in text


def test_the_share_of_best_cut_measures_the_claim_the_ranking_uses() -> None:
    """A death toll in few of the focus's words (a low score, a high salience) claims more than
    40% of the best candidate's claim, and is ranked, not cut for its bare score."""
    from pipeline.emphasis.brief import TAKEAWAY_SHARE, Scored, _takeaways
    from pipeline.emphasis.scoring import Unit
    from pipeline.emphasis.units import Sentence

    def scored(i: int, text: str, score: float, salience: float) -> Scored:
        unit = Unit(i, 0, Sentence(text, 0, len(text)), len(text.split()), "", salience)
        return Scored(unit, score)

    best = scored(0, "Rebels and militias massacred and tortured civilians in the camps.", 6.7, 1.0)
    toll = scored(1, "The war caused 5.4 million deaths from disease and hunger.", 2.2, 2.0)
    assert toll.score < TAKEAWAY_SHARE * best.score <= toll.score * toll.unit.salience
    chosen, passed_over = _takeaways([best, toll], set(), set(), 5)
    assert toll in chosen and 1 not in passed_over


@pytest.mark.parametrize(("squarely", "sparse"), [(False, True), (True, False)])
def test_a_section_of_words_in_passing_is_no_brief_without_a_sentence_squarely_on_the_focus(
    tmp_path: Path, squarely: bool, sparse: bool
) -> None:
    """A section can pass the in-focus mark on a word in passing in each of its sentences
    ("people"); the article is about the focus only if some sentence is squarely about it."""
    farming = " ".join(
        f"Farmers in the {n} valley sold their grain at the autumn market." for n in range(30)
    )
    passing = " ".join(
        f"The {place} drew people from the coast every summer." for place in ("fair", "port")
    )
    last = (
        "Refugee families were held in detention, and the abuses went on for years."
        if squarely
        else "The harbour drew people from the hills each spring."
    )
    article = (
        "---\ntitle: The Valley\nauthor: ada-byron\n---\n\n"
        f"## Harvests\n\n{farming}\n\n## Visitors\n\n{passing} {last}\n"
    )
    brief = brief_of(project(tmp_path, article), "rights")
    assert brief.sparse is sparse
    assert (brief.takeaways == () and brief.in_focus == ()) is sparse


def test_one_sentence_squarely_on_a_focus_in_a_long_article_is_a_mention(tmp_path: Path) -> None:
    """No section about human rights, and one sentence squarely about it among a few words in
    passing: the brief says the article says little about the focus rather than quote it."""
    farming = [f"Farmers in the {n} valley sold grain at the autumn market." for n in range(53)]
    visitors = [
        "The fair drew people from the coast every summer.",
        "Refugee families were held in detention, and the abuses went on for years.",
        "The port drew people from the hills every spring.",
        *farming[30:],
    ]
    article = (
        "---\ntitle: The Valley\nauthor: ada-byron\n---\n\n"
        f"## Harvests\n\n{' '.join(farming[:15])}\n\n## Markets\n\n{' '.join(farming[15:30])}\n\n"
        f"## Visitors\n\n{' '.join(visitors)}\n"
    )
    root = project(tmp_path, article)
    brief = brief_of(root, "rights")
    args = ["explain", "--project", str(root), "-a", "piece", "-f", "rights", "--json"]
    data = json.loads(CliRunner().invoke(main, args).output)
    assert brief.sparse and brief.takeaways == () and brief.in_focus == ()
    assert data["why_sparse"] == (
        "no section is about the focus and only one sentence squarely about it"
    )


def test_prose_about_the_focus_leads_a_longer_list_of_entries_on_it(tmp_path: Path) -> None:
    """Six sentences explaining the fighting come before a timeline of ten attacks: a list's
    entries count for less than sentences towards what a section covers."""
    places = ("harbour", "airport", "bridge", "market", "depot", "camp", "road", "port", "mill")
    timeline = "\n".join(
        f"- In {1990 + n}, military troops attacked the {place} with missiles."
        for n, place in enumerate((*places, "dam"))
    )
    prose = " ".join(
        f"Military troops attacked the {place} with missiles that year." for place in places[:6]
    )
    article = (
        "---\ntitle: The Valley\nauthor: ada-byron\n---\n\nThe valley grows rice.\n\n"
        f"## Timeline\n\n{timeline}\n\n## Years of Strife\n\n{prose}\n"
    )
    brief = brief_of(project(tmp_path, article), "security")
    assert [s.title for s in brief.in_focus] == ["Years of Strife", "Timeline"]


def test_prose_about_the_focus_leads_a_timeline_of_hundreds_of_entries(tmp_path: Path) -> None:
    """However long a list is, it is one record: three sentences explaining the fighting
    come before two hundred entries of attacks."""
    timeline = "\n".join(
        f"- Day {n}: military troops attacked post {n} with missiles and mortars."
        for n in range(200)
    )
    prose = (
        "The war began when military troops attacked the valley with missiles. "
        "The army shelled the towns for a year, and the rebels answered with mortars. "
        "By the ceasefire, the fighting had killed thousands of soldiers on both sides."
    )
    article = (
        "---\ntitle: The Valley\nauthor: ada-byron\n---\n\nThe valley grows rice.\n\n"
        f"## Timeline\n\n{timeline}\n\n## The War\n\n{prose}\n"
    )
    brief = brief_of(project(tmp_path, article), "security")
    assert brief.in_focus and brief.in_focus[0].title == "The War"


def test_an_offices_portfolio_is_not_the_focus_but_a_body_named_for_it_is() -> None:
    """What the Ministry of Armed Forces says is not force; the European Court of Human Rights
    and the Syrian Armed Forces are what they are named for."""
    match = matcher(("armed forces", "defence", "human rights"))

    def ignored(text: str) -> list[bool]:
        return [bool(h.ignored) for h in match.hits(text)]

    assert ignored("The French Ministry of Armed Forces said so.") == [True]
    assert ignored("Its Minister of Defence resigned.") == [True]
    assert ignored("The Secretary of Defence and the armed forces met.") == [True, False]
    assert ignored("The European Court of Human Rights ruled.") == [False]
    assert ignored("The Syrian Armed Forces attacked.") == [False]
