"""Issuing and revoking official documents (DOMAIN A4, A9, A16).

Both functions are meant to be called from inside the caller's own transaction (for
example while an application is accepted): they join it, so the document and the
application change commit or roll back together.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.common.history import set_history_user
from apps.documents.content import ensure_remedies, mask_personal_numbers
from apps.documents.models import DocumentKind, IssuedDocument
from apps.documents.numbering import format_number, next_sequence
from apps.documents.pdf import render_document_pdf
from apps.documents.workflow import ALLOWED_TRANSITIONS, DocumentStatus

TOKEN_BYTES = 24  # 32 URL-safe characters, 192 bits


def _clean_text(value: str, *, field: str, label: str, max_length: int | None = None) -> str:
    value = mask_personal_numbers((value or "").strip())
    if not value:
        raise ApplicationError(
            _("%(label)s不能为空。") % {"label": label}, code="invalid", extra={field: "required"}
        )
    if max_length and len(value) > max_length:
        raise ApplicationError(
            _("%(label)s不能超过%(max)s个字符。") % {"label": label, "max": max_length},
            code="invalid",
            extra={field: "too_long"},
        )
    return value


@transaction.atomic
def document_issue(
    *,
    kind: str,
    department,
    applicant_name: str,
    title: str,
    body: str,
    reference: str,
    actor,
    extra: dict[str, Any] | None = None,
) -> IssuedDocument:
    """Number, render, seal and store one document; return it (status valid).

    ``actor`` is the staff member issuing, or ``None`` for a system decision (e.g. an
    application deemed accepted, DOMAIN A4a). ID and mobile numbers in the name, title,
    body or ``extra`` are masked before anything is stored or printed (DOMAIN A17).

    ``extra`` (optional, JSON): ``items`` — list of strings printed as a numbered list (the
    one-time notice of DOMAIN A5); ``fields`` — list of ``[label, value]`` rows printed as a
    table (licence particulars); ``reconsideration_organ`` — who hears 行政复议 (DOMAIN A9).
    """
    if kind not in DocumentKind.values:
        raise ApplicationError(_("文书类型无效。"), code="invalid_document_kind")
    if department is None or not department.is_active:
        raise ApplicationError(_("出具部门不存在或已停用。"), code="invalid_department")
    applicant_name = _clean_text(
        applicant_name, field="applicant_name", label=_("申请人名称"), max_length=200
    )
    # "电子证照/结果文书" names the kind; a document is titled by its first half.
    title = mask_personal_numbers((title or "").strip()) or DocumentKind(kind).label.split("/")[0]
    extra = mask_personal_numbers(dict(extra or {}))
    body = ensure_remedies(
        kind=kind,
        body=_clean_text(body, field="body", label=_("文书正文")),
        reconsideration_organ=extra.get("reconsideration_organ"),
    )

    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    sequence = next_sequence(department=department, kind=kind, year=year)
    document = IssuedDocument(
        number=format_number(department=department, kind=kind, year=year, sequence=sequence),
        kind=kind,
        department=department,
        year=year,
        sequence=sequence,
        applicant_name=applicant_name,
        title=title[:200],
        body=body,
        reference=(reference or "").strip()[:64],
        extra=extra,
        issued_at=issued_at,
        issued_by=actor,
        verification_token=secrets.token_urlsafe(TOKEN_BYTES),
    )
    pdf_bytes = render_document_pdf(document)
    document.sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    # The file name is random and says nothing about the applicant. A rollback of the
    # caller's transaction leaves an unreferenced private file behind, never a bad row;
    # `manage.py documents_sweep_files` removes those.
    document.pdf.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf_bytes), save=False)
    set_history_user(document, actor)
    document.save()
    return document


@transaction.atomic
def document_revoke(*, document: IssuedDocument, actor, reason: str) -> IssuedDocument:
    """Mark a document revoked with who, when and why; the public check then says 已撤销."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("请填写撤销原因。"), code="invalid", extra={"reason": "required"})
    if len(reason) > 500:
        raise ApplicationError(_("撤销原因不能超过500个字符。"), code="invalid")
    locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if DocumentStatus.REVOKED not in ALLOWED_TRANSITIONS[DocumentStatus(locked.status)]:
        raise InvalidTransitionError(
            _("文书%(number)s已撤销，不能再次撤销。") % {"number": locked.number}
        )
    locked.status = DocumentStatus.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revoke_reason = reason
    set_history_user(locked, actor)
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    return locked


def document_files_sweep(*, min_age_minutes: int = 60, dry_run: bool = False) -> int:
    """Delete stored PDFs that no document row points at (their issuing transaction rolled
    back). Files younger than ``min_age_minutes`` are kept: their transaction may be open.
    Returns how many files were (or, with ``dry_run``, would be) deleted."""
    root = Path(settings.PRIVATE_FILES_ROOT)
    folder = root / "documents"
    if not folder.is_dir():
        return 0
    cutoff = time.time() - min_age_minutes * 60
    removed = 0
    for path in folder.rglob("*.pdf"):
        if path.stat().st_mtime > cutoff:
            continue
        if IssuedDocument.objects.filter(pdf=path.relative_to(root).as_posix()).exists():
            continue
        removed += 1
        if not dry_run:
            path.unlink(missing_ok=True)
    return removed
