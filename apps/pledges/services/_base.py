"""What the pledge services share: who may act, the row locks, the event row, telling
people. Not public: import the services from :mod:`apps.pledges.services`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role, group_name
from apps.accounts.selectors import department_ids_for
from apps.applications.models import Application
from apps.applications.services import ApplicationNotFoundError
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.notifications.services import notify
from apps.pledges.models import PledgeEvent

NOTIFICATION_CATEGORY = "pledge"


def check_staff(actor: User, permission: str, *, department_id: int | None) -> None:
    """Staff with ``pledges.<permission>`` of the case's department; supervisors and
    administrators see every department. ``department_id=None``: the permission only."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDeniedError()
    if actor.kind != User.Kind.STAFF and not actor.is_superuser:
        raise PermissionDeniedError()
    if not actor.has_perm(f"pledges.{permission}"):
        raise PermissionDeniedError()
    if department_id is None:
        return
    allowed = department_ids_for(actor)
    if allowed is not None and department_id not in allowed:
        raise PermissionDeniedError(_("该办件不属于您所在的部门。"))


def lock_application(application_id: int) -> Application:
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("guide", "item", "department", "applicant", "company")
            .get(pk=application_id)
        )
    except Application.DoesNotExist:
        raise ApplicationNotFoundError() from None


def require_text(value: str | None, message: str, *, field: str = "reason") -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", extra={field: "required"})
    return value


def event(
    kind: str,
    *,
    actor: User | None,
    application: Application | None = None,
    task=None,
    credit_record=None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> PledgeEvent:
    return PledgeEvent.objects.create(
        kind=kind,
        application=application,
        task=task,
        credit_record=credit_record,
        actor=actor,
        reason=reason,
        payload=payload or {},
    )


def tell(
    user: User,
    *,
    key: str,
    title: str,
    body: str,
    link: str = "",
    sms: bool = False,
) -> None:
    """Queued with the transaction: delivered after commit, once per ``key``."""
    notify(
        recipient=user,
        title=title,
        body=body,
        category=NOTIFICATION_CATEGORY,
        link=link,
        channels=("inbox", "sms") if sms else ("inbox",),
        dedupe_key=f"pledge:{key}:user:{user.pk}",
    )


def application_link(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def staff_with(department_id: int | None, role: Role) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True, kind=User.Kind.STAFF, groups__name=group_name(role))
    if department_id is not None:
        qs = qs.filter(departments=department_id)
    return qs.distinct()


def today():
    return timezone.localdate()


def now():
    return timezone.now()
