"""Tolerant acceptance after intake (DOMAIN T1–T3, A4(4), A5, C11).

The applications app owns the intake decision and its ``ToleratedMaterial`` rows (which
material, by when). This app adds what follows: the applicant's written pledge, the state
of each tolerated material's supply, the supplements handed in and checked, and the marks
that make every reminder happen once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.applications.models import Application, ApplicationMaterial, ToleratedMaterial
from apps.common.models import BaseModel
from apps.documents.models import IssuedDocument, PrivateFileStorage
from apps.tolerance.workflow import OWED_VALUES, SupplyState


def private_storage() -> PrivateFileStorage:
    """Scans of paper pledges are personal data: served only by permission-checked views."""
    return PrivateFileStorage()


class Pledge(BaseModel):
    """T1: the applicant's written pledge (书面承诺) to supply the tolerated materials.

    Signed online by the applicant (their name, the time and the IP) or on paper at the
    window (witnessed by staff, a scan kept). The exact text is stored with its digest and
    never changes: the database refuses any update of the row (migration 0001's trigger).
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上签署")
        PAPER = "paper", _("窗口纸质签署")

    application = models.OneToOneField(
        Application,
        verbose_name=_("办件"),
        on_delete=models.PROTECT,
        related_name="tolerance_pledge",
    )
    channel = models.CharField(_("签署方式"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("承诺书全文"))
    text_sha256 = models.CharField(_("全文摘要（SHA-256）"), max_length=64)
    material_ids = models.JSONField(_("承诺补齐的材料"), default=list)
    signer_name = models.CharField(_("签署人"), max_length=100)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签署账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签署时间"))
    ip_address = models.GenericIPAddressField(_("签署IP"), null=True, blank=True)
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("见证人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scan = models.FileField(
        _("签字扫描件"), storage=private_storage, upload_to="tolerance/", max_length=300, blank=True
    )
    document = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("承诺书文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("容缺受理承诺书")
        verbose_name_plural = _("容缺受理承诺书")
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="online", signed_by__isnull=False)
                | Q(channel="paper", witnessed_by__isnull=False) & ~Q(scan=""),
                name="tolerance_pledge_signed_or_witnessed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.signer_name}"


class MaterialSupply(BaseModel):
    """The supply of one tolerated material (T1–T3): its state, and the deadline the sweep
    reads through a partial index holding only what the applicant still owes.

    ``due_date`` mirrors ``ToleratedMaterial.due_date``, which stays the truth: a calendar
    change may extend it there (T2); the sweep re-reads it under lock before acting.
    """

    tolerated = models.OneToOneField(
        ToleratedMaterial,
        verbose_name=_("容缺材料"),
        on_delete=models.CASCADE,
        related_name="supply",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="material_supplies",
    )
    due_date = models.DateField(_("补齐期限"))
    state = models.CharField(
        _("状态"), max_length=12, choices=SupplyState.choices, default=SupplyState.MISSING
    )
    reason = models.TextField(_("不符合要求的理由"), blank=True)
    supplied_on_time = models.BooleanField(_("按期补齐"), null=True, blank=True)
    settled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("容缺材料补齐")
        verbose_name_plural = _("容缺材料补齐")
        ordering = ["due_date", "id"]
        indexes = [
            # The sweep's reminders and revocations: a range over what is still owed only,
            # so a run costs what is due, not what is open.
            models.Index(
                fields=["due_date", "id"],
                name="tol_owed_due_idx",
                condition=Q(state__in=OWED_VALUES),
            ),
            models.Index(fields=["application", "state"], name="tol_app_state_idx"),
            models.Index(fields=["state", "due_date"], name="tol_state_due_idx"),
        ]

    def __str__(self) -> str:
        return str(self.tolerated)


class Supplement(BaseModel):
    """One supplement handed in for a tolerated material, and the window's check of it."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待核验")
        ACCEPTED = "accepted", _("符合要求")
        REJECTED = "rejected", _("不符合要求")

    supply = models.ForeignKey(
        MaterialSupply,
        verbose_name=_("容缺材料"),
        on_delete=models.CASCADE,
        related_name="supplements",
    )
    material = models.OneToOneField(
        ApplicationMaterial,
        verbose_name=_("补交的文件"),
        on_delete=models.PROTECT,
        related_name="supplement",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField(
        _("核验结果"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    reason = models.TextField(_("理由"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("补交材料")
        verbose_name_plural = _("补交材料")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One supplement at a time waits for the window, and one is ever accepted.
            models.UniqueConstraint(
                fields=["supply"],
                condition=Q(result__in=("pending", "accepted")),
                name="tol_one_open_supplement",
            ),
            models.CheckConstraint(
                condition=~Q(result="rejected") | ~Q(reason=""),
                name="tol_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supply} · {self.get_result_display()}"


class ReminderMark(models.Model):
    """A reminder sent for one material at one threshold (working days before the
    deadline): the unique row makes it happen once, however often the sweep runs."""

    supply = models.ForeignKey(
        MaterialSupply, verbose_name=_("容缺材料"), on_delete=models.CASCADE, related_name="+"
    )
    days_before = models.PositiveSmallIntegerField(_("提前工作日"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("补齐提醒")
        verbose_name_plural = _("补齐提醒")
        constraints = [
            models.UniqueConstraint(fields=["supply", "days_before"], name="tol_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.supply} · {self.days_before}"
