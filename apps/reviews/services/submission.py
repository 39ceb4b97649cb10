"""Giving a review: once per service event, five levels, reasons for a bad one, rate limits
(DOMAIN R1, R7). A real-name bad review opens its rectification case in the same
transaction (R3).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.selectors import application_is_owned_by
from apps.common.errors import ApplicationError
from apps.common.pii import keyed_hash
from apps.reviews.models import (
    RectificationCase,
    Review,
    ReviewFollowUp,
    ReviewTag,
    ServiceEvent,
)
from apps.reviews.services import _base, rollups
from apps.reviews.services.cases import case_open
from apps.reviews.services.events import event_from_token
from apps.reviews.services.quotas import (
    review_daily_quota_check,
    review_target,
    review_target_quota_check,
)
from apps.reviews.workflow import API_CHANNELS, Channel, Level, is_bad

TEXT_MAX = 1000
BAD_TEXT_MIN = 5


def review_submit(
    *,
    event_id: int,
    channel: str,
    level: str,
    tags: Sequence[str] = (),
    text: str = "",
    reviewer: User | None,
    anonymous: bool = False,
    actor: User | None = None,
    source: str = "",
    at: datetime | None = None,
) -> Review:
    """Rate one service event on an authenticated channel (web, app, self-service
    terminal, hotline call-back). See ``apps/reviews/README.md`` for the full contract.

    * ``reviewer`` rates their own service: they are the event's subject, or own its
      application (R1: nobody rates someone else's service).
    * ``actor`` records it for someone else (a hotline operator at the call-back, a
      terminal's service account): needs ``reviews.record_review``; ``reviewer`` is then
      the event's subject or ``None`` (unknown caller: treated as anonymous).
    * ``level`` is one of the five; a bad one needs ``tags`` (codes of active tags) and
      ``text``. ``anonymous`` hides the reviewer from the department (and opens no
      call-back case, which needs a name).
    * ``at`` backdates a review collected offline (terminals); ``source`` names the client
      for anonymous rate limits (hashed, never stored).
    """
    actor = actor or reviewer
    if channel not in API_CHANNELS:
        raise ApplicationError(
            _("窗口现场评价请扫描窗口评价码。"), code="invalid_channel", extra={"field": "channel"}
        )
    recording = actor is not None and actor.is_authenticated and actor.has_perm(_base.RECORD)
    if recording:
        _base.check_staff_permission(actor, _base.RECORD)
    text = clean_text(text)
    with _one_review_per_event():
        # The event is read once, locked: reviewed_at is set with the review under this
        # lock (the one-to-one key backs it up).
        event = lock_event(event_id, with_application=not recording)
        if event is None:
            raise _base.NotFoundError(_("服务记录不存在。"))
        if recording:
            if reviewer is not None and reviewer.pk != event.subject_id:
                raise ApplicationError(_("评价人与服务对象不一致。"), code="reviewer_mismatch")
        elif reviewer is None or actor != reviewer or not owns_event(reviewer, event):
            # Someone else's service: its existence is not revealed.
            raise _base.NotFoundError(_("服务记录不存在。"))
        tag_rows = validate_rating(level, channel, tags, text)
        return _write(
            event,
            channel=channel,
            level=level,
            tag_rows=tag_rows,
            text=text,
            reviewer=reviewer,
            anonymous=anonymous or reviewer is None,
            source=source,
            at=at,
        )


def review_submit_with_token(
    *,
    token: str,
    level: str,
    tags: Sequence[str] = (),
    text: str = "",
    anonymous: bool = True,
    source: str = "",
    at: datetime | None = None,
) -> Review:
    """一次一评 at the window, without login: the short-lived token names the visit the
    staff member just completed (R1, R7). The person served, when the visit was for their
    application, is the reviewer (real-name unless ``anonymous``); a walk-in is anonymous."""
    event = event_from_token(token)
    if event.expires_at is not None and _base.stamp() > event.expires_at:
        raise ApplicationError(_("评价码已过期，请向窗口工作人员重新获取。"), code="token_expired")
    reviewer = event.subject
    text = clean_text(text)
    tag_rows = validate_rating(level, Channel.WINDOW, tags, text)
    with _one_review_per_event():
        locked = lock_event(event.pk, with_application=False)
        if locked is None:
            raise _base.NotFoundError(_("服务记录不存在。"))
        return _write(
            locked,
            channel=Channel.WINDOW,
            level=level,
            tag_rows=tag_rows,
            text=text,
            reviewer=reviewer,
            anonymous=anonymous or reviewer is None,
            source=source,
            at=at,
        )


def review_follow_up(*, review_id: int, actor: User, text: str) -> ReviewFollowUp:
    """追评: the reviewer adds one later word within ``REVIEWS_FOLLOW_UP_DAYS`` (R1). The
    level stays as given: the figures count the review once."""
    text = clean_text(text)
    if not text:
        raise ApplicationError(_("请填写追评内容。"), code="text_required", extra={"field": "text"})
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(pk=review_id).first()
        if review is None or review.reviewer_id != actor.pk:
            raise _base.NotFoundError(_("评价不存在。"))
        limit = review.created_at + timedelta(days=settings.REVIEWS_FOLLOW_UP_DAYS)
        if _base.stamp() > limit:
            raise ApplicationError(
                _("已超过追评期限（评价后%(days)d天内）。")
                % {"days": settings.REVIEWS_FOLLOW_UP_DAYS},
                code="follow_up_closed",
            )
        if ReviewFollowUp.objects.filter(review=review).exists():
            raise ApplicationError(_("每条评价只能追评一次。"), code="already_followed_up")
        return ReviewFollowUp.objects.create(review=review, text=text)


# --- The one way a review is written --------------------------------------------------------


def owns_event(user: User, event: ServiceEvent) -> bool:
    """R1: a person rates their own service: they are its subject or own its application."""
    if not user.is_authenticated or not user.is_active:
        return False
    if event.subject_id == user.pk:
        return True
    return event.application is not None and application_is_owned_by(user, event.application)


def clean_text(text: str) -> str:
    return (text or "").replace("\x00", "").strip()[:TEXT_MAX]


def validate_rating(
    level: str,
    channel: str,
    tags: Sequence[str],
    text: str,
    active_tags: Mapping[str, ReviewTag] | None = None,
) -> list[ReviewTag]:
    """The level, the channel and the reasons of a bad review (R1, R7). ``active_tags``
    (code → tag) is the batch's one read of the active tags; without it they are read."""
    check_level_and_channel(level, channel)
    if not is_bad(level):
        return []
    codes = sorted({str(t) for t in tags or ()})
    if active_tags is None:
        found = list(ReviewTag.objects.filter(code__in=codes, is_active=True))
    else:
        found = [active_tags[c] for c in codes if c in active_tags]
    if not found or len(found) != len(codes):
        raise ApplicationError(
            _("差评请选择差评原因。"), code="tags_required", extra={"field": "tags"}
        )
    if len(text) < BAD_TEXT_MIN:
        raise ApplicationError(
            _("差评请填写具体情况（至少%(n)d个字）。") % {"n": BAD_TEXT_MIN},
            code="text_required",
            extra={"field": "text"},
        )
    return found


def check_level_and_channel(level: str, channel: str) -> None:
    if level not in Level.values:
        raise ApplicationError(
            _("请在五个评价等级中选择一项。"), code="invalid_level", extra={"field": "level"}
        )
    if channel not in Channel.values:
        raise ApplicationError(_("评价渠道无效。"), code="invalid_channel")


def _check_rate_limits(
    event: ServiceEvent, reviewer: User | None, source_hash: str, now: datetime
) -> None:
    """R1: per person and per target, so nobody stuffs the ballot for or against a window."""
    today = _base.day_of(now)
    review_daily_quota_check(reviewer=reviewer, source_hash=source_hash, day=today)
    target = review_target(staff_id=event.staff_id, window_id=event.window_id)
    review_target_quota_check(target=target, day=today, now=now)


def lock_event(event_id: int, *, with_application: bool) -> ServiceEvent | None:
    """The event row, locked until the end of the caller's transaction."""
    events = ServiceEvent.objects.select_for_update(of=("self",))
    if with_application:
        events = events.select_related("application")
    return events.filter(pk=event_id).first()


@contextmanager
def _one_review_per_event() -> Iterator[None]:
    """The review's transaction; the one-to-one key holds where the lock was bypassed."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise already_reviewed() from None


def already_reviewed() -> ApplicationError:
    return ApplicationError(
        _("该服务已评价，每次服务只能评价一次。"), code="already_reviewed", extra={"field": "event"}
    )


def _write(
    event: ServiceEvent,
    *,
    channel: str,
    level: str,
    tag_rows: list[ReviewTag],
    text: str,
    reviewer: User | None,
    anonymous: bool,
    source: str,
    at: datetime | None,
) -> Review:
    """Inside the transaction, ``event`` locked: the review, its tags, the event marked,
    the rollups and, for a real-name bad review, its case (R1, R3)."""
    if event.reviewed_at is not None:
        raise already_reviewed()
    now = _base.stamp(at)
    source_hash = source_hash_of(source)
    _check_rate_limits(event, reviewer, source_hash, now)
    review = Review.objects.create(
        **review_values(event, now=now, source_hash=source_hash),
        channel=channel,
        level=level,
        is_bad=is_bad(level),
        reviewer=reviewer,
        anonymous=anonymous,
        text=text,
    )
    if tag_rows:
        Review.tags.through.objects.bulk_create(
            [Review.tags.through(review_id=review.pk, reviewtag_id=t.pk) for t in tag_rows]
        )
    event.reviewed_at = now
    event.save(update_fields=["reviewed_at", "updated_at"])
    rollups.count_review(review, +1)
    case = None
    if review.is_bad and reviewer is not None and not anonymous:
        case = case_open(review, at=now)
    hold_written(review, tag_rows, case)
    return review


def review_values(event: ServiceEvent, *, now: datetime, source_hash: str) -> dict:
    """What a review copies from its event (its targets, R1) and its time."""
    return {
        "event": event,
        "department_id": event.department_id,
        "item_id": event.item_id,
        "window_id": event.window_id,
        "staff_id": event.staff_id,
        "source_hash": source_hash,
        "day": _base.day_of(now),
        "created_at": now,
    }


def source_hash_of(source: str) -> str:
    return keyed_hash(f"review-source:{source}") if source else ""


def hold_written(review: Review, tag_rows: list[ReviewTag], case: RectificationCase | None) -> None:
    """Keep what was just written on the row in hand (its tags, its case or none), so the
    answer is built without reading them back."""
    held = ReviewTag.objects.filter(pk__in=[t.pk for t in tag_rows])
    # What prefetch_related leaves on a row, filled from memory.
    held._result_cache = list(tag_rows)
    held._prefetch_done = True  # type: ignore[attr-defined]
    review._prefetched_objects_cache = {"tags": held}  # type: ignore[attr-defined]
    Review.case.related.set_cached_value(review, case)
