"""What the assistant keeps: the passages it answers from, and the questions it was asked.

* :class:`Passage` — a short piece of published text (a guide's section, a 一件事's
  description, a knowledge-base answer, a policy's conditions) with the words it is found
  by and the items it leads to. Written when the source is published, deleted when it is
  superseded or withdrawn (DOMAIN Q2); never edited by hand.
* :class:`Question` — a question as asked, with ID numbers and phone numbers taken out
  before it is stored, what it was answered with, and whether the answer helped. No user,
  no address: the log says what people ask, not who asked (PIPL; DOMAIN A17).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.common.models import BaseModel


class SourceKind(models.TextChoices):
    GUIDE = "guide", _("办事指南")
    BUNDLE = "bundle", _("一件事")
    ARTICLE = "article", _("热线知识库")
    POLICY = "policy", _("惠企利民政策")


class Passage(models.Model):
    source_kind = models.CharField(_("来源"), max_length=16, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    position = models.PositiveSmallIntegerField(_("段落序号"), default=0)
    title = models.CharField(_("标题"), max_length=200)
    # The source's English name when it has one (issue #17): a quote's title on /en/ pages.
    title_en = models.CharField(_("英文标题"), max_length=200, blank=True)
    section = models.CharField(_("栏目"), max_length=50, blank=True)
    text = models.TextField(_("原文摘录"))
    url = models.CharField(_("链接"), max_length=300)
    item_ids = models.JSONField(_("可申请事项"), default=list, blank=True)
    tokens = models.TextField(_("分词"), editable=False)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问答段落")
        verbose_name_plural = _("问答段落")
        ordering = ["source_kind", "source_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "position"], name="uniq_passage_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.section}" if self.section else self.title


class Channel(models.TextChoices):
    HOME = "home", _("首页")
    ITEM = "item", _("事项页")
    HOTLINE = "hotline", _("热线受理")
    ASK = "ask", _("问答页")
    API = "api", _("接口")


class Question(BaseModel):
    """One question as asked (personal numbers already taken out) and its answer."""

    text = models.CharField(_("问题"), max_length=200)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    answered = models.BooleanField(_("已答复"), default=False)
    passage_ids = models.JSONField(_("答复段落"), default=list, blank=True)
    item_codes = models.JSONField(_("推荐事项"), default=list, blank=True)
    top_score = models.FloatField(_("最高得分"), default=0)
    # Shown once to the asker with the answer; only its holder may say whether it helped.
    feedback_token = models.CharField(max_length=32, unique=True, editable=False)
    helpful = models.BooleanField(_("有帮助"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("群众提问")
        verbose_name_plural = _("群众提问")
        ordering = ["-created_at", "-id"]
        permissions = [("handle_question", "处理未解答的提问（事项目录、知识库维护）")]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="question_unhandled_idx",
                condition=Q(handled_at__isnull=True) & (Q(answered=False) | Q(helpful=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def needs_work(self) -> bool:
        """Unanswered, or answered with something the asker found no help."""
        return self.handled_at is None and (not self.answered or self.helpful is False)


class MaterialCheck(models.Model):
    """预审: what the portal found in one uploaded file without a person (DOMAIN Q2, A3).

    Written after the upload commits by :func:`~apps.assistant.prechecks.services.
    material_precheck`; one row per material (the outbox mark: a file without a row is
    still to be checked). The ID and credit-code numbers the file's text carries are kept
    only as keyed hashes with their masked form, to compare with the form (A17).
    """

    material = models.OneToOneField(
        "applications.ApplicationMaterial",
        verbose_name=_("申请材料"),
        on_delete=models.CASCADE,
        related_name="precheck",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    width = models.PositiveIntegerField(_("宽（像素）"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高（像素）"), null=True, blank=True)
    findings = models.JSONField(_("发现的问题"), default=list, blank=True)
    numbers = models.JSONField(_("材料中的证件号码（哈希）"), default=list, blank=True)
    checked_at = models.DateTimeField(_("预审时间"), auto_now=True)

    class Meta:
        verbose_name = _("材料预审结果")
        verbose_name_plural = _("材料预审结果")

    def __str__(self) -> str:
        return f"{self.material_id} · {len(self.findings)}"
