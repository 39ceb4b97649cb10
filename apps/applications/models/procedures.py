"""What happens to an accepted or submitted case on the way: the one-time correction notice
(DOMAIN A5), special procedures (A8) and the once-only extension (A7, A7a)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.applications.models.cases import Application
from apps.catalogue.models import GuideMaterial, SpecialProcedure
from apps.common.models import BaseModel


class CorrectionRequest(BaseModel):
    """一次性告知 (A5): everything missing or wrong, at once, with a deadline."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("告知人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    deadline = models.DateField(_("补正期限"))
    remind_on = models.DateField(_("提醒日期"))
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("补正提交时间"), null=True, blank=True)
    # Set by the supervision pass once the deadline has passed unanswered (A5, T3): the
    # notice is closed and leaves ``correction_lapse_idx``, so no later run looks at it again.
    lapsed_at = models.DateTimeField(_("逾期未补正时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["remind_on", "id"],
                name="correction_remind_idx",
                condition=Q(answered_at__isnull=True, reminded_at__isnull=True),
            ),
            # Open notices only: a lapse run walks the range deadline < today and costs
            # what has lapsed, not what is open (A15).
            models.Index(
                fields=["deadline", "id"],
                name="correction_lapse_idx",
                condition=Q(answered_at__isnull=True, lapsed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} 补正告知"


class CorrectionItem(models.Model):
    correction = models.ForeignKey(
        CorrectionRequest,
        verbose_name=_("补正告知"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    guide_material = models.ForeignKey(
        GuideMaterial, verbose_name=_("材料"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("补正原因"), max_length=300)

    class Meta:
        verbose_name = _("补正事项")
        verbose_name_plural = _("补正事项")
        constraints = [
            models.UniqueConstraint(
                fields=["correction", "guide_material"], name="uniq_correction_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guide_material}：{self.reason}"


class Suspension(BaseModel):
    """A special procedure (A8) listed in the guide; the main clock pauses while it runs."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="suspensions",
    )
    procedure = models.ForeignKey(
        SpecialProcedure, verbose_name=_("特别程序"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("特别程序"), max_length=24, choices=SpecialProcedure.Kind.choices)
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    reason = models.TextField(_("原因"), blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("启动人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(ended_on__isnull=True),
                name="one_open_suspension_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()}"


class Extension(BaseModel):
    """延长办理时限 (A7, A7a): reasons required, approved by the head, at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("延长天数（工作日）"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(status="refused"),
                name="at_most_one_extension",
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="extension_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application} 延期{self.days}个工作日"
