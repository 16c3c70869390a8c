"""PyYAML, imported without compiling the pattern only its pure-Python reader checks text with.

``yaml.reader.Reader`` compiles, at import, a pattern of every character YAML may not hold
(``NON_PRINTABLE``, about 10 ms: ``re`` marks each character of its ranges in a table). make-brief
reads YAML with libyaml, which never uses it: only a text libyaml rejects is read again by the
pure-Python reader, to word the error (see :mod:`.yamldoc`). So that pattern compiles on first
use (see :func:`pipeline.lazy.import_compiling_later`), and every module of make-brief imports
PyYAML from here.
"""

from __future__ import annotations

from ..lazy import import_compiling_later

#: ``yaml.reader.Reader.NON_PRINTABLE`` (PyYAML 5.1 to 6.x).
_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"

import_compiling_later("yaml", _NON_PRINTABLE.__eq__)

import yaml  # noqa: E402

__all__ = ["yaml"]
