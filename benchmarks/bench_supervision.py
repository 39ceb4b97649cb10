"""Supervision run: 1,000 due among 1,000,000 open applications vs 1,000 due among 1,000.

DOMAIN A15 asks for reminders before deadlines are missed; the supervision task runs every
15 minutes, so its cost must follow what is *due*, not what is open. This benchmark
bulk-inserts open applications with ``INSERT … SELECT generate_series`` (chunks of
200,000), of which 1,000 are in the yellow zone, and times one supervision pass:

* baseline: 1,000 open applications, all 1,000 due;
* 1,000,000 open applications, 1,000 due — the ratio to the baseline should be ~1;
* 1,000,000 open, nothing due — a few index look-ups.

Before each sample the due rows are reset (marks, reminders and warning level), untimed;
the baseline is sampled before and after the large runs (noise hits both sides alike).
``EXPLAIN`` of the yellow and red selections is printed to show the partial indexes in use.
Also: one applicant submit over the API as a ratio to the trivial view.
Set ``BENCH_SUPERVISION_OPEN`` to change the large size (e.g. 100000 for a quick run).
"""

from __future__ import annotations

import datetime
import os
import time

from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.accounts.roles import Role, group_name
from apps.applications.due_selectors import red_due, yellow_due
from apps.applications.models import Application
from apps.applications.services import application_create_draft
from apps.applications.services.supervision import supervise_applications
from apps.catalogue.models import GuideMaterial, ItemType, ServiceGuide, ServiceItem, ServiceTarget
from benchmarks.bench_http_baseline import TRIVIAL_NAME, trivial_view_baseline
from benchmarks.harness import Result, Timing, measure

DUE = 1_000
LARGE = int(os.environ.get("BENCH_SUPERVISION_OPEN", "1000000"))
CHUNK = 200_000
REPEAT = 5
BASELINE = "1,000 open / 1,000 due"


def _setup() -> dict[str, int]:
    department = Department.objects.create(code="BENCH-SUP", name="基准测试局")
    from django.contrib.auth.models import Group

    for n, role in enumerate((Role.WINDOW_STAFF, Role.DEPARTMENT_APPROVER, Role.SUPERVISOR)):
        user = User.objects.create_user(
            username=f"bench-sup-{n}", full_name=f"基准{n}", kind=User.Kind.STAFF, is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name(role)))
        user.departments.add(department)
    applicant = User.objects.create_user(username="bench-sup-citizen", full_name="基准申请人")
    item = ServiceItem.objects.create(
        code="BENCH-SUP-1",
        name="基准许可",
        item_type=ItemType.LICENSING,
        target=ServiceTarget.BOTH,
        competent_department=department,
        implementing_department=department,
        legal_basis="基准",
    )
    guide = ServiceGuide.objects.create(
        item=item,
        version=1,
        status=ServiceGuide.Status.PUBLISHED,
        published_at=timezone.now(),
        acceptance_conditions="基准",
        review_standards="基准",
        legal_time_limit_days=20,
        promised_time_limit_days=10,
        result_name="基准证",
        where_to_apply="基准",
        office_hours="基准",
        consultation="12345",
        complaint="12345",
    )
    GuideMaterial.objects.create(guide=guide, name="申请书")
    return {
        "item": item.pk,
        "guide": guide.pk,
        "department": department.pk,
        "applicant": applicant.pk,
    }


_INSERT = """
INSERT INTO applications_application (
    number, item_id, guide_id, department_id, applicant_id, applicant_name, applicant_type,
    channel, state, outcome, is_immediate, deemed_accepted, extension_days, warning_level,
    pledge_signed, calendar_provisional, created_at, updated_at, accepted_at, time_limit_days,
    due_date, yellow_on
)
SELECT %(prefix)s || g, %(item)s, %(guide)s, %(department)s, %(applicant)s, '基准申请人',
       'natural_person', 'online', 'accepted', '', false, false, 0, 'green', false, false,
       now(), now(), now(), 10, %(due)s::date + (g %% 200), %(yellow)s::date + (g %% 200)
FROM generate_series(%(start)s, %(stop)s) AS g
"""


def _populate(ids: dict[str, int], *, open_count: int, due: int, today: datetime.date) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE applications_supervisionmark, applications_timelineevent, "
            "applications_application, applications_historicalapplication, "
            "notifications_notification CASCADE"
        )
        far = today + datetime.timedelta(days=400)
        not_due = open_count - due
        for start in range(1, not_due + 1, CHUNK):
            cursor.execute(
                _INSERT,
                {
                    **ids,
                    "prefix": "BN",
                    "start": start,
                    "stop": min(start + CHUNK - 1, not_due),
                    "due": far,
                    "yellow": far - datetime.timedelta(days=3),
                },
            )
        # Due: in the yellow zone today (due in two days, yellow since yesterday).
        cursor.execute(
            _INSERT.replace("(g %% 200)", "0"),
            {
                **ids,
                "prefix": "BD",
                "start": 1,
                "stop": due,
                "due": today + datetime.timedelta(days=2),
                "yellow": today - datetime.timedelta(days=1),
            },
        )
        cursor.execute("ANALYZE applications_application")


def _reset(today: datetime.date) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM applications_supervisionmark")
        cursor.execute("DELETE FROM applications_timelineevent")
        cursor.execute("DELETE FROM notifications_notification")
        cursor.execute(
            "UPDATE applications_application SET warning_level = 'green' "
            "WHERE warning_level <> 'green'"
        )


def _time_runs(today: datetime.date, expected: int) -> Timing:
    samples = []
    for _ in range(REPEAT):
        _reset(today)
        start = time.perf_counter()
        report = supervise_applications(today=today)
        samples.append(time.perf_counter() - start)
        if report.yellow != expected:
            raise SystemExit(f"supervision handled {report.yellow}, expected {expected}")
    return Timing(tuple(samples))


def _explain(qs, date_field: str) -> str:
    sql, params = (
        qs.order_by(date_field, "pk").values_list(date_field, "pk")[:500].query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _submit_results(ids: dict[str, int]) -> list[Result]:
    """``POST /api/v1/applications/{id}/submit`` (draft → submitted, timeline, inbox
    notice) through the full middleware stack, against the trivial view."""
    applicant = User.objects.get(pk=ids["applicant"])
    client = Client()
    client.force_login(applicant)
    n, repeat = 20, 5
    drafts = iter(
        application_create_draft(actor=applicant, item_id=ids["item"]).pk
        for _ in range(n * (repeat + 1))
    )

    def submits() -> None:
        for _ in range(n):
            response = client.post(
                f"/api/v1/applications/{next(drafts)}/submit", {}, content_type="application/json"
            )
            if response.status_code != 200:
                raise RuntimeError(f"submit answered {response.status_code}")

    return [
        trivial_view_baseline(client),
        Result(
            "POST /api/v1/applications/{id}/submit",
            measure(submits, repeat=repeat),
            TRIVIAL_NAME,
            ops=n,
            note="lock, edge check, intake deadline, timeline row, inbox notice",
        ),
    ]


def run() -> list[Result]:
    today = timezone.localdate()
    ids = _setup()
    submit_results = _submit_results(ids)

    _populate(ids, open_count=DUE, due=DUE, today=today)
    baseline = _time_runs(today, DUE)

    started = time.perf_counter()
    _populate(ids, open_count=LARGE, due=DUE, today=today)
    inserted = time.perf_counter() - started
    print(f"\n   inserted {Application.objects.count():,} applications in {inserted:.0f} s")
    large = _time_runs(today, DUE)
    plans = {
        "yellow": _explain(yellow_due(today), "yellow_on"),
        "red": _explain(red_due(today), "due_date"),
    }
    for name, plan in plans.items():
        print(f"\n   EXPLAIN {name} selection:\n      " + plan.replace("\n", "\n      "))
    index_used = "app_yellow_due_idx" in plans["yellow"] and "app_red_due_idx" in plans["red"]
    print(f"\n   partial indexes used: {'yes' if index_used else 'NO'}")

    _reset(today)
    with connection.cursor() as cursor:  # nothing due: the due rows leave the yellow zone
        cursor.execute(
            "UPDATE applications_application SET yellow_on = %s WHERE number LIKE 'BD%%'",
            [today + datetime.timedelta(days=1)],
        )
    nothing_samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        supervise_applications(today=today)
        nothing_samples.append(time.perf_counter() - start)

    # The baseline again after the large run, so machine noise hits both sides alike.
    _populate(ids, open_count=DUE, due=DUE, today=today)
    baseline = Timing(baseline.samples + _time_runs(today, DUE).samples)

    large_name = f"{LARGE:,} open / 1,000 due"
    return [
        *submit_results,
        Result(BASELINE, baseline, note="one supervision pass: 1,000 yellow reminders"),
        Result(
            large_name,
            large,
            baseline=BASELINE,
            note="ratio ~1: cost follows due applications, not open ones",
        ),
        Result(
            f"{LARGE:,} open / 0 due",
            Timing(tuple(nothing_samples)),
            baseline=BASELINE,
            note="index look-ups only",
        ),
    ]
