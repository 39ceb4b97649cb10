"""综合窗口出件 (DOMAIN A11): the result of an application taken in at a comprehensive window
comes back to that window's group to be handed to the applicant (统一反馈)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import ServiceWindow
from apps.applications.models import Application
from apps.common.models import BaseModel
from apps.halls.models.halls import WindowGroup


class HandOut(BaseModel):
    application = models.OneToOneField(
        Application, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="hand_out"
    )
    window = models.ForeignKey(
        ServiceWindow, verbose_name=_("受理窗口"), on_delete=models.PROTECT, related_name="+"
    )
    # Any window of the comprehensive group hands it out (they share one queue).
    group = models.ForeignKey(
        WindowGroup, verbose_name=_("综合窗口"), on_delete=models.PROTECT, related_name="hand_outs"
    )
    taken_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办结时间"))
    handed_out_at = models.DateTimeField(_("出件时间"), null=True, blank=True)
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出件人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    collector_name = models.CharField(_("领取人"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("综合窗口出件")
        verbose_name_plural = _("综合窗口出件")
        ordering = ["decided_at", "id"]
        indexes = [
            # The work list: a group's results still to hand out, oldest first.
            models.Index(
                fields=["group", "decided_at", "id"],
                condition=Q(handed_out_at__isnull=True),
                name="halls_handout_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handed_out_at__isnull=True, handed_out_by__isnull=True)
                | Q(handed_out_at__isnull=False, handed_out_by__isnull=False),
                name="halls_handout_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def handed_out(self) -> bool:
        return self.handed_out_at is not None
