"""A signal during the lines between writing a brief and recording it waits for them, whatever
thread the system hands it to and whatever thread writes."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest

from pipeline.build.signals import signals_held, terminate_as_interrupt

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(signal, "pthread_kill"), reason="POSIX signals"
)


def _to_another_thread(number: int) -> None:
    """Send ``number`` to a thread that is not the main one, as the system may: a worker
    pool's or a file watcher's thread, which blocks nothing."""
    ready, done = threading.Event(), threading.Event()
    other = threading.Thread(target=lambda: (ready.set(), done.wait(5)))
    other.start()
    ready.wait()
    assert other.ident is not None
    signal.pthread_kill(other.ident, number)
    done.set()
    other.join()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_another_thread_waits_for_the_held_block(number: int) -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt), terminate_as_interrupt():
        with signals_held():
            _to_another_thread(number)
            for _ in range(200):  # the handler would run here, in the main thread
                time.sleep(0.001)
            steps.append("renamed and recorded")
        steps.append("after the block")  # never: the build stops as the block ends
    assert steps == ["renamed and recorded"]


def test_a_signal_while_another_thread_holds_stops_the_main_thread_after_it() -> None:
    steps = []
    held, release = threading.Event(), threading.Event()

    def write() -> None:
        with signals_held():
            held.set()
            release.wait(5)
            steps.append("recorded")

    with pytest.raises(KeyboardInterrupt), terminate_as_interrupt():
        writer = threading.Thread(target=write)
        writer.start()
        held.wait()
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100):
            time.sleep(0.001)
        steps.append("main went on")  # the signal waits while the writer holds
        release.set()
        writer.join()
        for _ in range(1000):  # the stop comes at the main thread's next step
            time.sleep(0.001)
        steps.append("never")
    assert steps == ["main went on", "recorded"]


def test_no_stop_is_left_waiting_for_the_next_build() -> None:
    with terminate_as_interrupt(), signals_held():
        pass
    with terminate_as_interrupt(), signals_held():
        pass  # nothing waits: no KeyboardInterrupt


def test_a_stop_the_writer_hands_on_wakes_a_main_thread_that_waits() -> None:
    """The main thread can be in one long blocking call when the writer's block ends (a slow
    brief's system call, a wait on a lock): the stop must wake it, not wait for the call."""
    held = threading.Event()

    def write() -> None:
        with signals_held():
            held.set()
            time.sleep(0.2)  # the signal comes meanwhile, and waits

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), terminate_as_interrupt():
        writer = threading.Thread(target=write)
        writer.start()
        held.wait()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)  # one blocking call, well past the writer's block
    writer.join()
    assert time.monotonic() - started < 10
