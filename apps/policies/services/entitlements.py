"""免申即享 entitlements: told, granted, paid — or declined (DOMAIN PO3).

The entitlement is created with the match (see :mod:`.matching`); from there each change is
one service: the beneficiary may decline before it is granted; the policy's department
grants it and records the payment (or its failure, then the retry). Every change is locked,
checked against ``ENTITLEMENT_TRANSITIONS``, written to the entitlement's record and told
to the beneficiary after commit.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.notifications.services import notify
from apps.policies.models import Entitlement, EntitlementEvent, PolicyMatch
from apps.policies.selectors import owned_subjects_q
from apps.policies.services import _base
from apps.policies.services.recipients import recipients_for
from apps.policies.workflow import ENTITLEMENT_TRANSITIONS, EntitlementState, PolicyState

# A benefit is decided while the policy is in force or after it ended normally; not while
# it is suspended or once it was stopped (PO5).
_GRANTABLE_POLICY_STATES = {PolicyState.PUBLISHED, PolicyState.EXPIRED}


def _lock(entitlement_id: int) -> Entitlement:
    found = (
        Entitlement.objects.select_for_update(of=("self",))
        .select_related("policy", "match__company", "match__person")
        .filter(pk=entitlement_id)
        .first()
    )
    if found is None:
        raise _base.NotFoundError(_("待遇记录不存在。"))
    return found


def _move(
    entitlement: Entitlement,
    target: EntitlementState,
    *,
    actor: User | None,
    action: str,
    reason: str = "",
) -> EntitlementEvent:
    source = EntitlementState(entitlement.state)
    _base.check_edge(ENTITLEMENT_TRANSITIONS, source, target, what=_("待遇"), action=action)
    entitlement.state = target
    _base.save(entitlement, actor)
    return EntitlementEvent.objects.create(
        entitlement=entitlement, from_state=source, to_state=target, actor=actor, reason=reason
    )


def _tell_beneficiary(entitlement: Entitlement, *, event: str, title: str, body: str) -> None:
    """Inbox/SMS/email as each account behind the subject chose (opt-out honoured)."""
    link = reverse("policies:notice", args=[entitlement.pk])
    recipients = [
        r for r in recipients_for([entitlement.match]).get(entitlement.match_id, []) if r.channels
    ]
    users = User.objects.in_bulk([r.user_id for r in recipients])
    for recipient in recipients:
        notify(
            recipient=users[recipient.user_id],
            title=title,
            body=body,
            category=_base.NOTIFICATION_CATEGORY,
            link=link,
            channels=recipient.channels,
            dedupe_key=f"entitlement:{entitlement.pk}:{event}:{recipient.user_id}",
        )


def _check_staff(actor: User, entitlement: Entitlement) -> None:
    _base.require_staff(
        actor, "manage_entitlements", department_id=entitlement.policy.department_id
    )


def entitlement_decline(*, actor: User, entitlement_id: int, reason: str = "") -> Entitlement:
    """The beneficiary does not want the benefit (免申即享 never forces it on anyone)."""
    with transaction.atomic():
        entitlement = _lock(entitlement_id)
        owned = PolicyMatch.objects.filter(owned_subjects_q(actor), pk=entitlement.match_id)
        if not owned.exists():
            raise _base.NotFoundError(_("待遇记录不存在。"))
        entitlement.decided_at = timezone.now()
        _move(
            entitlement,
            EntitlementState.DECLINED,
            actor=actor,
            action=_("放弃"),
            reason=(reason or "").strip(),
        )
    return entitlement


def entitlement_grant(*, actor: User, entitlement_id: int, note: str = "") -> Entitlement:
    """The department decides the benefit for the beneficiary (PO3)."""
    with transaction.atomic():
        entitlement = _lock(entitlement_id)
        _check_staff(actor, entitlement)
        if entitlement.policy.state not in _GRANTABLE_POLICY_STATES:
            raise ApplicationError(
                _("政策当前为“%(state)s”，暂不能认定。")
                % {"state": entitlement.policy.get_state_display()},
                code="policy_not_in_force",
            )
        if entitlement.match.lapsed_at is not None:
            raise ApplicationError(
                _("根据最新共享数据，该对象已不符合政策条件，请核实后撤销。"),
                code="match_lapsed",
            )
        entitlement.decided_at = timezone.now()
        _move(entitlement, EntitlementState.GRANTED, actor=actor, action=_("认定"), reason=note)
        _tell_beneficiary(
            entitlement,
            event="granted",
            title=_("免申即享待遇已认定：%(title)s") % {"title": entitlement.policy.title},
            body=_("告知书编号 %(notice)s 的待遇已认定，将按政策规定的时限兑付。")
            % {"notice": entitlement.notice_number},
        )
    return entitlement


def entitlement_mark_paid(
    *, actor: User, entitlement_id: int, payment_reference: str
) -> Entitlement:
    """The money has been transferred; the payment voucher number is kept."""
    reference = _base.require_text(
        payment_reference, _("请填写兑付凭证号。"), code="payment_reference_required"
    )
    with transaction.atomic():
        entitlement = _lock(entitlement_id)
        _check_staff(actor, entitlement)
        entitlement.paid_at = timezone.now()
        entitlement.payment_reference = reference[:64]
        _move(entitlement, EntitlementState.PAID, actor=actor, action=_("登记兑付"))
        _tell_beneficiary(
            entitlement,
            event="paid",
            title=_("政策资金已兑付：%(title)s") % {"title": entitlement.policy.title},
            body=_("告知书编号 %(notice)s 的待遇已兑付，请注意查收。")
            % {"notice": entitlement.notice_number},
        )
    return entitlement


def entitlement_mark_payment_failed(
    *, actor: User, entitlement_id: int, reason: str
) -> Entitlement:
    """The transfer bounced (closed account …); it can be paid again once fixed."""
    reason = _base.require_text(reason, _("请填写兑付失败原因。"))
    with transaction.atomic():
        entitlement = _lock(entitlement_id)
        _check_staff(actor, entitlement)
        _move(
            entitlement,
            EntitlementState.PAYMENT_FAILED,
            actor=actor,
            action=_("登记兑付失败"),
            reason=reason,
        )
        _tell_beneficiary(
            entitlement,
            event=f"payment_failed:{entitlement.events.count()}",
            title=_("政策资金兑付未成功：%(title)s") % {"title": entitlement.policy.title},
            body=_(
                "告知书编号 %(notice)s 的待遇兑付未成功，请拨打 12345 或联系发布部门核对收款信息。"
            )
            % {"notice": entitlement.notice_number},
        )
    return entitlement


def entitlement_cancel(*, actor: User, entitlement_id: int, reason: str) -> Entitlement:
    """Revoke an entitlement found to be wrong (the subject no longer qualifies …)."""
    reason = _base.require_text(reason, _("请填写撤销理由。"))
    with transaction.atomic():
        entitlement = _lock(entitlement_id)
        _check_staff(actor, entitlement)
        _move(entitlement, EntitlementState.CANCELLED, actor=actor, action=_("撤销"), reason=reason)
    return entitlement
