"""The HTML briefs as the Nu Html Checker and axe-core in Chromium see them."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from .briefs import BuiltBrief

#: axe-core rule tags for WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTH = 375
#: Violations in full; passes only counted (serialising every passing node costs time).
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                        resultTypes: ['violations']})"""
DESKTOP_WIDTH = 1280


def _describe(messages: list[dict[str, Any]]) -> str:
    lines = []
    for m in messages:
        kind = "/".join(filter(None, [m.get("type"), m.get("subType")]))
        lines.append(f"  {kind} line {m.get('lastLine')}: {m.get('message')}")
    return "\n".join(lines)


def test_nu_html_checker_finds_nothing(
    page: Path, vnu_report: dict[str, list[dict[str, Any]]]
) -> None:
    """No error and no warning (nor any other message) from the Nu Html Checker."""
    messages = vnu_report.get(str(page.resolve()), []) + vnu_report.get("", [])
    assert not messages, f"Nu Html Checker on {page}:\n{_describe(messages)}"


def test_axe_finds_no_wcag_aa_violation(page: Path, tab: Any, axe_source: str) -> None:
    """axe-core: zero WCAG 2.1 A/AA violations, light and dark, on a desktop and on a phone.

    Every brief, and every index.html that lists them.

    One page per brief, with axe injected once; the colour scheme and the viewport change
    in place (both re-style the page as a reload would), which keeps the suite fast.
    """
    failures: list[str] = []
    tab.set_viewport_size({"width": DESKTOP_WIDTH, "height": 900})
    tab.emulate_media(media="screen")
    try:
        tab.goto(page.as_uri())
        tab.add_script_tag(content=axe_source)
        for scheme in ("light", "dark"):
            tab.emulate_media(color_scheme=scheme)
            assert tab.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
                scheme == "dark"
            )
            for width in (DESKTOP_WIDTH, PHONE_WIDTH):
                tab.set_viewport_size({"width": width, "height": 900})
                result = tab.evaluate(AXE_RUN, WCAG_AA)
                assert result["passes"], "axe-core ran no check at all"
                where = f"{scheme}, {width}px"
                failures += [
                    f"{where}: {v['id']} ({v['impact']}): {v['help']}\n"
                    + "\n".join(f"    {n['target']}: {n['failureSummary']}" for n in v["nodes"][:5])
                    for v in result["violations"]
                ]
                scroll_width = tab.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    failures.append(f"{where}: the page scrolls sideways ({scroll_width}px wide)")
    finally:
        tab.emulate_media(color_scheme="light")
    assert not failures, f"axe-core {result['testEngine']['version']} on {page}:\n" + "\n".join(
        failures
    )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values)
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")


def test_html_links_to_its_pdf(built: BuiltBrief) -> None:
    """The page offers its PDF with a link that resolves to the PDF beside it, online or not."""
    parser = _Links()
    parser.feed(built.html.read_text(encoding="utf-8"))
    pdf_links = [a for a in parser.links if a.get("type") == "application/pdf"]
    assert len(pdf_links) == 1, pdf_links
    href = str(pdf_links[0]["href"])
    assert not urlparse(href).scheme, f"the PDF link {href} should be relative, to work offline"
    assert Path(urlparse(urljoin(built.html.as_uri(), href)).path) == built.pdf
    assert built.pdf.is_file()
    if built.base_url:
        assert parser.canonical == f"{built.base_url}{built.relpath}.html"
    else:
        assert parser.canonical is None
