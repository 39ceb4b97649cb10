"""Credit records (失信记录) and their repair (DOMAIN P3a, P4, P6).

A false pledge leaves a record with its legal basis, its date, the date from which it may
be repaired and the date it lapses; staff may enter one with a basis. While a record is
active and unexpired, the subject cannot use the pledge route. The subject applies for
repair with reasons and evidence; a supervisor approves (the restriction lifts at once) or
refuses with reasons.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.applications.services import NotFoundError
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.common.idnumbers import validate_credit_code, validate_resident_id
from apps.pledges import selectors
from apps.pledges.identity import Subject, applicant_subject, subject_for_identifier
from apps.pledges.models import (
    CreditRecord,
    CreditRepairRequest,
    Pledge,
    PledgeEvent,
    SubjectKind,
)
from apps.pledges.services import _base
from apps.pledges.workflow import CREDIT_TRANSITIONS, CreditStatus, RepairStatus

RECORD = "record_credit"
DECIDE_REPAIR = "decide_credit_repair"

# P4 / 001 §23: the default legal basis of a record made for a false pledge.
FALSE_PLEDGE_BASIS = _(
    "《政务服务管理办法》第二十三条；《国务院办公厅关于全面推行证明事项和涉企经营许可事项"
    "告知承诺制的指导意见》（国办发〔2020〕42号）"
)
MAX_EVIDENCE_MB = 10


def _create(
    subject: Subject,
    *,
    actor: User | None,
    source: str,
    basis: str,
    reason: str,
    recorded_on: date,
    application=None,
) -> CreditRecord:
    record = CreditRecord(
        subject_kind=subject.kind,
        subject_hash=subject.hash,
        subject_name=subject.name,
        masked_identifier=subject.masked,
        source=source,
        basis=basis,
        reason=reason,
        recorded_on=recorded_on,
        repairable_on=recorded_on + timedelta(days=settings.PLEDGES_CREDIT_REPAIRABLE_AFTER_DAYS),
        expires_on=recorded_on + timedelta(days=settings.PLEDGES_CREDIT_EXPIRES_AFTER_DAYS),
        application=application,
        recorded_by=actor,
    )
    record._history_user = actor  # type: ignore[attr-defined]
    record.save()
    _base.event(
        PledgeEvent.Kind.CREDIT_RECORDED,
        actor=actor,
        application=application,
        credit_record=record,
        reason=reason,
        payload={"source": source},
    )
    return record


def record_false_pledge(
    *, pledge: Pledge, actor: User | None, source: str, reason: str, basis: str = ""
) -> CreditRecord:
    """P3a/P6: the record a false pledge leaves, in the caller's transaction, about the
    subject that signed (the company when it applied, else the person)."""
    application = pledge.application
    return _create(
        applicant_subject(pledge.signer, application.company),
        actor=actor,
        source=source,
        basis=(basis or "").strip() or str(FALSE_PLEDGE_BASIS),
        reason=reason,
        recorded_on=_base.today(),
        application=application,
    )


def credit_record_create(
    *,
    actor: User,
    subject_kind: str,
    identifier: str,
    subject_name: str,
    basis: str,
    reason: str,
    recorded_on: date | None = None,
) -> CreditRecord:
    """P4: staff enter a record with its basis (a person by ID number, a company by USCC)."""
    _base.check_staff(actor, RECORD, department_id=None)
    if subject_kind not in SubjectKind.values:
        raise ApplicationError(
            _("主体类型无效。"), code="invalid", extra={"subject_kind": "invalid"}
        )
    validate = validate_resident_id if subject_kind == SubjectKind.PERSON else validate_credit_code
    try:
        identifier = validate(identifier)
    except ValidationError as exc:
        raise ApplicationError(
            exc.messages[0], code="invalid_identifier", extra={"identifier": "invalid"}
        ) from None
    subject_name = _base.require_text(subject_name, _("请填写主体名称。"), field="subject_name")
    basis = _base.require_text(basis, _("请填写认定依据。"), field="basis")
    reason = _base.require_text(reason, _("请填写失信事实。"), field="reason")
    today = _base.today()
    recorded_on = recorded_on or today
    if recorded_on > today:
        raise ApplicationError(_("认定日期不能晚于今天。"), code="invalid")
    with transaction.atomic():
        return _create(
            subject_for_identifier(subject_kind, identifier, subject_name),
            actor=actor,
            source=CreditRecord.Source.STAFF,
            basis=basis,
            reason=reason,
            recorded_on=recorded_on,
        )


def _check_evidence(evidence: UploadedFile | None) -> UploadedFile:
    if evidence is None or not getattr(evidence, "size", 0):
        raise ApplicationError(
            _("请上传信用修复的证明材料。"),
            code="evidence_required",
            extra={"evidence": "required"},
        )
    if (evidence.size or 0) > MAX_EVIDENCE_MB * 1024 * 1024:
        raise ApplicationError(
            _("证明材料不能超过%(mb)dMB。") % {"mb": MAX_EVIDENCE_MB},
            code="evidence_too_large",
            extra={"evidence": "too_large"},
        )
    return evidence


def credit_repair_request(
    *, actor: User, record_id: int, reasons: str, evidence: UploadedFile | None
) -> CreditRepairRequest:
    """P4: the subject (the person, or an agent of the company) applies for repair."""
    reasons = _base.require_text(reasons, _("请说明申请信用修复的理由。"), field="reasons")
    evidence = _check_evidence(evidence)
    with transaction.atomic():
        record = (
            selectors.credit_records_for_subject(user=actor)
            .select_for_update()
            .filter(pk=record_id)
            .first()
        )
        if record is None:
            raise NotFoundError(_("记录不存在。"), code="not_found")
        if record.status != CreditStatus.ACTIVE:
            raise InvalidTransitionError(
                _("该失信记录状态为“%(status)s”，无需修复。")
                % {"status": CreditStatus(record.status).label}
            )
        if _base.today() < record.repairable_on:
            raise ApplicationError(
                _("该失信记录自%(day)s起方可申请信用修复。") % {"day": record.repairable_on},
                code="not_yet_repairable",
            )
        try:
            with transaction.atomic():
                request = CreditRepairRequest(
                    record=record, requested_by=actor, reasons=reasons, evidence=evidence
                )
                request._history_user = actor  # type: ignore[attr-defined]
                request.save()
        except IntegrityError:
            raise InvalidTransitionError(
                _("该失信记录已有待审核的修复申请。"), code="repair_pending"
            ) from None
        _base.event(
            PledgeEvent.Kind.REPAIR_REQUESTED, actor=actor, credit_record=record, reason=reasons
        )
        for supervisor in _base.staff_with(None, Role.SUPERVISOR):
            _base.tell(
                supervisor,
                key=f"repair:{request.pk}",
                title=_("信用修复申请待审核"),
                body=_("%(name)s 申请修复失信记录。") % {"name": record.subject_name},
            )
        return request


def credit_repair_decide(
    *, actor: User, request_id: int, approve: bool, note: str = ""
) -> CreditRepairRequest:
    """P4: a supervisor approves (the restriction lifts at once) or refuses with reasons."""
    _base.check_staff(actor, DECIDE_REPAIR, department_id=None)
    if not approve:
        note = _base.require_text(note, _("不予修复必须说明理由。"), field="note")
    with transaction.atomic():
        request = (
            CreditRepairRequest.objects.select_for_update()
            .select_related("record", "requested_by")
            .filter(pk=request_id)
            .first()
        )
        if request is None:
            raise NotFoundError(_("记录不存在。"), code="not_found")
        if request.status != RepairStatus.PENDING:
            raise InvalidTransitionError(_("该修复申请已审核。"), code="repair_decided")
        if request.requested_by_id == actor.pk:
            raise PermissionDeniedError(_("不能审核本人提出的修复申请。"))
        record = CreditRecord.objects.select_for_update().get(pk=request.record_id)
        request.status = RepairStatus.APPROVED if approve else RepairStatus.REFUSED
        request.decided_by = actor
        request.decided_at = _base.now()
        request.decision_note = (note or "").strip()
        request._history_user = actor  # type: ignore[attr-defined]
        request.save()
        if approve:
            _set_status(record, CreditStatus.REPAIRED, actor=actor)
        _base.event(
            PledgeEvent.Kind.CREDIT_REPAIRED if approve else PledgeEvent.Kind.REPAIR_REFUSED,
            actor=actor,
            credit_record=record,
            reason=request.decision_note,
        )
        _base.tell(
            request.requested_by,
            key=f"repair:{request.pk}:decided",
            title=_("信用修复审核结果"),
            body=(
                _("您的信用修复申请已通过，可以重新适用告知承诺制。")
                if approve
                else _("您的信用修复申请未通过。理由：%(note)s") % {"note": request.decision_note}
            ),
            sms=True,
        )
        return request


def _set_status(record: CreditRecord, status: CreditStatus, *, actor: User | None) -> None:
    if status not in CREDIT_TRANSITIONS[CreditStatus(record.status)]:
        raise InvalidTransitionError(
            _("失信记录当前状态为“%(status)s”，不能变更。")
            % {"status": CreditStatus(record.status).label}
        )
    record.status = status
    if status == CreditStatus.REPAIRED:
        record.repaired_at = _base.now()
    record._history_user = actor  # type: ignore[attr-defined]
    record.save()


def credit_records_expire(*, today: date | None = None, batch_size: int = 500) -> int:
    """Records past their end date lapse (the restriction had already stopped counting)."""
    today = today or _base.today()
    done = 0
    while True:
        with transaction.atomic():
            records = list(
                CreditRecord.objects.filter(status=CreditStatus.ACTIVE, expires_on__lte=today)
                .select_for_update(skip_locked=True)
                .order_by("expires_on", "id")[:batch_size]
            )
            for record in records:
                _set_status(record, CreditStatus.EXPIRED, actor=None)
                _base.event(PledgeEvent.Kind.CREDIT_EXPIRED, actor=None, credit_record=record)
        done += len(records)
        if len(records) < batch_size:
            return done
