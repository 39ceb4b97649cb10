"""The written pledge (书面承诺) and tolerant acceptance at the window (DOMAIN T1, T2, A4(4)).

Online, the applicant reads the pledge and signs it with their name; at the window, staff
witness a signature on paper and keep a scan. Either way the exact text, who signed, when
(and online, from which IP) are stored once and never change, and the pledge is one of the
application's documents (an unsealed PDF: the applicant's own declaration).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications import receipts
from apps.applications.completeness import application_completeness
from apps.applications.models import Application
from apps.applications.services import application_accept_tolerant
from apps.applications.workflow import State
from apps.catalogue.models import GuideMaterial
from apps.common.errors import ApplicationError
from apps.documents.models import IssuedDocument
from apps.tolerance.models import Pledge
from apps.tolerance.services import _base

# The applicant may pledge while the application waits for intake (or is being corrected).
PLEDGEABLE_STATES = frozenset({State.DRAFT, State.SUBMITTED, State.CORRECTION_REQUESTED})
SCAN_FORMATS = {"pdf", "jpg", "jpeg", "png"}
SCAN_MAX_BYTES = 10 * 1024 * 1024


def pledge_materials(application: Application) -> list[GuideMaterial]:
    """T1 / C11: the tolerable materials of the guide still missing from the application."""
    completeness = application_completeness(application)
    return [m for m in completeness.missing_materials if m.is_tolerable]


def pledge_text(application: Application, materials: Iterable[GuideMaterial]) -> str:
    """The pledge as signed and stored: who, which item, each material and its period (T2).

    The binding text is always in the portal's own language (Chinese), whatever language the
    page is read in: the stored text, its digest and the pledge document do not depend on the
    reader's language (issue #17: legal documents stay Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _pledge_lines(application, list(materials))


def pledge_reading_aid(application: Application, materials: Iterable[GuideMaterial]) -> str:
    """The pledge in the reader's language when that is not the binding one, else ``""``."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return ""
    return _pledge_lines(application, list(materials))


def _pledge_lines(application: Application, materials: list[GuideMaterial]) -> str:
    lines = [
        _("本人（本单位）%(name)s申请办理“%(item)s”（申请编号 %(number)s），主要材料已齐全，")
        % {
            "name": application.applicant_name,
            "item": application.item.name,
            "number": application.number,
        }
        + _("申请容缺受理，现书面承诺如下："),
    ]
    for index, material in enumerate(materials, start=1):
        lines.append(
            _("%(n)d. %(material)s：自受理之日起 %(days)d 个工作日内补齐；")
            % {"n": index, "material": material.name, "days": material.supplement_days or 0}
        )
    lines.append(
        _(
            "本人（本单位）保证所补材料真实、有效，并在上述期限内一次性补齐。逾期未补齐，"
            "或补齐后仍不符合要求的，同意撤销受理，由此产生的后果由本人（本单位）承担。"
        )
    )
    note = (application.guide.tolerance_note or "").strip()
    if note:
        lines.append(_("容缺受理说明：") + note)
    return "\n".join(lines)


def pledge_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_pledgeable(application: Application, materials: list[GuideMaterial]) -> None:
    """T1: only when the guide lists tolerable materials, all main materials are in, and a
    tolerable one is actually missing."""
    if not any(m.is_tolerable for m in application.guide.materials.all()):
        raise ApplicationError(
            _("本事项没有可容缺的材料，不适用容缺受理。"), code="no_tolerable_materials"
        )
    completeness = application_completeness(application)
    if completeness.main_missing:
        raise ApplicationError(
            _("以下主要材料尚未提交，不能容缺受理：%(names)s。请先补齐主要材料。")
            % {"names": "；".join(completeness.main_missing)},
            code="main_material_missing",
        )
    if not materials:
        raise ApplicationError(
            _("可容缺的材料均已提交，无需签署容缺承诺。"), code="nothing_to_pledge"
        )


def _issue_document(
    application: Application, *, text: str, signer_name: str, signed_at, actor: User
) -> IssuedDocument:
    """The pledge as a numbered, unsealed document of the application (the applicant's own
    declaration, like the 申请书), issued before the pledge row that points to it. A legal
    document: in the portal's own language whatever the reader's (issue #17)."""
    with translation.override(settings.LANGUAGE_CODE):
        link = receipts.issue(
            application,
            kind=receipts.Kind.APPLICATION_FORM,
            actor=actor,
            title=_("容缺受理承诺书"),
            body=text,
            extra={
                "signed_by": signer_name,
                "signed_at": timezone.localtime(signed_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    return link.document


def pledge_sign_online(
    *,
    application_id: int,
    actor: User,
    signer_name: str,
    text_sha256: str,
    confirmed: bool,
    ip_address: str | None,
) -> Pledge:
    """T1: the applicant confirms the pledge text shown to them with their name.

    Refused unless confirmed and signed with the applicant's own name, and when the text
    has changed since it was shown (``text_sha256`` is the digest of what they read)."""
    if not confirmed:
        raise ApplicationError(_("请阅读并勾选同意容缺受理承诺书。"), code="pledge_unsigned")
    signer_name = _base.require_text(
        signer_name, _("请填写签署人姓名以签署承诺书。"), code="pledge_unsigned"
    )
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.check_applicant(actor, application)
        if application.state not in PLEDGEABLE_STATES:
            raise ApplicationError(
                _("办件当前状态为“%(state)s”，不能签署容缺受理承诺书。")
                % {"state": State(application.state).label},
                code="invalid_state",
            )
        if Pledge.objects.filter(application=application).exists():
            raise ApplicationError(
                _("本申请已签署容缺受理承诺书，承诺书签署后不能修改。"),
                code="pledge_already_signed",
            )
        materials = pledge_materials(application)
        _check_pledgeable(application, materials)
        if signer_name != application.applicant_name:
            raise ApplicationError(
                _("签署人姓名须与申请人名称一致。"), code="pledge_signer_mismatch"
            )
        text = pledge_text(application, materials)
        if text_sha256 != pledge_digest(text):
            raise ApplicationError(
                _("承诺书内容已更新，请重新阅读后再签署。"), code="pledge_text_changed"
            )
        signed_at = timezone.now()
        pledge = Pledge.objects.create(
            application=application,
            channel=Pledge.Channel.ONLINE,
            text=text,
            text_sha256=pledge_digest(text),
            material_ids=[m.pk for m in materials],
            signer_name=signer_name,
            signed_by=actor,
            signed_at=signed_at,
            ip_address=ip_address or None,
            document=_issue_document(
                application, text=text, signer_name=signer_name, signed_at=signed_at, actor=actor
            ),
        )
        _base.timeline(
            application,
            actor=actor,
            reason=_("申请人签署容缺受理承诺书"),
            payload={"pledge_id": pledge.pk},
        )
        return pledge


def _check_scan(scan: File | None) -> tuple[File, str]:
    """The scan of the paper pledge, checked: the file and its extension."""
    if scan is None:
        raise ApplicationError(
            _("请上传申请人签字的容缺受理承诺书扫描件。"), code="pledge_unsigned"
        )
    extension = (getattr(scan, "name", "") or "").rsplit(".", 1)[-1].lower()
    if extension not in SCAN_FORMATS:
        raise ApplicationError(_("扫描件格式须为 PDF、JPG 或 PNG。"), code="file_type_not_allowed")
    if scan.size is None or scan.size > SCAN_MAX_BYTES:
        raise ApplicationError(_("扫描件不能超过 10MB。"), code="file_too_large")
    return scan, "jpg" if extension == "jpeg" else extension


def assert_pledged(application: Application, material_ids: Iterable[int]) -> None:
    """T1: tolerant acceptance only on a recorded pledge that names every tolerated material.
    Called for every tolerant acceptance, whatever the channel (the applications app's
    ``tolerant_acceptance_listeners``), so no window form can accept without one."""
    pledge = Pledge.objects.filter(application=application).first()
    if pledge is None:
        raise ApplicationError(
            _(
                "申请人尚未签署容缺受理承诺书。请申请人网上签署，或在“容缺受理”栏"
                "登记纸质承诺书的签字、见证人和扫描件，再容缺受理。"
            ),
            code="pledge_required",
        )
    not_pledged = set(material_ids) - set(pledge.material_ids)
    if not_pledged:
        names = GuideMaterial.objects.filter(pk__in=not_pledged).values_list("name", flat=True)
        raise ApplicationError(
            _("申请人的承诺书未包含以下材料，不能容缺：%(names)s。") % {"names": "、".join(names)},
            code="material_not_pledged",
        )


def tolerant_accept(
    *,
    application_id: int,
    actor: User,
    missing_material_ids: Iterable[int],
    signer_name: str = "",
    scan: File | None = None,
    note: str = "",
) -> Application:
    """A4(4) / T1–T2 at the window: accept with only tolerable materials missing, on the
    pledge the applicant signed online, or on paper in front of ``actor`` (the witness,
    with ``signer_name`` and the ``scan``), recorded first. The tolerated materials must
    all be pledged (:func:`assert_pledged`, run by the acceptance itself)."""
    missing = sorted(set(missing_material_ids))
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.check_window_staff(actor, application)
        if Pledge.objects.filter(application=application).exists():
            return _accept(application, actor=actor, missing=missing, note=note)
        signer_name = _base.require_text(
            signer_name, _("请填写在承诺书上签字的申请人姓名。"), code="pledge_unsigned"
        )
        checked, extension = _check_scan(scan)
        storage = Pledge._meta.get_field("scan").storage
        name = storage.save(f"tolerance/{application.pk}/{uuid.uuid4().hex}.{extension}", checked)
        try:
            with transaction.atomic():
                _record_paper_pledge(
                    application,
                    actor=actor,
                    material_ids=missing,
                    signer_name=signer_name,
                    scan_name=name,
                )
                return _accept(application, actor=actor, missing=missing, note=note)
        except BaseException:
            storage.delete(name)  # nothing was recorded: no orphan scan
            raise


def _accept(application: Application, *, actor: User, missing: list[int], note: str) -> Application:
    return application_accept_tolerant(
        application_id=application.pk,
        actor=actor,
        missing_material_ids=missing,
        pledge_signed=True,
        note=note,
    )


def _record_paper_pledge(
    application: Application,
    *,
    actor: User,
    material_ids: list[int],
    signer_name: str,
    scan_name: str,
) -> Pledge:
    materials = list(
        GuideMaterial.objects.filter(pk__in=material_ids, guide_id=application.guide_id).order_by(
            "order", "pk"
        )
    )
    text = pledge_text(application, materials)
    signed_at = timezone.now()
    return Pledge.objects.create(
        application=application,
        channel=Pledge.Channel.PAPER,
        text=text,
        text_sha256=pledge_digest(text),
        material_ids=material_ids,
        signer_name=signer_name,
        signed_at=signed_at,
        witnessed_by=actor,
        scan=scan_name,
        document=_issue_document(
            application, text=text, signer_name=signer_name, signed_at=signed_at, actor=actor
        ),
    )
