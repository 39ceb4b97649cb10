"""What a match turns into: a 免申即享 entitlement, or a 申请兑现 claim (DOMAIN PO3, PO4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.applications.models import Application
from apps.common.models import BaseModel
from apps.policies.models.matching import PolicyMatch
from apps.policies.models.policies import Policy
from apps.policies.workflow import EntitlementState


class Entitlement(BaseModel):
    """免申即享: the benefit decided for a matched subject, who is told by a notice (PO3)."""

    match = models.OneToOneField(
        PolicyMatch, verbose_name=_("匹配"), on_delete=models.PROTECT, related_name="entitlement"
    )
    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="entitlements"
    )
    notice_number = models.CharField(_("告知书编号"), max_length=40, unique=True)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=EntitlementState.choices,
        default=EntitlementState.NOTIFIED,
    )
    amount = models.DecimalField(
        _("兑现金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("认定/放弃时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("兑付时间"), null=True, blank=True)
    payment_reference = models.CharField(_("兑付凭证号"), max_length=64, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("免申即享待遇")
        verbose_name_plural = _("免申即享待遇")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["policy", "state"], name="entitlement_policy_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="paid") | (Q(paid_at__isnull=False) & ~Q(payment_reference="")),
                name="entitlement_paid_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.notice_number


class EntitlementEvent(models.Model):
    """Each change of an entitlement: who, when, why (audit)."""

    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("待遇"), on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(_("原状态"), max_length=16, choices=EntitlementState.choices)
    to_state = models.CharField(_("新状态"), max_length=16, choices=EntitlementState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("理由"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("待遇记录")
        verbose_name_plural = _("待遇记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.entitlement} {self.from_state}→{self.to_state}"


class PolicyClaim(BaseModel):
    """申请兑现: the one application made for a match (PO4); a second claim is refused."""

    match = models.OneToOneField(
        PolicyMatch, verbose_name=_("匹配"), on_delete=models.PROTECT, related_name="claim"
    )
    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="claims"
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("办件"),
        on_delete=models.PROTECT,
        related_name="policy_claim",
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What data sharing supplied, as the applicant saw it (A3): label → value.
    shared_data = models.JSONField(_("共享数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("申请兑现记录")
        verbose_name_plural = _("申请兑现记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.policy} · {self.application}"
