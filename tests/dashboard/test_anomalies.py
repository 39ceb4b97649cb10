"""The anomaly warning (DOMAIN R6): the rule stated on the page, and applied to the day
rollups — last 7 days' bad rate > max(2 × the previous 8 weeks' rate, that rate + 5
points), with at least ``REVIEWS_ANOMALY_MIN_REVIEWS`` reviews in the 7 days."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apps.reviews.selectors import stats
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.reviews.factories import review

SH = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2025, 6, 20, 12, 0, tzinfo=SH)


@pytest.mark.parametrize(
    ("recent", "base", "expected"),
    [
        ((20, 5), (100, 5), True),  # 25% vs 5%: above 10% and above 10 points
        ((20, 2), (100, 5), False),  # 10% vs 5%: twice, but only 5 points higher
        ((20, 3), (100, 5), True),  # 15% vs 5%
        ((20, 6), (100, 20), False),  # 30% vs 20%: not twice
        ((19, 19), (100, 0), False),  # too few reviews to judge
        ((20, 2), (0, 0), True),  # 10% with no history: above 0 + 5 points
    ],
)
def test_the_rule(settings, recent, base, expected):
    settings.REVIEWS_ANOMALY_MIN_REVIEWS = 20
    assert stats.is_anomalous(*recent, *base) is expected


def _reviews(department, *, days_ago: int, n: int, bad: int) -> None:
    for i in range(n):
        review(
            department,
            UserFactory(),
            "dissatisfied" if i < bad else "very_satisfied",
            at=TODAY - timedelta(days=days_ago, minutes=i),
        )


def test_a_department_whose_bad_rate_jumps_is_flagged(settings, db):
    settings.REVIEWS_ANOMALY_MIN_REVIEWS = 20
    jumping, steady = DepartmentFactory(name="跳升局"), DepartmentFactory(name="平稳局")
    for weeks_ago in range(1, 9):
        _reviews(jumping, days_ago=7 * weeks_ago + 2, n=10, bad=0)
        _reviews(steady, days_ago=7 * weeks_ago + 2, n=10, bad=1)
    _reviews(jumping, days_ago=2, n=20, bad=6)
    _reviews(steady, days_ago=2, n=20, bad=2)
    found = stats.anomalies(today=TODAY.date(), key="department_id")
    assert [a.name for a in found] == ["跳升局"]
    assert (found[0].recent_total, found[0].recent_bad, found[0].baseline_total) == (20, 6, 80)


def test_the_rule_is_stated_on_the_dashboard(client, supervisor):
    client.force_login(supervisor)
    data = client.get(reverse("dashboard:panel", args=["reviews-anomalies"])).json()
    assert "前8周差评率的2倍" in data["note"] and "至少高出5个百分点" in data["note"]
