"""Writing policies: draft, publish, resume, expire (DOMAIN PO1, PO2, PO5).

Halting a published policy (suspend, stop) is in :mod:`.halts`: within its validity it needs
a recorded legal ground and a supervisor's approval (PO5).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Department, User
from apps.catalogue.models import ServiceItem, ServiceTarget
from apps.catalogue.selectors import guide_get_published
from apps.common.errors import ApplicationError
from apps.policies import hooks
from apps.policies.criteria import SubjectKind, criteria_json, parse_criteria
from apps.policies.models import Fulfilment, Policy, PolicyClass, PolicyEvent
from apps.policies.queue import queue_policy_matching
from apps.policies.services import _base
from apps.policies.workflow import EDITABLE_STATES, POLICY_TRANSITIONS, PolicyState

POLICY_FIELDS = (
    "title",
    "title_en",
    "policy_class",
    "department",
    "document_number",
    "subject_kind",
    "summary",
    "benefit",
    "amount",
    "conditions_text",
    "procedure_text",
    "time_limit_text",
    "legal_basis",
    "contact",
    "fulfilment",
    "service_item",
    "valid_from",
    "valid_until",
    "criteria",
)
# PO2: every fulfilment item states its conditions, procedure and time limit.
_REQUIRED_TEXT = {
    "title": gettext_lazy("政策名称"),
    "summary": gettext_lazy("政策简介"),
    "benefit": gettext_lazy("扶持内容"),
    "conditions_text": gettext_lazy("申报条件"),
    "procedure_text": gettext_lazy("兑现程序"),
    "time_limit_text": gettext_lazy("兑现时限"),
    "legal_basis": gettext_lazy("政策依据"),
}
_TARGET_FOR: dict[str, set[str]] = {
    SubjectKind.COMPANY: {ServiceTarget.LEGAL_PERSON, ServiceTarget.BOTH},
    SubjectKind.PERSON: {ServiceTarget.NATURAL_PERSON, ServiceTarget.BOTH},
}


def _invalid(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, code="invalid", extra={"field": field})


def _choice(data: Mapping[str, Any], field: str, choices, label: str) -> str:
    value = data.get(field)
    if value not in choices.values:
        raise _invalid(_("请选择%(label)s。") % {"label": label}, field)
    return str(value)


def _service_item(data: Mapping[str, Any], fulfilment: str, kind: str) -> ServiceItem | None:
    item = data.get("service_item")
    if fulfilment == Fulfilment.AUTOMATIC:
        if item is not None:
            raise _invalid(_("免申即享政策无需关联申请事项。"), "service_item")
        return None
    if item is None:
        raise _invalid(_("申请兑现政策须关联一个政务服务事项。"), "service_item")
    if not item.is_active or guide_get_published(item) is None:
        raise _invalid(_("关联的事项没有已发布的办事指南。"), "service_item")
    if item.target not in _TARGET_FOR[kind]:
        raise _invalid(_("关联事项的服务对象与政策对象不一致。"), "service_item")
    return item


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise _invalid(_("兑现金额应为数字。"), "amount") from None
    if not Decimal(0) <= amount < Decimal(10) ** 10:
        raise _invalid(_("兑现金额应为0至99.99亿元之间。"), "amount")
    return amount


def _dates(data: Mapping[str, Any]) -> tuple[datetime.date, datetime.date]:
    valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
    if not isinstance(valid_from, datetime.date) or not isinstance(valid_until, datetime.date):
        raise _invalid(_("请填写有效期起止日期。"), "valid_from")
    if valid_until < valid_from:
        raise _invalid(_("有效期止不能早于有效期起。"), "valid_until")
    return valid_from, valid_until


def clean_policy_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of a policy checked; the criteria validated and normalised (PO2, PO3)."""
    cleaned: dict[str, Any] = {}
    for field, label in _REQUIRED_TEXT.items():
        cleaned[field] = _base.require_text(
            data.get(field, ""), _("请填写%(label)s。") % {"label": label}, code="invalid"
        )
    for field in ("title_en", "document_number", "contact"):
        cleaned[field] = (data.get(field) or "").strip()
    cleaned["policy_class"] = _choice(data, "policy_class", PolicyClass, _("政策类别"))
    kind = cleaned["subject_kind"] = _choice(data, "subject_kind", SubjectKind, _("政策对象"))
    fulfilment = cleaned["fulfilment"] = _choice(data, "fulfilment", Fulfilment, _("兑现方式"))
    cleaned["service_item"] = _service_item(data, fulfilment, kind)
    cleaned["valid_from"], cleaned["valid_until"] = _dates(data)
    cleaned["amount"] = _amount(data.get("amount"))
    department = data.get("department")
    if not isinstance(department, Department) or not department.is_active:
        raise _invalid(_("请选择发布部门。"), "department")
    cleaned["department"] = department
    cleaned["criteria"] = criteria_json(parse_criteria(kind, data.get("criteria", [])))
    return cleaned


def policy_create(*, actor: User, data: Mapping[str, Any]) -> Policy:
    """A new policy, as a draft of the actor's department (PO1, PO2)."""
    cleaned = clean_policy_data(data)
    _base.require_staff(actor, "add_policy", department_id=cleaned["department"].pk)
    with transaction.atomic():
        policy = Policy(code=f"TMP{uuid.uuid4().hex[:28]}", **cleaned)
        _base.save(policy, actor)
        policy.code = f"ZC{policy.valid_from:%Y}{policy.pk:05d}"
        _base.save(policy, actor, update_fields=["code"])
        _base.record(policy, kind=PolicyEvent.Kind.CREATED, actor=actor, to_state=policy.state)
    return policy


def policy_update(*, actor: User, policy_id: int, data: Mapping[str, Any]) -> Policy:
    """Change a draft. A published policy is not edited: what people were told stands."""
    cleaned = clean_policy_data(data)
    with transaction.atomic():
        policy = _base.lock_policy(policy_id)
        _base.require_staff(actor, "change_policy", department_id=policy.department_id)
        _base.require_staff(actor, "change_policy", department_id=cleaned["department"].pk)
        if policy.state not in EDITABLE_STATES:
            raise ApplicationError(
                _("政策已发布，不能修改；如需调整请发布新政策。"), code="policy_not_editable"
            )
        changed = [f for f in POLICY_FIELDS if getattr(policy, f) != cleaned[f]]
        for field in changed:
            setattr(policy, field, cleaned[field])
        if changed:
            _base.save(policy, actor)
            _base.record(
                policy, kind=PolicyEvent.Kind.UPDATED, actor=actor, payload={"fields": changed}
            )
    return policy


def policy_set_title_en(*, actor: User, policy_id: int, title_en: str) -> Policy:
    """The English title shown on /en/ pages (issue #17), in any state: a translation of
    the title, not a change to what people were told, so a published policy gets one too.
    Recorded as an update; a published policy's passages follow (the assistant quotes it)."""
    title_en = (title_en or "").strip()
    with transaction.atomic():
        policy = _base.lock_policy(policy_id)
        _base.require_staff(actor, "change_policy", department_id=policy.department_id)
        if policy.title_en == title_en:
            return policy
        policy.title_en = title_en
        _base.save(policy, actor)
        _base.record(
            policy, kind=PolicyEvent.Kind.UPDATED, actor=actor, payload={"fields": ["title_en"]}
        )
        hooks.policy_changed(policy)
    return policy


def _transition(policy: Policy, target: PolicyState, *, actor, action: str, reason: str = ""):
    source = PolicyState(policy.state)
    _base.check_edge(POLICY_TRANSITIONS, source, target, what=_("政策"), action=action)
    policy.state = target
    _base.save(policy, actor)
    hooks.policy_changed(policy)
    return _base.record(
        policy,
        kind=PolicyEvent.Kind.TRANSITION,
        actor=actor,
        reason=reason,
        from_state=source,
        to_state=target,
    )


def policy_publish(*, actor: User, policy_id: int) -> Policy:
    """Publish to the public lists (PO1); matching and the push start once it is in force."""
    with transaction.atomic():
        policy = _base.lock_policy(policy_id)
        _base.require_staff(actor, "publish_policy", department_id=policy.department_id)
        # Re-checked: the linked item's guide or the registry may have changed since saving.
        clean_policy_data({f: getattr(policy, f) for f in POLICY_FIELDS})
        if policy.valid_until < _base.today():
            raise ApplicationError(_("政策有效期已过，不能发布。"), code="policy_expired")
        policy.published_at = timezone.now()
        _transition(policy, PolicyState.PUBLISHED, actor=actor, action=_("发布"))
        if policy.is_active_on(_base.today()):
            queue_policy_matching(policy.pk)
    return policy


def policy_resume(*, actor: User, policy_id: int, reason: str) -> Policy:
    """A suspended policy is honoured again; missed pushes go out (PO5)."""
    reason = _base.require_text(reason, _("请填写恢复执行的说明。"))
    with transaction.atomic():
        policy = _base.lock_policy(policy_id)
        _base.require_staff(actor, "request_policy_halt", department_id=policy.department_id)
        if policy.state == PolicyState.SUSPENDED and policy.valid_until < _base.today():
            raise ApplicationError(_("政策有效期已过，不能恢复。"), code="policy_expired")
        # Profiles may have changed while it was suspended: matched afresh, and the nightly
        # round matches it if the queued task is lost (matched_at empty is the outbox mark).
        policy.matched_at = None
        _transition(policy, PolicyState.PUBLISHED, actor=actor, action=_("恢复执行"), reason=reason)
        if policy.is_active_on(_base.today()):
            queue_policy_matching(policy.pk)
    return policy


def policy_expire(*, policy_id: int, today: datetime.date | None = None) -> Policy | None:
    """The validity has ended: published or suspended → expired (a system step)."""
    today = today or _base.today()
    with transaction.atomic():
        policy = _base.lock_policy(policy_id)
        if policy.valid_until >= today or policy.state not in (
            PolicyState.PUBLISHED,
            PolicyState.SUSPENDED,
        ):
            return None
        _transition(policy, PolicyState.EXPIRED, actor=None, action=_("到期"))
    return policy


def policies_expire_due(*, today: datetime.date | None = None) -> int:
    """Expire every policy whose validity ended before ``today``; returns how many."""
    today = today or _base.today()
    due = Policy.objects.filter(
        state__in=[PolicyState.PUBLISHED, PolicyState.SUSPENDED], valid_until__lt=today
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if policy_expire(policy_id=pk, today=today) is not None)
