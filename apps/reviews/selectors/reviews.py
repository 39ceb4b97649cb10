"""Reads of reviews, events and cases, scoped by who asks (CONVENTIONS: scoping lives here).

* A person sees their own events to rate and their own reviews.
* Department staff see their departments' reviews and cases; supervisors see all.
* The reviewer's identity is protected (R7): the department never sees who gave an
  anonymous review, and sees a real-name reviewer's name and phone masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import scope_by_department
from apps.applications.models import Application
from apps.applications.selectors import owned_by
from apps.common.pii import mask_phone
from apps.reviews.models import Appeal, CaseEvent, RectificationCase, Review, ServiceEvent
from apps.reviews.workflow import BAD_VALUES, Level


def mask_name(name: str) -> str:
    """王小明 → 王*明, 王明 → 王*: enough to address them, not to identify them."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name + "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True)
class ReviewerShown:
    """Who gave a review, as department staff may see it (R7)."""

    name: str
    phone: str
    anonymous: bool


def reviewer_shown(review: Review) -> ReviewerShown:
    if review.anonymous or review.reviewer is None:
        return ReviewerShown(name=_("匿名评价人"), phone="", anonymous=True)
    reviewer = review.reviewer
    return ReviewerShown(
        name=mask_name(reviewer.full_name), phone=mask_phone(reviewer.phone), anonymous=False
    )


# --- The person who rates -------------------------------------------------------------------


def _events_of(user: User) -> QuerySet[ServiceEvent]:
    """Events the person may rate: served to them, or to a company they act for."""
    if not user.is_authenticated or user.kind == User.Kind.STAFF:
        return ServiceEvent.objects.none()
    owned = Application.objects.filter(owned_by(user)).values("pk")
    return ServiceEvent.objects.filter(Q(subject=user) | Q(application__in=owned))


def event_get_for_rating(*, user: User, event_id: int) -> ServiceEvent:
    """The event a person may rate on the web; someone else's is a 404."""
    event = (
        _events_of(user)
        .select_related("item", "department", "window__center", "application")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise Http404
    return event


def pending_events_for(*, user: User) -> QuerySet[ServiceEvent]:
    """去评价: the person's services not rated yet, newest first."""
    return (
        _events_of(user)
        .filter(reviewed_at__isnull=True, expires_at__isnull=True)
        .select_related("item", "department")
        .order_by("-id")
    )


def events_by_application(*, application_ids: list[int]) -> dict[int, ServiceEvent]:
    """The web event of each application (one query for a page of 我的办件)."""
    rows = ServiceEvent.objects.filter(
        application_id__in=application_ids, kind="application"
    ).select_related("review")
    return {e.application_id: e for e in rows if e.application_id is not None}


def unrated_events_by_application(*, application_ids: list[int]) -> dict[int, int]:
    """Application id → the id of its web event not rated yet (one query for a page of
    我的办件, reading two columns: issue 16)."""
    rows = ServiceEvent.objects.filter(
        application_id__in=application_ids, kind="application", reviewed_at__isnull=True
    ).values_list("application_id", "pk")
    return dict(rows)


def reviews_of(*, user: User) -> QuerySet[Review]:
    """我的评价: the person's own reviews with their follow-up and case, newest first."""
    if not user.is_authenticated:
        return Review.objects.none()
    return (
        Review.objects.filter(reviewer=user)
        .select_related("event", "item", "department", "follow_up", "case")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")
    )


# --- Staff ---------------------------------------------------------------------------------


def review_scope_for_staff(*, user: User) -> QuerySet[Review]:
    if not user.is_authenticated or not user.has_perm("reviews.view_review"):
        return Review.objects.none()
    return scope_by_department(Review.objects.all(), user)


@dataclass(frozen=True)
class DrillFilter:
    """The reviews behind a figure: every field optional; months are first days."""

    start: date | None = None
    end: date | None = None  # first day of the last month included
    department_id: int | None = None
    item_id: int | None = None  # 0: reviews of no item (hotline, hall visits)
    channel: str = ""
    level: str = ""
    bad: bool = False
    window_id: int | None = None
    staff_id: int | None = None
    day_from: date | None = None
    day_to: date | None = None


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def review_drill(*, user: User, drill: DrillFilter) -> QuerySet[Review]:
    """Staff see the reviews behind any figure, their departments' only (newest first;
    pages are walked by ``(day, id)`` keys, so no page counts ten million rows)."""
    qs = review_scope_for_staff(user=user).filter(excluded=False)
    if drill.start:
        qs = qs.filter(day__gte=drill.start)
    if drill.end:
        qs = qs.filter(day__lt=_next_month(drill.end))
    if drill.day_from:
        qs = qs.filter(day__gte=drill.day_from)
    if drill.day_to:
        qs = qs.filter(day__lte=drill.day_to)
    if drill.department_id:
        qs = qs.filter(department_id=drill.department_id)
    if drill.item_id is not None:
        qs = qs.filter(item_id=drill.item_id) if drill.item_id else qs.filter(item__isnull=True)
    if drill.channel:
        qs = qs.filter(channel=drill.channel)
    if drill.level in Level.values:
        qs = qs.filter(level=drill.level)
    if drill.bad:
        qs = qs.filter(level__in=list(BAD_VALUES))
    if drill.window_id:
        qs = qs.filter(window_id=drill.window_id)
    if drill.staff_id:
        qs = qs.filter(staff_id=drill.staff_id)
    return qs.select_related(
        "department", "item", "window__center", "staff", "reviewer", "case", "appeal"
    ).order_by("-day", "-id")


def page_after(qs: QuerySet[Review], *, before: tuple[date, int] | None, size: int) -> list:
    """One page of a drill-down, newest first, starting after the key ``before``."""
    if before is not None:
        day, pk = before
        qs = qs.filter(Q(day__lt=day) | Q(day=day, id__lt=pk))
    return list(qs.prefetch_related("tags")[: size + 1])


def case_scope_for_staff(*, user: User) -> QuerySet[RectificationCase]:
    if not user.is_authenticated or not user.has_perm("reviews.view_rectificationcase"):
        return RectificationCase.objects.none()
    return scope_by_department(RectificationCase.objects.all(), user).select_related(
        "review", "review__item", "review__reviewer", "department", "handled_by"
    )


def case_get_for_staff(*, user: User, case_id: int) -> RectificationCase:
    case = (
        case_scope_for_staff(user=user)
        .select_related("review__window__center", "review__staff", "review__appeal")
        .prefetch_related(
            "review__tags",
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def appeal_scope_for_staff(*, user: User) -> QuerySet[Appeal]:
    if not user.is_authenticated or not user.has_perm("reviews.view_appeal"):
        return Appeal.objects.none()
    return scope_by_department(Appeal.objects.all(), user).select_related(
        "review", "review__item", "department", "filed_by", "decided_by"
    )
