"""When a build collects garbage: seldom while it warms up, as Python would once it is warm.

A build first loads what every brief shares (modules, fonts, compiled keyword patterns and
templates) and renders the first brief of each format. Next to nothing of that is garbage, yet
Python's collector, which runs every 700 allocations, ran 167 times during a cold build of the
seed (a full collection among them), freed some 2,000 objects, and took 55-70 ms of its 1.2 s
on a slow VM. So while a build warms up, the youngest objects are collected only every
:data:`WARMING_UP` allocations (the seed's build allocates fewer), and once it is warm what it
loaded is frozen (``gc.freeze``: no later collection walks it again) and collections run as they
did. The briefs that follow leave garbage in reference cycles, which is collected as before:
200 PDF briefs peaked at the same 66 MB, where collecting seldom to the end took 96.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Allocations (less deallocations) between two collections while a build warms up.
WARMING_UP = 200_000


@contextmanager
def warming_up() -> Iterator[Callable[[], None]]:
    """Collect seldom until the build calls the function yielded (it is warm; a second call does
    nothing); from then on, and after the block, as before, with nothing left frozen."""
    before = gc.get_threshold()
    frozen = False

    def warm() -> None:
        nonlocal frozen
        if not frozen:
            gc.freeze()
            frozen = True
            gc.set_threshold(*before)

    gc.set_threshold(WARMING_UP, *before[1:])
    try:
        yield warm
    finally:
        gc.set_threshold(*before)
        if frozen:
            gc.unfreeze()
