"""The logical structure of a tagged PDF, built while the story is made and drawn.

Elements are made with the story, each knowing its parent. Drawing adds the content: each
marked-content sequence on a page gets an MCID and becomes a kid of its element, so a
paragraph split over two pages is one element with content on both. An element joins its
parent's kids when its first content is drawn, so kids are in the order a reader meets them:
a list item's own text before the list nested in it, a highlighted sentence (Span) between
the text before and after it. Platypus draws a story in order, so this is the story's order.
At the end, :meth:`StructureTree.write` turns the tree into ReportLab PDF objects:
/StructTreeRoot, the elements, and the /ParentTree that maps each page's MCIDs and each
annotation back to its element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObjectReference,
    PDFString,
)

from ..internals import reference
from .serialise import FastArray, FastDictionary

#: Standard structure types (ISO 32000-1, 14.8.4) this layer writes; no role map needed.
BLOCK_ROLES = frozenset(
    {"P", "BlockQuote", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Note"}
    | {"Figure", "Caption"}
)
#: The table structure types: a Table holds rows (TR), which hold header (TH) and data cells.
TABLE_ROLES = frozenset({"Table", "TR", "TH", "TD"})
INLINE_ROLES = frozenset({"Span", "Link"})


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: an MCID on a page (numbered from 1, as the canvas counts)."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    """An annotation that belongs to an element, such as a link's clickable area."""

    page: int
    ref: PDFObjectReference
    #: The annotation's dictionary, which gets its /StructParent key when the tree is written.
    dictionary: PDFDictionary


@dataclass(eq=False)
class Element:
    """A structure element. Identity matters: split flowables share their element."""

    role: str
    parent: Element | None
    kids: list[Element | MarkedContent | Annotation] = field(default_factory=list)
    #: Extra entries for the element dictionary, e.g. {"Lang": "en"}.
    attributes: dict[str, str] = field(default_factory=dict)
    #: For a Link: the target and the visible text, for the annotation's /Contents.
    href: str = ""
    text: str = ""

    #: Whether the element is in its parent's kids yet (the Document always is).
    attached: bool = False
    #: For a header cell (TH): the /Scope of its table attributes, "Column" or "Row".
    scope: str = ""
    #: For a Figure: where it is drawn on its page (x1, y1, x2, y2), its layout /BBox.
    bbox: tuple[float, float, float, float] | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> Element:
        # Flowables are sometimes copied while splitting; the copy is the same element.
        return self

    def attach(self) -> None:
        """Append the element to its parent's kids, and its parent to its own, once.

        An element may be placed in its parent ahead of its content (:meth:`place`, for table
        cells, whose order on the page is not their reading order): its ancestors still join
        theirs when its first content is drawn."""
        if self.parent is None:
            return
        self.parent.attach()
        if not self.attached:
            self.parent.kids.append(self)
            self.attached = True

    def place(self) -> None:
        """Put the element in its parent's kids now, where it is read, not where it is drawn."""
        if self.parent is not None and not self.attached:
            self.parent.kids.append(self)
            self.attached = True


class StructureTree:
    """The tree of one document, with a cursor that groups list items into lists.

    Story-building code asks for elements in reading order (:meth:`block`, :meth:`heading`,
    :meth:`list_item`); drawing code records content (:meth:`mark`, :meth:`annotate`).
    """

    def __init__(self, lang: str) -> None:
        #: The document's natural language (BCP 47), for the catalog's /Lang.
        self.lang = lang
        self.document = Element("Document", None, attached=True)
        #: Open lists, one per nesting depth, while consecutive list items arrive, and the body
        #: of each one's last item, where a deeper list goes.
        self._lists: list[Element] = []
        self._bodies: list[Element] = []
        #: The kind of marker of each list's items, by the list's identity.
        self._list_kinds: dict[int, str] = {}
        self._last_heading = 0
        #: Per page: the element of each MCID, in MCID order.
        self.pages: dict[int, list[Element]] = {}
        self.annotations: list[tuple[Annotation, Element]] = []

    # --- while the story is built -------------------------------------------------------------

    def block(self, role: str) -> Element:
        """A block element at the top level, after everything created so far."""
        if role not in BLOCK_ROLES | {"Table"}:
            raise ValueError(f"not a block structure type: {role}")
        self._lists.clear()
        self._bodies.clear()
        return Element(role, self.document)

    def heading(self, level: int) -> Element:
        """A heading element, its level limited so that no level is skipped (PDF/UA 7.4.2)."""
        level = max(1, min(level, self._last_heading + 1, 6))
        self._last_heading = level
        return self.block(f"H{level}")

    def list_item(self, depth: int = 0, kind: str = "") -> tuple[Element, Element]:
        """The label and body of a new list item at ``depth`` (0 = top level).

        Consecutive items of one ``kind`` (of marker: bullets, numbers, letters) share a
        list; a deeper item opens a list inside the body of the item before it, and any other
        block closes every open list.
        """
        del self._lists[depth + 1 :]
        del self._bodies[depth:]
        if depth < len(self._lists) and self._list_kinds[id(self._lists[depth])] != kind:
            del self._lists[depth:]  # a numbered list right after a bulleted one
        while len(self._lists) <= depth:
            parent = self._bodies[-1] if self._bodies else self.document
            self._lists.append(Element("L", parent))
            self._list_kinds[id(self._lists[-1])] = kind
        item = Element("LI", self._lists[depth])
        label, body = Element("Lbl", item), Element("LBody", item)
        self._bodies.append(body)
        return label, body

    def list_paragraph(self, depth: int = 0, role: str = "P") -> Element:
        """A further paragraph of the open item at ``depth`` (one the source indents under
        it after a blank line): a P (or another ``role``, a BlockQuote) in that item's body,
        after any list nested before it; with no item open there, the body of a new item
        (holding the BlockQuote, for that role)."""
        if depth >= len(self._bodies):
            body = self.list_item(depth)[1]
            return body if role == "P" else Element(role, body)
        del self._lists[depth + 1 :]
        del self._bodies[depth + 1 :]
        return Element(role, self._bodies[depth])

    def table(self, rows: int, columns: int) -> list[list[Element]]:
        """The cells of a new table, row by row in reading order; the first row is the header
        (TH, scope Column), the rest data cells (TD). Each cell is in its row and each row in
        the table already, so the cells keep their reading order whatever order they are drawn
        in; the table joins the document when its first cell is drawn."""
        table = self.block("Table")
        cells: list[list[Element]] = []
        for number in range(rows):
            row = Element("TR", table)
            row.place()
            role = "TH" if number == 0 else "TD"
            scope = "Column" if number == 0 else ""
            cells.append([Element(role, row, scope=scope) for _ in range(columns)])
            for cell in cells[-1]:
                cell.place()
        return cells

    def inline(self, role: str, parent: Element, href: str = "", text: str = "") -> Element:
        """An inline element inside ``parent``; it joins the parent when first drawn."""
        if role not in INLINE_ROLES:
            raise ValueError(f"not an inline structure type: {role}")
        return Element(role, parent, href=href, text=text)

    # --- while pages are drawn ----------------------------------------------------------------

    def mark(self, page: int, element: Element) -> int:
        """A new MCID on ``page`` for content of ``element``."""
        element.attach()
        marks = self.pages.setdefault(page, [])
        marks.append(element)
        content = MarkedContent(page, len(marks) - 1)
        element.kids.append(content)
        return content.mcid

    def annotate(self, annotation: Annotation, element: Element) -> None:
        """Record that ``annotation`` (e.g. a link area) belongs to ``element``.

        ReportLab adds a line's link areas before it draws the line's text, so the element
        joins its parent later, with its text, where it is read."""
        element.kids.append(annotation)
        self.annotations.append((annotation, element))

    # --- when the document is saved -----------------------------------------------------------

    def write(
        self, doc: PDFDocument, page_refs: dict[int, PDFObjectReference]
    ) -> PDFObjectReference:
        """Add the tree to ``doc`` and return the reference of its /StructTreeRoot.

        ``page_refs`` maps the canvas's page numbers to the written pages. Each page's
        /StructParents key is its page number minus one; annotations follow the pages.
        """
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = reference(doc, root)
        elements = _with_content(self.document)
        # Every element is registered before any is filled in: kids and parents refer both ways.
        dictionaries = {id(e): FastDictionary({}) for e in elements}
        refs = {key: reference(doc, dictionary) for key, dictionary in dictionaries.items()}
        for element in elements:
            dictionaries[id(element)].dict.update(
                _element_entries(element, refs, root_ref, page_refs)
            )
        root["K"] = refs[id(self.document)]
        ids = sorted((e.attributes["ID"], refs[id(e)]) for e in elements if "ID" in e.attributes)
        if ids:  # elements with an /ID (notes) are found through the tree's /IDTree
            names: list[Any] = [item for key, ref in ids for item in (PDFString(key), ref)]
            root["IDTree"] = PDFDictionary({"Names": PDFArray(names)})
        nums: list[Any] = []
        for page in sorted(page_refs):
            nums += [page - 1, FastArray([refs[id(e)] for e in self.pages.get(page, [])])]
        next_key = max(page_refs, default=0)
        for annotation, element in self.annotations:
            annotation.dictionary["StructParent"] = next_key
            nums += [next_key, refs[id(element)]]
            next_key += 1
        root["ParentTree"] = reference(doc, FastDictionary({"Nums": FastArray(nums)}))
        root["ParentTreeNextKey"] = next_key
        return root_ref


def _with_content(root: Element) -> list[Element]:
    """``root`` and its descendants in document order, leaving out any with nothing drawn
    (an inline element whose text was empty): the file has no empty elements."""
    found: list[Element] = []

    def visit(element: Element) -> bool:
        at = len(found)
        found.append(element)
        drawn = False
        for kid in element.kids:
            drawn = (visit(kid) if isinstance(kid, Element) else True) or drawn
        if not drawn:
            del found[at:]
        return drawn

    visit(root)
    return found


def _element_entries(
    element: Element,
    refs: dict[int, PDFObjectReference],
    root_ref: PDFObjectReference,
    page_refs: dict[int, PDFObjectReference],
) -> dict[str, Any]:
    pages = [kid.page for kid in element.kids if isinstance(kid, MarkedContent)]
    own_page = pages[0] if pages else None
    kids: list[Any] = []
    for kid in element.kids:
        if isinstance(kid, Element):
            if id(kid) in refs:
                kids.append(refs[id(kid)])
        elif isinstance(kid, MarkedContent):
            if kid.page == own_page:
                kids.append(kid.mcid)
            else:
                kids.append(
                    FastDictionary(
                        {"Type": PDFName("MCR"), "Pg": page_refs[kid.page], "MCID": kid.mcid}
                    )
                )
        else:
            kids.append(
                FastDictionary({"Type": PDFName("OBJR"), "Obj": kid.ref, "Pg": page_refs[kid.page]})
            )
    entries: dict[str, Any] = {
        "Type": PDFName("StructElem"),
        "S": PDFName(element.role),
        "P": refs[id(element.parent)] if element.parent is not None else root_ref,
        # A single kid is written bare, as most writers do (and as pdfua 0.1.3 needs, see tests).
        "K": kids[0] if len(kids) == 1 else FastArray(kids),
    }
    if own_page is not None:
        entries["Pg"] = page_refs[own_page]
    for key, value in element.attributes.items():
        entries[key] = PDFString(value)
    if element.scope:
        entries["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(element.scope)})
    if element.bbox is not None:
        box = PDFArray([round(v, 2) for v in element.bbox])
        entries["A"] = PDFDictionary({"O": PDFName("Layout"), "BBox": box})
    return entries
