"""The applicant's side: drafts, materials, submission, correction, withdrawal (A3, A13, C5–C7).

The same rules apply whatever the channel (C6): the window and 帮办代办 path
(:func:`application_window_create`) goes through the same draft, material and submit code.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Company, User
from apps.applications import hooks, receipts
from apps.applications.completeness import (
    Completeness,
    answers_record,
    application_completeness,
)
from apps.applications.models import (
    ApplicantType,
    Application,
    Channel,
    CorrectionRequest,
    TimelineEvent,
)
from apps.applications.services import _base
from apps.applications.services._base import NotFoundError
from apps.applications.services.answers import prefill_new_application
from apps.applications.services.clock import start_intake_clock
from apps.applications.services.closing import Ending, close_case
from apps.applications.services.materials import guide_material_for, store_upload
from apps.applications.workflow import State
from apps.catalogue.application_forms import document_fields
from apps.catalogue.models import ServiceGuide, ServiceItem, ServiceTarget
from apps.catalogue.selectors import guide_get_published
from apps.catalogue.services import assert_materials_from_guide
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.i18n import record_language
from apps.workdays.calendar import local_date

_CHANNEL_FLAGS = {
    Channel.ONLINE: "online_available",
    Channel.MOBILE: "mobile_available",
    Channel.WINDOW: "window_available",
    Channel.ASSISTED: "window_available",
}


# --- Drafts ------------------------------------------------------------------------------


def _item(item_id: int) -> ServiceItem:
    item = ServiceItem.objects.select_related("implementing_department").filter(pk=item_id).first()
    if item is None:
        raise NotFoundError(_("事项不存在。"), code="not_found")
    return item


def _published_guide(item: ServiceItem) -> ServiceGuide:
    guide = guide_get_published(item) if item.is_active else None
    if guide is None:
        raise ApplicationError(
            _("该事项暂无已发布的办事指南，暂不能申请。"), code="no_published_guide"
        )
    return guide


def _applicant_snapshot(applicant: User, company: Company | None) -> tuple[str, str]:
    if company is not None:
        return company.name, ApplicantType.LEGAL_PERSON
    return applicant.full_name, ApplicantType.NATURAL_PERSON


def _check_target(item: ServiceItem, applicant_type: str) -> None:
    if item.target == ServiceTarget.BOTH or item.target == applicant_type:
        return
    raise ApplicationError(
        _("该事项的服务对象为%(target)s，请以相应身份申请。")
        % {"target": ServiceTarget(item.target).label},
        code="wrong_applicant_type",
    )


def new_application(
    *,
    item: ServiceItem,
    applicant: User,
    company: Company | None,
    channel: str,
    actor: User,
    idempotency_key: str | None = None,
    bundle_application=None,
    bundle_stage: int | None = None,
) -> Application:
    guide = _published_guide(item)
    if not getattr(guide, _CHANNEL_FLAGS[Channel(channel)]):
        raise ApplicationError(
            _("该事项不支持%(channel)s。") % {"channel": Channel(channel).label},
            code="channel_not_offered",
        )
    name, applicant_type = _applicant_snapshot(applicant, company)
    _check_target(item, applicant_type)
    application = Application(
        number=f"TMP{uuid.uuid4().hex[:24]}",
        item=item,
        guide=guide,
        department_id=item.implementing_department_id,
        applicant=applicant,
        company=company,
        applicant_name=name,
        applicant_type=applicant_type,
        channel=channel,
        is_immediate=guide.is_immediate,
        idempotency_key=idempotency_key,
        bundle_application=bundle_application,
        bundle_stage=bundle_stage,
    )
    _base.save(application, actor)
    # Human-readable and unique because the id is: SQ + acceptance-office date + id.
    application.number = f"SQ{local_date(application.created_at):%Y%m%d}{application.pk:06d}"
    application.save(update_fields=["number"])
    _base.timeline(application, kind=TimelineEvent.Kind.CREATED, actor=actor)
    prefill_new_application(application, actor=actor)
    return application


def application_create_draft(
    *,
    actor: User,
    item_id: int,
    company_id: int | None = None,
    channel: str = Channel.ONLINE,
    idempotency_key: str | None = None,
) -> Application:
    """Start an application for ``item`` under its published guide (C5).

    A company agent applies for a company they represent; the application then belongs
    to the company (A1). ``idempotency_key`` is written with the row (unique: a key already
    used raises ``IntegrityError``, see :func:`.public_support.application_create_draft_once`).
    """
    if actor.kind == User.Kind.STAFF or not actor.is_authenticated:
        raise PermissionDeniedError(_("工作人员请通过窗口受理功能代为申请。"))
    if channel not in (Channel.ONLINE, Channel.MOBILE):
        raise ApplicationError(_("申请渠道无效。"), code="invalid_channel")
    item = _item(item_id)
    company = None
    if company_id is not None:
        company = actor.companies.filter(pk=company_id).first()
        if company is None:
            raise PermissionDeniedError(_("您不是该单位的经办人。"))
    with transaction.atomic():
        return new_application(
            item=item,
            applicant=actor,
            company=company,
            channel=channel,
            actor=actor,
            idempotency_key=idempotency_key,
        )


# --- Submission ---------------------------------------------------------------------------


def _receive(application: Application) -> None:
    """Materials received: the 5-day intake period starts (A4a)."""
    start_intake_clock(application, received_at=_base.stamp())


def submit_locked(
    application: Application, *, actor: User, idempotency_key: str | None, reason: str = ""
) -> Application:
    if application.guide.status != ServiceGuide.Status.PUBLISHED:
        raise ApplicationError(
            _("本事项的办事指南已更新，请按新版办事指南重新申请。"), code="guide_superseded"
        )
    # The files and the guide's list read once, for the C7 check and the completeness check.
    prefetch_related_objects([application], "materials", "guide__materials")
    assert_materials_from_guide(
        application.guide, [m.guide_material_id for m in application.materials.all()]
    )
    completeness = check_submittable(application)
    with record_language():
        _record_submission(application, completeness, actor, idempotency_key, reason)
    return application


def _record_submission(
    application: Application,
    completeness: Completeness,
    actor: User,
    idempotency_key: str | None,
    reason: str,
) -> None:
    application.submitted_at = _base.stamp()
    if idempotency_key:
        application.idempotency_key = idempotency_key
    _receive(application)
    missing = completeness.missing_names()
    if missing and not reason:
        reason = _("提交时尚缺：%(names)s（由部门一次性告知补正）") % {"names": "；".join(missing)}
    _base.transition(
        application,
        State.SUBMITTED,
        actor=actor,
        action=_("提交"),
        reason=reason,
        payload={"missing": len(missing)},
    )
    issue_application_form(application, completeness, actor=actor)
    _base.tell_applicant(
        application,
        event="submitted",
        title=_("您的申请已提交"),
        body=_("申请编号 %(number)s（%(item)s）已提交，部门将在5个工作日内作出受理决定。")
        % {"number": application.number, "item": application.item.name},
    )


def check_submittable(application: Application) -> Completeness:
    """What submission requires (A4, A5, Q2): answers that pass the form's checks, the
    form's declaration confirmed on the web, and — unless the guide allows a later one-time
    correction — every required material and field. Returns what is still missing."""
    completeness = application_completeness(application)
    if completeness.answer_errors:
        check = completeness.check
        assert check is not None
        raise ApplicationError(
            check.message(), code="invalid_answers", extra=completeness.answer_errors
        )
    online = application.channel in (Channel.ONLINE, Channel.MOBILE)
    if online and completeness.form_applies and completeness.declarations_missing:
        raise ApplicationError(
            _("请阅读并确认申请表中的“%(label)s”后再提交。")
            % {"label": completeness.declarations_missing[0].label},
            code="declaration_required",
            extra={f.key: _("请阅读并勾选声明") for f in completeness.declarations_missing},
        )
    if not completeness.complete and not application.guide.incomplete_submission_allowed:
        raise ApplicationError(
            _("本事项须材料齐全方可提交，尚缺：%(names)s。")
            % {"names": "；".join(completeness.missing_names())},
            code="incomplete_submission",
            extra={"material_ids": [m.pk for m in completeness.missing_materials]},
        )
    return completeness


def issue_application_form(
    application: Application, completeness: Completeness, *, actor: User
) -> None:
    """The 申请书 made from the online form: a numbered, unsealed document of the
    application with the answers, the declaration and the time it was made (Q2)."""
    form = completeness.form
    if form is None or not completeness.form_applies or not completeness.answers:
        return
    declarations = [f.text for f in form.fields if f.type == "declaration"]
    record = answers_record(application)
    declared_at = (record.declared_at if record else None) or _base.stamp()
    receipts.issue(
        application,
        kind=receipts.Kind.APPLICATION_FORM,
        actor=actor,
        title=form.title,
        body="\n".join(declarations) or _("申请人对所填报内容的真实性负责。"),
        extra={
            "fields": document_fields(form, completeness.answers),
            "signed_by": application.applicant_name,
            "signed_at": timezone.localtime(declared_at).strftime("%Y-%m-%d %H:%M"),
        },
    )


def application_submit(
    *, application_id: int, actor: User, idempotency_key: str | None = None
) -> Application:
    """Send a draft for intake. What is still missing is named on the summary page first;
    where the guide allows it, the application may go in incomplete and the department
    sends the one-time correction notice (A5) — accepting it needs everything (A4(1)).

    Submitting twice (a double click, a retried request) returns the same application
    unchanged; a key that belongs to another application is refused.
    """
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.check_applicant(actor, application)
        if application.state == State.SUBMITTED and idempotency_key in (
            None,
            application.idempotency_key,
        ):
            return application
        if (
            idempotency_key
            and Application.objects.filter(idempotency_key=idempotency_key)
            .exclude(pk=application.pk)
            .exists()
        ):
            raise ApplicationError(_("该提交标识已被使用。"), code="idempotency_key_reused")
        return submit_locked(application, actor=actor, idempotency_key=idempotency_key)


def application_window_create(
    *,
    actor: User,
    applicant_id: int,
    item_id: int,
    idempotency_key: str,
    company_id: int | None = None,
    channel: str = Channel.WINDOW,
    materials: Iterable[tuple[int, File]] = (),
) -> Application:
    """A walk-in or 帮办代办 application entered by window staff (A13), same rules (C6).

    Returns the existing application when the same ``idempotency_key`` comes again.
    """
    if channel not in (Channel.WINDOW, Channel.ASSISTED):
        raise ApplicationError(_("申请渠道无效。"), code="invalid_channel")
    key = _base.require_text(idempotency_key, _("缺少提交标识。"))
    existing = Application.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_window_application(existing, actor=actor, applicant_id=applicant_id)
    item = _item(item_id)
    _check_intake(actor, item.implementing_department_id)
    applicant = User.objects.filter(pk=applicant_id, is_active=True).first()
    if applicant is None or applicant.kind == User.Kind.STAFF:
        raise ApplicationError(_("申请人必须是公众用户或法人经办人。"), code="invalid_applicant")
    company = None
    if company_id is not None:
        company = applicant.companies.filter(pk=company_id).first()
        if company is None:
            raise ApplicationError(_("申请人不是该单位的经办人。"), code="invalid_company")
    try:
        with transaction.atomic():
            application = new_application(
                item=item, applicant=applicant, company=company, channel=channel, actor=actor
            )
            application.handled_by = actor
            if channel == Channel.ASSISTED:
                application.assisted_by = actor
            for guide_material_id, upload in materials:
                guide_material = guide_material_for(application, guide_material_id)
                store_upload(application, guide_material=guide_material, upload=upload, actor=actor)
            return submit_locked(
                application,
                actor=actor,
                idempotency_key=key,
                reason=_("窗口受理") if channel == Channel.WINDOW else _("帮办代办"),
            )
    except IntegrityError:
        # The same key committed by a concurrent request: that one is the application.
        existing = Application.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _same_window_application(existing, actor=actor, applicant_id=applicant_id)


def _same_window_application(
    existing: Application, *, actor: User, applicant_id: int
) -> Application:
    if existing.applicant_id != applicant_id:
        raise ApplicationError(_("该提交标识已被使用。"), code="idempotency_key_reused")
    _check_intake(actor, existing.department_id)
    return existing


def _check_intake(actor: User, department_id: int) -> None:
    """The department's own window staff, or — for intake only — staff a higher app lets
    take in its items (A11: a comprehensive window, through ``hooks.intake_departments``)."""
    _base.check_staff(actor, None, "intake_application", any_department=True)
    if hooks.may_take_in_for(actor, department_id):
        return
    _base.check_staff(actor, None, "intake_application", department_id=department_id)


def application_resubmit_correction(
    *, application_id: int, actor: User, note: str = ""
) -> Application:
    """The applicant answers the one-time correction notice (A5); intake starts again.

    The answer covers every item of the notice: each listed material has a new upload (or
    reuse) made after the notice, whatever the channel (C6)."""
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.check_applicant(actor, application)
        _base.require_state(application, {State.CORRECTION_REQUESTED}, _("提交补正材料"))
        open_notices = CorrectionRequest.objects.filter(application=application, answered_at=None)
        form_corrected = False
        for correction in open_notices:
            form_corrected |= _check_correction_answered(application, correction)
        completeness = check_submittable(application) if form_corrected else None
        open_notices.update(answered_at=_base.stamp())
        _receive(application)
        with record_language():
            _base.transition(
                application,
                State.SUBMITTED,
                actor=actor,
                action=_("提交补正材料"),
                reason=note.strip(),
                payload={"correction_returned": True},
            )
            if completeness is not None:
                # The corrected form is issued again as a new 申请书 (the first one stays on
                # file).
                issue_application_form(application, completeness, actor=actor)
        return application


def _form_material_id(application: Application) -> int | None:
    filled = (application.guide.application_form or {}).get("fills_material", "")
    if not filled:
        return None
    return application.guide.materials.filter(name=filled).values_list("pk", flat=True).first()


def _answers_changed_since(application: Application, moment) -> bool:
    record = answers_record(application)
    return record is not None and record.updated_at > moment


def _check_correction_answered(application: Application, correction: CorrectionRequest) -> bool:
    """Every item of the notice answered; the material the online form fills is answered by
    saving the form again after the notice. Returns whether that was one of the items."""
    answered = set(
        application.materials.filter(created_at__gt=correction.created_at).values_list(
            "guide_material_id", flat=True
        )
    )
    form_material = _form_material_id(application)
    asked_form = (
        form_material is not None
        and correction.items.filter(guide_material_id=form_material).exists()
    )
    changed = _answers_changed_since(application, correction.created_at)
    if form_material is not None and asked_form and changed:
        answered.add(form_material)
    missing = [
        item
        for item in correction.items.select_related("guide_material").order_by(
            "guide_material__order", "id"
        )
        if item.guide_material_id not in answered
    ]
    if missing:
        raise ApplicationError(
            _("补正材料不全，请上传以下材料后再提交：%(names)s。")
            % {"names": "、".join(item.guide_material.name for item in missing)},
            code="correction_incomplete",
            extra={"material_ids": [item.guide_material_id for item in missing]},
        )
    return asked_form


def application_withdraw(*, application_id: int, actor: User, reason: str = "") -> Application:
    """The applicant withdraws (any time before a decision)."""
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.check_applicant(actor, application)
        with record_language():
            return close_case(
                application,
                actor=actor,
                ending=Ending(target=State.WITHDRAWN, action=_("撤回"), reason=reason.strip()),
            )
