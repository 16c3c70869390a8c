"""Tailoring: relevance scoring and (Article, Edition) -> Brief. Pure functions, no I/O.

- :mod:`.units`: sentences, and whether one can stand alone as a takeaway;
- :mod:`.matching`: a focus's keywords found in text, outside names and excluded phrases;
- :mod:`.scoring`: each sentence's and section's relevance to one focus, on an absolute scale;
- :mod:`.brief`: the choices a brief shows (in focus, takeaways, highlights) and the Brief;
- :mod:`.explain`: the reasons behind those choices, for `make-brief explain`.
"""

from __future__ import annotations

from .brief import emphasise, weigh_edition
from .explain import Explanation, as_json, describe, explain
from .matching import matcher

__all__ = ["Explanation", "as_json", "describe", "emphasise", "explain", "matcher", "weigh_edition"]
