"""Submitted materials (DOMAIN A3, C7) and tolerated missing ones (T1, T2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.applications.models.cases import Application
from apps.catalogue.models import GuideMaterial
from apps.common.models import BaseModel
from apps.documents.models import PrivateFileStorage


def private_storage() -> PrivateFileStorage:
    """Applicants' files live outside MEDIA_ROOT and are only ever served by a view that
    checks permissions (A17): the same storage as issued documents, which has no URL."""
    return PrivateFileStorage()


class ApplicationMaterial(BaseModel):
    """One submitted material: a file checked by content, or a reuse of an earlier one (A3)."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="materials"
    )
    guide_material = models.ForeignKey(
        GuideMaterial, verbose_name=_("指南材料"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(
        _("文件"),
        storage=private_storage,
        upload_to="applications/",
        max_length=300,
        blank=True,
    )
    original_filename = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    extension = models.CharField(_("格式"), max_length=16, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    reused_from = models.ForeignKey(
        "self",
        verbose_name=_("复用自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reuses",
    )
    e_licence_reference = models.CharField(_("电子证照编号"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["application", "guide_material__order", "id"]
        indexes = [models.Index(fields=["application", "guide_material"], name="appmat_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(e_licence_reference="") | Q(reused_from__isnull=False),
                name="appmat_has_a_source",
            ),
        ]

    def __str__(self) -> str:
        return self.original_filename or self.e_licence_reference


class ToleratedMaterial(models.Model):
    """T1/T2: a tolerable material accepted as missing, to be supplied by ``due_date``.

    Written by :func:`application_accept_tolerant`; supply and T3 revocation belong to the
    tolerance issue, which reads and updates these rows.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="tolerated_materials",
    )
    guide_material = models.ForeignKey(
        GuideMaterial, verbose_name=_("容缺材料"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("补正期限"))
    supplied_at = models.DateTimeField(_("补齐时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("容缺材料")
        verbose_name_plural = _("容缺材料")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "guide_material"], name="uniq_tolerated_material"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.guide_material}"
