"""The rollups always equal the raw aggregation of the reviews (DOMAIN R2, R6): after any
mix of reviews, outcomes and appeals, after a rollback, and under concurrent inserts from
real threads on PostgreSQL."""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from apps.reviews import services
from apps.reviews.models import (
    Review,
    ReviewDayRollup,
    ReviewMonthRollup,
    ReviewStaffRollup,
)
from apps.reviews.selectors import raw
from apps.reviews.workflow import LEVEL_ORDER, Channel, Outcome
from tests.accounts.factories import DepartmentFactory, StaffFactory, UserFactory
from tests.reviews.factories import event_for, item_for, review, window_for

SH = ZoneInfo("Asia/Shanghai")


def assert_rollups_equal_raw() -> None:
    assert raw.rollup_counts(ReviewDayRollup) == raw.raw_day_counts()
    assert raw.rollup_counts(ReviewMonthRollup) == raw.raw_month_counts()
    assert raw.rollup_counts(ReviewStaffRollup) == raw.raw_staff_counts()
    assert raw.rollup_case_counts() == raw.raw_case_counts()


def test_rollups_equal_raw_after_a_random_mix(approver, supervisor, window_staff, department):
    """R2/R6: a seeded mix over two months, three departments, items, windows, staff,
    channels and levels, with call-back outcomes and appeals upheld and refused."""
    rng = random.Random(12)
    departments = [department, DepartmentFactory(), DepartmentFactory()]
    targets = []
    for d in departments:
        staff = StaffFactory(departments=[d])
        targets.append({"item": item_for(d), "window": window_for(d), "staff": staff})
    start = datetime(2025, 2, 20, 9, 0, tzinfo=SH)
    given = []
    for n in range(60):
        index = rng.randrange(3)
        chosen = targets[index]
        given.append(
            review(
                departments[index],
                UserFactory(),
                rng.choice(LEVEL_ORDER).value,
                channel=rng.choice([Channel.MOBILE, Channel.WEB, Channel.SELF_SERVICE]),
                anonymous=rng.random() < 0.3,
                at=start + timedelta(hours=17 * n),
                item=chosen["item"] if rng.random() < 0.8 else None,
                window=chosen["window"] if rng.random() < 0.5 else None,
                staff=chosen["staff"] if rng.random() < 0.5 else None,
            )
        )
    assert_rollups_equal_raw()
    ours = [r for r in given if r.department_id == department.pk and r.is_bad]
    for r in ours:
        case = getattr(r, "case", None)
        if case is not None and rng.random() < 0.5:
            services.case_record_callback(
                case_id=case.pk,
                actor=window_staff,
                outcome=rng.choice([Outcome.FIXED_NOW, Outcome.NOT_REASONABLE]),
                note="已回访。",
            )
    assert_rollups_equal_raw()
    for r in ours:
        appeal = services.appeal_file(
            review_id=r.pk, actor=approver, ground="malicious", reason="申诉理由。"
        )
        services.appeal_decide(
            appeal_id=appeal.pk, actor=supervisor, upheld=rng.random() < 0.6, note="复核。"
        )
    assert Review.objects.filter(excluded=True).exists()
    assert_rollups_equal_raw()


def test_a_rolled_back_review_is_not_counted(department, citizen):
    event = event_for(department, subject=citizen)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.review_submit(
            event_id=event.pk, channel=Channel.MOBILE, level="satisfied", reviewer=citizen
        )
        raise RuntimeError("the caller's transaction fails after the review")
    assert not Review.objects.exists()
    assert not ReviewDayRollup.objects.filter(count__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_rollups_equal_raw_under_concurrent_inserts(department):
    """R6: eight threads, each on its own connection, submit reviews at the same time —
    most on the very same rollup key — and decide appeals; no count is lost."""
    item = item_for(department)
    approver_user = StaffFactory(departments=[department], role="department_approver")
    supervisor_user = StaffFactory(role="supervisor")
    threads_n, per_thread = 8, 12
    plans = []
    for _t in range(threads_n):
        plan = []
        for i in range(per_thread):
            person = UserFactory()
            event = event_for(department, subject=person, item=item if i % 3 else None)
            level = "very_satisfied" if i % 4 else "dissatisfied"
            plan.append((event.pk, person, level))
        plans.append(plan)
    existing = [review(department, UserFactory(), "very_dissatisfied") for _n in range(threads_n)]
    appeals = [
        services.appeal_file(review_id=r.pk, actor=approver_user, ground="malicious", reason="x")
        for r in existing
    ]
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            barrier.wait()
            for event_id, person, level in plans[t]:
                services.review_submit(
                    event_id=event_id,
                    channel=Channel.MOBILE,
                    level=level,
                    tags=["attitude"] if level == "dissatisfied" else [],
                    text="态度很差，解释不清楚" if level == "dissatisfied" else "",
                    reviewer=person,
                )
            services.appeal_decide(
                appeal_id=appeals[t].pk, actor=supervisor_user, upheld=t % 2 == 0, note="复核。"
            )
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Review.objects.count() == threads_n * per_thread + threads_n
    assert Review.objects.filter(excluded=True).count() == threads_n // 2
    assert sum(r.count for r in ReviewDayRollup.objects.all()) == (
        threads_n * per_thread + threads_n - threads_n // 2
    )
    assert_rollups_equal_raw()
