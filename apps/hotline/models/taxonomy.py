"""The dispatch catalogue (派单目录, DOMAIN H9): a two-level category taxonomy, each leaf
owned by a department, and the time limits per category, type and urgency (H8)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.common.models import BaseModel
from apps.hotline.workflow import TicketType, Urgency


class Category(BaseModel):
    """One node of the two-level taxonomy. Leaves are what tickets and Open311 service codes
    use; ``department`` is the owner the dispatch suggests (H9 派单目录)."""

    code = models.CharField(_("分类编码"), max_length=32, unique=True)
    name = models.CharField(_("分类名称"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("默认承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_categories",
    )
    description = models.CharField(_("说明"), max_length=300, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("热线诉求分类")
        verbose_name_plural = _("热线诉求分类")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="hotline_category_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        if self.parent_id and self.parent:
            return f"{self.parent.name} / {self.name}"
        return self.name

    def clean(self) -> None:
        # Two levels exactly: a child's parent must be a top-level category.
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError({"parent": _("分类只有两级：上级分类必须是一级分类。")})

    @property
    def is_leaf(self) -> bool:
        return self.parent_id is not None


class TimeLimit(models.Model):
    """H8, H9: how long a department has to sign for and to reply to a ticket.

    Looked up most specific first: (category, type) → (category, any type) → (its parent
    category …) → (no category, type) → (no category, any type). Urgent limits are in
    hours; normal ones in working days on the official calendar.
    """

    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="time_limits",
        help_text=_("留空表示所有分类的默认时限。"),
    )
    ticket_type = models.CharField(
        _("诉求类型"),
        max_length=16,
        choices=TicketType.choices,
        blank=True,
        help_text=_("留空表示所有类型。"),
    )
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices)
    sign_hours = models.PositiveSmallIntegerField(_("签收时限（小时）"))
    reply_hours = models.PositiveSmallIntegerField(_("答复时限（小时）"), null=True, blank=True)
    reply_working_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("热线办理时限")
        verbose_name_plural = _("热线办理时限")
        ordering = ["category__code", "ticket_type", "urgency"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "ticket_type", "urgency"],
                condition=Q(category__isnull=False),
                name="uniq_hotline_time_limit",
            ),
            # NULLs are distinct in a unique index: the defaults need their own constraint.
            models.UniqueConstraint(
                fields=["ticket_type", "urgency"],
                condition=Q(category__isnull=True),
                name="uniq_hotline_default_time_limit",
            ),
            models.CheckConstraint(
                condition=Q(reply_hours__isnull=False, reply_working_days__isnull=True)
                | Q(reply_hours__isnull=True, reply_working_days__isnull=False),
                name="hotline_time_limit_one_unit",
            ),
            models.CheckConstraint(
                condition=Q(sign_hours__gte=1), name="hotline_time_limit_sign_positive"
            ),
        ]

    def __str__(self) -> str:
        scope = self.category.name if self.category_id else _("默认")
        kind = self.get_ticket_type_display() or _("全部类型")
        if self.reply_hours is not None:
            reply = _("%(n)d小时") % {"n": self.reply_hours}
        else:
            reply = _("%(n)d个工作日") % {"n": self.reply_working_days}
        return f"{scope} · {kind} · {self.get_urgency_display()}：{reply}"

    def clean(self) -> None:
        if (self.reply_hours is None) == (self.reply_working_days is None):
            raise ValidationError(_("答复时限请填写小时数或工作日数中的一项。"))
        if self.reply_hours == 0 or self.reply_working_days == 0:
            raise ValidationError(_("答复时限必须大于零。"))
