"""The policy itself, its timeline and the PO5 halt requests (DOMAIN PO1, PO2, PO5)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.catalogue.models import ServiceItem
from apps.common.models import BaseModel
from apps.policies.criteria.registry import SubjectKind
from apps.policies.workflow import HaltAction, HaltRequestState, PolicyState


class PolicyClass(models.TextChoices):
    """PO1: policies are published as lists by class."""

    ENTERPRISE = "enterprise", _("惠企")
    LIVELIHOOD = "livelihood", _("惠民")
    TALENT = "talent", _("人才")
    INVESTMENT = "investment", _("招商")
    FINANCE = "finance", _("金融服务")
    EMPLOYMENT = "employment", _("就业创业")


class Fulfilment(models.TextChoices):
    """PO3/PO4: granted without applying, or applied for through a catalogue item."""

    AUTOMATIC = "automatic", _("免申即享")
    APPLICATION = "application", _("申请兑现")


class PolicyQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> PolicyQuerySet:
        """Published and within the validity window on ``day``."""
        return self.filter(state=PolicyState.PUBLISHED, valid_from__lte=day, valid_until__gte=day)

    def listed(self) -> PolicyQuerySet:
        """What the public lists show: every policy ever published (PO1)."""
        return self.exclude(state=PolicyState.DRAFT)


class Policy(BaseModel):
    """惠企利民政策: one benefit, its conditions, procedure and time limit (PO1, PO2)."""

    code = models.CharField(_("政策编号"), max_length=32, unique=True)
    title = models.CharField(_("政策名称"), max_length=200)
    # The English edition (issue #17): shown on /en/ pages; blank → the Chinese title, marked.
    title_en = models.CharField(
        _("英文名称"),
        max_length=200,
        blank=True,
        help_text=_("英文版页面显示的政策名称；留空则显示中文名称并注明仅有中文"),
    )
    policy_class = models.CharField(_("政策类别"), max_length=16, choices=PolicyClass.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("发布部门"), on_delete=models.PROTECT, related_name="policies"
    )
    document_number = models.CharField(_("政策文号"), max_length=100, blank=True)
    subject_kind = models.CharField(_("政策对象"), max_length=8, choices=SubjectKind.choices)
    summary = models.TextField(_("政策简介"))
    benefit = models.TextField(_("扶持内容"))
    amount = models.DecimalField(
        _("兑现金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    conditions_text = models.TextField(_("申报条件"))
    procedure_text = models.TextField(_("兑现程序"))
    time_limit_text = models.CharField(_("兑现时限"), max_length=200)
    legal_basis = models.TextField(_("政策依据"))
    contact = models.CharField(_("咨询电话"), max_length=100, blank=True)
    fulfilment = models.CharField(_("兑现方式"), max_length=12, choices=Fulfilment.choices)
    service_item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("申请兑现事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
    )
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"))
    criteria = models.JSONField(_("匹配条件"), default=list, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=PolicyState.choices, default=PolicyState.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    matched_at = models.DateTimeField(_("最近匹配时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "matched_at"])

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("惠企利民政策")
        verbose_name_plural = _("惠企利民政策")
        ordering = ["-valid_from", "code"]
        permissions = [
            ("publish_policy", "发布政策"),
            ("request_policy_halt", "申请暂停或停止政策"),
            ("approve_policy_halt", "审批暂停或停止政策（监督）"),
            ("manage_entitlements", "认定与兑付免申即享待遇"),
            ("view_policy_figures", "查看政策兑现统计"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="policy_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(fulfilment="automatic", service_item__isnull=True)
                | Q(fulfilment="application", service_item__isnull=False),
                name="policy_item_iff_application",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "valid_until"], name="policy_state_until_idx"),
            models.Index(fields=["policy_class", "state"], name="policy_class_state_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_active_on(self, day: datetime.date) -> bool:
        return self.state == PolicyState.PUBLISHED and self.valid_from <= day <= self.valid_until

    def within_validity(self, day: datetime.date) -> bool:
        return self.valid_from <= day <= self.valid_until


class PolicyEvent(models.Model):
    """The policy's timeline: who did what, when and why (audit)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("创建")
        UPDATED = "updated", _("修改")
        TRANSITION = "transition", _("状态变更")
        HALT_REQUESTED = "halt_requested", _("申请暂停/停止")
        HALT_DECIDED = "halt_decided", _("暂停/停止申请审批")
        MATCHED = "matched", _("匹配")

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    from_state = models.CharField(_("原状态"), max_length=12, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("理由"), blank=True)
    payload = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("政策记录")
        verbose_name_plural = _("政策记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.policy} · {self.get_kind_display()}"


class LegalGround(models.TextChoices):
    """PO5: the only grounds on which a policy may be halted within its validity."""

    LAW_CHANGED = "law_changed", _("上位法律法规或政策依据修改、废止")
    ANNULLED = "annulled", _("被有权机关依法撤销、确认违法或责令纠正")
    QUOTA_USED = "quota_used", _("政策文件规定的总额度已兑现完毕")
    FORCE_MAJEURE = "force_majeure", _("不可抗力")
    OTHER_STATUTORY = "other_statutory", _("其他法定事由")


class PolicyHaltRequest(BaseModel):
    """A request to suspend or stop a policy, approved or rejected by a supervisor (PO5)."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="halt_requests"
    )
    action = models.CharField(_("申请事项"), max_length=8, choices=HaltAction.choices)
    legal_ground = models.CharField(_("法定事由"), max_length=16, choices=LegalGround.choices)
    legal_basis = models.TextField(_("依据（文件名称及条款）"))
    reason = models.TextField(_("具体理由"))
    state = models.CharField(
        _("状态"),
        max_length=12,
        choices=HaltRequestState.choices,
        default=HaltRequestState.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="policy_halt_requests",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_halt_decisions",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("政策暂停/停止申请")
        verbose_name_plural = _("政策暂停/停止申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(state="pending"),
                name="uniq_pending_halt_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.get_action_display()}"
