"""Catalogue import of 10,000 items: the first import's rate and a no-op re-import.

Builds a district's file in the exchange format (docs/catalogue-format.md): 40 departments
(a county government and its bureaus), and 10,000 items of which 70 % carry a guide marked
published (3 materials, 2 steps each), 10 % a draft and 20 % only the basic catalogue.
Times the first import (every item through the services, each in its own savepoint) and
re-importing the same file, which must write nothing; both are printed per item against
the trivial view. Query counts (checked, not timed): the no-op costs a fixed number of
queries per batch of 500 items, the first import a fixed number per item.
"""

from __future__ import annotations

import os

from django.db import connection
from django.test import Client

from apps.catalogue.transfer import BATCH_SIZE, ImportReport, catalogue_import
from benchmarks.bench_http_baseline import TRIVIAL_NAME, trivial_view_baseline
from benchmarks.harness import Result, Timing, measure

ITEMS = int(os.environ.get("BENCH_IMPORT_ITEMS", "10000"))
DEPARTMENTS = 40
SUBJECTS = ["食品经营", "药品零售", "道路运输", "建筑施工", "排污", "医疗机构", "民办学校", "户籍"]
ACTIONS = [
    ("许可", "licensing"),
    ("登记", "confirmation"),
    ("补贴", "payment"),
    ("检查", "inspection"),
]


def _guide(n: int, status: str) -> dict:
    return {
        "status": status,
        "acceptance_conditions": "申请人符合法定条件，材料齐全、符合法定形式。",
        "review_standards": "依据设定依据逐项审查。",
        "legal_time_limit_days": 20,
        "promised_time_limit_days": 1 + n % 10,
        "result_name": f"导入事项{n}决定书",
        "where_to_apply": "区政务服务中心一楼综合窗口",
        "office_hours": "工作日 9:00-12:00，13:30-17:00",
        "consultation": "12345 政务服务便民热线",
        "complaint": "12345 政务服务便民热线",
        "materials": [
            {"name": name, "originals": 1}
            for name in ("申请书", "申请人身份证明", "经营场所使用证明")
        ],
        "steps": [{"name": "受理"}, {"name": "审查决定"}],
    }


def district_file() -> dict:
    departments = [
        {"code": "BENCH-GOV", "name": "示范区人民政府", "level": "county", "region_code": "350102"}
    ] + [
        {
            "code": f"BENCH-D{d:02d}",
            "name": f"示范区第{d}局",
            "parent": "BENCH-GOV",
            "level": "county",
            "region_code": "350102",
        }
        for d in range(1, DEPARTMENTS)
    ]
    items = []
    for n in range(ITEMS):
        subject = SUBJECTS[n % len(SUBJECTS)]
        action, item_type = ACTIONS[(n // len(SUBJECTS)) % len(ACTIONS)]
        dept = f"BENCH-D{1 + n % (DEPARTMENTS - 1):02d}"
        record = {
            "code": f"11350102BENCH{n:05d}",
            "name": f"{subject}{action}（{n}）",
            "item_type": item_type,
            "target": "legal_person",
            "competent_department": dept,
            "implementing_department": dept,
            "legal_basis": "《中华人民共和国行政许可法》第十二条",
            "level": "county",
            "keywords": subject,
        }
        share = n % 10
        if share < 7:
            record["guide"] = _guide(n, "published")
        elif share == 7:
            record["guide"] = _guide(n, "draft")
        items.append(record)
    return {"departments": departments, "items": items}


class QueryCounter:
    """Counts the statements sent, without keeping them (a 10,000-item import sends
    hundreds of thousands)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed_import(data: dict) -> tuple[Timing, int, ImportReport]:
    reports: list[ImportReport] = []
    counter = QueryCounter()

    def run_import() -> None:
        report = catalogue_import(data)
        if not report.ok:
            raise SystemExit("bench_catalogue_import: " + "\n".join(report.errors[:5]))
        reports.append(report)

    with connection.execute_wrapper(counter):
        timing = measure(run_import, repeat=1, warmup=0)
    return timing, counter.count, reports[-1]


def run() -> list[Result]:
    data = district_file()
    results = [trivial_view_baseline(Client())]
    first, first_queries, report = _timed_import(data)
    if report.items.created != ITEMS:
        raise SystemExit(f"bench_catalogue_import: created {report.items.created} items")
    public = len(report.outcomes) - len(report.not_public)
    results.append(
        Result(
            f"first import, {ITEMS:,} items",
            first,
            TRIVIAL_NAME,
            ops=ITEMS,
            note=(
                f"{ITEMS / first.median:,.0f} items/s; {first_queries / ITEMS:.1f} queries "
                f"per item; {public:,} public, {len(report.not_public):,} on the work list"
            ),
        )
    )
    noop, noop_queries, again = _timed_import(data)
    if again.changed or again.items.unchanged != ITEMS:
        raise SystemExit("bench_catalogue_import: the re-import changed something")
    batches = -(-ITEMS // BATCH_SIZE)
    results.append(
        Result(
            f"no-op re-import, {ITEMS:,} items",
            noop,
            TRIVIAL_NAME,
            ops=ITEMS,
            note=(
                f"{ITEMS / noop.median:,.0f} items/s; {noop_queries} queries in all "
                f"({batches} batches of {BATCH_SIZE}); "
                f"{first.median / noop.median:.1f}x faster than the first import"
            ),
        )
    )
    return results
