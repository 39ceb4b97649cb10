"""12345 hotline: intake (API, Open311), the monthly analysis over 1,000,000 tickets, and
the operator's caller look-up.

* Intake: ``POST /api/v1/hotline/tickets/`` (operator, session auth) and ``POST
  /open311/v2/requests.json`` (api_key), each as a ratio to the trivial view.
* 1,000,000 tickets are inserted with ``INSERT … SELECT generate_series`` (chunks of
  200,000) over six months, twelve departments and thirty categories.
* Monthly analysis (``apps.hotline.analysis.monthly_report``: a fixed number of GROUP BY
  queries over one month) against the naive way — reading the month's rows into Python
  and counting there — with the absolute time of both.
* Caller look-up: the queries ``caller_history`` runs for a caller with 30 tickets, at
  1,000 tickets and at 1,000,000 (must be the same number), its time, and ``EXPLAIN``.
Set ``BENCH_HOTLINE_TICKETS`` for a quicker run (e.g. 100000).
"""

from __future__ import annotations

import datetime
import os
import time
from collections import Counter, defaultdict

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.accounts.roles import Role, group_name
from apps.common.pii import keyed_hash
from apps.hotline import analysis, selectors, services
from apps.hotline.models import Category, Ticket
from benchmarks.bench_http_baseline import TRIVIAL_NAME, trivial_view_baseline
from benchmarks.harness import Result, Timing, measure

TOTAL = int(os.environ.get("BENCH_HOTLINE_TICKETS", "1000000"))
CHUNK = 200_000
INTAKES = 40
CALLER = "13900009999"
CALLER_TICKETS = 30


def _setup() -> dict:
    departments = [
        Department.objects.create(code=f"BENCH-HL-{i}", name=f"基准局{i}") for i in range(12)
    ]
    parent = Category.objects.create(code="BENCH", name="基准大类")
    categories = [
        Category.objects.create(
            code=f"BENCH-{i}", name=f"基准分类{i}", parent=parent, department=departments[i % 12]
        )
        for i in range(30)
    ]
    operator = User.objects.create_user(
        username="bench-operator", full_name="基准话务", kind=User.Kind.STAFF, is_staff=True
    )
    operator.groups.add(Group.objects.get(name=group_name(Role.HOTLINE_OPERATOR)))
    admin = User.objects.create_superuser(username="bench-admin", full_name="基准管理")
    _key, raw = services.open311_key_create(actor=admin, name="bench")
    return {"operator": operator, "categories": categories, "departments": departments, "key": raw}


def _intake(setup: dict) -> list[Result]:
    client = Client()
    client.force_login(setup["operator"])
    category = setup["categories"][0]
    public = Client()
    counter = iter(range(10**9))

    def api() -> None:
        for _ in range(INTAKES):
            n = next(counter)
            response = client.post(
                "/api/v1/hotline/tickets/",
                {
                    "ticket_type": "complaint",
                    "category_id": category.pk,
                    "content": "基准：夜间施工噪声。",
                    "caller_phone": f"137{n:08d}",
                    "district": "鼓楼区",
                    "address": f"基准路{n}号",
                },
                content_type="application/json",
            )
            if response.status_code != 201:
                raise RuntimeError(response.content)

    def open311() -> None:
        for _ in range(INTAKES):
            n = next(counter)
            response = public.post(
                "/open311/v2/requests.json",
                {
                    "api_key": setup["key"],
                    "service_code": category.code,
                    "lat": "26.07",
                    "long": "119.29",
                    "description": "基准：路灯不亮。",
                    "phone": f"136{n:08d}",
                },
            )
            if response.status_code != 201:
                raise RuntimeError(response.content)

    return [
        trivial_view_baseline(Client(), 300),
        Result(
            "intake POST /api/v1/hotline/tickets/", measure(api, repeat=5), TRIVIAL_NAME, INTAKES
        ),
        Result(
            "intake POST /open311/v2/requests.json",
            measure(open311, repeat=5),
            TRIVIAL_NAME,
            INTAKES,
        ),
    ]


_INSERT = """
INSERT INTO hotline_ticket (
    created_at, updated_at, number, channel, ticket_type, category_id, urgency, state, closure,
    title, content, address, district, media_url, caller_name, caller_phone, caller_phone_hash,
    is_anonymous, department_id, cycle, dispatched_at, sign_due_at, signed_at, reply_due_at,
    replied_at, reply_text, return_count, sign_stage, reply_stage, escalation_level,
    callback_reminded, satisfaction, callback_note, reopen_count, transfer_target
)
SELECT
    ts, ts, 'B' || g, 'phone',
    (ARRAY['enquiry','complaint','help','suggestion','report','praise'])[1 + g %% 6],
    %(cat0)s + (g * 7) %% 30, 'normal',
    (ARRAY['closed','closed','closed','in_progress','dispatched'])[1 + g %% 5],
    '', '基准', '基准工单内容', '基准路' || (g %% 5000) || '号',
    (ARRAY['鼓楼区','台江区','仓山区','晋安区','马尾区','长乐区'])[1 + g %% 6], '', '', '',
    CASE WHEN g %% %(every)s = 0 THEN %(caller_hash)s ELSE md5((g %% 300000)::text) END,
    false, %(dept0)s + g %% 12, 1, ts, ts + interval '2 hours',
    ts + ((g %% 180) || ' minutes')::interval, ts + interval '5 days',
    CASE WHEN g %% 5 < 3 THEN ts + ((g %% 9) || ' days')::interval END, '',
    (g %% 23 = 0)::int,
    0, 0, 0, false,
    (ARRAY['', 'very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied'])[1 + g %% 5],
    '', 0, ''
FROM (
    SELECT g, %(start)s::timestamptz + ((g %% 180) || ' days')::interval
              + ((g %% 86400) || ' seconds')::interval AS ts
    FROM generate_series(%(lo)s, %(hi)s) AS g
) AS rows
"""


def _fill(setup: dict, total: int) -> float:
    start = timezone.now() - datetime.timedelta(days=180)
    params = {
        "cat0": setup["categories"][0].pk,
        "dept0": setup["departments"][0].pk,
        "caller_hash": keyed_hash(CALLER),
        "every": max(total // CALLER_TICKETS, 1),
        "start": start,
    }
    sql = _INSERT
    began = time.perf_counter()
    with connection.cursor() as cursor:
        for lo in range(1, total + 1, CHUNK):
            cursor.execute(sql, {**params, "lo": lo, "hi": min(lo + CHUNK - 1, total)})
        cursor.execute("ANALYZE hotline_ticket")
    return time.perf_counter() - began


def _naive_month(month: datetime.date) -> dict:
    """What one writes without aggregation: every row of the month into Python."""
    start, end = analysis.month_bounds(month)
    topics: Counter = Counter()
    departments: dict = defaultdict(Counter)
    for row in (
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
        .values(
            "category_id",
            "district",
            "department_id",
            "replied_at",
            "reply_due_at",
            "signed_at",
            "dispatched_at",
            "return_count",
            "satisfaction",
        )
        .iterator(chunk_size=5000)
    ):
        topics[(row["category_id"], row["district"])] += 1
        d = departments[row["department_id"]]
        d["tickets"] += 1
        if row["replied_at"] is not None:
            d["replied"] += 1
            d["on_time"] += row["replied_at"] <= row["reply_due_at"]
        d["returns"] += row["return_count"]
        d["rated"] += bool(row["satisfaction"])
    return {"topics": topics.most_common(20), "departments": departments}


def _analysis() -> list[Result]:
    month = (timezone.localdate() - datetime.timedelta(days=40)).replace(day=1)
    start, end = analysis.month_bounds(month)
    in_month = Ticket.objects.filter(created_at__gte=start, created_at__lt=end).count()
    with CaptureQueriesContext(connection) as queries:
        analysis.monthly_report(month)
    report = Result(
        f"monthly report ({in_month:,} tickets in {month:%Y-%m}, {len(queries)} queries)",
        measure(lambda: analysis.monthly_report(month), repeat=3),
        "naive: the month's rows into Python",
    )
    naive = Result(
        "naive: the month's rows into Python", measure(lambda: _naive_month(month), repeat=3)
    )
    return [naive, report]


def _caller(setup: dict, label: str) -> tuple[Result, int]:
    operator = setup["operator"]
    selectors.caller_history(user=operator, phone=CALLER)  # the permission cache, once
    with CaptureQueriesContext(connection) as queries:
        found = selectors.caller_history(user=operator, phone=CALLER)
    timing: Timing = measure(
        lambda: selectors.caller_history(user=operator, phone=CALLER), repeat=20, number=5
    )
    return Result(
        f"caller look-up, {label} ({len(found)} found, {len(queries)} queries)", timing
    ), len(queries)


def run() -> list[Result]:
    setup = _setup()
    results = _intake(setup)
    small, small_queries = _caller(setup, f"{Ticket.objects.count():,} tickets")
    seconds = _fill(setup, TOTAL)
    print(f"   (inserted {TOTAL:,} tickets in {seconds:.0f} s)")
    large, large_queries = _caller(setup, f"{Ticket.objects.count():,} tickets")
    results += [small, Result(large.name, large.timing, small.name)]
    if small_queries != large_queries:
        raise RuntimeError(f"caller look-up queries grew: {small_queries} → {large_queries}")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT * FROM hotline_ticket WHERE caller_phone_hash = %s "
            "ORDER BY created_at DESC, id DESC LIMIT 20",
            [keyed_hash(CALLER)],
        )
        print("   EXPLAIN caller look-up:\n" + "\n".join(f"     {r[0]}" for r in cursor.fetchall()))
    return results + _analysis()
