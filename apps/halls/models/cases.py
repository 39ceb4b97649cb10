"""The 办不成事 window's case record (DOMAIN S2, S3, H5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.catalogue.models import ServiceItem
from apps.common.models import BaseModel
from apps.halls.models.halls import HallProfile
from apps.halls.workflow import Feedback, HardCaseCause, HardCaseState


class HardCase(BaseModel):
    hall = models.ForeignKey(
        HallProfile, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="hard_cases"
    )
    number = models.CharField(_("编号"), max_length=20, unique=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反映人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hard_cases",
    )
    contact_name = models.CharField(_("反映人姓名"), max_length=64)
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("涉及事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    problem = models.TextField(_("问题描述"))
    cause = models.CharField(_("难办原因"), max_length=24, choices=HardCaseCause.choices)
    departments = models.ManyToManyField(
        Department, verbose_name=_("涉及部门"), blank=True, related_name="hard_cases"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问受理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("协调人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_hard_cases",
    )
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=HardCaseState.choices, default=HardCaseState.OPEN
    )
    outcome = models.TextField(_("办理结果"), blank=True)
    feedback = models.CharField(
        _("反映人评价"), max_length=16, choices=Feedback.choices, blank=True
    )
    feedback_note = models.TextField(_("评价说明"), blank=True)
    escalated_at = models.DateTimeField(_("升级督办时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("“办不成事”记录")
        verbose_name_plural = _("“办不成事”记录")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["deadline"],
                condition=Q(state__in=["open", "coordinating"], escalated_at__isnull=True),
                name="halls_hardcase_due",
            ),
        ]

    def __str__(self) -> str:
        return self.number
