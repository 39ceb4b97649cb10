"""Appointment slots and appointments (预约; DOMAIN C3 预约办理, A13)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.catalogue.models import ServiceItem
from apps.common.models import BaseModel
from apps.halls.models.halls import WindowGroup
from apps.halls.workflow import AppointmentState


class Slot(models.Model):
    """One bookable period of one window group. ``booked`` moves only under this row's lock,
    and the database refuses more than ``capacity`` (never overbooked, also under races)."""

    group = models.ForeignKey(
        WindowGroup, verbose_name=_("窗口分组"), on_delete=models.CASCADE, related_name="slots"
    )
    day = models.DateField(_("日期"))
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))
    capacity = models.PositiveSmallIntegerField(_("号源"))
    booked = models.PositiveSmallIntegerField(_("已约"), default=0)

    class Meta:
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        ordering = ["day", "starts"]
        constraints = [
            models.UniqueConstraint(fields=["group", "day", "starts"], name="halls_slot_once"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="halls_capacity"),
        ]
        indexes = [models.Index(fields=["day", "group"])]

    def __str__(self) -> str:
        return f"{self.group} {self.day} {self.starts:%H:%M}"

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class Appointment(BaseModel):
    slot = models.ForeignKey(
        Slot, verbose_name=_("时段"), on_delete=models.PROTECT, related_name="appointments"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("预约人"),
        on_delete=models.PROTECT,
        related_name="hall_appointments",
    )
    code = models.CharField(_("预约码"), max_length=8, unique=True)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=AppointmentState.choices,
        default=AppointmentState.BOOKED,
    )
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("取消、爽约或取号时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["-created_at"]
        indexes = [
            # The sweeps read only rows still owed a reminder or a no-show check.
            models.Index(
                fields=["slot"],
                condition=Q(state=AppointmentState.BOOKED),
                name="halls_appt_booked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.slot}"
