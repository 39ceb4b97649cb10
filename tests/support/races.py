"""Real concurrent transactions: each call in its own thread, hence its own connection.

Use with ``@pytest.mark.django_db(transaction=True)`` so the threads see committed rows;
tests/conftest.py puts the seeded roles and holidays back after the flush that follows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection

BARRIER_TIMEOUT = 10  # seconds for every thread to reach the start line
JOIN_TIMEOUT = 60  # seconds for each thread to finish once started


def race(*calls: Callable[[], object]) -> list[object]:
    """Start ``calls`` at the same moment, one thread each, and return what each returned or
    raised (the exception object), in the order given.

    A barrier releases the threads together, so their transactions overlap: the row locks
    under test decide the order, not the test. Each thread closes its own connection so the
    test database can be flushed afterwards.
    """
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT)
            results[index] = call()
        except BaseException as exc:  # returned to the test, which asserts on it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError(f"a racing call did not finish within {JOIN_TIMEOUT} s")
    return results


def session_waits_on_a_lock() -> bool:
    """Whether a session of the test database is waiting for a lock (a row, an advisory
    lock): how a racing thread knows the other one is held back."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


class Rendezvous:
    """Where racing threads wait for each other at a chosen point of their transactions —
    unless one of them is held at a lock before reaching it (the lock under test
    serialising them), which is then the outcome to observe. Polls 0.05 s apart for
    ``BARRIER_TIMEOUT`` seconds at most: a meeting point, not a timed assertion."""

    def __init__(self, parties: int) -> None:
        self.parties = parties
        self._arrived = 0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Arrive, then wait for the others or for a session held at a lock."""
        with self._lock:
            self._arrived += 1
        for _attempt in range(int(BARRIER_TIMEOUT / 0.05)):
            if self._arrived >= self.parties or session_waits_on_a_lock():
                return
            time.sleep(0.05)
