"""A ticket's record: its timeline (DOMAIN H7 and the audit), the supervision steps taken
(H9) and its extension requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department
from apps.common.models import BaseModel
from apps.hotline.models.tickets import Ticket
from apps.hotline.workflow import TicketState


class TicketEvent(models.Model):
    """One step in a ticket's life: the caller's progress view (H7) and the audit trail.

    ``payload`` holds ids and codes only, never personal data (A17).
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("受理登记")
        TRANSITION = "transition", _("状态变更")
        DUPLICATE_FLAGGED = "duplicate_flagged", _("疑似重复")
        CO_REPLY = "co_reply", _("协办反馈")
        EXTENSION_REQUESTED = "extension_requested", _("申请延期")
        EXTENSION_APPROVED = "extension_approved", _("批准延期")
        EXTENSION_REFUSED = "extension_refused", _("不批准延期")
        CALLBACK = "callback", _("回访")
        REVIEW_RECORDED = "review_recorded", _("满意度评价")
        SUPERVISION = "supervision", _("督办")
        ESCALATED = "escalated", _("升级督办")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    from_state = models.CharField(
        _("原状态"), max_length=20, choices=TicketState.choices, blank=True
    )
    to_state = models.CharField(_("新状态"), max_length=20, choices=TicketState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("事项"), max_length=100)
    reason = models.TextField(_("说明"), blank=True)
    visible_to_caller = models.BooleanField(_("来电人可见"), default=True)
    payload = models.JSONField(_("附加信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工单进度")
        verbose_name_plural = _("工单进度")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticket_event_idx")]

    def __str__(self) -> str:
        return f"{self.ticket} {self.title}"


class TicketMark(models.Model):
    """A supervision step already taken for this ticket, dispatch round and threshold: the
    unique row makes every run, retry and race a no-op the second time (H9)."""

    class Threshold(models.TextChoices):
        SIGN_OVERDUE = "sign_overdue", _("签收超时")
        REPLY_REMIND = "reply_remind", _("到期前催办")
        REPLY_OVERDUE = "reply_overdue", _("超期督办")
        REPLY_WRITTEN = "reply_written", _("书面督办")
        REPLY_CRITICISED = "reply_criticised", _("通报")
        CALLBACK_DUE = "callback_due", _("回访提醒")
        REOPEN_ESCALATED = "reopen_escalated", _("重办后仍不满意")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="marks")
    cycle = models.PositiveSmallIntegerField(_("派单轮次"))
    threshold = models.CharField(_("阈值"), max_length=20, choices=Threshold.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "cycle", "threshold"], name="uniq_ticket_mark"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_threshold_display()}"


class ExtensionRequest(BaseModel):
    """H9: a department asks for more time with reasons; the centre decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不批准")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="extensions")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("延期理由"))
    extra_working_days = models.PositiveSmallIntegerField(_("延长工作日"), null=True, blank=True)
    extra_hours = models.PositiveSmallIntegerField(_("延长小时"), null=True, blank=True)
    status = models.CharField(
        _("审批状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("工单延期申请")
        verbose_name_plural = _("工单延期申请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(status="pending"),
                name="uniq_ticket_pending_extension",
            ),
            models.CheckConstraint(
                condition=Q(extra_working_days__gte=1) | Q(extra_hours__gte=1),
                name="ticket_extension_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_status_display()}"
