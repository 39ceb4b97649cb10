"""What the tolerance services share: locks, who may act, the applicant's timeline row and
telling people. Not public: import the services from :mod:`apps.tolerance.services`."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import department_ids_for
from apps.applications.models import Application, TimelineEvent
from apps.applications.selectors import application_is_owned_by
from apps.applications.services import ApplicationNotFoundError
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.notifications.services import notify
from apps.tolerance.models import MaterialSupply
from apps.tolerance.workflow import ALLOWED_TRANSITIONS, SupplyState

# Window staff check supplements with the intake permission (the same people who accept).
INTAKE_PERMISSION = "applications.intake_application"
NOTIFICATION_CATEGORY = "application"


def lock_application(application_id: int) -> Application:
    """The application row, locked until the end of the caller's transaction. Always
    locked before its supplies, so two services never wait on each other in reverse."""
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("guide", "item", "department", "applicant")
            .get(pk=application_id)
        )
    except Application.DoesNotExist:
        raise ApplicationNotFoundError() from None


def check_applicant(actor: User, application: Application) -> None:
    if not application_is_owned_by(actor, application):
        raise ApplicationNotFoundError()


def check_window_staff(actor: User, application: Application) -> None:
    """Staff with the intake permission, of the application's department (or unrestricted)."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDeniedError()
    if actor.kind != User.Kind.STAFF and not actor.is_superuser:
        raise PermissionDeniedError()
    if not actor.has_perm(INTAKE_PERMISSION):
        raise PermissionDeniedError()
    allowed = department_ids_for(actor)
    if allowed is not None and application.department_id not in allowed:
        raise PermissionDeniedError(_("该办件不属于您所在的部门。"))


def is_staff(actor: User) -> bool:
    return actor.is_superuser or actor.kind == User.Kind.STAFF


def move(
    supply: MaterialSupply, target: SupplyState, *, actor: User | None, reason: str = ""
) -> None:
    """Check the edge of :data:`ALLOWED_TRANSITIONS`, set the state and save (with history)."""
    source = SupplyState(supply.state)
    if target not in ALLOWED_TRANSITIONS[source]:
        raise InvalidTransitionError(
            _("材料“%(name)s”当前状态为“%(state)s”，不能%(action)s。")
            % {
                "name": supply.tolerated.guide_material.name,
                "state": source.label,
                "action": target.label,
            },
            extra={"state": source.value},
        )
    supply.state = target
    supply.reason = reason
    if target not in (SupplyState.MISSING, SupplyState.SUBMITTED, SupplyState.REJECTED):
        supply.settled_at = timezone.now()
    set_history_user(supply, actor)
    supply.save()


def timeline(
    application: Application,
    *,
    actor: User | None,
    reason: str,
    payload: dict[str, Any] | None = None,
    kind: str = TimelineEvent.Kind.MATERIAL_ADDED,
) -> TimelineEvent:
    """The applicant's progress list (A10) shows every step of the supply."""
    return TimelineEvent.objects.create(
        application=application, kind=kind, actor=actor, reason=reason, payload=payload or {}
    )


def detail_link(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def tell_applicant(
    application: Application, *, title: str, body: str, dedupe_key: str, sms: bool = True
) -> None:
    """A10/A14: inbox, and SMS for what the applicant must act on."""
    notify(
        recipient=application.applicant,
        title=title,
        body=body,
        category=NOTIFICATION_CATEGORY,
        link=detail_link(application),
        channels=("inbox", "sms") if sms else ("inbox",),
        dedupe_key=dedupe_key,
    )


def tell_handler(application: Application, *, title: str, body: str, dedupe_key: str) -> None:
    """The staff member handling the case (who accepted it), by inbox."""
    handler = application.handled_by
    if handler is None or not handler.is_active:
        return
    notify(
        recipient=handler,
        title=title,
        body=body,
        category=NOTIFICATION_CATEGORY,
        link=reverse("admin:applications_application_change", args=[application.pk]),
        channels=("inbox",),
        dedupe_key=f"{dedupe_key}:staff:{handler.pk}",
    )


def require_text(value: str, message: str, code: str = "reason_required") -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code=code)
    return value
