"""The official working-day calendar: weekdays work, weekends rest, except the days stored here.

Only exceptions are stored: a public holiday that falls on Monday–Friday, a 调休 make-up
workday on Saturday/Sunday, or an admin override. Everything else follows the weekday rule.
Read the calendar through :mod:`apps.workdays.calendar`, never through these models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.common.models import BaseModel


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar 数据包")
    ADMIN = "admin", _("管理员维护")


class CalendarDay(BaseModel):
    """One day whose status differs from the weekday rule (or that an admin pinned).

    Rows from the package are always true exceptions (the check constraint enforces it);
    an admin row is authoritative even where it agrees with the weekday rule, so a later
    package import cannot overwrite an admin's correction.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"), help_text=_("勾选表示当天上班（如周末调休上班）；不勾选表示放假。")
    )
    name = models.CharField(
        _("名称"), max_length=64, blank=True, help_text=_("如：国庆节、调休上班")
    )
    source = models.CharField(
        _("来源"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source=CalendarSource.ADMIN)
                | Q(is_workday=True, date__iso_week_day__gte=6)
                | Q(is_workday=False, date__iso_week_day__lte=5),
                name="workdays_package_day_is_exception",
            ),
        ]

    def __str__(self) -> str:
        status = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {self.name or ''} {status}".replace("  ", " ")


class CalendarYear(BaseModel):
    """A year whose holiday arrangement is loaded; without a row the year is "unknown".

    Unknown years fall back to the weekday rule with a logged warning (see ``calendar``).
    """

    class Status(models.TextChoices):
        PUBLISHED = "published", _("已发布（国务院办公厅通知）")
        PROVISIONAL = "provisional", _("暂定")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    source = models.CharField(
        _("来源"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("日历年份")
        verbose_name_plural = _("日历年份")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1949, year__lte=2200), name="workdays_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}（{self.get_status_display()}）"


class CalendarChange(models.Model):
    """One committed change of the calendar that stored deadlines must follow (an outbox).

    Written by the calendar services in the transaction of the change, when at least one
    day changed between working day and rest day or a year became (or stopped being)
    published. After commit a task hands it to every listener of
    :mod:`apps.workdays.hooks` (``apps.workdays.changes``); ``progress`` records how far
    each listener got, so a killed or time-limited run resumes where it stopped, and
    ``dispatched_at`` is set when all are done. A periodic sweep re-sends changes whose
    task was lost (broker down at commit, worker killed).
    """

    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("变更内容"), max_length=200)
    # [[first, last], ...]: disjoint, sorted, inclusive ISO date ranges of the changed days
    # (a year whose published status changed counts as all its days).
    spans = models.JSONField(_("变更日期"))
    first_date = models.DateField(_("起始日期"))
    last_date = models.DateField(_("截止日期"))
    # {listener name: {"cursor": str | None, "done": bool, "changed": int}}
    progress = models.JSONField(_("处理进度"), default=dict, blank=True)
    claimed_until = models.DateTimeField(_("处理租约到期"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("重算完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历变更")
        verbose_name_plural = _("日历变更")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep reads only changes still to hand out.
            models.Index(
                fields=["id"],
                name="calendar_change_pending_idx",
                condition=Q(dispatched_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_date__lte=models.F("last_date")),
                name="calendar_change_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def changed_count(self) -> int:
        """Rows the listeners changed (deadlines moved, marks cleared)."""
        return sum(int(step.get("changed", 0)) for step in self.progress.values())
