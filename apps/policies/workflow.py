"""States of a policy, a halt request and an entitlement, and the allowed changes
(DOMAIN PO1–PO5). Each edge is taken by exactly one service in :mod:`apps.policies.services`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUSPENDED = "suspended", _("已暂停")
    STOPPED = "stopped", _("已停止")
    EXPIRED = "expired", _("已到期")


POLICY_TRANSITIONS: dict[PolicyState, frozenset[PolicyState]] = {
    # PO1: published to the lists; "active" is published and today within the validity.
    PolicyState.DRAFT: frozenset({PolicyState.PUBLISHED}),
    # PO5: suspending or stopping within the validity needs an approved halt request.
    PolicyState.PUBLISHED: frozenset(
        {PolicyState.SUSPENDED, PolicyState.STOPPED, PolicyState.EXPIRED}
    ),
    PolicyState.SUSPENDED: frozenset(
        {PolicyState.PUBLISHED, PolicyState.STOPPED, PolicyState.EXPIRED}
    ),
    PolicyState.STOPPED: frozenset(),
    PolicyState.EXPIRED: frozenset(),
}
# Criteria and texts may be edited only before publication; afterwards a change is a new
# policy (what was promised to the people already told stays what it was).
EDITABLE_STATES = frozenset({PolicyState.DRAFT})


class HaltAction(models.TextChoices):
    SUSPEND = "suspend", _("暂停兑现")
    STOP = "stop", _("停止执行")


HALT_TARGET = {HaltAction.SUSPEND: PolicyState.SUSPENDED, HaltAction.STOP: PolicyState.STOPPED}


class HaltRequestState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")


HALT_REQUEST_TRANSITIONS: dict[HaltRequestState, frozenset[HaltRequestState]] = {
    HaltRequestState.PENDING: frozenset(
        {HaltRequestState.APPROVED, HaltRequestState.REJECTED, HaltRequestState.WITHDRAWN}
    ),
    HaltRequestState.APPROVED: frozenset(),
    HaltRequestState.REJECTED: frozenset(),
    HaltRequestState.WITHDRAWN: frozenset(),
}


class EntitlementState(models.TextChoices):
    """免申即享 (PO3): told → granted → paid, unless the beneficiary declines."""

    NOTIFIED = "notified", _("已告知")
    DECLINED = "declined", _("已放弃")
    GRANTED = "granted", _("已认定")
    PAID = "paid", _("已兑付")
    PAYMENT_FAILED = "payment_failed", _("兑付失败")
    CANCELLED = "cancelled", _("已撤销")


ENTITLEMENT_TRANSITIONS: dict[EntitlementState, frozenset[EntitlementState]] = {
    EntitlementState.NOTIFIED: frozenset(
        {EntitlementState.GRANTED, EntitlementState.DECLINED, EntitlementState.CANCELLED}
    ),
    EntitlementState.GRANTED: frozenset(
        {EntitlementState.PAID, EntitlementState.PAYMENT_FAILED, EntitlementState.CANCELLED}
    ),
    # A failed transfer (closed account …) is retried once the details are fixed.
    EntitlementState.PAYMENT_FAILED: frozenset({EntitlementState.PAID, EntitlementState.CANCELLED}),
    EntitlementState.DECLINED: frozenset(),
    EntitlementState.PAID: frozenset(),
    EntitlementState.CANCELLED: frozenset(),
}
# Counted as granted in the figures: the benefit was decided for the beneficiary.
GRANTED_STATES = frozenset(
    {EntitlementState.GRANTED, EntitlementState.PAID, EntitlementState.PAYMENT_FAILED}
)


class PushStatus(models.TextChoices):
    QUEUED = "queued", _("待推送")
    SENT = "sent", _("已推送")
    OPTED_OUT = "opted_out", _("对方已退订")
    UNREACHABLE = "unreachable", _("尚无账户")
    WITHDRAWN = "withdrawn", _("已不符合条件")
