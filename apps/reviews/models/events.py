"""What is rated: one service event (一次一评、一事一评, DOMAIN R1, R7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, ServiceWindow
from apps.common.models import BaseModel
from apps.reviews.workflow import EventKind


class ServiceEvent(BaseModel):
    """One service given to someone: a decided application, a visit to a window, a hall
    queue number, a hotline ticket. It names the item, department, window and staff member
    a review of it targets (R1), and is rated at most once (the review is one-to-one).

    ``(kind, reference)`` is unique: the app that owns the service (applications, halls,
    hotline) names its own record in ``reference``, so opening the same event twice gives
    the same row. Window events carry ``expires_at``: the short-lived token of the rating
    page is valid until then.
    """

    kind = models.CharField(_("服务类型"), max_length=16, choices=EventKind.choices)
    reference = models.CharField(_("业务编号"), max_length=64)
    department = models.ForeignKey(
        Department,
        verbose_name=_("服务部门"),
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
    # The person served, when known: only they may rate it on the web and the app.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_events",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_events",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    expires_at = models.DateTimeField(_("评价码有效期至"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("服务评价事件")
        verbose_name_plural = _("服务评价事件")
        ordering = ["-created_at", "-id"]
        permissions = [("open_window_event", "发起窗口现场评价（评价码）")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference"], name="uniq_review_event_ref")
        ]
        indexes = [
            # 去评价: a person's events still waiting for their rating.
            models.Index(
                fields=["subject", "-id"],
                name="review_event_pending_idx",
                condition=Q(reviewed_at__isnull=True),
            ),
            # The counter tablet: the window's newest event still open for rating.
            models.Index(
                fields=["window", "-id"],
                name="review_event_window_open_idx",
                condition=Q(reviewed_at__isnull=True, expires_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
