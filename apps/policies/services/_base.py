"""What the policy services share: locks, the edge check, permission checks, the audit row.

Not public: import the services from :mod:`apps.policies.services`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Choices
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import department_ids_for
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.policies.models import Policy, PolicyEvent

NOTIFICATION_CATEGORY = "policy"


class NotFoundError(ApplicationError):
    status_code = 404

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("记录不存在。"), code="not_found")


def today():
    return timezone.localdate()


def lock_policy(policy_id: int) -> Policy:
    policy = (
        Policy.objects.select_for_update(of=("self",))
        .select_related("department", "service_item")
        .filter(pk=policy_id)
        .first()
    )
    if policy is None:
        raise NotFoundError(_("政策不存在。"))
    return policy


def check_edge(
    table: dict[Any, frozenset], source: Choices, target: Choices, *, what: str, action: str
) -> None:
    if target not in table[source]:
        raise InvalidTransitionError(
            _("%(what)s当前状态为“%(state)s”，不能%(action)s。")
            % {"what": what, "state": source.label, "action": action},
            extra={"state": source.value},
        )


def require_staff(actor: User, permission: str, *, department_id: int | None = None) -> None:
    """Staff with ``policies.<permission>``; a department-bound permission also needs the
    policy's department, unless the actor sees every department (supervisors, admins)."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDeniedError()
    if actor.kind != User.Kind.STAFF and not actor.is_superuser:
        raise PermissionDeniedError()
    if not actor.has_perm(f"policies.{permission}"):
        raise PermissionDeniedError()
    if department_id is not None:
        allowed = department_ids_for(actor)
        if allowed is not None and department_id not in allowed:
            raise PermissionDeniedError(_("该政策不属于您所在的部门。"))


def require_text(value: str, message: str, *, code: str = "reason_required") -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code=code)
    return value


def record(
    policy: Policy,
    *,
    kind: str,
    actor: User | None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    from_state: str = "",
    to_state: str = "",
) -> PolicyEvent:
    return PolicyEvent.objects.create(
        policy=policy,
        kind=kind,
        actor=actor,
        reason=reason,
        payload=payload or {},
        from_state=from_state,
        to_state=to_state,
    )


def save(instance, actor: User | None, **kwargs) -> None:
    instance._history_user = actor  # read by django-simple-history
    instance.save(**kwargs)
