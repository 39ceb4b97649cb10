"""一件事: several items in serial stages of parallel steps (DOMAIN C8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.catalogue.models.items import ServiceItem, ServiceTarget, Topic
from apps.common.models import BaseModel


class Bundle(BaseModel):
    """一件事: several items, one submission, a lead department (C8)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已下线")

    code = models.CharField(_("编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    # The English edition (issue #17): shown on /en/ pages; blank → the Chinese name, marked.
    name_en = models.CharField(
        _("英文名称"),
        max_length=200,
        blank=True,
        help_text=_("英文版页面显示的一件事名称；留空则显示中文名称并注明仅有中文"),
    )
    description = models.TextField(_("说明"), blank=True)
    target = models.CharField(_("服务对象"), max_length=16, choices=ServiceTarget.choices)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="led_bundles"
    )
    promised_time_limit_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("办事分类"), blank=True, related_name="bundles"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BundleStep(models.Model):
    """One item of a bundle. Steps with the same ``stage`` run in parallel; stages run in
    order (serial). The bundle's limit: sum over stages of the longest step (C8)."""

    bundle = models.ForeignKey(
        Bundle, verbose_name=_("一件事"), on_delete=models.CASCADE, related_name="steps"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="bundle_steps"
    )
    stage = models.PositiveSmallIntegerField(_("阶段"), default=1)

    class Meta:
        verbose_name = _("一件事环节")
        verbose_name_plural = _("一件事环节")
        ordering = ["bundle", "stage", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="uniq_bundle_item"),
        ]

    def __str__(self) -> str:
        return f"{self.bundle.name} · 第{self.stage}阶段 · {self.item.name}"
