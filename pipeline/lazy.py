"""Names a package exports but imports only when first asked for (PEP 562).

A package's ``__init__`` lists such names with the module that defines each; looking one up
imports that module, keeps the value in the package, and returns it. A build that never uses a
name never pays for importing its module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def imported_on_first_use(
    package: str, namespace: dict[str, Any], later: Mapping[str, str]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` (whose globals are ``namespace``): each name in
    ``later`` comes from the submodule it maps to (".workers"), imported on first use."""

    def __getattr__(name: str) -> Any:
        if name not in later:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        # The import statement's own machinery, which ``python -X importtime`` reports.
        module = __import__(package + later[name], fromlist=[name])
        value = getattr(module, name)
        namespace[name] = value
        return value

    return __getattr__
