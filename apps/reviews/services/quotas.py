"""R1's daily quotas (per person, per anonymous source), checked atomically.

Counting the day's reviews and then writing one is a race: two submissions from one source
at the same moment both count N-1 and both write. The count is therefore taken under a
Postgres transaction-level advisory lock keyed on (whose quota, day): a second submission
from the same person or source waits at the lock until the first commits or rolls back,
then counts again and sees its row (READ COMMITTED). Submissions from different sources
never wait for each other, and no counter row or migration is needed. SQLite (``make run``
without ``DATABASE_URL``) has one writer at a time, so it needs no lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.reviews.models import Review


def _lock(quota: str, day: date) -> None:
    """Hold ``quota`` for ``day`` until the caller's transaction ends."""
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
