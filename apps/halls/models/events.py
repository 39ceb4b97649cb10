"""One timeline of what happened in the halls: who, when, why (CONVENTIONS: audit rows)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.halls.models.booking import Appointment
from apps.halls.models.cases import HardCase
from apps.halls.models.queue import Ticket
from apps.halls.models.supervision import Opinion


class HallEvent(models.Model):
    class Kind(models.TextChoices):
        BOOKED = "booked", _("预约")
        CANCELLED = "cancelled", _("取消预约")
        NO_SHOW = "no_show", _("爽约")
        REMINDED = "reminded", _("预约提醒")
        TICKET_TAKEN = "ticket_taken", _("取号")
        CALLED = "called", _("叫号")
        RECALLED = "recalled", _("重呼")
        SKIPPED = "skipped", _("过号")
        TRANSFERRED = "transferred", _("转窗口")
        SERVING = "serving", _("开始办理")
        FINISHED = "finished", _("办结")
        CASE_OPENED = "case_opened", _("登记“办不成事”")
        CASE_ASSIGNED = "case_assigned", _("指定协调人")
        CASE_CONCLUDED = "case_concluded", _("协调结果")
        CASE_FEEDBACK = "case_feedback", _("回访评价")
        CASE_ESCALATED = "case_escalated", _("逾期升级督办")
        OPINION_SUBMITTED = "opinion_submitted", _("提交监督意见")
        OPINION_ASSIGNED = "opinion_assigned", _("交办监督意见")
        OPINION_ANSWERED = "opinion_answered", _("答复监督意见")
        OPINION_CONFIRMED = "opinion_confirmed", _("监督员确认")
        OPINION_REOPENED = "opinion_reopened", _("监督员不满意，重新办理")
        OPINION_ESCALATED = "opinion_escalated", _("监督意见逾期督办")

    kind = models.CharField(_("事件"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    hard_case = models.ForeignKey(
        HardCase, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    opinion = models.ForeignKey(
        Opinion, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("大厅事件")
        verbose_name_plural = _("大厅事件")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
