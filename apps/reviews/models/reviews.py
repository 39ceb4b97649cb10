"""Reviews (好差评) and the maintained list of reasons for a bad one (DOMAIN R1, R7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department, ServiceWindow
from apps.common.models import BaseModel
from apps.reviews.models.events import ServiceEvent
from apps.reviews.workflow import BAD_VALUES, Channel, Level


class ReviewTag(BaseModel):
    """A reason a person may tick for a bad review (差评原因), maintained by administrators."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    label = models.CharField(_("名称"), max_length=32)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("差评原因标签")
        verbose_name_plural = _("差评原因标签")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class Review(models.Model):
    """One rating of one service event (一事一评: one-to-one with the event).

    The targets (department, item, window, staff member) are copied from the event, so the
    figures never depend on what the event's rows say later. The row is written once; the
    only later change is ``excluded`` when an appeal against it is upheld (the ``Appeal``
    row is the record of that decision), so it keeps no history table: ten million rows
    stay ten million rows. ``day`` is the Asia/Shanghai date of ``created_at``: the key of
    every figure and rollup.
    """

    event = models.OneToOneField(
        ServiceEvent, verbose_name=_("服务事件"), on_delete=models.PROTECT, related_name="review"
    )
    channel = models.CharField(_("评价渠道"), max_length=16, choices=Channel.choices)
    level = models.CharField(_("评价等级"), max_length=24, choices=Level.choices)
    is_bad = models.BooleanField(_("差评"), default=False)
    department = models.ForeignKey(
        Department,
        verbose_name=_("被评价部门"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    window = models.ForeignKey(
        ServiceWindow,
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    anonymous = models.BooleanField(_("匿名评价"), default=False)
    text = models.TextField(_("评价内容"), blank=True)
    tags = models.ManyToManyField(ReviewTag, verbose_name=_("差评原因"), blank=True)
    # Keyed hash of the client (address or terminal id) for anonymous rate limits; never
    # the address itself.
    source_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    day = models.DateField(_("评价日期"))
    created_at = models.DateTimeField(_("评价时间"))
    excluded = models.BooleanField(_("不计入统计（申诉成立）"), default=False)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-day", "-id"]
        permissions = [
            ("handle_review", "处理本部门差评（回访核实、整改）"),
            ("appeal_review", "对评价提出申诉"),
            ("decide_appeal", "复核申诉"),
            ("supervise_review", "督办差评整改（全部部门）"),
            ("record_review", "代为录入评价（热线回访、自助终端）"),
        ]
        indexes = [
            # Drill-downs from a figure: newest first within one target and period.
            models.Index(fields=["department", "day", "id"], name="review_dept_day_idx"),
            models.Index(fields=["item", "day", "id"], name="review_item_day_idx"),
            models.Index(fields=["window", "day", "id"], name="review_window_day_idx"),
            models.Index(fields=["staff", "day", "id"], name="review_staff_day_idx"),
            models.Index(fields=["day", "id"], name="review_day_idx"),
            # Rate limits and 我的评价.
            models.Index(fields=["reviewer", "day"], name="review_reviewer_day_idx"),
            models.Index(
                fields=["source_hash", "day"],
                name="review_source_day_idx",
                condition=~Q(source_hash=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(is_bad=True, level__in=list(BAD_VALUES))
                    | (Q(is_bad=False) & ~Q(level__in=list(BAD_VALUES)))
                ),
                name="review_is_bad_matches_level",
            ),
            models.CheckConstraint(
                condition=Q(level__in=[level.value for level in Level]),
                name="review_level_is_one_of_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.department_id} · {self.day}"


class ReviewFollowUp(BaseModel):
    """追评: one later word on a review, within the configured period (R1)."""

    review = models.OneToOneField(
        Review, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="follow_up"
    )
    text = models.TextField(_("追评内容"))

    class Meta:
        verbose_name = _("追评")
        verbose_name_plural = _("追评")

    def __str__(self) -> str:
        return f"{self.review_id} 追评"
