"""Reviews taken in batches (DOMAIN R1, R3, R7): hall evaluator devices and the provincial
platform send the ratings they collected many at a time.

Every item goes through the rules of :func:`~apps.reviews.services.review_submit` — one
review per event (一事一评), the five levels, reasons and text for a bad one, the rate
limits per person, per source and per target, nobody rating someone else's service — and
the batch is all or nothing: the first item that breaks a rule refuses the whole batch with
its index and field, and nothing is saved. What changes is how it is written: the events
locked and read in one query, the reviews, their tags and the events' marks written with
bulk statements, each rollup upserted once with the batch's counts summed per key. A
real-name bad review still opens its case (with its notifications, after commit).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.batches import batch_claim, batch_digest, batch_record, check_batch_size
from apps.common.errors import ApplicationError, errors_at_item
from apps.reviews.models import Review, ReviewBatch, ReviewTag, ServiceEvent
from apps.reviews.services import _base, rollups
from apps.reviews.services.cases import case_open
from apps.reviews.services.quotas import (
    Target,
    review_daily_quotas_hold,
    review_target,
    review_targets_hold,
)
from apps.reviews.services.submission import (
    already_reviewed,
    clean_text,
    owns_event,
    review_values,
    source_hash_of,
    validate_rating,
)
from apps.reviews.workflow import API_CHANNELS, is_bad


@dataclass
class ReviewItem:
    """One rating of a batch, as :func:`review_submit` takes it."""

    event_id: int
    channel: str
    level: str
    tags: Sequence[str] = ()
    text: str = ""
    anonymous: bool = False
    at: datetime | None = None


@dataclass
class ReviewBatchResult:
    reviews: list[Review]
    replayed: bool  # the batch id was stored before: these are the reviews it stored


def review_submit_batch(
    *, actor: User, items: Sequence[ReviewItem], source: str = "", batch_id: str = ""
) -> ReviewBatchResult:
    """Rate many service events at once; the same rules and permissions as
    :func:`review_submit` for each item (``actor`` records them for unnamed people with
    ``reviews.record_review``, or rates their own services), all or nothing.

    ``batch_id`` (the client's name for the batch) makes a retry safe: posting the same
    batch again returns the reviews stored the first time and stores nothing.
    """
    check_batch_size(items)
    recording = actor.is_authenticated and actor.has_perm(_base.RECORD)
    if recording:
        _base.check_staff_permission(actor, _base.RECORD)
    elif not actor.is_authenticated or not actor.is_active:
        raise _base.NotFoundError(_("服务记录不存在。"))
    reviewer = None if recording else actor
    texts = [clean_text(item.text) for item in items]
    tag_rows = _checked_items(items, texts)
    with transaction.atomic():
        receipt = None
        if batch_id:
            receipt, replayed = batch_claim(
                ReviewBatch, actor=actor, batch_id=batch_id, digest=_digest(items)
            )
            if replayed:
                stored = Review.objects.in_bulk(receipt.item_ids)
                return ReviewBatchResult([stored[pk] for pk in receipt.item_ids], True)
        events = _locked_events(items, reviewer)
        times = [_base.stamp(item.at) for item in items]
        source_hash = source_hash_of(source)
        _check_batch_rate_limits(events, times, reviewer, source_hash)
        reviews = [
            Review(
                **review_values(event, now=now, source_hash=source_hash),
                channel=item.channel,
                level=item.level,
                is_bad=is_bad(item.level),
                reviewer=reviewer,
                anonymous=item.anonymous or reviewer is None,
                text=text,
            )
            for item, event, now, text in zip(items, events, times, texts, strict=True)
        ]
        Review.objects.bulk_create(reviews)
        Through = Review.tags.through
        Through.objects.bulk_create(
            [
                Through(review_id=review.pk, reviewtag_id=tag.pk)
                for review, tags in zip(reviews, tag_rows, strict=True)
                for tag in tags
            ]
        )
        stamp = timezone.now()
        for event, now in zip(events, times, strict=True):
            event.reviewed_at, event.updated_at = now, stamp
        ServiceEvent.objects.bulk_update(events, ["reviewed_at", "updated_at"])
        rollups.count_reviews(reviews, +1)
        for review, now in zip(reviews, times, strict=True):
            if review.is_bad and review.reviewer_id is not None and not review.anonymous:
                case_open(review, at=now)  # R3, as for one review
        if receipt is not None:
            batch_record(receipt, [review.pk for review in reviews])
    return ReviewBatchResult(reviews, False)


def _digest(items: Sequence[ReviewItem]) -> str:
    return batch_digest([sorted(vars(item).items()) for item in items])


def _checked_items(items: Sequence[ReviewItem], texts: list[str]) -> list[list[ReviewTag]]:
    """What needs no event: channel, level, reasons and text of a bad review (R1, R7);
    the active tags read once for the batch."""
    codes = {str(code) for item in items if is_bad(item.level) for code in item.tags}
    active = {tag.code: tag for tag in ReviewTag.objects.filter(code__in=codes, is_active=True)}
    checked = []
    for index, (item, text) in enumerate(zip(items, texts, strict=True)):
        with errors_at_item(index):
            if item.channel not in API_CHANNELS:
                raise ApplicationError(
                    _("窗口现场评价请扫描窗口评价码。"),
                    code="invalid_channel",
                    extra={"field": "channel"},
                )
            checked.append(validate_rating(item.level, item.channel, item.tags, text, active))
    return checked


def _locked_events(items: Sequence[ReviewItem], reviewer: User | None) -> list[ServiceEvent]:
    """The items' events, locked in id order in one query; each unknown, someone else's
    (R1: not revealed), already rated or rated twice in the batch (一事一评) refuses it."""
    ids = sorted({item.event_id for item in items})
    query = ServiceEvent.objects.select_for_update(of=("self",)).filter(pk__in=ids)
    if reviewer is not None:
        query = query.select_related("application")
    found = {event.pk: event for event in query.order_by("pk")}
    seen: set[int] = set()
    events = []
    for index, item in enumerate(items):
        event = found.get(item.event_id)
        with errors_at_item(index, "event"):
            if event is None or (reviewer is not None and not owns_event(reviewer, event)):
                raise _base.NotFoundError(_("服务记录不存在。"))
            if event.reviewed_at is not None or event.pk in seen:
                raise already_reviewed()
        seen.add(event.pk)
        events.append(event)
    return events


def _check_batch_rate_limits(
    events: list[ServiceEvent],
    times: list[datetime],
    reviewer: User | None,
    source_hash: str,
) -> None:
    """R1's limits as the single path applies them, item after item: what was stored
    before the batch (read once per kind of limit) plus the batch's earlier items."""
    days = [_base.day_of(now) for now in times]
    review_daily_quotas_hold(reviewer=reviewer, source_hash=source_hash, days=days)
    if reviewer is not None:
        given = _per_day(Review.objects.filter(reviewer=reviewer), days)
        limit, message = (
            settings.REVIEWS_PER_PERSON_PER_DAY,
            _("您今天的评价次数已达上限，请明天再试。"),
        )
    elif source_hash:
        given = _per_day(Review.objects.filter(source_hash=source_hash), days)
        limit, message = settings.REVIEWS_PER_SOURCE_PER_DAY, _("该设备今天的评价次数已达上限。")
    else:
        given, limit, message = None, 0, ""
    targets = [review_target(staff_id=e.staff_id, window_id=e.window_id) for e in events]
    review_targets_hold(targets)
    recent = _recent_by_target(targets, times)
    for index, (day, now, target) in enumerate(zip(days, times, targets, strict=True)):
        with errors_at_item(index):
            if given is not None:
                if given[day] >= limit:
                    raise ApplicationError(message, code="rate_limited")
                given[day] += 1
            if target is None:
                continue
            since = now - timedelta(hours=1)
            count = sum(1 for d, at in recent[target] if d == day and at >= since)
            if count >= settings.REVIEWS_PER_TARGET_PER_HOUR:
                raise ApplicationError(
                    _("该窗口或工作人员的评价过于频繁，请稍后再试。"), code="rate_limited"
                )
            recent[target].append((day, now))


def _per_day(reviews, days: list[date]) -> Counter[date]:
    rows = reviews.filter(day__in=set(days)).order_by().values("day").annotate(n=Count("id"))
    return Counter({row["day"]: row["n"] for row in rows})


def _recent_by_target(
    targets: list[Target | None], times: list[datetime]
) -> defaultdict[Target, list[tuple[date, datetime]]]:
    """The stored reviews of the batch's targets in the hour before its earliest item."""
    recent: defaultdict[Target, list[tuple[date, datetime]]] = defaultdict(list)
    wanted = {t for t in targets if t is not None}
    if not wanted:
        return recent
    since = min(times) - timedelta(hours=1)
    for field in ("staff_id", "window_id"):
        ids = {pk for kind, pk in wanted if kind == field}
        if not ids:
            continue
        rows = Review.objects.filter(**{f"{field}__in": ids}, created_at__gte=since)
        for pk, day, at in rows.values_list(field, "day", "created_at"):
            recent[(field, pk)].append((day, at))
    return recent
