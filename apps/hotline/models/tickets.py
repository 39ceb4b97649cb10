"""The 12345 ticket (工单) and its record: timeline, co-handlers, extensions, reminder marks
(DOMAIN H1–H9)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.common.models import BaseModel
from apps.common.pii import EncryptedCharField, keyed_hash, mask_name, mask_phone
from apps.hotline.models.taxonomy import Category
from apps.hotline.workflow import (
    CLOCK_VALUES,
    Channel,
    Closure,
    Satisfaction,
    TicketState,
    TicketType,
    TransferTarget,
    Urgency,
)

_CLOCK = Q(state__in=list(CLOCK_VALUES))


class ReplyStage(models.IntegerChoices):
    """How far supervision has gone on the reply deadline (H9), one step at a time."""

    NONE = 0, _("正常")
    REMINDED = 1, _("已催办")
    OVERDUE = 2, _("已超期督办")
    WRITTEN = 3, _("已书面督办")
    CRITICISED = 4, _("已通报")


class Ticket(BaseModel):
    """工单: one contact with the hotline, from intake to call-back."""

    number = models.CharField(_("工单编号"), max_length=24, unique=True, null=True, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    ticket_type = models.CharField(_("诉求类型"), max_length=16, choices=TicketType.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("诉求分类"), on_delete=models.PROTECT, related_name="tickets"
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=TicketState.choices,
        default=TicketState.PENDING_DISPATCH,
    )
    closure = models.CharField(_("办结方式"), max_length=20, choices=Closure.choices, blank=True)
    title = models.CharField(_("诉求摘要"), max_length=100, blank=True)
    content = models.TextField(_("诉求内容"))
    address = models.CharField(_("事发地址"), max_length=200, blank=True)
    district = models.CharField(_("所属区县"), max_length=32, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    media_url = models.URLField(_("图片链接"), max_length=500, blank=True)

    # The caller (PII, DOMAIN A17): encrypted, with a keyed hash for the operator's look-up.
    caller_name = EncryptedCharField(_("来电人姓名"), blank=True, default="")
    caller_phone = EncryptedCharField(_("来电号码"), blank=True, default="")
    caller_phone_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    is_anonymous = models.BooleanField(_("保密"), default=False)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_tickets",
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理话务员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Routing and handling (H1, H8).
    department = models.ForeignKey(
        Department,
        verbose_name=_("主办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_tickets",
    )
    co_departments = models.ManyToManyField(
        Department,
        verbose_name=_("协办部门"),
        through="TicketCoHandler",
        blank=True,
        related_name="hotline_co_tickets",
    )
    cycle = models.PositiveSmallIntegerField(_("派单轮次"), default=0)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    sign_due_at = models.DateTimeField(_("签收期限"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    reply_remind_at = models.DateTimeField(_("催办时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    sign_stage = models.PositiveSmallIntegerField(_("签收督办"), default=0)
    reply_stage = models.PositiveSmallIntegerField(
        _("答复督办"), choices=ReplyStage.choices, default=ReplyStage.NONE
    )
    escalation_level = models.PositiveSmallIntegerField(_("督办等级"), default=0)

    # Call-back (H8, H9) and its rating (R1).
    callback_due_on = models.DateField(_("回访期限"), null=True, blank=True)
    callback_reminded = models.BooleanField(_("已提醒回访"), default=False)
    called_back_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=24, choices=Satisfaction.choices, blank=True
    )
    callback_note = models.TextField(_("回访记录"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)

    # H2/H5: which knowledge-base article answered an enquiry on the spot.
    kb_article = models.ForeignKey(
        "hotline.KnowledgeArticle",
        verbose_name=_("解答所用知识"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answered_tickets",
    )
    # H3: one-key transfer.
    transfer_target = models.CharField(
        _("转接至"), max_length=16, choices=TransferTarget.choices, blank=True
    )
    transferred_at = models.DateTimeField(_("转接时间"), null=True, blank=True)
    # H9: duplicates.
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("疑似重复"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="possible_duplicates",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_tickets",
    )
    # Open311: the client that posted it and the token it was given.
    open311_key = models.ForeignKey(
        "hotline.Open311ApiKey",
        verbose_name=_("Open311客户端"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    open311_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("热线工单")
        verbose_name_plural = _("热线工单")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("take_call", "受理来电、派单、审核答复、回访（热线中心）"),
            ("view_all_tickets", "查看全部工单（热线中心、监督）"),
            ("view_caller_identity", "查看来电人身份（含保密来电）"),
            ("handle_ticket", "签收、退单、答复工单（承办部门）"),
            ("decide_extension", "审批工单延期（热线中心）"),
            ("submit_via_channel", "通过接口提交工单（微信、客户端）"),
            ("view_hotline_analysis", "查看热线分析报告"),
        ]
        indexes = [
            # The operator's caller look-up: one caller's tickets, newest first.
            models.Index(fields=["caller_phone_hash", "-created_at"], name="ticket_caller_idx"),
            # Department queues by deadline.
            models.Index(fields=["department", "state", "reply_due_at"], name="ticket_dept_idx"),
            # Duplicates (same place and category) and the monthly analysis.
            models.Index(
                fields=["category", "district", "created_at"], name="ticket_cat_district_idx"
            ),
            models.Index(fields=["state", "created_at"], name="ticket_state_created_idx"),
            # Supervision reads only what is due: each partial index holds the rows a step
            # is still owed for, and a handled row leaves it (its stage changes).
            models.Index(
                fields=["sign_due_at", "id"],
                name="ticket_sign_due_idx",
                condition=Q(state="dispatched", sign_stage=0),
            ),
            models.Index(
                fields=["reply_remind_at", "id"],
                name="ticket_remind_due_idx",
                condition=_CLOCK & Q(reply_stage__lt=1),
            ),
            models.Index(
                fields=["reply_due_at", "id"],
                name="ticket_overdue_idx",
                condition=_CLOCK & Q(reply_stage__lt=2),
            ),
            models.Index(
                fields=["reply_due_at", "id"],
                name="ticket_written_due_idx",
                condition=_CLOCK & Q(reply_stage__lt=3),
            ),
            models.Index(
                fields=["reply_due_at", "id"],
                name="ticket_criticise_due_idx",
                condition=_CLOCK & Q(reply_stage__lt=4),
            ),
            models.Index(
                fields=["callback_due_on", "id"],
                name="ticket_callback_due_idx",
                condition=Q(state="closed", called_back_at__isnull=True, callback_reminded=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="ticket_content_required"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("id")),
                name="ticket_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=Q(escalation_level__lte=3), name="ticket_escalation_bounded"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def save(self, *args, **kwargs) -> None:
        # The look-up hash is derived from the row itself and must never drift.
        self.caller_phone_hash = caller_phone_hash(self.caller_phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "caller_phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "caller_phone_hash"}
        super().save(*args, **kwargs)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.caller_phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.caller_name)

    @property
    def is_finished(self) -> bool:
        return self.state in {TicketState.CLOSED, TicketState.MERGED, TicketState.TRANSFERRED}


def caller_phone_hash(phone: str) -> str:
    """The look-up hash of a caller's number (also for rows written in bulk, which skip
    :meth:`Ticket.save`)."""
    return keyed_hash(phone) if phone else ""


class TicketCoHandler(models.Model):
    """A co-handling department of a jointly handled ticket (H9: lead + co-handlers)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="co_handlers")
    department = models.ForeignKey(
        Department, verbose_name=_("协办部门"), on_delete=models.PROTECT, related_name="+"
    )
    reply_text = models.TextField(_("协办意见"), blank=True)
    replied_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协办部门")
        verbose_name_plural = _("协办部门")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "department"], name="uniq_ticket_cohandler")
        ]

    def __str__(self) -> str:
        return f"{self.ticket} · {self.department}"
