"""Import ReportLab's paragraph module without compiling two of its patterns until they are used.

``reportlab.platypus.paragraph`` compiles, at import, a case-insensitive URL pattern whose
character classes span most of Unicode (``uri_pat``); ``re`` case-folds each of those ranges one
character at a time, which takes 20-40 ms, about a tenth of a whole cold build. The pattern only
serves to split an over-long URL across lines, which most briefs never have. The module it
imports, ``reportlab.lib.textsplit``, compiles a pattern of every character from U+2E80 on
(``rx``, 4-10 ms, ``re`` marks each of them in a table) for ``cjkwrap``, which make-brief never
calls. So while that module is imported, ``re.compile`` hands back a stand-in for those two
patterns that compiles one on first use (see :func:`pipeline.lazy.import_compiling_later`).
"""

from __future__ import annotations

from ...lazy import import_compiling_later

#: How ReportLab's URL pattern starts (ReportLab 4.x and 5.x).
_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
#: ``reportlab.lib.textsplit.rx`` (ReportLab 4.x and 5.x).
_CJK_WRAP_PATTERN = "([\u2e80-\uffff])"


def _later(pattern: str) -> bool:
    return pattern.startswith(_URI_PATTERN_START) or pattern == _CJK_WRAP_PATTERN


def import_paragraph_module() -> None:
    """Import ``reportlab.platypus.paragraph`` (once) with its URL pattern compiled on use."""
    import_compiling_later("reportlab.platypus.paragraph", _later)
