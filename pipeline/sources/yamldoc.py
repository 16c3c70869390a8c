"""YAML documents of source files: values, the line of every key, and errors at their line.

Every YAML a project holds (front matter, ``focuses.yaml``, ``project.yaml``, ``theme.yaml``) is
read here, so a problem in any of them is located the same way: by the parser's marks, counted
from the line the document starts on in its file.

libyaml parses when PyYAML has it: several times faster than PyYAML's own parser. Both read
valid YAML alike but word their errors differently, so a text libyaml rejects is parsed again by
the Python parser: a broken source gets PyYAML's message, and a valid one is read at C speed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from ..errors import BriefError, SourceError
from .decode import UNSHOWABLE

#: A loader class: PyYAML's own parser or libyaml's, with the same resolvers and constructors.
Loader: TypeAlias = "type[yaml.SafeLoader] | type[yaml.CSafeLoader]"


class SourceLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is checked (and located) like any value
    instead of failing the whole file."""


SourceLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

#: libyaml's counterpart of each loader, made on first use.
_FAST_LOADERS: dict[type[yaml.SafeLoader], Loader] = {}


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


def parse(
    text: str,
    path: Path,
    what: str,
    first_line: int = 1,
    error: type[BriefError] = SourceError,
) -> YamlDocument:
    """The YAML document in ``text``, read from ``path`` (dates stay text).

    A syntax error raises ``error`` as ``"<what>: <problem>"`` at its line in the file;
    ``first_line`` is the line ``text`` starts on, for front matter below a ``---`` line.
    """
    try:
        root, data = document(text, SourceLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{what}: {problem}", path, line) from exc
    return YamlDocument(_without_unshowable(data), root, first_line)


def document(
    text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader
) -> tuple[yaml.Node | None, Any]:
    """The YAML document in ``text`` as a node tree (with line marks) and as Python values.

    Raises :class:`yaml.YAMLError` as ``loader`` words it.
    """
    try:
        return _read(text, _fast(loader))
    except yaml.YAMLError:
        return _read(text, loader)


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
        return node, parser.construct_document(node) if node is not None else None
    finally:
        parser.dispose()


def _without_unshowable(value: Any) -> Any:
    """``value`` with unshowable characters removed from its strings: YAML escapes such as "\\a"
    make them after the file's own were removed."""
    if isinstance(value, str):
        return UNSHOWABLE.sub("", value)
    if isinstance(value, list):
        return [_without_unshowable(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_unshowable(item) for key, item in value.items()}
    return value
