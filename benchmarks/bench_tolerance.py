"""Tolerance sweep: 1,000 due among 1,000,000 open tolerated materials vs 1,000 due among
1,000 (issue #10, DOMAIN T2/T3).

The sweep runs every 15 minutes; its cost must follow what is *due* (a reminder owed, a
deadline passed), not what is open. Rows are bulk-inserted with ``INSERT … SELECT``:
applications × tolerable materials of one guide, each tolerated material with its
``MaterialSupply``; 1,000 of them are due for the one-working-day reminder. One sweep
pass (reminders and the lapse check) is timed:

* baseline: 1,000 applications × 1 tolerated material, all due;
* 1,000 applications × 1,000 tolerated materials (1,000,000 open), 1,000 due — ratio ~1;
* the same 1,000,000 open, nothing due — index look-ups only.

Before each sample the reminders are reset (marks, notifications, timeline), untimed; the
baseline is sampled before and after the large runs. ``EXPLAIN`` of both selections shows
the partial index ``tol_owed_due_idx``. ``BENCH_TOLERANCE_OPEN`` changes the large size.
"""

from __future__ import annotations

import datetime
import os
import time

from django.db import connection
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.catalogue.models import GuideMaterial, ItemType, ServiceGuide, ServiceItem, ServiceTarget
from apps.tolerance.due import lapsed, reminders_due
from apps.tolerance.services import sweep_tolerated_materials
from apps.workdays.calendar import add_working_days
from benchmarks.harness import Result, Timing

DUE = 1_000
APPLICATIONS = 1_000
LARGE = int(os.environ.get("BENCH_TOLERANCE_OPEN", "1000000"))
REPEAT = 3
BASELINE = "1,000 open / 1,000 due"


def _setup() -> dict[str, int]:
    department = Department.objects.create(code="BENCH-TOL", name="容缺基准局")
    applicant = User.objects.create_user(username="bench-tol-citizen", full_name="基准申请人")
    item = ServiceItem.objects.create(
        code="BENCH-TOL-1",
        name="容缺基准许可",
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
        tolerance_note="基准",
    )
    per_application = max(1, LARGE // APPLICATIONS)
    GuideMaterial.objects.bulk_create(
        GuideMaterial(
            guide=guide,
            order=n,
            name=f"容缺材料{n}",
            importance=GuideMaterial.Importance.TOLERABLE,
            supplement_days=5,
        )
        for n in range(per_application)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO applications_application (
                number, item_id, guide_id, department_id, applicant_id, applicant_name,
                applicant_type, channel, state, outcome, is_immediate, deemed_accepted,
                extension_days, warning_level, calendar_provisional, pledge_signed, created_at,
                updated_at, accepted_at, time_limit_days, due_date, yellow_on
            )
            SELECT 'BT' || g, %(item)s, %(guide)s, %(department)s, %(applicant)s, '基准申请人',
                   'natural_person', 'online', 'under_review', '', false, false, 0, 'green',
                   false, true, now(), now(), now(), 10, now()::date + 30, now()::date + 28
            FROM generate_series(1, %(n)s) AS g
            """,
            {
                "item": item.pk,
                "guide": guide.pk,
                "department": department.pk,
                "applicant": applicant.pk,
                "n": APPLICATIONS,
            },
        )
    return {"guide": guide.pk}


def _populate(ids: dict[str, int], *, per_application: int, due_on: datetime.date) -> int:
    """``per_application`` tolerated materials per application; the first material of every
    application is due on ``due_on``, the others in 400 days."""
    far = due_on + datetime.timedelta(days=400)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE tolerance_remindermark, tolerance_materialsupply, "
            "tolerance_historicalmaterialsupply, applications_toleratedmaterial, "
            "applications_timelineevent, notifications_notification CASCADE"
        )
        cursor.execute(
            """
            INSERT INTO applications_toleratedmaterial (application_id, guide_material_id, due_date)
            SELECT a.id, m.id, CASE WHEN m."order" = 0 THEN %(due)s::date ELSE %(far)s::date END
            FROM applications_application a
            CROSS JOIN (
                SELECT id, "order" FROM catalogue_guidematerial
                WHERE guide_id = %(guide)s AND "order" < %(per)s
            ) m
            WHERE a.number LIKE 'BT%%'
            """,
            {"guide": ids["guide"], "per": per_application, "due": due_on, "far": far},
        )
        cursor.execute(
            """
            INSERT INTO tolerance_materialsupply (
                tolerated_id, application_id, due_date, state, reason, created_at, updated_at
            )
            SELECT id, application_id, due_date, 'missing', '', now(), now()
            FROM applications_toleratedmaterial
            """
        )
        cursor.execute("ANALYZE applications_toleratedmaterial")
        cursor.execute("ANALYZE tolerance_materialsupply")
        cursor.execute("SELECT count(*) FROM tolerance_materialsupply")
        return cursor.fetchone()[0]


def _reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tolerance_remindermark")
        cursor.execute("DELETE FROM applications_timelineevent")
        cursor.execute("DELETE FROM notifications_notification")


def _time_runs(today: datetime.date, expected: int) -> Timing:
    samples = []
    for _ in range(REPEAT):
        _reset()
        start = time.perf_counter()
        report = sweep_tolerated_materials(today=today)
        samples.append(time.perf_counter() - start)
        if report.reminded != expected:
            raise SystemExit(f"the sweep reminded {report.reminded}, expected {expected}")
    return Timing(tuple(samples))


def _explain(qs) -> str:
    sql, params = (
        qs.order_by("due_date", "pk").values_list("due_date", "pk")[:500].query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def run() -> list[Result]:
    today = timezone.localdate()
    due_on = add_working_days(today, 1)
    ids = _setup()

    _populate(ids, per_application=1, due_on=due_on)
    baseline = _time_runs(today, DUE)

    started = time.perf_counter()
    count = _populate(ids, per_application=max(1, LARGE // APPLICATIONS), due_on=due_on)
    print(f"\n   inserted {count:,} tolerated materials in {time.perf_counter() - started:.0f} s")
    large = _time_runs(today, DUE)
    plans = {"reminders": _explain(reminders_due(today)), "lapsed": _explain(lapsed(today))}
    for name, plan in plans.items():
        print(f"\n   EXPLAIN {name} selection:\n      " + plan.replace("\n", "\n      "))
    used = all("tol_owed_due_idx" in plan for plan in plans.values())
    print(f"\n   partial index used: {'yes' if used else 'NO'}")

    _reset()
    with connection.cursor() as cursor:  # nothing due: the due rows move out of the window
        cursor.execute(
            "UPDATE tolerance_materialsupply SET due_date = due_date + 200 WHERE due_date = %s",
            [due_on],
        )
        cursor.execute(
            "UPDATE applications_toleratedmaterial SET due_date = due_date + 200 "
            "WHERE due_date = %s",
            [due_on],
        )
    nothing = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        sweep_tolerated_materials(today=today)
        nothing.append(time.perf_counter() - start)

    _populate(ids, per_application=1, due_on=due_on)
    baseline = Timing(baseline.samples + _time_runs(today, DUE).samples)

    return [
        Result(BASELINE, baseline, note="one sweep: 1,000 reminders (inbox + SMS, timeline)"),
        Result(
            f"{count:,} open / 1,000 due",
            large,
            baseline=BASELINE,
            note="ratio ~1: cost follows due materials, not open ones",
        ),
        Result(
            f"{count:,} open / 0 due",
            Timing(tuple(nothing)),
            baseline=BASELINE,
            note="index look-ups only",
        ),
    ]
