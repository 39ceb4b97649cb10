"""Numbered, sealed, verifiable official documents (DOMAIN A4, A9, A16)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.common.history import HistoryManager
from apps.common.models import BaseModel
from apps.common.site import public_base_url
from apps.documents.workflow import DocumentStatus, RenderStatus


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", _("受理通知书")
    REJECTION_NOTICE = "rejection_notice", _("不予受理通知书")
    CORRECTION_NOTICE = "correction_notice", _("补正材料告知书")
    REVOCATION_NOTICE = "revocation_notice", _("撤销受理通知书")
    APPROVAL_DECISION = "approval_decision", _("准予行政许可决定书")
    DENIAL_DECISION = "denial_decision", _("不予行政许可决定书")
    LICENCE = "licence", _("电子证照/结果文书")
    TOLERANCE_NOTICE = "tolerance_notice", _("容缺受理告知书")
    PLEDGE_NOTICE = "pledge_notice", _("告知承诺书")
    BUNDLE_RESULT = "bundle_result", _("一件事办结通知书")
    APPLICATION_FORM = "application_form", _("申请书")
    # 告知承诺制 after the decision (DOMAIN P3, P3a, P6): the order to rectify, the
    # revocation of the decision, and the termination of a case found false while handled.
    RECTIFICATION_ORDER = "rectification_order", _("责令限期整改通知书")
    DECISION_REVOCATION = "decision_revocation", _("撤销行政许可决定书")
    TERMINATION_NOTICE = "termination_notice", _("终止办理决定书")


# The 字 part of a document number: "榕市监受字〔2026〕第000123号".
KIND_ABBREVIATIONS: dict[str, str] = {
    DocumentKind.ACCEPTANCE_NOTICE: "受",
    DocumentKind.REJECTION_NOTICE: "不受",
    DocumentKind.CORRECTION_NOTICE: "补",
    DocumentKind.REVOCATION_NOTICE: "撤受",
    DocumentKind.APPROVAL_DECISION: "许",
    DocumentKind.DENIAL_DECISION: "不许",
    DocumentKind.LICENCE: "证",
    DocumentKind.TOLERANCE_NOTICE: "容",
    DocumentKind.PLEDGE_NOTICE: "诺",
    DocumentKind.BUNDLE_RESULT: "一结",
    DocumentKind.APPLICATION_FORM: "申",
    DocumentKind.RECTIFICATION_ORDER: "责改",
    DocumentKind.DECISION_REVOCATION: "撤许",
    DocumentKind.TERMINATION_NOTICE: "终",
}

# The applicant's own documents (the 申请书 made from the online form): numbered and
# verifiable like every document, but not sealed — the department did not issue them.
UNSEALED_KINDS = frozenset({DocumentKind.APPLICATION_FORM})

# DOMAIN A9: a refusal, a denial or a revocation of acceptance always carries the remedies.
KINDS_WITH_REMEDIES = frozenset(
    {
        DocumentKind.REJECTION_NOTICE,
        DocumentKind.DENIAL_DECISION,
        DocumentKind.REVOCATION_NOTICE,
        DocumentKind.DECISION_REVOCATION,
        DocumentKind.TERMINATION_NOTICE,
    }
)


class PrivateFileStorage(FileSystemStorage):
    """Issued PDFs live outside MEDIA/static and are only served by permission-checked views.

    The root is read from ``settings.PRIVATE_FILES_ROOT`` on every use, so an overridden
    setting (tests) takes effect although the field's storage is built once at import.
    """

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_FILES_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # never served by URL
        return None


def private_storage() -> FileSystemStorage:
    return PrivateFileStorage()


def document_upload_to(instance: IssuedDocument, filename: str) -> str:
    return f"documents/{instance.year}/{filename}"


class DocumentSequence(models.Model):
    """The last number given per (department, kind, year); locked while a number is taken."""

    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("文书类型"), max_length=32, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last_value = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("文书编号序列")
        verbose_name_plural = _("文书编号序列")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "year"], name="uniq_document_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.kind}/{self.year}: {self.last_value}"


class IssuedDocument(BaseModel):
    """One official document as issued: its number, text, sealed PDF and public check token."""

    number = models.CharField(_("文书编号"), max_length=64, unique=True)
    kind = models.CharField(_("文书类型"), max_length=32, choices=DocumentKind.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("出具部门"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    applicant_name = models.CharField(_("申请人"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    reference = models.CharField(_("关联办件编号"), max_length=64, blank=True, db_index=True)
    extra = models.JSONField(_("附加内容"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.VALID
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField(_("撤销原因"), max_length=500, blank=True)
    verification_token = models.CharField(_("核验码"), max_length=64, unique=True)
    # The portal's public address when the document was issued: the QR code and the
    # verification link printed by the worker (no request there) point to it.
    site_url = models.CharField(_("核验网址前缀"), max_length=200, blank=True)
    # The number and text are fixed in the issuing transaction; the PDF follows after commit
    # (``document_render``), so rendering never holds the case's or the numbering's row lock.
    render_status = models.CharField(
        _("PDF 状态"), max_length=16, choices=RenderStatus.choices, default=RenderStatus.PENDING
    )
    render_attempts = models.PositiveSmallIntegerField(_("生成尝试次数"), default=0)
    render_error = models.CharField(_("最近一次生成错误"), max_length=300, blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    pdf = models.FileField(
        _("PDF 文件"),
        storage=private_storage,
        upload_to=document_upload_to,
        max_length=200,
        blank=True,
    )
    sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        verbose_name = _("电子文书")
        verbose_name_plural = _("电子文书")
        ordering = ["-issued_at", "-id"]
        indexes = [
            # The render sweep walks only what is still waiting for its PDF.
            models.Index(
                fields=["issued_at", "id"],
                name="document_render_pending_idx",
                condition=models.Q(render_status=RenderStatus.PENDING),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "year", "sequence"], name="uniq_document_sequence_no"
            ),
            models.CheckConstraint(
                condition=models.Q(status=DocumentStatus.VALID, revoked_at__isnull=True)
                | models.Q(status=DocumentStatus.REVOKED, revoked_at__isnull=False),
                name="document_revoked_at_matches_status",
            ),
            models.CheckConstraint(
                condition=models.Q(render_status=RenderStatus.PENDING)
                | (~models.Q(pdf="") & ~models.Q(sha256="") & models.Q(rendered_at__isnull=False)),
                name="document_ready_has_pdf",
            ),
        ]
        permissions = [("revoke_issueddocument", "可撤销电子文书")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == DocumentStatus.VALID

    @property
    def is_ready(self) -> bool:
        return self.render_status == RenderStatus.READY

    @property
    def verification_url(self) -> str:
        path = reverse("documents:verify", kwargs={"token": self.verification_token})
        return (self.site_url or public_base_url()).rstrip("/") + path

    @property
    def is_sealed(self) -> bool:
        return self.kind not in UNSEALED_KINDS
