"""One row per message to one person over one channel (DOMAIN A14).

Inbox rows are delivered the moment they exist; email and SMS rows start ``pending`` and
are delivered by a Celery task (``tasks.deliver_notification``). The row is the outbox:
a lost task is found again by the periodic sweep, and a second run of the task is a no-op.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.common.models import BaseModel


class Notification(BaseModel):
    class Channel(models.TextChoices):
        INBOX = "inbox", _("站内消息")
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    category = models.CharField(_("类别"), max_length=32, default="system")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    # Unique per channel: callers build it from what makes the message unique, e.g.
    # "application:42:accepted:user:7"; a repeat call with the same key is a no-op.
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True, default="")
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    # The error's type and a message we wrote ourselves: never an address or a phone number.
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息通知")
        verbose_name_plural = _("消息通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "channel"],
                condition=~Q(dedupe_key=""),
                name="uniq_notification_dedupe_channel",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="notification_sent_has_sent_at",
            ),
        ]
        indexes = [
            # The inbox page and the unread badge: one person's inbox rows, newest first.
            models.Index(
                fields=["recipient", "channel", "-created_at"], name="notification_inbox_idx"
            ),
            # The redelivery sweep walks only the (few) pending rows.
            models.Index(
                fields=["id"], condition=Q(status="pending"), name="notification_pending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}：{self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(BaseModel):
    """A person's channels for one category of message, or opting out of it (DOMAIN A14).

    Read by senders that honour choices (the policy push fan-out); ``notify`` itself sends
    what its caller asks. No row means "the channels the sender proposes".
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(_("消息类别"), max_length=32)
    inbox = models.BooleanField(_("站内消息"), default=True)
    sms = models.BooleanField(_("短信"), default=True)
    email = models.BooleanField(_("电子邮件"), default=True)
    opted_out = models.BooleanField(_("不再接收此类消息"), default=False)

    class Meta:
        verbose_name = _("消息接收设置")
        verbose_name_plural = _("消息接收设置")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="uniq_notification_preference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.category}"

    def channels(self) -> tuple[str, ...]:
        """The channels this person accepts for the category, in the canonical order."""
        if self.opted_out:
            return ()
        return tuple(c for c in Notification.Channel.values if getattr(self, c))
