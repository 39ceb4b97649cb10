"""Calendar change: N affected among 1,000,000 open applications vs N affected among 1,000.

Issue 7 (DOMAIN A7): when a day of the working-day calendar changes, every open case whose
clock crosses it gets its deadline recomputed, with a timeline row and a notice when it
moves. Its cost must follow the cases the change reaches, not the cases open. This
benchmark bulk-inserts open accepted applications with ``INSERT … SELECT generate_series``
(chunks of 200,000): all but N have deadlines before the changed day (2026-07-15), N are
accepted on 2026-07-08 with 10 working days, so their window crosses it. One sample is a
whole change: ``calendar_day_set`` makes 07-15 a holiday (recorded with the edit) and the
dispatch runs the applications' listener to the end (select, lock, recompute, bulk update
with history, timeline rows, one inbox notice each); untimed, the day is then given back and
recomputed again so every sample moves the N cases the same way.

* baseline: 1,000 open applications, N of them affected;
* 1,000,000 open applications, N affected — the ratio to the baseline should be ~1;
* 1,000,000 open, a change after every deadline (nothing affected) — index look-ups only.

``EXPLAIN`` of the selection is printed to show an index range on ``due_date`` (the
partial ``app_open_due_idx`` or, when every case is open as here, the plain one). Set
``BENCH_CALENDAR_OPEN`` (large size, default 1000000) and ``BENCH_CALENDAR_AFFECTED``
(N, default 1000) to change the sizes.
"""

from __future__ import annotations

import datetime
import json
import os
import time

from django.db import connection
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.applications.models import Application, TimelineEvent
from apps.applications.services.calendar_sync import SELECTIONS
from apps.applications.services.clock import clock_dates
from apps.catalogue.models import GuideMaterial, ItemType, ServiceGuide, ServiceItem, ServiceTarget
from apps.workdays.calendar import SHANGHAI
from apps.workdays.changes import as_event, calendar_change_dispatch
from apps.workdays.models import CalendarChange
from apps.workdays.services import calendar_day_delete, calendar_day_set
from benchmarks.harness import Result, Timing
from govservice.celery import app as celery_app

AFFECTED = int(os.environ.get("BENCH_CALENDAR_AFFECTED", "1000"))
LARGE = int(os.environ.get("BENCH_CALENDAR_OPEN", "1000000"))
SMALL = 1_000
CHUNK = 200_000
REPEAT = 5
CHANGED_DAY = datetime.date(2026, 7, 15)  # a Wednesday, a working day in 2026
OUTSIDE_DAY = datetime.date(2026, 11, 18)  # after every open deadline
AFFECTED_ACCEPTED = datetime.datetime(2026, 7, 8, 10, 0, tzinfo=SHANGHAI)
OTHERS_ACCEPTED = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)
BASELINE = f"{SMALL:,} open / {AFFECTED:,} affected"
TASK = "apps.workdays.tasks.dispatch_calendar_change"


def _setup() -> dict[str, int]:
    department = Department.objects.create(code="BENCH-CAL", name="基准日历局")
    applicant = User.objects.create_user(username="bench-cal-citizen", full_name="基准申请人")
    item = ServiceItem.objects.create(
        code="BENCH-CAL-1",
        name="基准日历许可",
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
       'natural_person', 'online', 'under_review', '', false, false, 0, 'green', false, false,
       now(), now(), %(accepted)s, 10, %(due)s::date + %(spread)s, %(yellow)s::date + %(spread)s
FROM generate_series(%(start)s, %(stop)s) AS g
"""


def _insert(cursor, ids, *, prefix, count, accepted, spread: str) -> None:
    due, yellow = clock_dates(accepted_at=accepted, time_limit_days=10)
    for start in range(1, count + 1, CHUNK):
        cursor.execute(
            _INSERT.replace("%(spread)s", spread),
            {
                **ids,
                "prefix": prefix,
                "start": start,
                "stop": min(start + CHUNK - 1, count),
                "accepted": accepted,
                "due": due,
                "yellow": yellow,
            },
        )


def _populate(ids: dict[str, int], *, open_count: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE applications_timelineevent, applications_application, "
            "applications_historicalapplication, notifications_notification, "
            "workdays_calendarchange CASCADE"
        )
        # Deadlines spread over 2026-06-12 .. 2026-07-01: all before the changed day.
        _insert(
            cursor,
            ids,
            prefix="BO",
            count=open_count - AFFECTED,
            accepted=OTHERS_ACCEPTED,
            spread="(g %% 14)",
        )
        _insert(cursor, ids, prefix="BA", count=AFFECTED, accepted=AFFECTED_ACCEPTED, spread="0")
        cursor.execute("ANALYZE applications_application")


def _change(day: datetime.date, *, holiday: bool) -> CalendarChange:
    if holiday:
        calendar_day_set(date=day, is_workday=False, name="基准假日")
    else:
        calendar_day_delete(date=day)
    return CalendarChange.objects.latest("id")


def _time_changes(day: datetime.date, expected: int) -> Timing:
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        change = _change(day, holiday=True)
        calendar_change_dispatch(change_id=change.pk)
        samples.append(time.perf_counter() - start)
        change.refresh_from_db()
        if change.changed_count != expected:
            raise SystemExit(f"the change moved {change.changed_count}, expected {expected}")
        calendar_change_dispatch(change_id=_change(day, holiday=False).pk)  # untimed restore
    return Timing(tuple(samples))


def _explain(day: datetime.date) -> str:
    change = _change(day, holiday=True)
    qs = SELECTIONS[0].queryset(as_event(change))
    page = qs.order_by("due_date", "pk").values_list("due_date", "pk")[:500]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    calendar_change_dispatch(change_id=change.pk)
    calendar_change_dispatch(change_id=_change(day, holiday=False).pk)
    return plan


def _drop_queued_tasks() -> None:
    """No worker runs here: remove the dispatch messages the services queued after commit."""
    with celery_app.connection_for_write() as conn:
        redis = conn.default_channel.client
        for raw in redis.lrange("celery", 0, -1):
            if json.loads(raw)["headers"].get("task") == TASK:
                redis.lrem("celery", 1, raw)


def run() -> list[Result]:
    ids = _setup()
    _populate(ids, open_count=SMALL)
    baseline = _time_changes(CHANGED_DAY, AFFECTED)

    started = time.perf_counter()
    _populate(ids, open_count=LARGE)
    print(
        f"\n   inserted {Application.objects.count():,} open applications "
        f"in {time.perf_counter() - started:.0f} s"
    )
    large = _time_changes(CHANGED_DAY, AFFECTED)
    nothing = _time_changes(OUTSIDE_DAY, 0)
    plan = _explain(CHANGED_DAY)
    print("\n   EXPLAIN selection (first batch):\n      " + plan.replace("\n", "\n      "))
    ranged = "Index" in plan and "Seq Scan" not in plan
    print(f"\n   index range on due_date (no sequential scan): {'yes' if ranged else 'NO'}")
    rows = TimelineEvent.objects.filter(kind=TimelineEvent.Kind.DEADLINE_RECALCULATED).count()
    print(f"   timeline rows written: {rows:,} (one per affected case per change)")

    # The baseline again after the large runs, so machine noise hits both sides alike.
    _populate(ids, open_count=SMALL)
    baseline = Timing(baseline.samples + _time_changes(CHANGED_DAY, AFFECTED).samples)
    _drop_queued_tasks()

    return [
        Result(BASELINE, baseline, note="one calendar change: edit + recompute to the end"),
        Result(
            f"{LARGE:,} open / {AFFECTED:,} affected",
            large,
            baseline=BASELINE,
            note="ratio ~1: cost follows the cases the change reaches, not the cases open",
        ),
        Result(
            f"{LARGE:,} open / 0 affected",
            nothing,
            baseline=BASELINE,
            note="a change after every deadline: index look-ups only",
        ),
    ]
