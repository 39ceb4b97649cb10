"""The reviews demo that `make run` loads: months of reviews across departments, bad
reviews in every state, an appeal upheld and one refused — through the real services.
One test: seeding the whole demo is the expensive part."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from apps.reviews.models import Appeal, Review, ReviewDayRollup, ReviewMonthRollup
from apps.reviews.selectors import raw
from apps.reviews.workflow import AppealState, CaseState


def test_demo_reviews(db):
    call_command("seed_demo", stdout=StringIO())
    # bad reviews in every state, both appeal outcomes
    states = set(Review.objects.filter(case__isnull=False).values_list("case__state", flat=True))
    assert states >= {s.value for s in CaseState}
    appeals = set(Appeal.objects.values_list("state", flat=True))
    assert appeals == {AppealState.PENDING, AppealState.UPHELD, AppealState.REFUSED}
    assert Review.objects.filter(excluded=True).exists()
    # months of reviews across departments and channels
    assert Review.objects.values("department").distinct().count() >= 10
    assert Review.objects.dates("day", "month").count() >= 6
    assert set(Review.objects.values_list("channel", flat=True)) >= {"window", "web", "mobile"}
    # the counts add up, and seeding again changes nothing
    assert raw.rollup_counts(ReviewDayRollup) == raw.raw_day_counts()
    assert raw.rollup_counts(ReviewMonthRollup) == raw.raw_month_counts()
    assert raw.rollup_case_counts() == raw.raw_case_counts()
    before = Review.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Review.objects.count() == before
