"""Property: any article either builds, with all of its text in the PDF and the HTML, or fails
with the project's own error.

Hypothesis writes Markdown articles from arbitrary Unicode (no surrogates; control characters,
combining marks, emoji, joiners, right-to-left letters included) mixed with hostile fragments
(HTML, ReportLab markup, entities, Markdown links to any target). Each article is read from a
file and rendered in-process, both formats. Profiles: ``ci`` (the default, 200 examples) and
``nightly`` (2,000), chosen with HYPOTHESIS_PROFILE=nightly.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from pipeline.build import brief_date
from pipeline.emphasis import emphasise
from pipeline.errors import BriefError
from pipeline.model import Article, Block, Edition
from pipeline.render import RenderContext, html, pdf
from pipeline.render.pdf.scripts import has_rtl, missing_glyphs
from pipeline.sources import Project, read_project
from pipeline.sources.theme import load_theme

from .read import FIXTURES, html_text

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "nightly", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HOSTILE_FRAGMENTS = [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "</para><para>",
    '<font face="Courier" size="40">', '<a href="javascript:alert(1)">x</a>', "&amp;", "&#0;",
    "&lt;b&gt;", "&",
    "&nbsp;", '"', "'", "<br/>", "<![CDATA[", "]]>", "<!--", "[link](javascript:alert(1))",
    "[data](data:text/html,x)", "[web](https://example.org/a?b=1&c=2)", "<https://example.org>",
    "**bold**", "*em*", "`code`", "\\", "\n\n- item\n\n", "\n\n> quote\n\n", "\n\n### Sub\n\n",
]  # fmt: skip
#: Letters of the scripts the theme's fonts cover, joiners, marks, emoji and control characters.
ALPHABET = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from("абвгдежзийклмнопрстуфхцчшщыэюяαβγδεζηθικλμνξοπρστυφχψω"),
    st.sampled_from("ابتثجحخدذرسشصضطظعغفقكلمنهوي"),
    st.sampled_from("אבגדהוזחטיכלמנסעפצקרשת"),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # Hangul syllables
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK ideographs
    st.characters(min_codepoint=0x3041, max_codepoint=0x30FF),  # kana
    st.sampled_from("\u0301\u0308\u0327\u200d\u200c\u200b\ufe0f\u00ad\u00a0\u2028"),
    st.sampled_from("😀👍🏽👩\u200d👩\u200d👧🇰🇷"),
    st.characters(max_codepoint=0x9F, categories=["Cc"]),
    st.characters(exclude_categories=["Cs"]),  # anything at all but surrogates
)
TEXT = st.text(ALPHABET, min_size=1, max_size=40)
INLINE = st.lists(st.one_of(TEXT, st.sampled_from(HOSTILE_FRAGMENTS)), min_size=1, max_size=6).map(
    "".join
)


@st.composite
def articles(draw: st.DrawFn) -> str:
    title = draw(INLINE.filter(lambda t: t.strip()))
    sections = []
    for _ in range(draw(st.integers(1, 3))):
        heading = draw(TEXT).replace("\n", " ")
        paragraphs = draw(st.lists(INLINE, min_size=1, max_size=3))
        sections.append(f"## {heading}\n\n" + "\n\n".join(paragraphs))
    front = yaml.safe_dump({"title": title, "author": "mallory"}, allow_unicode=True)
    return f"---\n{front}---\n" + "\n\n".join(sections) + "\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("property")
    (root / "sources" / "articles").mkdir(parents=True)
    (root / "sources" / "authors").mkdir()
    (root / "sources" / "authors" / "mallory.md").write_text("---\nname: Mallory\n---\nBio.\n")
    (root / "sources" / "focuses.yaml").write_text(
        (FIXTURES / "hostile" / "sources" / "focuses.yaml").read_text()
    )
    return root


def _compare(text: str) -> str:
    """Text as extraction can give it back: NFKC (shaped Arabic returns as presentation forms,
    ligatures as ligatures), without format characters, soft hyphens or whitespace (lines break
    anywhere in a long word)."""
    text = unicodedata.normalize("NFKC", text)
    dropped = {"\xad", "\x00"}  # U+0000: what a character drawn without a glyph extracts as
    return "".join(
        c for c in text if not c.isspace() and unicodedata.category(c) != "Cf" and c not in dropped
    )


def _expected_pieces(article: Article) -> list[tuple[str, str]]:
    """Each piece of text a brief draws, with the style it is drawn in: a face of another
    family may have glyphs the body face lacks ("▴" in a heading)."""
    style = {"heading": "subheading", "item": "item", "quote": "quote", "code": "code"}
    return [
        (article.title, "title"),
        *((s.title, "heading") for s in article.sections),
        *((_as_read(b), style.get(b.kind, "body")) for s in article.sections for b in s.blocks),
    ]


def _as_read(block: Block) -> str:
    """A block's text as a reader sees it: a note's number stands where it is referenced
    ("0^[x]3" reads "0", a raised "1", "3")."""
    if not block.runs:
        return block.text
    return "".join(str(run.note) if run.note else run.text for run in block.runs)


#: Hebrew and Arabic blocks (with presentation forms), whose runs pypdf reorders on extraction.
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _mirror_free(text: str) -> Counter[str]:
    """Characters of ``text`` as a multiset, mirrored brackets counted as one kind."""
    return Counter("()" if unicodedata.mirrored(c) else c for c in text)


@given(source=articles())
# Found by the property itself once Arabic could be drawn: see rtl_near below.
@example(source="---\nauthor: mallory\ntitle: '0'\n---\n## 0\n\n\u0600\n\n:;\n")
# Found by the property too: an empty inline note, which mdit-py-plugins gives no subId.
@example(source="---\nauthor: mallory\ntitle: '0'\n---\n## 0\n\n^[]\n")
# Found by the property too: a note referenced between two characters reads as its number there.
@example(source="---\nauthor: mallory\ntitle: '0'\n---\n## 0\n\n0^[]3\n")
@example(source="---\nauthor: mallory\ntitle: '0'\n---\n## 0\n\n0^[x]3\n")
def test_an_article_builds_with_all_its_text_or_fails_cleanly(project: Path, source: str) -> None:
    path = project / "sources" / "articles" / "generated.md"
    path.write_text(source, encoding="utf-8")
    try:
        sources = read_project(Project.at(project), [])
        (article,) = sources.articles
        brief = emphasise(
            article, Edition("general", ()), tuple(sources.focuses.values()), brief_date(article)
        )
        theme = load_theme(None)
        context = RenderContext(theme=theme, template_dirs=theme.search_dirs)
        pdf_bytes = pdf.render(brief, context)
        page = html.render(brief, context)
    except BriefError as exc:
        event(f"rejected: {type(exc).__name__}")
        return
    event("built")
    import io

    import html5lib
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    extracted = _compare("".join(p.extract_text() for p in reader.pages))
    document = html5lib.parse(page, namespaceHTMLElements=False)
    shown = _compare(html_text(document.find("body")))
    styles = pdf.styles_for(context, "#000000")
    drawn = list(_expected_pieces(article))
    pieces = [piece for piece, _ in drawn]
    # pypdf reverses a run holding a Hebrew or Arabic code point, and a neighbouring run with it
    # (a paragraph of "\u0600" makes the next one, ":;", extract as ";:").
    rtl_near = any(has_rtl(p) or _RTL_BLOCKS.search(p) for p in pieces)
    for piece, style in drawn:
        assert _compare(piece) in shown
        # Characters no font has are drawn as empty boxes (and warned about): not extractable.
        # Nor are characters beyond U+FFFF (emoji, rare CJK): they are drawn, but ReportLab
        # writes their text mapping wrongly (see the README).
        chain = styles.chain(getattr(styles, style).fontName)
        missing = set(missing_glyphs(piece, chain))
        expected = _compare("".join(c for c in piece if c not in missing and ord(c) <= 0xFFFF))
        if rtl_near:
            # Drawn in visual order: the characters are all there, not in logical order. pypdf
            # also reverses runs holding any Hebrew or Arabic code point, even a lone vowel
            # mark drawn in logical order ("\u05b0:;" extracts as ";:\u05b0").
            assert not _mirror_free(expected) - _mirror_free(extracted)
        elif "\xad" in piece:
            # A soft hyphen is where a line may break, and a hyphen shows when it does.
            assert expected.replace("-", "") in extracted.replace("-", "")
        else:
            assert expected in extracted
    assert document.findall(".//script") == []
