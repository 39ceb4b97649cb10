"""Reads for the staff console in the admin (issue #4): applicant look-up at the window
(A13), the items a window may enter, the intake-deadline warning (A4a), queue rows and
the supervisor's per-department counts (A15).

Kept apart from :mod:`apps.applications.selectors` so the console can grow without
touching the reads the API and the applicant pages share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.accounts.selectors import department_ids_for
from apps.applications.models import (
    Application,
    ApplicationKeyField,
    Extension,
    SupervisionFigure,
)
from apps.applications.selectors import (
    Bucket,
    application_queue_for_staff,
    application_scope_for_staff,
)
from apps.applications.workflow import State
from apps.catalogue.models import ServiceGuide, ServiceItem
from apps.common.pii import keyed_hash
from apps.workdays.calendar import working_days_between

ALL = "all"
# The approver's tabs: accepted cases whose review has not started, and cases under review
# waiting for the decision (A6, A7).
TO_REVIEW = "to_review"
TO_DECIDE = "to_decide"
_APPROVER_STATES = {
    TO_REVIEW: (State.ACCEPTED, State.TOLERANT_ACCEPTED),
    TO_DECIDE: (State.UNDER_REVIEW,),
}
# How close to the 5-day intake deadline (A4a) the warning turns yellow.
INTAKE_YELLOW_DAYS = 2

_PHONE = re.compile(r"1[3-9]\d{9}")
_ID_NUMBER = re.compile(r"\d{17}[\dX]")
# Application numbers: SQ / YJS + date + id (see services.submission and services.bundles).
_NUMBER = re.compile(r"(SQ|SQT|YJS)\d{8,}")


def applicant_find_by_number(*, number: str) -> User | None:
    """A13: the applicant with exactly this phone or ID number, found through the keyed
    hash (never by decrypting rows); staff accounts are never applicants."""
    term = re.sub(r"\s", "", number or "").upper()
    if _PHONE.fullmatch(term):
        lookup = {"phone_hash": keyed_hash(term)}
    elif _ID_NUMBER.fullmatch(term):
        lookup = {"id_number_hash": keyed_hash(term)}
    else:
        return None
    return (
        User.objects.filter(is_active=True, **lookup)
        .exclude(kind=User.Kind.STAFF)
        .prefetch_related("companies")
        .first()
    )


def items_for_window(*, user: User) -> QuerySet[ServiceItem]:
    """Active items with a published guide that ``user``'s departments implement (C6: the
    window enters the same catalogue items the web offers)."""
    published = ServiceGuide.objects.filter(
        item=OuterRef("pk"), status=ServiceGuide.Status.PUBLISHED
    )
    qs = ServiceItem.objects.filter(Exists(published), is_active=True).select_related(
        "implementing_department"
    )
    ids = department_ids_for(user)
    if ids is not None:
        qs = qs.filter(implementing_department_id__in=ids)
    return qs.order_by("implementing_department__name", "name")


@dataclass(frozen=True)
class IntakeWarning:
    """A4a: how close the intake decision deadline is (``level`` green/yellow/red)."""

    text: str
    level: str
    days_left: int


def intake_warning(application: Application, today: date | None = None) -> IntakeWarning | None:
    """A4a: "受理期限剩X个工作日" while waiting for the intake decision; yellow near, red on
    the day."""
    if application.state != State.SUBMITTED or application.intake_due_date is None:
        return None
    today = today or timezone.localdate()
    left = working_days_between(today, application.intake_due_date)
    if left < 0:
        return IntakeWarning("受理期限已过（将视为受理）", "red", left)
    if left == 0:
        return IntakeWarning("今日到期", "red", 0)
    level = "yellow" if left <= INTAKE_YELLOW_DAYS else "green"
    return IntakeWarning(f"受理期限剩{left}个工作日", level, left)


def console_queue(
    *, user: User, tab: str, today: date | None = None, query: str = ""
) -> QuerySet[Application]:
    """A staff queue tab: one of the selector's buckets, the approver's 待审查/待决定, or
    every non-draft application;
    ``query`` narrows it to an application number or the answers its item marks as key.
    The rows' warning level is worked out per row (:func:`queue_rows`), not annotated."""
    if tab == ALL:
        qs = application_scope_for_staff(user=user)
        # C8: a 一件事 member waiting for its earlier stage has not reached the department.
        qs = qs.exclude(state__in=[State.DRAFT, State.WAITING]).order_by("-submitted_at", "-id")
    elif tab in _APPROVER_STATES:
        qs = application_scope_for_staff(user=user)
        qs = qs.filter(state__in=_APPROVER_STATES[tab]).order_by("due_date", "id")
    elif tab in Bucket.ALL:
        qs = application_queue_for_staff(user=user, bucket=tab, today=today)
    else:
        raise ValueError(f"unknown tab {tab!r}")
    return matching_key_fields(qs, query) if query else qs


# What a queue row shows (apps.applications.admin.rows); the wide guide and case columns
# stay in the tables.
QUEUE_ROW_FIELDS = (
    "pk",
    "number",
    "item__name",
    "department__name",
    "applicant_name",
    "state",
    "submitted_at",
    "intake_due_date",
    "due_date",
    "yellow_on",
    "calendar_provisional",
)


def queue_rows(qs: QuerySet[Application]) -> QuerySet:
    """``qs`` (a :func:`console_queue` tab, or a list of
    :func:`apps.applications.selectors.supervision_overview`) as named rows of only what a
    list row shows: no model instances for a list of hundreds, and the warning level worked
    out per row from the clock dates (:func:`apps.applications.selectors.warning_level`)
    rather than compiled into the SQL (issue 16). The rows keep the list's sort field and
    ``pk`` for keyset pages."""
    return qs.select_related(None).values_list(*QUEUE_ROW_FIELDS, named=True)


def matching_key_fields(qs: QuerySet[Application], query: str) -> QuerySet[Application]:
    """Applications whose number is ``query``, or one of whose key answers starts with it
    (an exact personal number matches through its keyed hash, A17). The key answers are
    read through their index as an ``IN`` subquery, so the queue keeps its query count and
    does not scan the applications."""
    term = re.sub(r"\s", "", query).upper()
    if _NUMBER.fullmatch(term):
        return qs.filter(number=term)
    keys = ApplicationKeyField.objects.filter(
        Q(value__startswith=term) | Q(value=keyed_hash(term))
    ).values("application_id")
    return qs.filter(pk__in=keys)


def extension_pending(application: Application) -> Extension | None:
    """The extension waiting for the head's decision (A7), if any."""
    return (
        Extension.objects.filter(application=application, status=Extension.Status.PENDING)
        .select_related("requested_by")
        .first()
    )


def counts_by_department(qs: QuerySet[Application]) -> dict[int, int]:
    """``{department_id: rows}`` of ``qs``: counted on the department alone (``COUNT(*)``),
    so a running-case range is an index-only scan of ``app_running_due_dept_idx`` with no
    join per row (issue 16)."""
    rows = qs.order_by().values_list("department_id").annotate(n=Count("*"))
    return dict(rows)


@dataclass(frozen=True)
class DepartmentFigure:
    department_id: int
    name: str
    overdue: int
    due_soon: int


def department_figures(
    *, user: User, overview: Mapping[str, QuerySet[Application]], today: date
) -> tuple[list[DepartmentFigure], datetime | None]:
    """A15 per department: running cases overdue and due soon (``overview`` is
    :func:`apps.applications.selectors.supervision_overview` or ``supervision_lists``), most
    overdue first, and when they were counted: the supervision pass's figures of ``today``
    when it has run (issue 16: no count of a city's running cases per request), else
    counted now (``None``)."""
    if not user.has_perm("applications.view_all_applications"):
        return [], None
    # The five values a figure shows, not two model instances per department.
    stored = list(
        SupervisionFigure.objects.filter(day=today)
        .order_by("pk")
        .values_list("department_id", "department__name", "overdue", "due_soon", "computed_at")
    )
    if stored:
        rows = [
            DepartmentFigure(department_id, name, overdue, due_soon)
            for department_id, name, overdue, due_soon, _ in stored
            if overdue or due_soon
        ]
        as_of: datetime | None = max(computed_at for *_, computed_at in stored)
    else:
        overdue = counts_by_department(overview["overdue"])
        soon = counts_by_department(overview["due_soon"])
        names = dict(
            Department.objects.filter(pk__in=set(overdue) | set(soon)).values_list("pk", "name")
        )
        rows = [
            DepartmentFigure(pk, names.get(pk, ""), overdue.get(pk, 0), soon.get(pk, 0))
            for pk in set(overdue) | set(soon)
        ]
        as_of = None
    return sorted(rows, key=lambda r: (-r.overdue, -r.due_soon, r.name)), as_of
