"""Work done on first use instead of at import.

Names a package exports but imports only when first asked for (PEP 562): a package's
``__init__`` lists such names with the module that defines each; looking one up imports that
module, keeps the value in the package, and returns it. A build that never uses a name never
pays for importing its module.

Patterns a library compiles at import that a build seldom or never uses: the library is
imported with those patterns handed out as stand-ins that compile on first use.
"""

from __future__ import annotations

import re
import sys
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


class CompiledOnUse:
    """A regular expression compiled the first time one of its methods is looked up."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


def import_compiling_later(module: str, later: Callable[[str], bool]) -> None:
    """Import ``module`` (once) with each pattern it compiles that ``later`` picks (by its text)
    compiled on first use; every other pattern compiles as usual.

    ``re.compile`` is replaced while the module is imported and restored right after.
    """
    if module in sys.modules:
        return
    compile_now = re.compile

    def compile_later(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and later(pattern):
            return CompiledOnUse(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_later
    try:
        __import__(module)
    finally:
        re.compile = compile_now
