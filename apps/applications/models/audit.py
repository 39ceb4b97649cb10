"""The record of a case: its timeline (DOMAIN A10), reminders sent (A15) and the documents
issued for it (A4, A9, A16)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.applications.models.cases import Application
from apps.applications.workflow import State
from apps.common.models import ChoiceDisplay


class TimelineEvent(ChoiceDisplay, models.Model):
    """One step in an application's life: the applicant's progress view and the audit (A10).

    ``payload`` holds ids and codes only, never personal data (A17).
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("创建申请")
        MATERIAL_ADDED = "material_added", _("上传材料")
        FORM_SAVED = "form_saved", _("填写申请表")
        TRANSITION = "transition", _("状态变更")
        DEEMED_ACCEPTED = "deemed_accepted", _("视为受理")
        CORRECTED_ON_SPOT = "corrected_on_spot", _("当场更正")
        EXTENSION_REQUESTED = "extension_requested", _("申请延期")
        EXTENSION_APPROVED = "extension_approved", _("批准延期")
        EXTENSION_REFUSED = "extension_refused", _("不批准延期")
        DOCUMENT_ISSUED = "document_issued", _("出具文书")
        REMINDER = "reminder", _("督办提醒")
        DEADLINE_RECALCULATED = "deadline_recalculated", _("期限调整")

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="timeline"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    from_state = models.CharField(_("原状态"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("说明"), blank=True)
    visible_to_applicant = models.BooleanField(_("申请人可见"), default=True)
    payload = models.JSONField(_("附加信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办件进度")
        verbose_name_plural = _("办件进度")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"], name="timeline_app_idx")]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"


class SupervisionMark(models.Model):
    """A reminder already sent for this application and threshold (A15): the unique row
    makes every supervision run, retry and race a no-op the second time."""

    class Threshold(models.TextChoices):
        INTAKE_DUE = "intake_due", _("受理期限届满")
        YELLOW = "yellow", _("临期预警")
        RED = "red", _("超期")
        CORRECTION_DUE = "correction_due", _("补正临期")

    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="supervision_marks",
    )
    threshold = models.CharField(_("阈值"), max_length=16, choices=Threshold.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "threshold"], name="uniq_supervision_mark"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_threshold_display()}"


class ApplicationDocument(ChoiceDisplay, models.Model):
    """A dated, sealed receipt or decision issued for an application (A4, A9, A16).

    Written in the same transaction as the outcome it records: the document exists if and
    only if the outcome does.
    """

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="documents"
    )
    document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("文书"),
        on_delete=models.PROTECT,
        related_name="application_link",
    )
    kind = models.CharField(_("文书类型"), max_length=32)
    created_at = models.DateTimeField(_("出具时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办件文书")
        verbose_name_plural = _("办件文书")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.kind}"


class SupervisionFigure(models.Model):
    """Running cases overdue and due within three working days, per department, as the
    supervision pass counted them on ``day`` (issue 16, A15).

    The 电子监察 page and the dashboard read these instead of counting a city's running
    cases on every request; until the day's first pass they count live
    (``console_selectors.department_figures``)."""

    day = models.DateField(_("日期"))
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("部门"), on_delete=models.CASCADE, related_name="+"
    )
    overdue = models.PositiveIntegerField(_("已超期"), default=0)
    due_soon = models.PositiveIntegerField(_("即将到期"), default=0)
    computed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("电子监察统计")
        verbose_name_plural = _("电子监察统计")
        constraints = [
            models.UniqueConstraint(fields=["day", "department"], name="uniq_supervision_figure")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id}: {self.overdue}/{self.due_soon}"
