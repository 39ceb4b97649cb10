"""Who may reach the hotline without a staff account: Open311 clients by API key, citizens
by a verified phone number; and the SMS outbox for callers who have no account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.common.models import BaseModel
from apps.common.pii import EncryptedCharField


class Open311ApiKey(BaseModel):
    """An Open311 client's key. Only a hash is stored; the key is shown once when made."""

    name = models.CharField(_("客户端名称"), max_length=100)
    contact = models.CharField(_("联系人"), max_length=100, blank=True)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("有效"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 接口密钥")
        verbose_name_plural = _("Open311 接口密钥")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.key_prefix}…）"


class PhoneVerification(models.Model):
    """A one-time code sent to a phone number so a citizen without an account can submit
    (H4). The code is stored as a keyed hash; the number encrypted."""

    phone = EncryptedCharField(_("手机号码"))
    phone_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("校验次数"), default=0)
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("手机验证码")
        verbose_name_plural = _("手机验证码")
        indexes = [models.Index(fields=["phone_hash", "-created_at"], name="phone_verif_idx")]

    def __str__(self) -> str:
        return f"{self.pk}"


class CallerMessage(BaseModel):
    """An SMS to a caller's number (callers need no account): written in the transaction of
    the change it reports, delivered by a worker through the notifications SMS gateway."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    ticket = models.ForeignKey(
        "hotline.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    phone = EncryptedCharField(_("手机号码"))
    text = models.TextField(_("内容"))
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("来电人短信")
        verbose_name_plural = _("来电人短信")
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="caller_msg_pending")
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.get_status_display()}"
