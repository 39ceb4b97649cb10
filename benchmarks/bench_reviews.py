"""Reviews dashboard: figures from the rollups vs GROUP BY over 10,000,000 reviews.

DOMAIN R6 asks for continuous monitoring; the dashboard's figures must not cost a scan of
every review ever given. The reviews app keeps rollups (day / month × department × item ×
channel × level, month × window × staff × level) updated in the transaction of each
review. This benchmark loads ``BENCH_REVIEWS`` reviews (default 10,000,000, two years,
weighted towards some items, 45 % at windows) with ``COPY`` — events and reviews streamed
from Python, secondary indexes dropped during the load and rebuilt after it, foreign-key
triggers off — builds the rollups from them with one ``INSERT … SELECT … GROUP BY`` per
table (the same keys the per-review upserts use; the run checks that the counts agree),
and times, each against a baseline measured in the same run:

* the figures (department × level, month × level, …) from the rollups vs the same
  ``GROUP BY`` over the reviews for the same twelve months — the ratio to read;
* every dashboard panel's JSON endpoint and the dashboard page, as a ratio to the trivial
  view (``benchmarks/bench_http_baseline.py``);
* one review through ``review_submit`` (its four rollup upserts included) vs the trivial
  view.

``BENCH_REVIEWS=200000 make bench BENCH_ARGS="--only reviews"`` for a quick run.
"""

from __future__ import annotations

import io
import os
import random
import time
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Department, ServiceCenter, ServiceWindow, User
from apps.accounts.roles import Role, group_name
from apps.catalogue.models import ItemType, ServiceItem, ServiceTarget
from apps.dashboard.panels import panels_for
from apps.reviews import services
from apps.reviews.models import (
    Review,
    ReviewDayRollup,
    ReviewMonthRollup,
    ReviewStaffRollup,
    ServiceEvent,
)
from apps.reviews.selectors import raw, stats
from apps.reviews.workflow import Channel
from benchmarks.bench_http_baseline import TRIVIAL_NAME, measure_get, trivial_view_baseline
from benchmarks.harness import Result, measure

N = int(os.environ.get("BENCH_REVIEWS", "10000000"))
DAYS = 730
DEPARTMENTS, ITEMS, WINDOWS, STAFF = 14, 160, 30, 120
CHUNK_ROWS = 50_000
LEVELS = ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"]
LEVEL_WEIGHTS = [66, 20, 7, 5, 2]
CHANNELS = ["window", "web", "mobile", "self_service", "hotline"]
CHANNEL_WEIGHTS = [45, 30, 15, 5, 5]
RAW = "GROUP BY over the reviews (12 months)"


def _setup() -> dict:
    departments = Department.objects.bulk_create(
        Department(code=f"BR{n:02d}", name=f"基准部门{n}", short_name=f"部门{n}")
        for n in range(DEPARTMENTS)
    )
    center = ServiceCenter.objects.create(
        code="BR-C",
        name="基准中心",
        kind=ServiceCenter.Kind.GOVERNMENT_SERVICE_CENTER,
        level=Department.Level.CITY,
        address="基准",
    )
    windows = ServiceWindow.objects.bulk_create(
        ServiceWindow(center=center, number=f"{n:02d}", name=f"窗口{n}") for n in range(WINDOWS)
    )
    items = ServiceItem.objects.bulk_create(
        ServiceItem(
            code=f"BR-{n:04d}",
            name=f"基准事项{n}",
            item_type=ItemType.LICENSING,
            target=ServiceTarget.BOTH,
            competent_department=departments[n % DEPARTMENTS],
            implementing_department=departments[n % DEPARTMENTS],
            legal_basis="基准",
        )
        for n in range(ITEMS)
    )
    staff = User.objects.bulk_create(
        User(username=f"bench-staff-{n}", full_name=f"基准员{n}", kind=User.Kind.STAFF)
        for n in range(STAFF)
    )
    supervisor = User.objects.create_user(
        username="bench-supervisor",
        password="Bench#2026",
        full_name="基准督查",
        kind=User.Kind.STAFF,
        is_staff=True,
    )
    supervisor.groups.add(Group.objects.get(name=group_name(Role.SUPERVISOR)))
    citizen = User.objects.create_user(username="bench-citizen", full_name="基准评价人")
    return {
        "departments": [d.pk for d in departments],
        "items": [(i.pk, i.implementing_department_id) for i in items],
        "windows": [w.pk for w in windows],
        "staff": [u.pk for u in staff],
        "supervisor": supervisor,
        "citizen": citizen,
        "department": departments[0],
    }


class _Stream(io.RawIOBase):
    """A file object ``COPY FROM STDIN`` reads; rows are made a chunk at a time."""

    def __init__(self, chunks) -> None:
        self._chunks = iter(chunks)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while len(self._buffer) < max(size, 1):
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _rows(ids: dict, today: date):
    """(event line, review line) chunks: the same random draw feeds both tables."""
    rng = random.Random(2026)
    items = ids["items"]
    item_weights = [1 / (n + 1) ** 0.8 for n in range(len(items))]  # some items far busier
    first = today - timedelta(days=DAYS - 1)
    department_index = {pk: n for n, pk in enumerate(ids["departments"])}
    done = 0
    while done < N:
        size = min(CHUNK_ROWS, N - done)
        picks = rng.choices(items, item_weights, k=size)
        levels = rng.choices(LEVELS, LEVEL_WEIGHTS, k=size)
        channels = rng.choices(CHANNELS, CHANNEL_WEIGHTS, k=size)
        events, reviews = [], []
        for k in range(size):
            pk = done + k + 1
            item, department = picks[k]
            day = first + timedelta(days=(pk * DAYS) // (N + 1))
            at = f"{day.isoformat()} {9 + pk % 8:02d}:{pk % 60:02d}:00+08"
            at_window = channels[k] == "window"
            # Each department has its own two windows and its own staff.
            desk = department_index[department]
            window = str(ids["windows"][(2 * desk + pk % 2) % WINDOWS]) if at_window else "\\N"
            staff = str(ids["staff"][(8 * desk + pk % 8) % STAFF]) if at_window else "\\N"
            level = levels[k]
            bad = "t" if level in ("dissatisfied", "very_dissatisfied") else "f"
            events.append(
                f"{pk}\t{at}\t{at}\tother\tb{pk}\t{department}\t{item}\t{window}\t{staff}\t{at}\n"
            )
            reviews.append(
                f"{pk}\t{pk}\t{channels[k]}\t{level}\t{bad}\t{department}\t{item}\t{window}\t"
                f"{staff}\tt\t\t\t{day.isoformat()}\t{at}\tf\n"
            )
        done += size
        yield "".join(events).encode(), "".join(reviews).encode()


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """Indexes that back no constraint: dropped for the load, rebuilt after it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [table],
        )
        return cursor.fetchall()


def _load(ids: dict, today: date) -> float:
    started = time.perf_counter()
    event_table, review_table = ServiceEvent._meta.db_table, Review._meta.db_table
    dropped = _secondary_indexes(event_table) + _secondary_indexes(review_table)
    with connection.cursor() as cursor:
        for name, _definition in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")  # no FK triggers per row
        # Two passes over the same seeded draw: nothing is held in memory.
        cursor.copy_expert(
            f"COPY {event_table} (id, created_at, updated_at, kind, reference, department_id, "
            "item_id, window_id, staff_id, reviewed_at) FROM STDIN",
            _Stream(e for e, _r in _rows(ids, today)),
            size=1 << 20,
        )
        cursor.copy_expert(
            f"COPY {review_table} (id, event_id, channel, level, is_bad, department_id, "
            "item_id, window_id, staff_id, anonymous, text, source_hash, day, created_at, "
            "excluded) FROM STDIN",
            _Stream(r for _e, r in _rows(ids, today)),
            size=1 << 20,
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        for _name, definition in dropped:
            cursor.execute(definition)
        for table in (event_table, review_table):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {N})")
            cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def _build_rollups() -> None:
    """What the per-review upserts would have left, in one statement per table."""
    review = Review._meta.db_table
    statements = {
        ReviewDayRollup: (
            "day, department_id, item_key, bad, count",
            "day, department_id, COALESCE(item_id, 0), is_bad, COUNT(*)",
            "day, department_id, COALESCE(item_id, 0), is_bad",
        ),
        ReviewMonthRollup: (
            "month, department_id, item_key, channel, level, count",
            "date_trunc('month', day)::date, department_id, COALESCE(item_id, 0), channel, "
            "level, COUNT(*)",
            "1, 2, 3, 4, 5",
        ),
        ReviewStaffRollup: (
            "month, department_id, window_key, staff_key, level, count",
            "date_trunc('month', day)::date, department_id, COALESCE(window_id, 0), "
            "COALESCE(staff_id, 0), level, COUNT(*)",
            "1, 2, 3, 4, 5",
        ),
    }
    with connection.cursor() as cursor:
        for model, (columns, select, group) in statements.items():
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({columns}) "  # noqa: S608
                f"SELECT {select} FROM {review} WHERE NOT excluded GROUP BY {group}"
            )
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _check(scope: stats.Scope) -> None:
    rollup = {
        (d.pk, level): n
        for d, figures in stats.by_department(scope)
        for level, n in figures.counts.items()
    }
    end = stats.add_months(scope.end, 1)
    baseline = raw.raw_department_levels(scope.start, end)
    if rollup != baseline:
        raise SystemExit("rollups disagree with the reviews: the benchmark stops")


def _figures(scope: stats.Scope) -> list[Result]:
    end = stats.add_months(scope.end, 1)

    def raw_departments():
        raw.raw_department_levels(scope.start, end)

    def raw_months():
        list(
            Review.objects.filter(excluded=False, day__gte=scope.start, day__lt=end)
            .values("day__month", "level")
            .order_by()
            .annotate(n=Count("id"))
        )

    return [
        Result(RAW, measure(raw_departments, repeat=3)),
        Result("rollup: department × level", measure(lambda: stats.by_department(scope)), RAW),
        Result("rollup: 12-month trend", measure(lambda: stats.monthly(scope)), RAW),
        Result("rollup: worst items", measure(lambda: stats.by_item(scope)), RAW),
        Result("rollup: staff ranking", measure(lambda: stats.by_staff(scope)), RAW),
        Result(
            "rollup: anomaly check (63 days of day rollups)",
            measure(lambda: stats.anomalies(today=timezone.localdate(), key="department_id")),
            RAW,
        ),
        Result("GROUP BY month × level over the reviews", measure(raw_months, repeat=3), RAW),
    ]


def _http(ids: dict) -> list[Result]:
    client = Client()
    client.force_login(ids["supervisor"])
    results = [trivial_view_baseline(client, 200)]
    results.append(measure_get(client, "/dashboard/", 20, name="GET /dashboard/ (page)"))
    for panel in panels_for(ids["supervisor"]):
        results.append(
            measure_get(client, f"/dashboard/panels/{panel.key}/", 5, name=f"JSON {panel.key}")
        )
    return results


def _submit(ids: dict) -> Result:
    department, citizen = ids["department"], ids["citizen"]
    events = [
        services.review_event_open(
            kind="other", reference=f"bench-submit-{n}", department=department, subject=citizen
        ).pk
        for n in range(2_000)
    ]
    queue = iter(events)

    def submit():
        services.review_submit(
            event_id=next(queue), channel=Channel.MOBILE, level="satisfied", reviewer=citizen
        )

    settings.REVIEWS_PER_PERSON_PER_DAY = 10**9  # one person rates 2,000 services here
    return Result(
        "review_submit (with 4 rollup upserts)",
        measure(submit, repeat=5, number=50, warmup=5),
        TRIVIAL_NAME,
        note="per review; ratio per operation to one trivial request",
    )


def run() -> list[Result]:
    today = timezone.localdate()
    ids = _setup()
    seconds = _load(ids, today)
    _build_rollups()
    this_month = today.replace(day=1)
    scope = stats.Scope(start=stats.add_months(this_month, -11), end=this_month)
    _check(scope)
    print(f"\n   loaded {N:,} reviews (and their events) with COPY in {seconds:.0f} s")
    results = _figures(scope)
    http = _http(ids)
    http.append(_submit(ids))
    return results + http
