"""YAML read through libyaml when PyYAML has it: several times faster than PyYAML's own parser.

Both parsers read valid YAML alike but word their errors differently. A text libyaml rejects is
parsed again by the Python parser, so a broken source gets the same message as before and a
valid one is read at C speed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml


@cache
def _fast(loader: type[yaml.SafeLoader]) -> type[Any]:
    """libyaml's parser with the resolvers and constructors of ``loader`` (a SafeLoader)."""
    if not getattr(yaml, "__with_libyaml__", False):
        return loader
    return type(
        f"C{loader.__name__}",
        (yaml.CSafeLoader,),
        {
            "yaml_implicit_resolvers": loader.yaml_implicit_resolvers,
            "yaml_constructors": loader.yaml_constructors,
        },
    )


def _read(text: str, loader: type[Any]) -> tuple[yaml.Node | None, Any]:
    parser = loader(text)
    try:
        node = parser.get_single_node()
        return node, parser.construct_document(node) if node is not None else None
    finally:
        parser.dispose()


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
