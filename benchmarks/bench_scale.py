"""Ten million cases: the staff, applicant and supervision pages at 10k vs 1M applications.

Issue 16. The same database is measured small, then grown (``generate_scale_data``:
``INSERT … SELECT generate_series`` in chunks, timelines included, ``VACUUM ANALYZE``) and
measured again in the same run. For each page: the median of a few GETs through the full
middleware stack, its ratio to the same page at the smallest size, its cost in trivial
views (each sample paired with trivial GETs at the same moment, so a busy machine does not
skew it) and how that grew from the smallest size (the figure to read: ≤ 2 means it
holds), and its query count (which must not grow: the run stops if it does). The
``EXPLAIN (ANALYZE, BUFFERS)`` of each page's slowest query at each size is written to
``var/bench/scale/``.

``BENCH_SCALE_SIZES`` (default ``10000,1000000``; add ``10000000`` on a machine with the
time, ~25 min to load on two cores) changes the sizes. ``BENCH_SCALE_PAGES`` (comma-separated
parts of page names, e.g. ``电子监察,dashboard``) measures only those pages: with
``BENCH_KEEP_DB=1`` and ``BENCH_SCALE_SIZES=10000000`` it re-measures one page on a kept
10M database without loading it again (its growth is then read against the first run's 10k).
``BENCH_SCALE_WORKERS=2`` writes two chunks at once while growing.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.applications.models import Application
from apps.applications.scale_data import generate_scale_data
from apps.applications.services.supervision import supervision_figures_refresh
from benchmarks.harness import Result, Timing
from benchmarks.urls import TRIVIAL_PATH

SIZES = [int(s) for s in os.environ.get("BENCH_SCALE_SIZES", "10000,1000000").split(",")]
# Chunks written at once when growing (``generate_scale_data(workers=…)``).
WORKERS = int(os.environ.get("BENCH_SCALE_WORKERS", "1"))
ONLY_PAGES = [p for p in os.environ.get("BENCH_SCALE_PAGES", "").split(",") if p]
REQUESTS = 5  # GETs per sample
TRIVIAL_REQUESTS = 50  # the trivial view is ~1 ms: enough of them for a steady floor
REPEAT = 5
EXPLAIN_DIR = Path(settings.BASE_DIR) / "var" / "bench" / "scale"


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # window | supervisor | heavy
    path: str


def _pages() -> list[Page]:
    heavy = User.objects.get(username="scale-heavy")
    own = Application.objects.filter(applicant=heavy).order_by("id").first()
    window_case = Application.objects.filter(
        department__code="SCALE-00", state="under_review"
    ).first()
    queue = reverse("admin:applications_application_queue")
    return [
        Page("staff queue 已超期", "window", f"{queue}?tab=overdue"),
        Page("staff queue 全部", "window", f"{queue}?tab=all"),
        Page("staff queue 全部 page 40", "window", f"{queue}?tab=all&page=40"),
        Page("staff queue 新申请", "window", f"{queue}?tab=new"),
        Page("我的办件 (200 applications)", "heavy", reverse("applications:list")),
        Page("API 我的申请 (200)", "heavy", "/api/v1/applications/"),
        Page("电子监察 (web)", "supervisor", reverse("admin:applications_application_supervision")),
        Page("电子监察 (API)", "supervisor", "/api/v1/applications/supervision"),
        Page(
            "dashboard 办件时效 panel",
            "supervisor",
            reverse("dashboard:panel", args=["applications-timeliness"]),
        ),
        Page(
            "staff detail",
            "window",
            reverse("admin:applications_application_change", args=[window_case.pk]),
        ),
        Page("applicant detail", "heavy", reverse("applications:detail", args=[own.pk])),
    ]


def _clients() -> dict[str, Client]:
    clients = {}
    for who, username in (
        ("window", "scale-window"),
        ("supervisor", "scale-supervisor"),
        ("heavy", "scale-heavy"),
    ):
        clients[who] = Client()
        clients[who].force_login(User.objects.get(username=username))
    return clients


def _explain(page: Page, client: Client, size: int) -> int:
    """One GET with its queries captured: the slowest one explained to a file. Returns the
    query count."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {page.path} answered {response.status_code}")
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    EXPLAIN_DIR.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in page.path.strip("/"))[:80]
    (EXPLAIN_DIR / f"{size}-{slug}.txt").write_text(f"{page.name}\n{slowest['sql']}\n\n{plan}\n")
    return len(captured)


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"


def _paired(client: Client, path: str, trivial: Client) -> tuple[Timing, float]:
    """``REPEAT`` samples of ``REQUESTS`` GETs of the page, each followed by
    ``TRIVIAL_REQUESTS`` GETs of the trivial view (same client state, same moment): the
    page's timing and the median of the per-sample ratios page / trivial per request —
    steadier than two medians taken minutes apart on a busy machine."""
    pages, ratios = [], []
    for sample in range(REPEAT + 1):
        start = time.perf_counter()
        for _ in range(REQUESTS):
            client.get(path)
        middle = time.perf_counter()
        for _ in range(TRIVIAL_REQUESTS):
            trivial.get(TRIVIAL_PATH)
        end = time.perf_counter()
        if sample:  # the first pair warms up
            pages.append((middle - start) / REQUESTS)
            ratios.append(((middle - start) / REQUESTS) / ((end - middle) / TRIVIAL_REQUESTS))
    return Timing(tuple(pages)), statistics.median(ratios)


def _report_load(label: str, seconds: float) -> None:
    """How long growing to this size took, the database's size on disk, the load average."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        (on_disk,) = cursor.fetchone()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"  scale @{label}: grown in {seconds:.0f} s; database {on_disk}; load {load}")


def run() -> list[Result]:
    results: list[Result] = []
    queries: dict[str, int] = {}
    floors: dict[str, float] = {}
    grown: list[str] = []  # pages whose query count grew: the run fails, once all are measured
    first = _label(SIZES[0])
    for size in SIZES:
        label = _label(size)
        started = time.perf_counter()
        generate_scale_data(size, workers=WORKERS)
        _report_load(label, time.perf_counter() - started)
        # The supervision pass (every 15 minutes in production) keeps the day's figures: the
        # pages read those, as they do after the day's first pass. Its counting is timed here.
        started = time.perf_counter()
        supervision_figures_refresh(today=timezone.localdate())
        print(
            f"  scale @{label}: supervision figures counted in "
            f"{(time.perf_counter() - started) * 1000:.0f} ms (once per pass)",
            flush=True,
        )
        clients = _clients()
        for page in _pages():
            if ONLY_PAGES and not any(part in page.name for part in ONLY_PAGES):
                continue
            client = clients[page.who]
            count = _explain(page, client, size)
            if queries.setdefault(page.name, count) < count:
                grown.append(f"{page.name}: {count} queries at {label}, fewer before")
            timing, per_trivial = _paired(client, page.path, clients[page.who])
            floors.setdefault(page.name, per_trivial)
            growth = per_trivial / floors[page.name]
            # printed as measured too: a 10M run is long, and a stop must not lose the rest
            print(
                f"  {page.name} @{label}: {timing.median * 1000:.1f} ms, {count} queries, "
                f"{per_trivial:.1f}× trivial, growth ×{growth:.2f}; load "
                + " ".join(f"{x:.2f}" for x in os.getloadavg()),
                flush=True,
            )
            results.append(
                Result(
                    f"{page.name} @{label}",
                    timing,
                    baseline=None if label == first else f"{page.name} @{first}",
                    note=(
                        f"{count} queries; {per_trivial:.0f}× the trivial view"
                        + ("" if label == first else f"; ×{growth:.2f} vs {first} in trivial views")
                    ),
                )
            )
    if grown:
        raise RuntimeError("; ".join(grown))
    return results
