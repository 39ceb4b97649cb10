"""Who matches which policy, and the one push each match gets (DOMAIN PO3).

A match row is unique per policy and subject; a push row is unique per match, so "never
twice for one policy and subject" is a database constraint, not a hope. Workers claim
queued pushes with ``SELECT … FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import Notification
from apps.policies.models.policies import Policy
from apps.policies.models.profiles import CompanyProfile, PersonProfile
from apps.policies.workflow import PushStatus


class PolicyMatch(models.Model):
    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="matches"
    )
    company = models.ForeignKey(
        CompanyProfile,
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches",
    )
    person = models.ForeignKey(
        PersonProfile,
        verbose_name=_("个人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches",
    )
    matched_at = models.DateTimeField(_("匹配时间"))
    # Set when a changed profile or changed criteria no longer qualify; kept for the record.
    lapsed_at = models.DateTimeField(_("不再符合时间"), null=True, blank=True)
    # 申请兑现: the one reminder before the policy expires unclaimed.
    reminded_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政策匹配")
        verbose_name_plural = _("政策匹配")
        ordering = ["-matched_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "company"],
                condition=Q(company__isnull=False),
                name="uniq_match_policy_company",
            ),
            models.UniqueConstraint(
                fields=["policy", "person"],
                condition=Q(person__isnull=False),
                name="uniq_match_policy_person",
            ),
            models.CheckConstraint(
                condition=Q(company__isnull=True) ^ Q(person__isnull=True),
                name="match_one_subject",
            ),
        ]
        indexes = [
            # The expiry reminder walks only matches still owed one.
            models.Index(
                fields=["policy", "id"],
                condition=Q(reminded_at__isnull=True, lapsed_at__isnull=True),
                name="match_unreminded_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} ↔ {self.company_id or self.person_id}"

    @property
    def subject(self) -> CompanyProfile | PersonProfile:
        return self.company or self.person


class PolicyPush(models.Model):
    match = models.OneToOneField(
        PolicyMatch, verbose_name=_("匹配"), on_delete=models.CASCADE, related_name="push"
    )
    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="pushes"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=PushStatus.choices, default=PushStatus.QUEUED
    )
    queued_at = models.DateTimeField(_("排队时间"))
    sent_at = models.DateTimeField(_("推送时间"), null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(_("接收账户数"), default=0)

    class Meta:
        verbose_name = _("政策推送")
        verbose_name_plural = _("政策推送")
        ordering = ["-queued_at", "-id"]
        indexes = [
            # Workers claim queued pushes of a policy in id order: only queued rows indexed.
            models.Index(
                fields=["policy", "id"], condition=Q(status="queued"), name="push_queued_idx"
            ),
            models.Index(
                fields=["id"], condition=Q(status="unreachable"), name="push_unreachable_idx"
            ),
            models.Index(fields=["policy", "status"], name="push_policy_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} · {self.get_status_display()}"


class PushDelivery(models.Model):
    """Which notification rows a push made: "delivered" is read from their status."""

    push = models.ForeignKey(PolicyPush, on_delete=models.CASCADE, related_name="deliveries")
    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="policy_push_delivery"
    )

    class Meta:
        verbose_name = _("推送消息")
        verbose_name_plural = _("推送消息")

    def __str__(self) -> str:
        return f"{self.push_id} → {self.notification_id}"
