"""Real concurrent transactions: each call in its own thread, hence its own connection.

Use with ``@pytest.mark.django_db(transaction=True)`` so the threads see committed rows;
tests/conftest.py puts the seeded roles and holidays back after the flush that follows.
"""

from __future__ import annotations

import threading
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
