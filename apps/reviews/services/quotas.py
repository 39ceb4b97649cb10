"""R1's quotas (per person and per anonymous source a day, per window or staff member an
hour), checked atomically.

Counting the reviews and then writing one is a race: two submissions from one source at the
same moment both count N-1 and both write. The count is therefore taken under a Postgres
transaction-level advisory lock keyed on whose quota it is (and the day): a second
submission for the same quota waits at the lock until the first commits or rolls back, then
counts again and sees its row (READ COMMITTED). Submissions for different quotas never wait
for each other, and no counter row or migration is needed. Every path takes the person or
source locks first, then the target locks in one fixed order, so two submissions never wait
for each other crosswise. SQLite (``make run``
without ``DATABASE_URL``) has one writer at a time, so it needs no lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.reviews.models import Review

# Whom a review rates for the per-target limit: ("staff_id" | "window_id", its id).
Target = tuple[str, int]


def _lock(quota: str, day: date | None = None) -> None:
    """Hold ``quota`` (for ``day``) until the caller's transaction ends."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"review-quota:{quota}:{day}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def review_daily_quotas_hold(
    *, reviewer: User | None, source_hash: str, days: Iterable[date]
) -> None:
    """Take the quota locks of a batch's days, in day order (so two batches never wait for
    each other crosswise), before the batch counts what was stored; held to commit."""
    for day in sorted(set(days)):
        if reviewer is not None:
            _lock(f"person:{reviewer.pk}", day)
        elif source_hash:
            _lock(f"source:{source_hash}", day)


def review_daily_quota_check(*, reviewer: User | None, source_hash: str, day: date) -> None:
    """R1: refuse a review past the reviewer's (or, anonymous, the source's) daily quota.
    Call inside the transaction that writes the review, before the write."""
    if reviewer is not None:
        _lock(f"person:{reviewer.pk}", day)
        if Review.objects.filter(reviewer=reviewer, day=day).count() >= (
            settings.REVIEWS_PER_PERSON_PER_DAY
        ):
            raise ApplicationError(_("您今天的评价次数已达上限，请明天再试。"), code="rate_limited")
    elif source_hash:
        _lock(f"source:{source_hash}", day)
        if Review.objects.filter(source_hash=source_hash, day=day).count() >= (
            settings.REVIEWS_PER_SOURCE_PER_DAY
        ):
            raise ApplicationError(_("该设备今天的评价次数已达上限。"), code="rate_limited")


def review_targets_hold(targets: Iterable[Target | None]) -> None:
    """Take the per-target locks of a batch, in one fixed order, after its daily quotas'
    locks and before it counts the targets' recent reviews; held to commit."""
    for field, pk in sorted({t for t in targets if t is not None}):
        _lock(f"target:{field}:{pk}")


def review_target_quota_check(*, target: Target | None, day: date, now: datetime) -> None:
    """R1: refuse a review of a window or staff member that already has the hour's limit
    of reviews (counted within the day, as the limit always was). Call inside the
    transaction that writes the review, after :func:`review_daily_quota_check`."""
    if target is None:
        return
    field, pk = target
    _lock(f"target:{field}:{pk}")
    recent = Review.objects.filter(
        **{field: pk}, day=day, created_at__gte=now - timedelta(hours=1)
    ).count()
    if recent >= settings.REVIEWS_PER_TARGET_PER_HOUR:
        raise ApplicationError(
            _("该窗口或工作人员的评价过于频繁，请稍后再试。"), code="rate_limited"
        )


def review_target(*, staff_id: int | None, window_id: int | None) -> Target | None:
    """Whom a review rates for the per-target limit: the staff member, else the window."""
    if staff_id:
        return ("staff_id", staff_id)
    if window_id:
        return ("window_id", window_id)
    return None
