"""What every reviews service shares: permission checks, the case record, who to tell.

Not public: import the services from :mod:`apps.reviews.services`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import department_ids_for
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.reviews.models import CaseEvent, RectificationCase
from apps.reviews.workflow import CASE_TRANSITIONS, CaseState
from apps.workdays.calendar import local_date

NOTIFICATION_CATEGORY = "review"

HANDLE = "reviews.handle_review"
APPEAL = "reviews.appeal_review"
DECIDE = "reviews.decide_appeal"
SUPERVISE = "reviews.supervise_review"
RECORD = "reviews.record_review"


class NotFoundError(ApplicationError):
    status_code = 404

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("记录不存在。"), code="not_found")


def stamp(at: datetime | None = None) -> datetime:
    """When something happened: now, unless a backfill (offline terminal, demo) says."""
    return at or timezone.now()


def day_of(moment: datetime) -> date:
    return local_date(moment)


def month_of(day: date) -> date:
    return day.replace(day=1)


# --- Who may act -------------------------------------------------------------------------


def check_staff_permission(actor: User | None, permission: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDeniedError()
    if actor.kind != User.Kind.STAFF and not actor.is_superuser:
        raise PermissionDeniedError()
    if not actor.has_perm(permission):
        raise PermissionDeniedError()


def check_department(actor: User, department_id: int) -> None:
    """Staff act on their own departments' reviews; supervisors on every department's."""
    allowed = department_ids_for(actor)
    if allowed is not None and department_id not in allowed:
        raise PermissionDeniedError(_("该评价不属于您所在的部门。"))


def require_text(value: str, message: str, *, code: str = "reason_required") -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code=code, extra={"field": "note"})
    return value


# --- Cases ---------------------------------------------------------------------------------


def lock_case(case_id: int) -> RectificationCase:
    try:
        return (
            RectificationCase.objects.select_for_update(of=("self",))
            .select_related("review", "review__reviewer", "department")
            .get(pk=case_id)
        )
    except RectificationCase.DoesNotExist:
        raise NotFoundError(_("差评整改记录不存在。")) from None


def check_edge(case: RectificationCase, target: CaseState, action: str) -> None:
    source = CaseState(case.state)
    if target not in CASE_TRANSITIONS[source]:
        raise InvalidTransitionError(
            _("该差评当前状态为“%(state)s”，不能%(action)s。")
            % {"state": source.label, "action": action},
            extra={"state": source.value},
        )


def case_event(
    case: RectificationCase,
    *,
    kind: str,
    actor: User | None,
    note: str = "",
    payload: dict[str, Any] | None = None,
    from_state: str = "",
    to_state: str = "",
    at: datetime | None = None,
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        note=note,
        payload=payload or {},
        from_state=from_state,
        to_state=to_state,
    )
    if at is not None:  # a backfilled step keeps its own time in the record
        CaseEvent.objects.filter(pk=event.pk).update(created_at=at)
        event.created_at = at
    return event


def move(
    case: RectificationCase,
    target: CaseState,
    *,
    actor: User | None,
    action: str,
    kind: str,
    note: str = "",
    payload: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Check the edge, set the state, save (with history) and write the record row."""
    check_edge(case, target, action)
    source = case.state
    case.state = target
    save(case, actor)
    return case_event(
        case,
        kind=kind,
        actor=actor,
        note=note,
        payload=payload,
        from_state=source,
        to_state=target,
        at=at,
    )


def save(case: RectificationCase, actor: User | None) -> None:
    set_history_user(case, actor)
    case.save()


# --- Who to tell ---------------------------------------------------------------------------


def _with_permission(codename: str) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        kind=User.Kind.STAFF,
        groups__permissions__content_type__app_label="reviews",
        groups__permissions__codename=codename,
    ).distinct()


def department_handlers(department_id: int) -> QuerySet[User]:
    return _with_permission("handle_review").filter(departments=department_id)


def department_appealers(department_id: int) -> QuerySet[User]:
    return _with_permission("appeal_review").filter(departments=department_id)


def supervisors() -> QuerySet[User]:
    return _with_permission("supervise_review")


def case_link(case_id: int) -> str:
    return reverse("admin:reviews_rectificationcase_change", args=[case_id])


def appeal_link(appeal_id: int) -> str:
    return reverse("admin:reviews_appeal_change", args=[appeal_id])


def my_reviews_link() -> str:
    return reverse("reviews:mine")


def require_state(case: RectificationCase, states: set, action: str) -> None:
    """For actions taken from given states only (the edge table allows the target from
    others too)."""
    if case.state not in states:
        source = CaseState(case.state)
        raise InvalidTransitionError(
            _("该差评当前状态为“%(state)s”，不能%(action)s。")
            % {"state": source.label, "action": action},
            extra={"state": source.value},
        )


def decide_appeal_staff() -> QuerySet[User]:
    return _with_permission("decide_appeal")
