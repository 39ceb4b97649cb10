"""Issuing, rendering and revoking official documents (DOMAIN A4, A9, A16).

:func:`document_issue` and :func:`document_revoke` are called from inside the caller's own
transaction (for example while an application is accepted): they join it, so the document
and the change it records commit or roll back together. Issuing fixes the number and the
text; the PDF is rendered after commit by :func:`document_render` in a worker, so the slow
part never runs while the case's row or the department's numbering row is locked. Until it
is ready the document is listed as "生成中"; a failed render is retried, and the sweep
(:func:`document_render_pending`) picks up anything a lost message left behind.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.common.history import set_history_user
from apps.common.site import public_base_url
from apps.documents.content import ensure_remedies, mask_personal_numbers
from apps.documents.models import DocumentKind, IssuedDocument
from apps.documents.numbering import format_number, next_sequence
from apps.documents.pdf import render_document_pdf
from apps.documents.workflow import ALLOWED_TRANSITIONS, DocumentStatus, RenderStatus

logger = logging.getLogger(__name__)

TOKEN_BYTES = 24  # 32 URL-safe characters, 192 bits

# The worker task, sent by name: the tasks module imports this one, not the other way round.
RENDER_TASK = "apps.documents.tasks.render_document"


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
    """Number and record one document; its sealed PDF is rendered after commit (status
    valid, PDF pending until the worker has made it).

    ``actor`` is the staff member issuing, or ``None`` for a system decision (e.g. an
    application deemed accepted, DOMAIN A4a). ID and mobile numbers in the name, title,
    body or ``extra`` are masked before anything is stored or printed (DOMAIN A17).

    ``extra`` (optional, JSON): ``items`` — list of strings printed as a numbered list (the
    one-time notice of DOMAIN A5); ``fields`` — list of ``[label, value]`` rows printed as a
    table (licence particulars, the answers of a 申请书); ``reconsideration_organ`` — who
    hears 行政复议 (DOMAIN A9); ``signed_by`` / ``signed_at`` — on an unsealed document (the
    applicant's 申请书), who declared and when, printed where a seal would be.

    The portal's public address is stored with the document, so the worker prints a QR code
    that points back to the site the document was issued on.
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

    # Checked above, written below: the number and the row in the caller's transaction, or
    # in one of their own outside one. No savepoint (issue 16: two statements on every
    # receipt): a failed write fails the caller's change with it, as it must.
    with transaction.atomic(savepoint=False):
        issued_at = timezone.now()
        year = timezone.localtime(issued_at).year
        # The numbering row stays locked until the caller commits: nothing slow happens here.
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
            site_url=public_base_url(),
            render_status=RenderStatus.PENDING,
        )
        set_history_user(document, actor)
        document.save()
        document_id = document.pk
        transaction.on_commit(lambda: queue_render(document_id))
    return document


def queue_render(document_id: int) -> None:
    """After commit: hand the render to a worker. A broker that is down must not turn the
    committed change into an error: the sweep renders what was not queued."""
    try:
        current_app.send_task(RENDER_TASK, args=[document_id], retry=False)
    except Exception:  # the broker's errors are of many kinds; the sweep covers them all
        logger.warning("document %s: render not queued; the sweep will render it", document_id)


def document_render(*, document_id: int) -> IssuedDocument | None:
    """Render and store the PDF of an issued document, once (idempotent).

    The PDF is made with no lock held; only storing it takes the document's row lock. Two
    workers rendering the same document both render, the first to store wins and the
    second's bytes are dropped. A failure is recorded on the row (attempts, error) and
    raised for the task to retry; the document stays pending meanwhile.
    """
    document = IssuedDocument.objects.select_related("department").filter(pk=document_id).first()
    if document is None or document.is_ready:
        return document
    try:
        return _store_pdf(document_id, render_document_pdf(document))
    except Exception as exc:
        IssuedDocument.objects.filter(pk=document_id, render_status=RenderStatus.PENDING).update(
            render_attempts=models.F("render_attempts") + 1,
            render_error=f"{type(exc).__name__}: {exc}"[:300],
            updated_at=timezone.now(),
        )
        raise


def _store_pdf(document_id: int, pdf_bytes: bytes) -> IssuedDocument:
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document_id)
        if locked.is_ready:
            return locked
        # The file name is random and says nothing about the applicant. A rollback leaves an
        # unreferenced private file behind, never a bad row; `documents_sweep_files` removes it.
        locked.pdf.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf_bytes), save=False)
        locked.sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        locked.render_status = RenderStatus.READY
        locked.render_attempts += 1
        locked.render_error = ""
        locked.rendered_at = timezone.now()
        locked.save(
            update_fields=[
                "pdf",
                "sha256",
                "render_status",
                "render_attempts",
                "render_error",
                "rendered_at",
                "updated_at",
            ]
        )
        return locked


def document_render_pending(*, older_than: timedelta = timedelta(0), limit: int = 200) -> int:
    """Render documents still waiting for their PDF, oldest first (the sweep; idempotent).

    ``older_than`` leaves the newest alone, whose queued render is probably running. A
    document that fails to render is counted as not done and stays pending for the next run.
    Returns how many were rendered now.
    """
    cutoff = timezone.now() - older_than
    ids = list(
        IssuedDocument.objects.filter(render_status=RenderStatus.PENDING, issued_at__lte=cutoff)
        .order_by("issued_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for document_id in ids:
        try:
            document = document_render(document_id=document_id)
        except Exception:
            logger.exception("document %s: render failed; will retry", document_id)
            continue
        done += bool(document and document.is_ready)
    return done


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
