"""How a build meets SIGINT and SIGTERM: stopped cleanly, never between a write and its record.

While a build runs, :func:`terminate_as_interrupt` makes both signals stop it as Ctrl-C does;
:func:`signals_held` marks the few lines between renaming a brief into place and recording it,
where a stop would publish a manifest naming the old file's hash beside the new file. A signal
that arrives there waits, and stops the build as soon as the last such block ends.

Python runs every signal handler in the main thread, whichever thread the system handed the
signal to, and a write may be recorded in another (the build's writer thread). So the holding
is a count the handler reads, shared by every thread, not a mask: blocking a signal blocks it
for the calling thread alone, and a worker pool's or a file watcher's thread would take it.
The count and the signal waiting are the process's own, as its signal handlers are.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class _Holding:
    """How many blocks hold signals now, and the signal that came meanwhile."""

    def __init__(self) -> None:
        # Reentrant: the handler runs in the main thread between any two of its steps, also
        # while that thread holds the lock in signals_held.
        self.lock = threading.RLock()
        self.depth = 0
        self.waiting = False


_HOLDING = _Holding()


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM stops the build as Ctrl-C does (a KeyboardInterrupt), and
    both wait while a :func:`signals_held` block runs.

    ``timeout``, ``docker stop``, systemd and a cancelled CI job send SIGTERM: the build then
    stops starting briefs, publishes a manifest of those it wrote and leaves no temporary file.
    Outside the main thread signals cannot be handled, and SIGTERM keeps its meaning.
    """
    import signal

    def interrupt(signum: int, frame: object) -> None:
        with _HOLDING.lock:
            if _HOLDING.depth:
                _HOLDING.waiting = True
                return
        raise KeyboardInterrupt

    try:
        previous = {s: signal.signal(s, interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        previous = {}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        with _HOLDING.lock:
            _HOLDING.waiting = False  # a stop that came as the build ended is not the next's


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM wait (in whatever thread it runs), and stop the
    build as soon as the last such block ends."""
    with _HOLDING.lock:
        _HOLDING.depth += 1
    try:
        yield
    finally:
        with _HOLDING.lock:
            _HOLDING.depth -= 1
            stop = _HOLDING.waiting and not _HOLDING.depth
            if stop:
                _HOLDING.waiting = False
        if stop:
            if threading.current_thread() is threading.main_thread():
                raise KeyboardInterrupt
            _stop_main_thread()


def _stop_main_thread() -> None:
    """Hand the signal that waited on to the main thread, from another (the writer's).

    A real SIGINT, sent to the main thread alone: one waiting in a blocking call (a lock, a
    sleep, a slow brief's system call) wakes to handle it at once, where a handler call merely
    scheduled (``_thread.interrupt_main``) would wait until that call returned. That is the
    fallback where threads cannot be signalled, and where SIGINT has no Python handler, which a
    real signal would turn into the system's default: ending the process.
    """
    import signal

    ident = threading.main_thread().ident
    if (
        hasattr(signal, "pthread_kill")
        and ident is not None
        and callable(signal.getsignal(signal.SIGINT))
    ):
        signal.pthread_kill(ident, signal.SIGINT)
        return
    import _thread

    _thread.interrupt_main()  # the main thread stops at its next step
