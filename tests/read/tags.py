"""A tagged PDF as assistive technology reads it: the structure tree and the text it points to.

The tree is read with pikepdf, following /K in order (kids are structure elements, MCIDs on
the element's page, marked-content references, and object references). The text of each
marked-content sequence is read with pdfminer, which reports every character drawn together
with the BDC/BMC sequences open around it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from .text import collapse


@dataclass(frozen=True)
class Content:
    """A marked-content sequence: page index (from 0) and MCID."""

    page: int
    mcid: int


@dataclass(frozen=True)
class ObjectRef:
    """An object reference kid (a link annotation): page index and the object's number."""

    page: int
    objgen: tuple[int, int]


@dataclass
class Element:
    """A structure element as written in the file."""

    role: str
    kids: list[Element | Content | ObjectRef] = field(default_factory=list)
    #: The element dictionary's object number, to find it again in the file.
    objgen: tuple[int, int] = (0, 0)
    actual_text: str | None = None

    def walk(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def find(self, role: str) -> list[Element]:
        """This element and every element below it with the role ``role``, in document order."""
        return [e for e in self.walk() if e.role == role]

    def contents(self) -> Iterator[Content]:
        """Every marked-content sequence of the element and its descendants, in order."""
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.contents()
            elif isinstance(kid, Content):
                yield kid


def structure(pdf: pikepdf.Pdf) -> Element:
    """The document's structure tree, from /StructTreeRoot down."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}

    def read(node: pikepdf.Dictionary, page: int | None) -> Element:
        if "/Pg" in node:
            page = pages[node.Pg.objgen]
        actual = str(node.ActualText) if "/ActualText" in node else None
        element = Element(str(node.S)[1:], objgen=node.objgen, actual_text=actual)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                assert page is not None, f"MCID {kid} of {element.role} has no page"
                element.kids.append(Content(page, kid))
            elif kid.get("/Type") == "/MCR":
                element.kids.append(Content(pages[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                element.kids.append(ObjectRef(pages[kid.Pg.objgen], kid.Obj.objgen))
            else:
                element.kids.append(read(kid, page))
        return element

    root = pdf.Root.StructTreeRoot
    assert not isinstance(root.K, pikepdf.Array), "one Document element"
    return read(root.K, None)


@dataclass
class PageText:
    """What a page draws: text by MCID, artifact text, and text drawn outside both."""

    marked: dict[int, str] = field(default_factory=dict)
    artifacts: list[str] = field(default_factory=list)
    untagged: str = ""
    #: MCIDs in the order the page paints them.
    paint_order: list[int] = field(default_factory=list)
    #: Height above the page's bottom edge of the highest artifact text (0 without any).
    artifact_top: float = 0.0


class _Recorder(PDFTextDevice):  # type: ignore[misc]
    def __init__(self, rsrcmgr: PDFResourceManager):
        super().__init__(rsrcmgr)
        self.pages: list[PageText] = []
        self._stack: list[tuple[str, int | None]] = []

    def begin_page(self, page: Any, ctm: Any) -> None:
        self.pages.append(PageText())
        self._stack = []

    def begin_tag(self, tag: Any, props: Any = None) -> None:
        mcid = props.get("MCID") if isinstance(props, dict) else None
        self._stack.append((tag.name, mcid))
        page = self.pages[-1]
        if mcid is not None:
            page.paint_order.append(mcid)
        elif tag.name == "Artifact":
            page.artifacts.append("")

    def end_tag(self) -> None:
        self._stack.pop()

    def render_char(
        self,
        matrix: Any,
        font: Any,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: Any,
        graphicstate: Any,
    ) -> float:
        try:
            text = font.to_unichr(cid)
        except Exception:  # pdfminer raises its own error for an unmapped code
            text = "\ufffd"
        page = self.pages[-1]
        inner = next((m for _, m in reversed(self._stack) if m is not None), None)
        if any(name == "Artifact" for name, _ in self._stack):
            page.artifacts[-1] += text
            page.artifact_top = max(page.artifact_top, matrix[5] + fontsize * abs(matrix[3]))
        elif inner is not None:
            page.marked[inner] = page.marked.get(inner, "") + text
        else:
            page.untagged += text
        return float(font.char_width(cid) * fontsize * scaling)


def page_texts(path: Path) -> list[PageText]:
    """The text of every page, sorted by the marked-content sequence it belongs to."""
    manager = PDFResourceManager()
    device = _Recorder(manager)
    interpreter = PDFPageInterpreter(manager, device)
    with path.open("rb") as file:
        for page in PDFPage.get_pages(file):
            interpreter.process_page(page)
    return device.pages


def text_of(element: Element, pages: list[PageText]) -> str:
    """The element's text as assistive technology reads it, whitespace collapsed: its
    /ActualText where it has one, else its content and its descendants' in tree order."""
    if element.actual_text is not None:
        return collapse(element.actual_text)
    parts: list[str] = []
    for kid in element.kids:
        if isinstance(kid, Element):
            parts.append(text_of(kid, pages))
        elif isinstance(kid, Content):
            parts.append(pages[kid.page].marked.get(kid.mcid, ""))
    return collapse(" ".join(parts))
