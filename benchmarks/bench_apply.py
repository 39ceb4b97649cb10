"""The citizen's apply flow, as the load test walks it (issue 16: a fifth of the load mix).

在线申请 (GET), the draft made (POST), the draft form (GET), 提交申请 (POST with
``action=submit``) and the application page (GET), through the real forms, for a guide
without materials (the load's ``SCALE-…`` items) and one with an online form and two
materials. Each request's **CPU time of this process** is one sample (``time.process_time``:
Postgres runs in its own process, and a busy machine stretches CPU time far less than wall
time), compared with the anonymous trivial view's, measured the same way in the same loop.
The note gives each request's statements.
"""

from __future__ import annotations

import re
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.catalogue.models import ServiceGuide
from benchmarks.bench_http_baseline import TRIVIAL_NAME
from benchmarks.harness import Result, Timing
from benchmarks.urls import TRIVIAL_PATH
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.applications.factories import GuideFactory, ServiceItemFactory
from tests.applications.form_factories import form_guide

WALKS = 40
STEPS = ("apply: start", "apply: create draft", "apply: draft form", "apply: submit", "application")
_HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|idempotency_key)" value="([^"]+)"')
_DETAIL = re.compile(r"/applications/(\d+)/")
FORM_POST = {
    "f_contact_phone": "13900000009",
    "f_business_address__province": "350000",
    "f_business_address__city": "350100",
    "f_business_address__district": "350102",
    "f_business_address__detail": "五四路100号",
    "f_shop_name": "榕城小馆",
    "f_declaration": "1",
}


class _Walk:
    """Per-step CPU samples and the statements of the last walk."""

    def __init__(self) -> None:
        self.cpu: dict[str, list[float]] = {step: [] for step in STEPS}
        self.trivial: list[float] = []
        self.queries: dict[str, int] = {}

    def _timed(self, step: str, call, *args, expect: int):
        with CaptureQueriesContext(connection) as captured:
            start = time.process_time()
            response = call(*args)
            self.cpu[step].append(time.process_time() - start)
        if response.status_code != expect:
            raise RuntimeError(f"{step}: answered {response.status_code}")
        self.queries[step] = len(captured)
        return response

    def trivial_request(self, anonymous: Client) -> None:
        start = time.process_time()
        anonymous.get(TRIVIAL_PATH)
        self.trivial.append(time.process_time() - start)

    def walk(self, client: Client, code: str, answers: dict) -> None:
        new = f"/applications/new/{code}/"
        page = self._timed("apply: start", client.get, new, expect=200)
        fields = dict(_HIDDEN.findall(page.content.decode()))
        made = self._timed("apply: create draft", client.post, new, fields, expect=302)
        edit = made["Location"]
        draft = self._timed("apply: draft form", client.get, edit, expect=200)
        data = {**dict(_HIDDEN.findall(draft.content.decode())), **answers, "action": "submit"}
        sent = self._timed("apply: submit", client.post, edit, data, expect=302)
        detail = _DETAIL.search(sent["Location"])
        if detail is None:
            raise RuntimeError(f"submit went to {sent['Location']}")
        self._timed("application", client.get, f"/applications/{detail.group(1)}/", expect=200)


def _plain_guide(department) -> ServiceGuide:
    """As the scale generator's items: a published guide without materials or form."""
    item = ServiceItemFactory(competent_department=department, target="both")
    return GuideFactory(item=item)


def run() -> list[Result]:
    department = DepartmentFactory(code="BENCHAPPLY", name="基准申请局")
    cases = [
        ("no materials", _plain_guide(department), {}),
        ("form + 2 materials", form_guide(department), FORM_POST),
    ]
    citizens = [UserFactory() for _ in range(4)]
    clients = []
    for citizen in citizens:
        client = Client()
        client.force_login(citizen)
        clients.append(client)
    anonymous = Client()
    results: list[Result] = []
    trivial: list[float] = []
    for label, guide, answers in cases:
        walk = _Walk()
        for n in range(WALKS + 3):
            if n == 3:  # the first walks warm the caches and the connection
                walk = _Walk()
            walk.trivial_request(anonymous)
            walk.trivial_request(anonymous)
            walk.walk(clients[n % len(clients)], guide.item.code, answers)
        trivial.extend(walk.trivial)
        results.extend(
            Result(
                f"{step} ({label})",
                Timing(tuple(walk.cpu[step])),
                TRIVIAL_NAME,
                note=f"{walk.queries[step]} queries; CPU time of this process",
            )
            for step in STEPS
        )
    return [Result(TRIVIAL_NAME, Timing(tuple(trivial)), note="CPU time, anonymous"), *results]
