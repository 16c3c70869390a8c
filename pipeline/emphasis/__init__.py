"""Tailoring: relevance scoring and (Article, Edition) -> Brief. Pure functions, no I/O.

- :mod:`.units`: sentences, and whether one can stand alone as a takeaway;
- :mod:`.matching`: a focus's keywords found in text, outside names and excluded phrases;
- :mod:`.scoring`: each sentence's and section's relevance to one focus, on an absolute scale;
- :mod:`.brief`: the choices a brief shows (in focus, takeaways, highlights) and the Brief;
- :mod:`.explain`: the reasons behind those choices, for `make-brief explain`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import imported_on_first_use
from .brief import emphasise, weigh_edition
from .matching import matcher

if TYPE_CHECKING:
    from .explain import Explanation, as_json, describe, explain

#: Names whose module is imported on first use: only ``make-brief explain`` needs them, and a
#: build does not pay for the module (and its dataclasses) at every start.
_LATER = {name: ".explain" for name in ("Explanation", "as_json", "describe", "explain")}

__all__ = ["Explanation", "as_json", "describe", "emphasise", "explain", "matcher", "weigh_edition"]


__getattr__ = imported_on_first_use(__name__, globals(), _LATER)
