"""States of a post-approval verification (事中事后核查, DOMAIN P3, P3a) and of a credit
record and its repair (P4), each with its allowed changes as one readable table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationState(models.TextChoices):
    PENDING = "pending", _("待核查")
    NOT_SELECTED = "not_selected", _("未抽中，免于核查")
    COMPLIANT = "compliant", _("核查合格")
    RECTIFYING = "rectifying", _("责令整改中")
    REVOCATION_DUE = "revocation_due", _("整改逾期，待作出处理决定")
    REVOKED = "revoked", _("已撤销许可决定")


VERIFICATION_TRANSITIONS: dict[VerificationState, frozenset[VerificationState]] = {
    # P3: checked → compliant, or an order to rectify; a pledge found false → revoked (P6).
    VerificationState.PENDING: frozenset(
        {VerificationState.COMPLIANT, VerificationState.RECTIFYING, VerificationState.REVOKED}
    ),
    # Re-verification: compliant, or the decision is revoked; a lapsed deadline opens the
    # revocation step for staff (never an automatic revocation).
    VerificationState.RECTIFYING: frozenset(
        {
            VerificationState.COMPLIANT,
            VerificationState.REVOCATION_DUE,
            VerificationState.REVOKED,
        }
    ),
    VerificationState.REVOCATION_DUE: frozenset(
        {VerificationState.COMPLIANT, VerificationState.REVOKED}
    ),
    VerificationState.NOT_SELECTED: frozenset(),
    VerificationState.COMPLIANT: frozenset(),
    VerificationState.REVOKED: frozenset(),
}

OPEN_VERIFICATION_STATES = frozenset(
    {VerificationState.PENDING, VerificationState.RECTIFYING, VerificationState.REVOCATION_DUE}
)


class CreditStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REPAIRED = "repaired", _("已修复")
    EXPIRED = "expired", _("已到期")


CREDIT_TRANSITIONS: dict[CreditStatus, frozenset[CreditStatus]] = {
    CreditStatus.ACTIVE: frozenset({CreditStatus.REPAIRED, CreditStatus.EXPIRED}),
    CreditStatus.REPAIRED: frozenset(),
    CreditStatus.EXPIRED: frozenset(),
}


class RepairStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已准予修复")
    REFUSED = "refused", _("不予修复")
