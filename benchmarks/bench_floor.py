"""The signed-in floor: what a request pays before its page's own work (issue 16).

The trivial view anonymous, signed in as a citizen and as window staff; a static page signed
in (the privacy notice: session, user, unread badge, ``base.html``) in both editions; and the
API list signed in. Each figure is the app process's CPU time per request in process
(``time.process_time``: Postgres and Redis run in their own processes), as a ratio to the
anonymous trivial view measured in the same run, with the queries each request makes.
"""

from __future__ import annotations

import statistics
import time

from django.db import connection
from django.test import Client

from apps.accounts.roles import Role
from benchmarks.harness import Result, Timing
from benchmarks.urls import TRIVIAL_PATH
from tests.accounts.factories import DepartmentFactory, StaffFactory, UserFactory

REQUESTS = 200
REPEAT = 5
BASELINE = "trivial view, anonymous (CPU)"


def _cpu_per_request(client: Client, path: str) -> tuple[Timing, int]:
    """CPU seconds per GET (``REPEAT`` samples of ``REQUESTS // REPEAT``) and the queries of
    one GET once warm."""
    for _ in range(10):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    per_sample = REQUESTS // REPEAT
    samples = []
    for _ in range(REPEAT):
        started = time.process_time()
        for _ in range(per_sample):
            client.get(path)
        samples.append((time.process_time() - started) / per_sample)
    return Timing(tuple(samples)), len(queries)


def run() -> list[Result]:
    citizen = UserFactory(role=Role.CITIZEN)
    staff = StaffFactory(
        role=Role.WINDOW_STAFF, departments=[DepartmentFactory(code="BENCHFLR", name="基准局")]
    )
    clients = {"anonymous": Client(), "citizen": Client(), "window staff": Client()}
    clients["citizen"].force_login(citizen)
    clients["window staff"].force_login(staff)
    pages = [
        (BASELINE, "anonymous", TRIVIAL_PATH),
        ("trivial view, citizen", "citizen", TRIVIAL_PATH),
        ("trivial view, window staff", "window staff", TRIVIAL_PATH),
        ("privacy notice, citizen", "citizen", "/accounts/privacy/"),
        ("privacy notice (English), citizen", "citizen", "/en/accounts/privacy/"),
        ("API 我的申请, citizen", "citizen", "/api/v1/applications/"),
    ]
    results = []
    for name, who, path in pages:
        timing, queries = _cpu_per_request(clients[who], path)
        results.append(
            Result(
                name,
                timing,
                None if name == BASELINE else BASELINE,
                note=f"{queries} queries; CPU {statistics.median(timing.samples) * 1000:.2f} ms",
            )
        )
    return results
