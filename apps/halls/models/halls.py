"""A hall's published service set-up: hours, window groups, windows and the duty rota."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import ServiceCenter, ServiceWindow
from apps.catalogue.models import ServiceItem
from apps.common.models import BaseModel
from apps.halls.workflow import HoursKind, WindowKind


class HallProfile(BaseModel):
    """What the accounts app's 政务服务场所 lacks for in-person service: the opening hours of a
    working day and the booking rules (DOMAIN C9, A13; seed 002 §10)."""

    center = models.OneToOneField(
        ServiceCenter, verbose_name=_("场所"), on_delete=models.CASCADE, related_name="hall"
    )
    morning_opens = models.TimeField(_("上午开始"), default=datetime.time(9, 0))
    morning_closes = models.TimeField(_("上午结束"), default=datetime.time(12, 0))
    afternoon_opens = models.TimeField(_("下午开始"), default=datetime.time(13, 30))
    afternoon_closes = models.TimeField(_("下午结束"), default=datetime.time(17, 0))
    slot_minutes = models.PositiveSmallIntegerField(_("预约时段长度（分钟）"), default=30)
    booking_days = models.PositiveSmallIntegerField(_("可预约的工作日数"), default=5)
    is_bookable = models.BooleanField(_("开放网上预约"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务大厅设置")
        verbose_name_plural = _("服务大厅设置")
        permissions = [
            ("manage_halls", "管理服务大厅（窗口、排班、预约号源）"),
            ("operate_window", "在窗口叫号、办理"),
            ("handle_hard_cases", "受理和协调“办不成事”"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(morning_opens__lt=F("morning_closes"))
                & Q(afternoon_opens__lt=F("afternoon_closes")),
                name="halls_hours_in_order",
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="halls_slot_minutes"),
        ]

    def __str__(self) -> str:
        return str(self.center)

    def periods(self) -> list[tuple[datetime.time, datetime.time]]:
        return [
            (self.morning_opens, self.morning_closes),
            (self.afternoon_opens, self.afternoon_closes),
        ]


class ExtendedHours(BaseModel):
    """延时服务、错峰服务, published with their item scope, time and place (seed 002 §10)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("星期一")
        TUESDAY = 1, _("星期二")
        WEDNESDAY = 2, _("星期三")
        THURSDAY = 3, _("星期四")
        FRIDAY = 4, _("星期五")
        SATURDAY = 5, _("星期六")
        SUNDAY = 6, _("星期日")

    hall = models.ForeignKey(
        HallProfile, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="extra_hours"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=HoursKind.choices)
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    items = models.ManyToManyField(ServiceItem, verbose_name=_("事项范围"), blank=True)

    class Meta:
        verbose_name = _("延时、错峰服务")
        verbose_name_plural = _("延时、错峰服务")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="halls_extra_order")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_weekday_display()}"


class WindowGroup(BaseModel):
    """Windows that serve the same items share one queue and one appointment capacity."""

    hall = models.ForeignKey(
        HallProfile, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=64)
    letter = models.CharField(_("号码字母"), max_length=1, help_text=_("排队号前缀，如 A"))
    kind = models.CharField(_("窗口类型"), max_length=16, choices=WindowKind.choices)
    items = models.ManyToManyField(
        ServiceItem,
        verbose_name=_("办理事项"),
        blank=True,
        related_name="window_groups",
        help_text=_("综合窗口可受理本大厅任何窗口办理的事项，不必逐项列出"),
    )
    capacity_per_slot = models.PositiveSmallIntegerField(_("每时段预约号源"), default=4)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("窗口分组")
        verbose_name_plural = _("窗口分组")
        ordering = ["hall", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "letter"], name="halls_group_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.hall} {self.letter} {self.name}"


class WindowProfile(BaseModel):
    """A window of the accounts app placed in a group, with its kind (A11, S2)."""

    window = models.OneToOneField(
        ServiceWindow, verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="profile"
    )
    group = models.ForeignKey(
        WindowGroup, verbose_name=_("分组"), on_delete=models.PROTECT, related_name="windows"
    )
    is_open = models.BooleanField(_("开放"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("窗口设置")
        verbose_name_plural = _("窗口设置")

    def __str__(self) -> str:
        return str(self.window)


class RotaShift(BaseModel):
    """Who sits at which window when (R5: the desk card shows the person on duty)."""

    window = models.ForeignKey(
        ServiceWindow, verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="shifts"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        on_delete=models.PROTECT,
        related_name="window_shifts",
    )
    day = models.DateField(_("日期"))
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))
    post = models.CharField(_("岗位"), max_length=32, default="窗口受理")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("窗口排班")
        verbose_name_plural = _("窗口排班")
        ordering = ["day", "starts"]
        indexes = [models.Index(fields=["window", "day"])]
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=F("ends")), name="halls_shift_order"),
            models.UniqueConstraint(fields=["window", "day", "starts"], name="halls_shift_once"),
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.day} {self.starts:%H:%M}-{self.ends:%H:%M} {self.staff}"
