"""帮办代办 (DOMAIN A13): who helped the applicant at which window, why, and the applicant's
signed authorisation (授权委托书), kept as a private file like every material."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import ServiceWindow
from apps.applications.models import Application
from apps.common.models import BaseModel
from apps.documents.models import PrivateFileStorage
from apps.halls.workflow import AssistanceReason


def private_storage() -> PrivateFileStorage:
    """Signed authorisations are personal data: served only by a permission-checked view."""
    return PrivateFileStorage()


class Assistance(BaseModel):
    application = models.OneToOneField(
        Application, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="assistance"
    )
    window = models.ForeignKey(
        ServiceWindow, verbose_name=_("帮办代办窗口"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("帮办代办人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("帮办原因"), max_length=24, choices=AssistanceReason.choices)
    reason_note = models.CharField(_("原因说明"), max_length=200, blank=True)
    authorisation = models.FileField(
        _("授权委托书扫描件"), storage=private_storage, upload_to="halls/", max_length=300
    )
    authorisation_type = models.CharField(_("文件类型"), max_length=100)
    authorisation_sha256 = models.CharField(_("SHA-256"), max_length=64)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮办代办记录")
        verbose_name_plural = _("帮办代办记录")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(reason_note=""),
                name="halls_assistance_other_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_reason_display()}"

    @property
    def reason_text(self) -> str:
        if self.reason == AssistanceReason.OTHER:
            return self.reason_note
        label = str(self.get_reason_display())
        return f"{label}（{self.reason_note}）" if self.reason_note else label
