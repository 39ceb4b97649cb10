"""The staff console in CPU time: the queue tabs, 电子监察, the application page, 受理 (issue 16).

On two shared cores wall time is mostly waiting, so this takes the app's own CPU time
(``time.process_time``) around GETs through the full middleware stack, in one process;
Postgres runs in its own. Each page is printed against the anonymous trivial view measured
in the same run (× trivial: the figure to read), with its query count. The data is
``generate_scale_data`` (``BENCH_CONSOLE_SIZE``, default 20,000 applications) with the day's
supervision figures counted, as the load test's database has them; the users are the load
test's window staff and supervisor.

The staff application page is timed on a case with a running clock (the load test's) and
on one waiting for intake (its five intake forms); 受理 POSTs the accept action on cases of
the window's department turned back into fresh submissions for the run (finished ones,
so each POST accepts a case once), and is timed the same way, redirect included.
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
from apps.applications.models import Application
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


def _fresh_submissions(count: int) -> list[int]:
    """``count`` finished cases of the window's department made waiting for intake again
    (benchmark data only): what 受理 needs, one case per POST."""
    ids = list(
        Application.objects.filter(department__code="SCALE-00", state="archived")
        .order_by("-pk")
        .values_list("pk", flat=True)[:count]
    )
    if len(ids) < count:
        raise SystemExit("受理: too few finished cases left; drop the kept bench database")
    Application.objects.filter(pk__in=ids).update(
        state="submitted",
        outcome="",
        submitted_at=timezone.now(),
        intake_due_date=timezone.localdate(),
        accepted_at=None,
        time_limit_days=None,
        due_date=None,
        yellow_on=None,
        decided_at=None,
        archived_at=None,
        warning_level="green",
    )
    return ids


def _accept(client: Client, application_id: int) -> None:
    action = reverse("admin:applications_application_action", args=[application_id, "accept"])
    response = client.post(action, {"note": ""})
    assert response.status_code == 302, response.status_code


def _accept_cpu(client: Client) -> tuple[Timing, int]:
    """CPU seconds per 受理 POST (as :func:`_cpu`), and the queries of one."""
    cases = iter(_fresh_submissions(3 + REPEAT * REQUESTS + 1))
    for _ in range(3):
        _accept(client, next(cases))
    samples = []
    for _ in range(REPEAT):
        batch = [next(cases) for _ in range(REQUESTS)]
        start = time.process_time()
        for application_id in batch:
            _accept(client, application_id)
        samples.append((time.process_time() - start) / REQUESTS)
    with CaptureQueriesContext(connection) as captured:
        _accept(client, next(cases))
    return Timing(tuple(samples)), len(captured.captured_queries)


def _staff_cases() -> tuple[int, int]:
    """The load test's staff case (a running clock) and the first one waiting for intake."""
    cases = Application.objects.filter(department__code="SCALE-00").order_by("pk")
    running = cases.filter(state="accepted").values_list("pk", flat=True)[0]
    submitted = cases.filter(state="submitted").values_list("pk", flat=True)[0]
    return running, submitted


def run() -> list[Result]:
    generate_scale_data(SIZE)
    supervision_figures_refresh(today=timezone.localdate())
    queue = reverse("admin:applications_application_queue")
    supervision = reverse("admin:applications_application_supervision")
    running, submitted = _staff_cases()
    case = "admin:applications_application_change"
    pages = [
        ("queue 新申请", "scale-window", f"{queue}?tab=new"),
        ("queue 已超期", "scale-window", f"{queue}?tab=overdue"),
        ("queue 全部", "scale-window", f"{queue}?tab=all"),
        ("电子监察", "scale-supervisor", supervision),
        ("电子监察 已超期 list page", "scale-supervisor", f"{supervision}?list=overdue"),
        ("staff application page (accepted)", "scale-window", reverse(case, args=[running])),
        ("staff application page (submitted)", "scale-window", reverse(case, args=[submitted])),
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
    client = Client()
    client.force_login(User.objects.get(username="scale-window"))
    timing, queries = _accept_cpu(client)
    ratio = timing.median / results[0].timing.median
    results.append(
        Result(
            "受理 (CPU)",
            timing,
            baseline=results[0].name,
            note=f"{queries} queries; {ratio:.0f}× the trivial view in CPU",
        )
    )
    return results
