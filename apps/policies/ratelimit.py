"""A rate limit every push worker shares: a fixed one-minute window counted in the cache.

With Redis as the cache (production, tests) all workers on all machines draw from one
budget per minute; ``INCRBY`` is atomic, so two workers never both take the last slots.
"""

from __future__ import annotations

import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def window_key(window: int) -> str:
    return f"policies:push-rate:{window}"


def seconds_to_next_window(now: float | None = None) -> int:
    now = time.time() if now is None else now
    return int(WINDOW_SECONDS - now % WINDOW_SECONDS) + 1


def acquire(wanted: int, *, per_minute: int, now: float | None = None) -> int:
    """Take up to ``wanted`` slots from this minute's budget; return how many were granted."""
    if wanted <= 0 or per_minute <= 0:
        return 0
    key = window_key(int((time.time() if now is None else now) // WINDOW_SECONDS))
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        used = cache.incr(key, wanted)
    except ValueError:  # expired between add and incr: start the window again
        cache.add(key, wanted, timeout=WINDOW_SECONDS * 2)
        used = wanted
    granted = max(0, min(wanted, per_minute - (used - wanted)))
    if granted < wanted:
        # Give back what was not granted, so the overshoot does not starve other policies.
        cache.decr(key, wanted - granted)
    return granted
