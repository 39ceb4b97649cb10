"""Applicant pages: 我的办件 and one application's detail, against the trivial view.

我的办件 is measured for a citizen with 20 and with 200 applications: the page (20 per
page) must run the same number of queries and cost about the same for both.
"""

from __future__ import annotations

import dataclasses

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.applications.models import Application
from apps.applications.workflow import State
from benchmarks.bench_http_baseline import measure_get, trivial_view_baseline
from benchmarks.harness import Result
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.applications.factories import ApplicationFactory, guide_for

STATES = [State.SUBMITTED, State.ACCEPTED, State.UNDER_REVIEW, State.CORRECTION_REQUESTED]


def _citizen_with(count: int, guide) -> User:
    citizen = UserFactory()
    for i in range(count):
        ApplicationFactory(applicant=citizen, guide=guide, state=STATES[i % len(STATES)])
    return citizen


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return len(captured)


def run() -> list[Result]:
    guide = guide_for(DepartmentFactory(code="BENCHAPP", name="基准测试局"))
    few, many = _citizen_with(20, guide), _citizen_with(200, guide)
    client_few, client_many = Client(), Client()
    client_few.force_login(few)
    client_many.force_login(many)
    queries_few = _queries(client_few, "/applications/")
    queries_many = _queries(client_many, "/applications/")
    if queries_few != queries_many:
        raise RuntimeError(f"我的办件 queries grow with rows: {queries_few} vs {queries_many}")
    detail = f"/applications/{Application.objects.filter(applicant=few).first().pk}/"

    detail_queries = _queries(client_few, detail)

    def get(client: Client, path: str, n: int, name: str, note: str) -> Result:
        return dataclasses.replace(measure_get(client, path, n, name=name), note=note)

    return [
        trivial_view_baseline(client_few),
        get(
            client_few,
            "/applications/",
            50,
            "GET /applications/ (20 applications)",
            f"{queries_few} queries",
        ),
        get(
            client_many,
            "/applications/",
            20,
            "GET /applications/ (200 applications, page 1 of 10)",
            f"{queries_many} queries (same as with 20)",
        ),
        get(
            client_few, detail, 50, "GET /applications/<id>/ (detail)", f"{detail_queries} queries"
        ),
    ]
