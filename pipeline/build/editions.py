"""Editions: what ``--focus`` asks for, and what an edition id in the output folder means.

An edition id is parsed here, once, into an :class:`~pipeline.model.Edition`; the rest of the
build carries that, and turns it back into an id only to name a file.

Focuses joined with "+" are one edition whatever order they are typed in: its id lists them in
the order ``focuses.yaml`` defines them, so ``human-rights+security`` and
``security+human-rights`` name one file, one manifest entry and one build key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import UsageProblem

if TYPE_CHECKING:
    # Imported where used: the CLI reads ALL and GENERAL before it knows whether the build
    # has anything to do (see pipeline.build.stamp).
    from ..model import Edition, Focus

#: The edition with no focus, and its id.
GENERAL = "general"
#: ``--focus all``: the general edition and one edition per focus.
ALL = "all"


def resolve_editions(specs: Sequence[str], focuses: Mapping[str, Focus]) -> tuple[Edition, ...]:
    """Turn ``--focus`` values into editions: ids, ``general``, ``all`` and ``a+b`` combinations."""
    from ..model import Edition

    editions: dict[str, Edition] = {}
    for spec in specs or (ALL,):
        if spec == ALL:
            editions[GENERAL] = Edition(GENERAL, ())
            editions.update({fid: Edition(fid, (f,)) for fid, f in focuses.items()})
            continue
        edition = edition_of(spec, focuses)
        if edition is None:
            raise UsageProblem(_not_an_edition(spec, focuses))
        editions[edition.id] = edition
    return tuple(editions.values())


def _not_an_edition(spec: str, focuses: Mapping[str, Focus]) -> str:
    """Why a ``--focus`` value names no edition."""
    ids = [part.strip() for part in spec.split("+")]
    if len(ids) > 1:
        # "general+security" is not unknown: general and all exist, but only on their own.
        joined = [i for i in ids if i in (GENERAL, ALL)]
        if joined or not all(ids):
            what = f"'{joined[0]}' stands only on its own" if joined else "a focus id is empty"
            return f"--focus '{spec}': {what}; '+' joins focus ids ({', '.join(focuses)})"
    unknown = next(i for i in ids if i not in focuses)
    return f"unknown focus '{unknown}' (valid: {', '.join([*focuses, GENERAL, ALL])})"


def edition_of(edition_id: str, focuses: Mapping[str, Focus]) -> Edition | None:
    """The edition an id names (``general``, a focus id, ids joined with "+"), or None when it
    names a focus that is not defined.

    The edition's own id may differ from ``edition_id``: it lists the focuses once each, in
    the order of ``focuses`` (see the module's docstring).
    """
    from ..model import Edition

    if edition_id == GENERAL:
        return Edition(GENERAL, ())
    ids = [part.strip() for part in edition_id.split("+")]
    if not all(ids) or any(i not in focuses for i in ids):
        return None
    chosen = tuple(focus for focus_id, focus in focuses.items() if focus_id in ids)
    return Edition("+".join(f.id for f in chosen), chosen)
