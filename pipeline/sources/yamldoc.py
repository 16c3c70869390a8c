"""YAML documents of source files: values, the line of every key, and errors at their line.

Every YAML a project holds (front matter, ``focuses.yaml``, ``project.yaml``, ``theme.yaml``) is
read here, so a problem in any of them is located the same way: by the parser's marks, counted
from the line the document starts on in its file.

libyaml parses when PyYAML has it: several times faster than PyYAML's own parser. Both read
valid YAML alike but word their errors differently, so a text libyaml rejects is parsed again by
the Python parser: a broken source gets PyYAML's message, and a valid one is read at C speed.

Three things valid YAML allows are refused, each at its line: aliases (``*name``), with which a
kilobyte of text names gigabytes of values; nesting deeper than :data:`MAX_DEPTH`, which no
source needs and which would exhaust the stack of the code that reads the values; and a key
written twice in one mapping, of which YAML keeps the last without a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from ..errors import BriefError, SourceError
from .decode import UNSHOWABLE, join_surrogates
from .problems import SourceWarning, Warnings
from .pyyaml import yaml

#: A loader class: PyYAML's own parser or libyaml's, with the same resolvers and constructors.
Loader: TypeAlias = "type[yaml.SafeLoader] | type[yaml.CSafeLoader]"


class SourceLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is checked (and located) like any value
    instead of failing the whole file; and in which only true and false are booleans, as in
    YAML 1.2: YAML 1.1's yes, no, on and off made ``lang: no`` (Norwegian) false, and a focus
    keyword ``NO`` no word at all."""


_BOOL = "tag:yaml.org,2002:bool"
SourceLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", _BOOL)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SourceLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

#: How deeply mappings and lists may nest in a source's YAML (a theme needs four levels).
MAX_DEPTH = 32

#: libyaml's counterpart of each loader, made on first use.
_FAST_LOADERS: dict[type[yaml.SafeLoader], Loader] = {}


class RefusedYaml(yaml.YAMLError):
    """Valid YAML that a source may not hold: an alias, or nesting deeper than ``MAX_DEPTH``."""

    def __init__(self, problem: str, mark: Any = None, first_line: int | None = None):
        super().__init__(problem)
        self.problem = problem
        #: The 0-based line of the text where the problem is, when it is known.
        self.line: int | None = None if mark is None else int(mark.line)
        #: For a key written twice, the 0-based line of its first writing ("{first}" in the
        #: problem is that line in the file).
        self.first_line = first_line


@dataclass(frozen=True)
class YamlDocument:
    """A YAML document read from a file: its values, and the nodes that locate them."""

    #: The values, dates left as text and unshowable characters removed from every string.
    data: Any
    #: The node tree, whose marks give each key's line; None for an empty document.
    root: yaml.Node | None
    #: The 1-based line of the file on which the document's text starts.
    first_line: int = 1

    def line(self, node: yaml.Node) -> int:
        """The 1-based line of the file on which ``node`` starts."""
        return node.start_mark.line + self.first_line

    def key_lines(self, node: yaml.Node | None = None) -> dict[str, int]:
        """The line of each key of a mapping (``node``, else the document's root), by key."""
        mapping = self.root if node is None else node
        if not isinstance(mapping, yaml.MappingNode):
            return {}
        return {str(key.value): self.line(key) for key, _ in mapping.value}

    def line_at(self, *keys: str | int) -> int | None:
        """The line of the value at ``keys`` from the root: in a mapping the line of its key
        (``"sizes", "body"``), in a list the line of its item by index (``"pin", 0``); None
        where the document has none."""
        return self._find(keys)[1]

    def node_at(self, *keys: str | int) -> yaml.Node | None:
        """The node of the value at ``keys`` from the root (see :meth:`line_at`), or None."""
        return self._find(keys)[0]

    def written(self, *keys: str | int) -> str | None:
        """The text of the scalar at ``keys`` as the file writes it (``3.10``, not ``3.1``), or
        None where there is none."""
        node = self._find(keys)[0]
        return str(node.value) if isinstance(node, yaml.ScalarNode) else None

    def _find(self, keys: tuple[str | int, ...]) -> tuple[yaml.Node | None, int | None]:
        """The node at ``keys`` from the root and its line (see :meth:`line_at`)."""
        node, line = self.root, None
        for key in keys:
            if isinstance(node, yaml.MappingNode) and isinstance(key, str):
                found = next(((k, v) for k, v in node.value if str(k.value) == key), None)
                if found is None:
                    return None, None
                line, node = self.line(found[0]), found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if not 0 <= key < len(node.value):
                    return None, None
                node = node.value[key]
                line = self.line(node)
            else:
                return None, None
        return node, line


def parse(
    text: str,
    path: Path,
    what: str,
    first_line: int = 1,
    error: type[BriefError] = SourceError,
    warnings: Warnings | None = None,
) -> YamlDocument:
    """The YAML document in ``text``, read from ``path`` (dates stay text).

    A syntax error raises ``error`` as ``"<what>: <problem>"`` at its line in the file;
    ``first_line`` is the line ``text`` starts on, for front matter below a ``---`` line.

    A control character written as a YAML escape (``"\\0"``, ``"\\x07"``) cannot be shown,
    nor can a lone surrogate (``"\\ud800"``, half of a UTF-16 pair whose other half is not
    beside it: no character at all). With ``warnings`` it is removed, and a warning says so at
    its value's line, as for one in the file itself: the front matter of a page YAML-dumped by
    a scraper carries the page's debris so. Without, in configuration written by hand, it is
    an error at that line.
    """
    try:
        root, data = document(text, SourceLoader)
    except RefusedYaml as exc:
        line = None if exc.line is None else exc.line + first_line
        problem = exc.problem
        if exc.first_line is not None:
            problem = problem.replace("{first}", str(exc.first_line + first_line))
        raise error(problem, path, line) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{what}: {problem}", path, line) from exc
    for node, found in _escaped_unshowable(root):
        line = node.start_mark.line + first_line
        codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
        surrogates = all(_SURROGATE.fullmatch(c) for c in found)
        if warnings is None:
            what = (
                "a lone surrogate (half of a UTF-16 pair), which is no character"
                if surrogates
                else "a control character that cannot be shown"
            )
            raise error(f"a YAML escape makes {codes}, {what}: remove it", path, line)
        noun, why = (
            ("lone surrogate(s)", "halves of UTF-16 pairs, they are no characters")
            if surrogates
            else ("control character(s)", "they cannot be shown")
        )
        warnings.append(
            SourceWarning(
                f"removed {len(found)} {noun} ({codes}) written as YAML escapes: {why}",
                path,
                line,
            )
        )
    return YamlDocument(_without_unshowable(data), root, first_line)


def document(
    text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader
) -> tuple[yaml.Node | None, Any]:
    """The YAML document in ``text`` as a node tree (with line marks) and as Python values.

    Raises :class:`yaml.YAMLError` as ``loader`` words it, and :class:`RefusedYaml` for an alias
    or for nesting deeper than :data:`MAX_DEPTH`.
    """
    fast = _fast(loader)
    try:
        return _read(text, fast)
    except yaml.YAMLError as fast_error:
        if fast is loader or isinstance(fast_error, RefusedYaml):
            raise
        # PyYAML's own parser words the error, through its events first: its composer
        # recurses once a level, and a text too deep for libyaml is too deep for the stack.
        deep = _too_deep(text, loader)
        if deep is not None:
            raise deep from None
        return _read(text, loader)
    except RecursionError:
        raise _too_deep(text, loader) or RefusedYaml(_TOO_DEEP) from None


def load(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """The Python values of the YAML document in ``text`` (safe: ``loader`` is a SafeLoader)."""
    return document(text, loader)[1]


def _fast(loader: type[yaml.SafeLoader]) -> Loader:
    """libyaml's parser with the resolvers and constructors of ``loader``, if PyYAML has it."""
    if not getattr(yaml, "__with_libyaml__", False):
        return loader
    fast = _FAST_LOADERS.get(loader)
    if fast is None:

        class Fast(yaml.CSafeLoader):
            yaml_implicit_resolvers = loader.yaml_implicit_resolvers
            yaml_constructors = loader.yaml_constructors

        fast = _FAST_LOADERS[loader] = Fast
    return fast


def _read(text: str, loader: Loader) -> tuple[yaml.Node | None, Any]:
    parser = loader(text)
    try:
        node = parser.get_single_node()
        if node is None:
            return None, None
        _check_shape(node, text, loader)
        return node, parser.construct_document(node)
    finally:
        parser.dispose()


def _check_shape(root: yaml.Node, text: str, loader: Loader) -> None:
    """Refuse aliases and deep nesting, before any value is made from the node tree.

    An alias makes the composer hand out the node it names again, so a node met twice is an
    alias. The walk keeps its own stack: the tree may be deeper than Python's.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise _first_alias(text, loader)
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise RefusedYaml(_TOO_DEEP, node.start_mark)
        if isinstance(node, yaml.SequenceNode):
            stack += [(child, depth + 1) for child in node.value]
        elif isinstance(node, yaml.MappingNode):
            _check_keys(node)
            stack += [(child, depth + 1) for pair in node.value for child in pair]


def _check_keys(node: yaml.MappingNode) -> None:
    """Refuse a key written twice in one mapping: YAML's last one would silently replace the
    first (a second ``security:`` replaces the whole focus before it)."""
    first: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        line = first.get((key.tag, key.value))
        if line is None:
            first[(key.tag, key.value)] = key.start_mark.line
        else:
            raise RefusedYaml(
                f"the key '{key.value}' is written twice (first on line {{first}}): the second "
                "would silently replace the first",
                key.start_mark,
                first_line=line,
            )


_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels of mappings and lists"


def _first_alias(text: str, loader: Loader) -> RefusedYaml:
    """The error for the first alias in ``text``, at its line."""
    for event in _events(text, loader):
        if isinstance(event, yaml.AliasEvent):
            return RefusedYaml(
                f"YAML aliases ('*{event.anchor}') are not allowed in sources: write the value out",
                event.start_mark,
            )
    return RefusedYaml("YAML aliases are not allowed in sources")


def _too_deep(text: str, loader: Loader) -> RefusedYaml | None:
    """The error for ``text`` nested deeper than :data:`MAX_DEPTH`, at the line it goes too
    deep, or None if it is not; the parser's events come one at a time, however deep the
    document, and a syntax error before that depth is raised as ``loader`` words it."""
    depth = 0
    for event in _events(text, loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return RefusedYaml(_TOO_DEEP, event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _events(text: str, loader: Loader) -> Iterator[yaml.Event]:
    parser = loader(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.Event):
                yield event
    finally:
        parser.dispose()


#: Half of a UTF-16 surrogate pair.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped_unshowable(root: yaml.Node | None) -> Iterator[tuple[yaml.Node, list[str]]]:
    """Each scalar (key or value) holding unshowable characters, which only a YAML escape can
    make (the file's own were removed, or refused), with them; in file order. A pair of
    surrogate escapes is the one character it stands for (as JSON writes an emoji)."""
    stack = [] if root is None else [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            found = UNSHOWABLE.findall(join_surrogates(str(node.value)))
            if found:
                yield node, found
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack += reversed([child for pair in node.value for child in pair])


def _without_unshowable(value: Any) -> Any:
    """``value`` with unshowable characters removed from its strings and keys: YAML escapes
    such as "\\a" or "\\ud800" make them after the file's own were removed (each told by
    :func:`parse`)."""
    if isinstance(value, str):
        return UNSHOWABLE.sub("", join_surrogates(value))
    if isinstance(value, list):
        return [_without_unshowable(item) for item in value]
    if isinstance(value, dict):
        return {_without_unshowable(key): _without_unshowable(item) for key, item in value.items()}
    return value
