"""Every page of the load test's mix, in CPU time against the trivial view (issue 16: under 30×).

The pages ``make load`` asks for, with its users and its pages (``load.build_plan`` on
``generate_scale_data``'s world, ``BENCH_PAGES_SIZE`` applications, default 20,000), asked
through the full middleware stack in this process. Each figure is the process's CPU time per
request (``time.process_time``: Postgres and Redis run in their own processes, and a busy
machine stretches CPU time far less than wall time) as a ratio to the anonymous trivial view,
which is measured between the pages in every round, so both see the same machine. The note
gives the ratio, the goal's verdict and the request's statements.

The writes are walked as the load walks them: 在线申请 → draft → draft form → 提交申请 → the
application page, and 受理 of the first case on the 新申请 tab; each request of a walk is one
sample.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.applications.scale_data import generate_scale_data
from apps.applications.services.supervision import supervision_figures_refresh
from benchmarks.harness import Result, Timing
from benchmarks.load import build_plan
from benchmarks.urls import TRIVIAL_PATH

SIZE = int(os.environ.get("BENCH_PAGES_SIZE", "20000"))
ROUNDS = 7
REQUESTS = 10  # GETs of a page per round
WALKS = 3  # apply walks and 受理 per round
GOAL = 30
TRIVIAL = "trivial view (anonymous)"
QUEUE = "/admin/applications/application/queue/"
CASE = "/admin/applications/application/{}/change/"
_HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|idempotency_key)" value="([^"]+)"')
_DETAIL = re.compile(r"/applications/(\d+)/")
_CASE = re.compile(r"/admin/applications/application/(\d+)/change/")


def _hidden(html: str) -> dict[str, str]:
    return dict(_HIDDEN.findall(html))


def _signed_in(session_key: str) -> Client:
    client = Client()
    client.cookies["sessionid"] = session_key
    return client


class _Samples:
    """CPU seconds per request by page, and each page's statements once warm."""

    def __init__(self) -> None:
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, int] = {}
        # Counting statements wraps every cursor in Django's debug wrapper, which costs CPU:
        # the last round counts, the others are timed.
        self.counting = False

    def request(self, name: str, call: Callable, *args, expect: int = 200, **kwargs):
        if self.counting:
            with CaptureQueriesContext(connection) as captured:
                response = call(*args, **kwargs)
            self.queries[name] = len(captured.captured_queries)
        else:
            started = time.process_time()
            response = call(*args, **kwargs)
            self.cpu[name].append(time.process_time() - started)
        if response.status_code != expect:
            raise RuntimeError(f"{name}: {args[0]} answered {response.status_code}")
        return response


def _get_pages(plan: dict) -> list[tuple[str, str, str]]:
    """(page, persona, path) of every GET in the mix."""
    panel = plan["panels"][0]
    return [
        ("search 2 chars", "citizen", f"/search/?q={plan['search_2'][0]}"),
        ("search 4 chars", "citizen", f"/search/?q={plan['search_4'][0]}"),
        ("guide", "citizen", f"/items/{plan['items'][0]}/"),
        ("我的办件", "citizen", "/applications/"),
        ("我的办件 (200 cases)", "heavy", "/applications/"),
        ("application (200-case citizen)", "heavy", f"/applications/{plan['heavy_case']}/"),
        ("API 我的申请", "citizen", "/api/v1/applications/"),
        ("queue 新申请", "window", f"{QUEUE}?tab=new"),
        ("queue 已超期", "window", f"{QUEUE}?tab=overdue"),
        ("queue 全部", "window", f"{QUEUE}?tab=all"),
        ("staff application", "window", CASE.format(plan["staff_case"])),
        ("dashboard", "supervisor", "/dashboard/"),
        (f"dashboard panel {panel} (JSON)", "supervisor", f"/dashboard/panels/{panel}/"),
        ("电子监察", "supervisor", "/admin/applications/application/supervision/"),
    ]


def _apply(samples: _Samples, client: Client, code: str) -> None:
    start = f"/applications/new/{code}/"
    page = samples.request("apply: start", client.get, start)
    made = samples.request(
        "apply: create draft", client.post, start, _hidden(page.text), expect=302
    )
    draft = samples.request("apply: draft form", client.get, made["Location"])
    fields = {**_hidden(draft.text), "action": "submit"}
    sent = samples.request("apply: submit", client.post, made["Location"], fields, expect=302)
    found = _DETAIL.search(sent["Location"])
    samples.request("application", client.get, f"/applications/{found.group(1)}/")


def _accept(samples: _Samples, client: Client) -> None:
    """受理 of the first case on the 新申请 tab (its page asked first, as the window does)."""
    queue = client.get(f"{QUEUE}?tab=new").text
    case = _CASE.search(queue).group(1)
    page = client.get(CASE.format(case))
    action = f"/admin/applications/application/{case}/action/accept/"
    samples.request(
        "staff accept", client.post, action, {**_hidden(page.text), "note": ""}, expect=302
    )


def run() -> list[Result]:
    generate_scale_data(SIZE)
    supervision_figures_refresh(today=timezone.localdate())
    plan = build_plan(citizens=4)
    clients = {
        "citizen": _signed_in(plan["sessions"]["citizen"][0]),
        "heavy": _signed_in(plan["sessions"]["heavy"][0]),
        "window": _signed_in(plan["sessions"]["window"][0]),
        "supervisor": _signed_in(plan["sessions"]["supervisor"][0]),
    }
    applicants = [_signed_in(key) for key in plan["sessions"]["citizen"]]
    anonymous = Client()
    pages = _get_pages(plan)
    samples = _Samples()
    for round_number in range(ROUNDS + 2):
        if round_number == 1:  # the first round warms caches and connections
            samples = _Samples()
        samples.counting = round_number == ROUNDS + 1
        for _ in range(2):
            for _ in range(REQUESTS * 5):
                samples.request(TRIVIAL, anonymous.get, TRIVIAL_PATH)
            for name, persona, path in pages:
                for _ in range(REQUESTS // 2):
                    samples.request(name, clients[persona].get, path)
        for walk in range(WALKS):
            code = plan["apply_items"][walk % len(plan["apply_items"])]
            _apply(samples, applicants[walk % len(applicants)], code)
            _accept(samples, clients["window"])
    trivial = statistics.median(samples.cpu[TRIVIAL])
    results = [Result(TRIVIAL, Timing(tuple(samples.cpu[TRIVIAL])), note="CPU time")]
    for name, cpu in samples.cpu.items():
        if name == TRIVIAL:
            continue
        ratio = statistics.median(cpu) / trivial
        verdict = "under" if ratio < GOAL else "OVER"
        results.append(
            Result(
                name,
                Timing(tuple(cpu)),
                TRIVIAL,
                note=f"{ratio:.0f}× ({verdict} {GOAL}×); {samples.queries[name]} queries",
            )
        )
    return results
