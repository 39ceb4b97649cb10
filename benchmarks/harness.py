"""Helpers shared by every benchmark: Django on its own database, timing, ratio printing.

Machines are noisy, so a benchmark never prints a verdict from an absolute time: each
figure is shown as a ratio to a baseline measured in the same run, on the same machine.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

BENCH_DATABASE_PREFIX = "bench_"


# --- Django ------------------------------------------------------------------------------


@contextlib.contextmanager
def django_environment(*, verbosity: int = 0) -> Iterator[None]:
    """Set Django up on a database of its own, created and migrated now, dropped at the end.

    Settings: ``govservice.settings.test`` (``DATABASE_URL``/``REDIS_URL`` from the
    environment, as ``make bench`` passes them). The database is ``bench_<name>``, never the
    development database nor the ``test_<name>`` one a concurrent pytest run uses. URLs are
    ``benchmarks.urls``: the project's plus a trivial view for the HTTP baseline.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govservice.settings.test")
    os.environ.setdefault("CACHE_KEY_PREFIX", "gs-bench")

    import django

    django.setup()

    from django.conf import settings
    from django.db import connections
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )
    from django.urls import clear_url_caches

    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("Benchmarks run on PostgreSQL: set DATABASE_URL (make bench does).")
    settings_dict.setdefault("TEST", {})["NAME"] = BENCH_DATABASE_PREFIX + settings_dict["NAME"]

    setup_test_environment()
    # setup_test_environment() wraps every template render in a signal for the test client's
    # `response.templates`; pages would be timed with that overhead (one signal per
    # {% include %}), which production never pays. Put the real renderer back.
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render
    settings.ROOT_URLCONF = "benchmarks.urls"
    clear_url_caches()
    keepdb = os.environ.get("BENCH_KEEP_DB") == "1"
    old_config = setup_databases(
        verbosity=verbosity, interactive=False, keepdb=keepdb, serialized_aliases=()
    )
    try:
        yield
    finally:
        teardown_databases(old_config, verbosity=verbosity, keepdb=keepdb)
        teardown_test_environment()


# --- Timing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Seconds per call of the measured function, one sample per repetition."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        # Nearest-rank p95: with few samples this is the slowest one, which is honest.
        rank = max(1, -(-95 * len(ordered) // 100))
        return ordered[rank - 1]


def measure(
    fn: Callable[[], object], *, repeat: int = 5, number: int = 1, warmup: int = 1
) -> Timing:
    """Like ``timeit``: call ``fn`` ``warmup`` times untimed, then take ``repeat`` samples
    of ``number`` calls each; every sample is seconds per call."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return Timing(tuple(samples))


@dataclass(frozen=True)
class Result:
    """One figure. ``baseline`` names another Result of the same list to divide by;
    ``ops`` is how many operations one call of the measured function performs."""

    name: str
    timing: Timing
    baseline: str | None = None
    ops: int = 1
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _fmt_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def ratio(result: Result, baseline: Result) -> float:
    """How many times slower (> 1) or faster (< 1) per operation than the baseline."""
    return (result.timing.median / result.ops) / (baseline.timing.median / baseline.ops)


def print_results(title: str, results: Sequence[Result]) -> None:
    by_name = {r.name: r for r in results}
    width = max(len(r.name) for r in results)
    print(f"\n== {title}")
    print(f"   {'':{width}}  {'median':>9}  {'p95':>9}  {'per op':>9}  vs baseline")
    for r in results:
        line = (
            f"   {r.name:{width}}  {_fmt_seconds(r.timing.median):>9}  "
            f"{_fmt_seconds(r.timing.p95):>9}  {_fmt_seconds(r.timing.median / r.ops):>9}  "
        )
        if r.baseline is None:
            line += "(baseline)"
        else:
            base = by_name[r.baseline]
            x = ratio(r, base)
            speed = f"{1 / x:.1f}x faster" if x < 1 else f"{x:.2f}x slower"
            line += f"ratio {x:.4f} per op ({speed} than “{base.name}”)"
        print(line)
        if r.note:
            print(f"   {'':{width}}  {r.note}")
