"""Online forms: the draft page with the 食品经营许可 form, the one validator, and the staff
queue searched by a key answer (200 vs 2000 applications), against the trivial view."""

from __future__ import annotations

import copy
import dataclasses

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.roles import Role
from apps.applications import services
from apps.applications.models import ApplicationKeyField
from apps.catalogue.application_forms import check_answers, parse_form
from apps.catalogue.application_forms.printable import sample_values
from apps.catalogue.demo import demo_forms
from benchmarks.bench_http_baseline import TRIVIAL_NAME, measure_get, trivial_view_baseline
from benchmarks.harness import Result, measure
from tests.accounts.factories import DepartmentFactory, StaffFactory, UserFactory
from tests.applications.factories import ApplicationFactory, guide_for

FOOD = "350100-SCJGJ-XK-0006"


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return len(captured)


def _with_key_fields(guide, owner, count: int, prefix: str) -> None:
    rows = []
    for i in range(count):
        application = ApplicationFactory(guide=guide, applicant=owner)
        rows.append(ApplicationKeyField(application=application, key="shop", value=f"{prefix}{i}"))
    ApplicationKeyField.objects.bulk_create(rows)


def run() -> list[Result]:
    department = DepartmentFactory(code="BENCHFORM", name="基准表单局")
    guide = guide_for(department)
    guide.application_form = copy.deepcopy(demo_forms()[FOOD]["application_form"])
    guide.application_form["fills_material"] = "食品经营许可申请书"
    guide.save()
    form = parse_form(guide.application_form)
    sample = {**sample_values(form), "declaration": True}

    citizen = UserFactory()
    draft = services.application_create_draft(actor=citizen, item_id=guide.item_id)
    applicant = Client()
    applicant.force_login(citizen)
    edit = f"/applications/{draft.pk}/edit/"
    edit_queries = _queries(applicant, edit)

    staff = StaffFactory(role=Role.WINDOW_STAFF, departments=[department])
    window = Client()
    window.force_login(staff)
    queue = "/admin/applications/application/queue/?tab=new&q=海鲜大排档1"
    _with_key_fields(guide, citizen, 200, "海鲜大排档")
    small = _queries(window, queue)
    small_result = measure_get(window, queue, 30, name="queue search, 200 applications")
    _with_key_fields(guide, citizen, 1800, "海鲜酒楼")
    large = _queries(window, queue)
    if small != large:
        raise RuntimeError(f"queue search queries grow with rows: {small} vs {large}")
    large_result = measure_get(window, queue, 30, name="queue search, 2000 applications")
    plain = "/admin/applications/application/queue/?tab=new"
    plain_result = measure_get(window, plain, 30, name="queue without search, 2000 applications")

    return [
        trivial_view_baseline(applicant),
        dataclasses.replace(
            measure_get(applicant, edit, 30, name="GET draft page with the 食品经营许可 form"),
            note=f"{edit_queries} queries",
        ),
        Result(
            "check_answers(食品经营许可 sample, complete)",
            measure(lambda: check_answers(form.fields, sample, partial=False), repeat=5, number=50),
            baseline=TRIVIAL_NAME,
        ),
        dataclasses.replace(small_result, note=f"{small} queries"),
        dataclasses.replace(large_result, note=f"{large} queries (same as with 200)"),
        plain_result,
    ]
