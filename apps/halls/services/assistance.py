"""帮办代办 (DOMAIN A13): the staff member on duty at a 帮办代办 window records, for an
application they made for the applicant at the window, why they helped and the scan of the
authorisation (授权委托书) the applicant signed. Once per application."""

from __future__ import annotations

import hashlib
import uuid

import filetype
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import ServiceWindow, User
from apps.applications.models import Application, Channel
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.halls import selectors
from apps.halls.models import Assistance
from apps.halls.services._base import check_staff
from apps.halls.workflow import AssistanceReason, WindowKind

AUTHORISATION_MAX_BYTES = 10 * 1024 * 1024
# What ``filetype`` reads from the content → the stored extension.
AUTHORISATION_FORMATS = {"pdf": "pdf", "jpg": "jpg", "png": "png"}


def assisted_window(actor: User) -> ServiceWindow:
    """The 帮办代办 window ``actor`` is on duty at now, or a refusal."""
    now = timezone.now()
    windows = selectors.windows_of_staff(staff=actor, at=now).filter(
        profile__group__kind=WindowKind.ASSISTED
    )
    on_duty = selectors.on_duty(window_ids=[w.pk for w in windows], at=now)
    for window in windows:
        shift = on_duty.get(window.pk)
        if shift is not None and shift.staff_id == actor.pk:
            return window
    raise PermissionDeniedError(_("仅在帮办代办窗口当班的工作人员可以登记帮办代办。"))


def _checked_scan(upload: File | None) -> tuple[str, str, str]:
    """The authorisation scan checked by its content: (extension, MIME type, SHA-256)."""
    if upload is None:
        raise ApplicationError(
            _("请上传申请人签字的授权委托书扫描件。"), code="authorisation_required"
        )
    if upload.size is None or upload.size > AUTHORISATION_MAX_BYTES:
        raise ApplicationError(_("扫描件不能超过 10MB。"), code="file_too_large")
    if upload.size == 0:
        raise ApplicationError(_("文件为空。"), code="file_empty")
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    if kind is None or kind.extension not in AUTHORISATION_FORMATS:
        raise ApplicationError(_("扫描件格式须为 PDF、JPG 或 PNG。"), code="file_type_not_allowed")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return AUTHORISATION_FORMATS[kind.extension], kind.mime, digest.hexdigest()


def _check_reason(reason: str, note: str) -> str:
    if reason not in AssistanceReason.values:
        raise ApplicationError(_("请选择帮办代办原因。"), code="invalid_reason")
    note = (note or "").strip()
    if reason == AssistanceReason.OTHER and not note:
        raise ApplicationError(_("帮办原因为“其他”时，请说明具体原因。"), code="reason_required")
    return note


def assistance_record(
    *,
    actor: User,
    application_id: int,
    reason: str,
    authorisation: File | None,
    note: str = "",
) -> Assistance:
    """A13: record the assistance to an application ``actor`` made for the applicant at the
    帮办代办 window they are on duty at. Refused for someone else's application and a second
    time; the scan is stored only once the row can be written (no orphan file)."""
    check_staff(actor, "applications.intake_application")
    window = assisted_window(actor)
    note = _check_reason(reason, note)
    extension, mime, sha = _checked_scan(authorisation)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",)).filter(pk=application_id).first()
        )
        if application is None:
            raise ApplicationError(_("办件不存在。"), code="not_found")
        if application.channel not in (Channel.WINDOW, Channel.ASSISTED) or actor.pk not in (
            application.handled_by_id,
            application.assisted_by_id,
        ):
            raise PermissionDeniedError(_("只能为本人在窗口代为申请的办件登记帮办代办。"))
        if Assistance.objects.filter(application=application).exists():
            raise ApplicationError(
                _("该办件已登记帮办代办，不能重复登记。"), code="already_recorded"
            )
        storage = Assistance._meta.get_field("authorisation").storage
        assert authorisation is not None  # checked above
        name = storage.save(f"halls/{application.pk}/{uuid.uuid4().hex}.{extension}", authorisation)
        try:
            with transaction.atomic():
                assistance = Assistance(
                    application=application,
                    window=window,
                    staff=actor,
                    reason=reason,
                    reason_note=note,
                    authorisation=name,
                    authorisation_type=mime,
                    authorisation_sha256=sha,
                )
                set_history_user(assistance, actor)
                assistance.save()
        except BaseException:
            storage.delete(name)  # nothing was recorded: no orphan scan
            raise
    return assistance
