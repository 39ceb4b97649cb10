"""Counts kept beside the reviews so the figures never scan them (DOMAIN R2, R6).

Every row is changed by :mod:`apps.reviews.services.rollups` in the SAME transaction as the
review or decision it counts (``INSERT … ON CONFLICT DO UPDATE SET count = count + 1``), so
a committed review is always counted and a rolled-back one never is. Excluded reviews
(upheld appeals) are taken out of every count. ``*_key`` columns are the id of the item,
window or staff member, or 0 for none (a unique key needs a value, not NULL).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department
from apps.reviews.workflow import Channel, Level


def _department() -> models.ForeignKey:
    return models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", db_index=False)


class ReviewDayRollup(models.Model):
    """Reviews per day × department × item, bad or not: what the 7-day anomaly warning
    reads (R6). Narrow on purpose: channel and level live in the monthly rollup, so a
    nine-week window is a few rows per item and day, not per channel and level."""

    day = models.DateField()
    department = _department()
    item_key = models.BigIntegerField(default=0)
    bad = models.BooleanField(default=False)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("评价日汇总")
        verbose_name_plural = _("评价日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department", "item_key", "bad"],
                name="uniq_review_day_rollup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.item_key} {self.bad}: {self.count}"


class ReviewMonthRollup(models.Model):
    """Reviews per month × department × item × channel × level (every monthly figure)."""

    month = models.DateField()  # the first day of the month
    department = _department()
    item_key = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    level = models.CharField(max_length=24, choices=Level.choices)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("评价月汇总")
        verbose_name_plural = _("评价月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department", "item_key", "channel", "level"],
                name="uniq_review_month_rollup",
            )
        ]
        # An item's rating on its guide page: one item over the last months.
        indexes = [models.Index(fields=["item_key", "month"], name="review_month_item_idx")]

    def __str__(self) -> str:
        return f"{self.month} {self.department_id} {self.level}: {self.count}"


class ReviewStaffRollup(models.Model):
    """Reviews per month × department × window × staff member × level (R5 badges, R7
    window rankings)."""

    month = models.DateField()
    department = _department()
    window_key = models.BigIntegerField(default=0)
    staff_key = models.BigIntegerField(default=0)
    level = models.CharField(max_length=24, choices=Level.choices)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("窗口人员评价月汇总")
        verbose_name_plural = _("窗口人员评价月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department", "window_key", "staff_key", "level"],
                name="uniq_review_staff_rollup",
            )
        ]
        indexes = [
            models.Index(fields=["staff_key", "month"], name="review_staff_rollup_idx"),
            models.Index(fields=["window_key", "month"], name="review_window_rollup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.staff_key} {self.level}: {self.count}"


class CaseMonthRollup(models.Model):
    """Rectification cases by the month of their review × department × item: opened,
    handled (已办结) and handled on time (R3 figures, R2 public on-time share)."""

    month = models.DateField()
    department = _department()
    item_key = models.BigIntegerField(default=0)
    opened = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("差评整改月汇总")
        verbose_name_plural = _("差评整改月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department", "item_key"], name="uniq_case_month_rollup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.department_id}: {self.opened}/{self.resolved}"
