"""Handling bad reviews: the rectification case (整改), its record, the reminders sent, and
appeals (申诉复核) (DOMAIN R3, R4, R7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.common.models import BaseModel
from apps.reviews.models.reviews import Review
from apps.reviews.workflow import (
    DEADLINE_VALUES,
    AppealGround,
    AppealState,
    CaseState,
    Level,
    Outcome,
)

_WATCHED = Q(state__in=list(DEADLINE_VALUES))


class AlertLevel(models.IntegerChoices):
    """How far supervision has gone with the current deadline (reset at each new one)."""

    NONE = 0, _("正常")
    REMINDED = 1, _("已提醒")
    LATE = 2, _("已逾期")


class RectificationCase(BaseModel):
    """整改: opened at once for every real-name bad review (R3). The department calls the
    reviewer back within one working day, records what it found, fixes it now or by a
    deadline, and the reviewer is told and re-visited (R4, R7).

    ``due_on``/``remind_on`` are the dates of the current stage (call-back, then
    rectification); ``alert_level`` says how far supervision went with them. The partial
    indexes hold only the cases a reminder or an escalation is still owed for.
    """

    review = models.OneToOneField(
        Review, verbose_name=_("差评"), on_delete=models.PROTECT, related_name="case"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=CaseState.choices, default=CaseState.CALLBACK_DUE
    )
    callback_due_on = models.DateField(_("回访核实期限"))
    callback_at = models.DateTimeField(_("回访核实时间"), null=True, blank=True)
    callback_on_time = models.BooleanField(_("按时回访"), null=True, blank=True)
    outcome = models.CharField(_("核实结论"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("核实情况"), blank=True)
    rectify_due_on = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    rectification_note = models.TextField(_("整改情况"), blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    revisit_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    revisit_level = models.CharField(
        _("回访满意度"), max_length=24, choices=Level.choices, blank=True
    )
    revisit_note = models.TextField(_("回访情况"), blank=True)
    due_on = models.DateField(_("当前期限"), null=True, blank=True)
    remind_on = models.DateField(_("提醒日期"), null=True, blank=True)
    alert_level = models.PositiveSmallIntegerField(
        _("督办级别"), choices=AlertLevel.choices, default=AlertLevel.NONE
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "state", "due_on"], name="case_dept_state_idx"),
            models.Index(
                fields=["remind_on", "id"],
                name="case_remind_due_idx",
                condition=_WATCHED & Q(alert_level=0),
            ),
            models.Index(
                fields=["due_on", "id"],
                name="case_late_due_idx",
                condition=_WATCHED & Q(alert_level__lt=2),
            ),
        ]

    def __str__(self) -> str:
        return f"整改 {self.pk}"


class CaseEvent(models.Model):
    """Who did what to a case, when and why (the audit a row diff cannot express)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("差评转办")
        CALLBACK = "callback", _("回访核实")
        RECTIFIED = "rectified", _("整改完成")
        REVISITED = "revisited", _("回访满意度")
        REMINDER = "reminder", _("到期提醒")
        ESCALATED = "escalated", _("逾期上报")
        SUPERVISED = "supervised", _("督办")
        APPEAL_FILED = "appeal_filed", _("提出申诉")
        APPEAL_DECIDED = "appeal_decided", _("申诉复核")

    case = models.ForeignKey(
        RectificationCase, verbose_name=_("整改"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    from_state = models.CharField(_("原状态"), max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=CaseState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    payload = models.JSONField(_("附加信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="case_event_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


class CaseMark(models.Model):
    """A reminder, escalation or 督办 already made for this case at this threshold: the
    unique row makes every sweep, retry and double click a no-op the second time."""

    case = models.ForeignKey(
        RectificationCase, verbose_name=_("整改"), on_delete=models.CASCADE, related_name="marks"
    )
    threshold = models.CharField(_("阈值"), max_length=32)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        constraints = [models.UniqueConstraint(fields=["case", "threshold"], name="uniq_case_mark")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.threshold}"


class Appeal(BaseModel):
    """申诉: a department asks a supervisor to set a review aside (R4, R7). One per review;
    an upheld appeal excludes the review from every figure and keeps it on record."""

    review = models.OneToOneField(
        Review, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="appeal"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("申诉部门"), on_delete=models.PROTECT, related_name="+"
    )
    ground = models.CharField(_("申诉理由类型"), max_length=16, choices=AppealGround.choices)
    reason = models.TextField(_("申诉理由"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申诉人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=AppealState.choices, default=AppealState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_note = models.TextField(_("复核意见"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("评价申诉")
        verbose_name_plural = _("评价申诉")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                name="appeal_pending_idx",
                condition=Q(state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"申诉 {self.pk}"
