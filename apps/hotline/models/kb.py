"""The knowledge base (知识库, DOMAIN H2, H5): articles maintained by departments, reviewed
by the centre, published until they expire.

``body`` is plain text (no markup), and ``status`` plus ``expires_on`` say explicitly
whether an article may be used: the question-answering issue reads the same fields.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.common.models import BaseModel
from apps.hotline.models.taxonomy import Category


class KnowledgeArticle(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING_REVIEW = "pending_review", _("待审核")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已下线")

    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("答复口径"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("诉求分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("维护部门"),
        on_delete=models.PROTECT,
        related_name="hotline_articles",
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    expires_on = models.DateField(
        _("有效期至"), null=True, blank=True, help_text=_("过期后不再推荐给话务员。")
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编写人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    # Denormalised for substring and pinyin-initial search (see apps.hotline.kb_search).
    search_text = models.TextField(editable=False, blank=True, default="")
    pinyin_initials = models.CharField(max_length=200, editable=False, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["updated_at", "search_text", "pinyin_initials"])

    class Meta:
        verbose_name = _("知识库文章")
        verbose_name_plural = _("知识库文章")
        ordering = ["-published_at", "-id"]
        permissions = [("review_article", "审核发布知识库文章（热线中心）")]
        indexes = [
            models.Index(
                fields=["expires_on"], name="kb_published_idx", condition=Q(status="published")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="kb_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_current(self, today: datetime.date) -> bool:
        """Published and not expired: the only articles an operator is offered."""
        return self.status == self.Status.PUBLISHED and (
            self.expires_on is None or self.expires_on >= today
        )
