"""特约监督员 and their opinions (DOMAIN S1): assigned, answered within a deadline, closed
with the supervisor's own confirmation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import ServiceWindow
from apps.catalogue.models import ServiceItem
from apps.common.models import BaseModel
from apps.halls.models.halls import HallProfile
from apps.halls.workflow import OpinionState, SupervisorCategory


class SocialSupervisor(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        related_name="social_supervisor",
    )
    category = models.CharField(_("身份"), max_length=16, choices=SupervisorCategory.choices)
    organisation = models.CharField(_("工作单位"), max_length=100, blank=True)
    appointed_on = models.DateField(_("聘任日期"))
    is_active = models.BooleanField(_("在聘"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("特约监督员")
        verbose_name_plural = _("特约监督员")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_category_display()})"


class Opinion(BaseModel):
    supervisor = models.ForeignKey(
        SocialSupervisor,
        verbose_name=_("监督员"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    hall = models.ForeignKey(
        HallProfile, verbose_name=_("大厅"), null=True, blank=True, on_delete=models.PROTECT
    )
    window = models.ForeignKey(
        ServiceWindow, verbose_name=_("窗口"), null=True, blank=True, on_delete=models.PROTECT
    )
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("意见建议"))
    state = models.CharField(
        _("状态"), max_length=16, choices=OpinionState.choices, default=OpinionState.SUBMITTED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_opinions",
    )
    due_on = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    confirmation = models.TextField(_("监督员确认意见"), blank=True)
    escalated_at = models.DateTimeField(_("逾期督办时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监督意见")
        verbose_name_plural = _("监督意见")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(state__in=["submitted", "assigned"], escalated_at__isnull=True),
                name="halls_opinion_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor.user} {self.created_at:%Y-%m-%d}"
