"""A saved page's tree, built by html5lib as the HTML standard says, with each node's line.

html5lib parses a page the way browsers do (implied ``<p>`` and ``<li>`` ends, tables' foster
parenting, misnested formatting, ``<template>`` contents), but does not say where a node came
from. Its input stream does know where it is: a node is made right after its token is read, so
an element's line is the line its start tag ends on, and a run of text starts that many lines
before where it ends as it holds line breaks.

Two things keep deep pages cheap. html5lib checks whether an element is "in scope" by walking
the stack of open elements, so every ``<div>`` on a page nested twenty thousand deep would walk
twenty thousand elements looking for an open ``<p>``: the stack here counts the open elements of
each name, and a name with none open is answered at once. And the tree is walked with stacks of
the caller's own, never by recursion.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import SupportsIndex, cast

import html5lib
from html5lib.treebuilders.base import TreeBuilder


class Text:
    """A run of text in the tree, and the line of the page where it starts."""

    __slots__ = ("line", "parent", "text")

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.line = line
        self.parent: Element | None = None


class Element:
    """An element of the tree (also the document, a comment or a doctype, by their tag).

    Its methods are the node interface html5lib's tree construction calls.
    """

    __slots__ = ("_clock", "attrs", "children", "has_block", "line", "namespace", "parent", "tag")

    def __init__(
        self, tag: str, namespace: str | None, line: int, clock: Callable[[], int]
    ) -> None:
        self.tag = tag
        self.namespace = namespace
        self.line = line
        self.attrs: dict[str, str] = {}
        self.children: list[Element | Text] = []
        self.parent: Element | None = None
        #: Whether a block element (or site chrome) is somewhere inside; set by the reader.
        self.has_block = False
        self._clock = clock

    # --- what html5lib's tree construction needs ------------------------------------------

    @property
    def name(self) -> str:
        return self.tag

    @property
    def nameTuple(self) -> tuple[str | None, str]:
        return (self.namespace or "http://www.w3.org/1999/xhtml", self.tag)

    @property
    def attributes(self) -> dict[str, str]:
        return self.attrs

    @attributes.setter
    def attributes(self, value: Mapping[object, str]) -> None:
        # Foreign attributes (xlink:href on SVG) come keyed by (prefix, name, namespace).
        self.attrs = {
            (key if isinstance(key, str) else str(cast(tuple[str, str], key)[1])): val
            for key, val in value.items()
        }

    @property
    def childNodes(self) -> list[Element | Text]:
        return self.children

    @childNodes.setter
    def childNodes(self, value: list[Element | Text]) -> None:
        self.children = value

    def appendChild(self, node: Element | Text) -> None:
        node.parent = self
        self.children.append(node)

    def insertBefore(self, node: Element | Text, ref: Element | Text) -> None:
        node.parent = self
        self.children.insert(self._index(ref), node)

    def insertText(self, data: str, insertBefore: Element | None = None) -> None:
        text = Text(data, max(1, self._clock() - data.count("\n")))
        if insertBefore is None:
            self.appendChild(text)
        else:
            self.insertBefore(text, insertBefore)

    def removeChild(self, node: Element | Text) -> None:
        del self.children[self._index(node)]
        node.parent = None

    def reparentChildren(self, new_parent: Element) -> None:
        for child in self.children:
            new_parent.appendChild(child)
        self.children = []

    def cloneNode(self) -> Element:
        clone = Element(self.tag, self.namespace, self.line, self._clock)
        clone.attrs = dict(self.attrs)
        return clone

    def hasContent(self) -> bool:
        return bool(self.children)

    def _index(self, node: Element | Text) -> int:
        return next(i for i, child in enumerate(self.children) if child is node)


def _no_clock() -> int:
    return 1


class _OpenElements(list[Element]):
    """The stack of open elements, counting how many of each name it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.names: Counter[str] = Counter()

    def append(self, element: Element) -> None:
        self.names[element.tag] += 1
        super().append(element)

    def pop(self, index: SupportsIndex = -1) -> Element:
        element = super().pop(index)
        self.names[element.tag] -= 1
        return element

    def remove(self, element: Element) -> None:
        super().remove(element)
        self.names[element.tag] -= 1

    def insert(self, index: SupportsIndex, element: Element) -> None:
        self.names[element.tag] += 1
        super().insert(index, element)

    def __setitem__(self, index: SupportsIndex | slice, value: object) -> None:
        if isinstance(index, slice):
            raise TypeError("the stack of open elements is changed one element at a time")
        element = cast(Element, value)
        self.names[self[index].tag] -= 1
        self.names[element.tag] += 1
        super().__setitem__(index, element)

    def __delitem__(self, index: SupportsIndex | slice) -> None:
        removed: Iterable[Element] = self[index] if isinstance(index, slice) else [self[index]]
        self.names.subtract(e.tag for e in removed)
        super().__delitem__(index)


class _Builder(TreeBuilder):
    """html5lib's tree construction, making :class:`Element` nodes stamped with their line."""

    def __init__(self, namespaceHTMLElements: bool | None) -> None:
        self.clock: Callable[[], int] = _no_clock
        super().__init__(namespaceHTMLElements)

    @staticmethod
    def documentClass() -> Element:
        return Element("#document", None, 1, _no_clock)

    @staticmethod
    def commentClass(data: str) -> Element:
        return Element("#comment", None, 1, _no_clock)

    @staticmethod
    def doctypeClass(name: str, public_id: str, system_id: str) -> Element:
        return Element("#doctype", None, 1, _no_clock)

    def reset(self) -> None:
        super().reset()
        self.openElements = _OpenElements()

    def _element(self, token: Mapping[str, object]) -> Element:
        namespace = cast(str | None, token.get("namespace", self.defaultNamespace))
        element = Element(cast(str, token["name"]), namespace, self.clock(), self.clock)
        element.attributes = cast(Mapping[object, str], token["data"])
        return element

    def createElement(self, token: Mapping[str, object]) -> Element:
        return self._element(token)

    def insertElementNormal(self, token: Mapping[str, object]) -> Element:
        element = self._element(token)
        self.openElements[-1].appendChild(element)
        self.openElements.append(element)
        return element

    def elementInScope(self, target: object, variant: str | None = None) -> bool:
        if isinstance(target, str) and not cast(_OpenElements, self.openElements).names[target]:
            return False
        # The stubs leave html5lib's own method untyped; it returns a bool.
        return bool(super().elementInScope(target, variant))  # type: ignore[no-untyped-call]


def parse_page(text: str) -> Element:
    """The document tree of a decoded page, as a browser builds it."""
    parser = html5lib.HTMLParser(tree=_Builder, namespaceHTMLElements=False)
    builder = cast(_Builder, parser.tree)

    def line() -> int:
        return int(parser.tokenizer.stream.position()[0])

    builder.clock = line
    return cast(Element, parser.parse(text))
