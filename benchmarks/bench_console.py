"""The staff console's lists in CPU time: the queue tabs and 电子监察 (issue 16).

On two shared cores wall time is mostly waiting, so this takes the app's own CPU time
(``time.process_time``) around GETs through the full middleware stack, in one process;
Postgres runs in its own. Each page is printed against the anonymous trivial view measured
in the same run (× trivial: the figure to read), with its query count. The data is
``generate_scale_data`` (``BENCH_CONSOLE_SIZE``, default 20,000 applications) with the day's
supervision figures counted, as the load test's database has them; the users are the load
test's window staff and supervisor.
"""

from __future__ import annotations

import os
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.applications.scale_data import generate_scale_data
from apps.applications.services.supervision import supervision_figures_refresh
from benchmarks.harness import Result, Timing
from benchmarks.urls import TRIVIAL_PATH

SIZE = int(os.environ.get("BENCH_CONSOLE_SIZE", "20000"))
REQUESTS = 10  # GETs per sample
REPEAT = 7


def _cpu(client: Client, path: str, requests: int = REQUESTS) -> Timing:
    """CPU seconds per GET of ``path``, ``REPEAT`` samples after a warm-up."""
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(REPEAT):
        start = time.process_time()
        for _ in range(requests):
            client.get(path)
        samples.append((time.process_time() - start) / requests)
    return Timing(tuple(samples))


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured.captured_queries)


def run() -> list[Result]:
    generate_scale_data(SIZE)
    supervision_figures_refresh(today=timezone.localdate())
    queue = reverse("admin:applications_application_queue")
    supervision = reverse("admin:applications_application_supervision")
    pages = [
        ("queue 新申请", "scale-window", f"{queue}?tab=new"),
        ("queue 已超期", "scale-window", f"{queue}?tab=overdue"),
        ("queue 全部", "scale-window", f"{queue}?tab=all"),
        ("电子监察", "scale-supervisor", supervision),
        ("电子监察 已超期 list page", "scale-supervisor", f"{supervision}?list=overdue"),
    ]
    results = [Result("trivial view (anonymous)", _cpu(Client(), TRIVIAL_PATH, REQUESTS * 10))]
    for name, username, path in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        timing = _cpu(client, path)
        ratio = timing.median / results[0].timing.median
        results.append(
            Result(
                f"{name} (CPU)",
                timing,
                baseline=results[0].name,
                note=f"{_queries(client, path)} queries; {ratio:.0f}× the trivial view in CPU",
            )
        )
    return results
