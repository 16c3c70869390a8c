"""Import ReportLab's paragraph module without compiling two of its patterns until they are used.

``reportlab.platypus.paragraph`` compiles, at import, a case-insensitive URL pattern whose
character classes span most of Unicode (``uri_pat``); ``re`` case-folds each of those ranges one
character at a time, which takes 20-40 ms, about a tenth of a whole cold build. The pattern only
serves to split an over-long URL across lines, which most briefs never have. The module it
imports, ``reportlab.lib.textsplit``, compiles a pattern of every character from U+2E80 on
(``rx``, 4-10 ms, ``re`` marks each of them in a table) for ``cjkwrap``, which make-brief never
calls. So while that module is imported, ``re.compile`` hands back a stand-in for those two
patterns that compiles one on first use; every other pattern compiles as usual, and
``re.compile`` is restored right after.
"""

from __future__ import annotations

import re
import sys
from typing import Any

#: How ReportLab's URL pattern starts (ReportLab 4.x and 5.x).
_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
#: ``reportlab.lib.textsplit.rx`` (ReportLab 4.x and 5.x).
_CJK_WRAP_PATTERN = "([\u2e80-\uffff])"


class CompiledOnUse:
    """A regular expression compiled the first time one of its methods is looked up."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


def import_paragraph_module() -> None:
    """Import ``reportlab.platypus.paragraph`` (once) with its URL pattern compiled on use."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    compile_now = re.compile

    def compile_later(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and (
            pattern.startswith(_URI_PATTERN_START) or pattern == _CJK_WRAP_PATTERN
        ):
            return CompiledOnUse(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_later
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = compile_now
