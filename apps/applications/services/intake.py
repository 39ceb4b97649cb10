"""Intake (受理): the five outcomes of DOMAIN A4, the one-time correction notice (A5),
tolerant acceptance (T1) and immediate items decided at the window (A6).

Each function locks the row, checks the edge and the actor, writes the timeline and the
sealed receipt in the same transaction, and tells the applicant.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Department, User
from apps.applications import hooks, receipts
from apps.applications.completeness import application_completeness
from apps.applications.models import (
    Application,
    CorrectionItem,
    CorrectionRequest,
    TimelineEvent,
    ToleratedMaterial,
)
from apps.applications.services import _base
from apps.applications.services.clock import start_clock
from apps.applications.services.closing import (
    Ending,
    Letter,
    Message,
    checked_decision,
    close_case,
    result_letters,
)
from apps.applications.workflow import State
from apps.catalogue.models import GuideMaterial
from apps.catalogue.services import assert_materials_from_guide
from apps.common.errors import ApplicationError
from apps.documents.models import DocumentKind
from apps.workdays.calendar import add_working_days

INTAKE = "intake_application"


def _locked_for_intake(
    application_id: int, actor: User, *, with_applicant: bool = True
) -> Application:
    application = _base.lock_application(application_id, with_applicant=with_applicant)
    _base.check_staff(actor, application, INTAKE)
    return application


def _accept_locked(
    application: Application,
    *,
    actor: User,
    target: State = State.ACCEPTED,
    reason: str = "",
    payload: dict | None = None,
    write_event: bool = True,
) -> TimelineEvent:
    _base.check_edge(application, target, _("受理"))
    start_clock(application, accepted_at=_base.stamp())
    application.handled_by = application.handled_by or actor
    return _base.transition(
        application,
        target,
        actor=actor,
        action=_("受理"),
        reason=reason,
        payload=payload,
        write_event=write_event,
    )


def _tell_accepted(application: Application, *, extra: str = "") -> None:
    _base.tell_applicant(
        application,
        event="accepted",
        title=_("您的申请已受理"),
        body=_("申请编号 %(number)s 已受理，承诺于 %(due)s 前办结。%(extra)s")
        % {"number": application.number, "due": application.due_date, "extra": extra},
        sms=True,
    )


def assert_complete_for_acceptance(application: Application) -> None:
    """A4(1): plain acceptance needs every main (non-tolerable) required material and the
    completed form. With one missing, the ways forward are the one-time correction notice
    (A5), or tolerant acceptance on a pledge when only tolerable materials are missing (T1)."""
    completeness = application_completeness(application)
    main_missing = completeness.main_missing
    if not main_missing:
        return
    raise ApplicationError(
        _(
            "以下主要材料或申请表内容尚未提交，不能直接受理：%(names)s。"
            "请一次性告知申请人补正；仅缺可容缺材料时可办理容缺受理。"
        )
        % {"names": "；".join(main_missing)},
        code="main_material_missing",
        extra={"material_ids": [m.pk for m in completeness.missing_materials]},
    )


def application_accept(*, application_id: int, actor: User, note: str = "") -> Application:
    """A4(1): ours, complete and in legal form → accept; the clock starts now (A7).
    Refused while a required material or form field is missing."""
    with transaction.atomic():
        # The applicant is told by id: their row is not read (issue 16).
        application = _locked_for_intake(application_id, actor, with_applicant=False)
        _base.check_edge(application, State.ACCEPTED, _("受理"))
        assert_complete_for_acceptance(application)
        issues_receipt = not application.is_immediate
        accepted = _accept_locked(
            application, actor=actor, reason=note.strip(), write_event=not issues_receipt
        )
        if issues_receipt:
            receipts.issue(
                application,
                kind=receipts.Kind.ACCEPTANCE_NOTICE,
                actor=actor,
                body=_(
                    "你（单位）提交的%(item)s申请材料齐全、符合法定形式，决定予以受理。"
                    "承诺办结期限：%(due)s。"
                )
                % {"item": application.item.name, "due": application.due_date},
                events=[accepted],
            )
        _tell_accepted(application)
        return application


def application_correct_on_spot_and_accept(
    *, application_id: int, actor: User, corrections: str
) -> Application:
    """A4(3): errors corrected on the spot (recorded), then accepted."""
    corrections = _base.require_text(corrections, _("请写明当场更正的内容。"))
    with transaction.atomic():
        application = _locked_for_intake(application_id, actor)
        _base.check_edge(application, State.ACCEPTED, _("受理"))
        assert_complete_for_acceptance(application)
        _base.timeline(
            application,
            kind=TimelineEvent.Kind.CORRECTED_ON_SPOT,
            actor=actor,
            reason=corrections,
        )
        _accept_locked(application, actor=actor, payload={"corrected_on_spot": True})
        receipts.issue(
            application,
            kind=receipts.Kind.ACCEPTANCE_NOTICE,
            actor=actor,
            body=_(
                "你（单位）提交的%(item)s申请材料经当场更正后符合法定形式，决定予以受理。"
                "当场更正内容：%(corrections)s。承诺办结期限：%(due)s。"
            )
            % {
                "item": application.item.name,
                "corrections": corrections,
                "due": application.due_date,
            },
        )
        _tell_accepted(application)
        return application


def application_accept_tolerant(
    *,
    application_id: int,
    actor: User,
    missing_material_ids: Iterable[int],
    pledge_signed: bool,
    note: str = "",
) -> Application:
    """A4(4) / T1–T2: accept with only *tolerable* materials missing, on a signed pledge;
    the one-time notice names each missing material and its supplement deadline.

    Hook for the tolerance issue: the ``ToleratedMaterial`` rows, ``pledge_signed`` and
    ``supplement_due_date`` are what supply and T3 revocation work from.
    """
    missing = set(missing_material_ids)
    if not missing:
        raise ApplicationError(_("请选择容缺的材料。"), code="no_missing_materials")
    if not pledge_signed:
        raise ApplicationError(
            _("申请人须签署容缺受理承诺书后方可容缺受理。"), code="pledge_required"
        )
    with transaction.atomic():
        application = _locked_for_intake(application_id, actor)
        _base.check_edge(application, State.TOLERANT_ACCEPTED, _("容缺受理"))
        assert_materials_from_guide(application.guide, missing)
        guide_materials = list(GuideMaterial.objects.filter(guide=application.guide))
        by_id = {m.pk: m for m in guide_materials}
        not_tolerable = [by_id[i].name for i in missing if not by_id[i].is_tolerable]
        if not_tolerable:
            raise ApplicationError(
                _("以下材料为主要材料，不能容缺：%(names)s。")
                % {"names": "、".join(not_tolerable)},
                code="material_not_tolerable",
            )
        completeness = application_completeness(application)
        absent_main = [m.name for m in completeness.missing_materials if m.pk not in missing]
        form_material = completeness.form_material
        if not completeness.form_complete and (
            form_material is None or form_material.pk not in missing
        ):
            absent_main.insert(0, completeness.form_title)
        if absent_main:
            raise ApplicationError(
                _("以下材料未提交且不可容缺，请一次性告知补正：%(names)s。")
                % {"names": "、".join(absent_main)},
                code="main_material_missing",
            )
        today = _base.today()
        rows = [
            ToleratedMaterial(
                application=application,
                guide_material=by_id[i],
                # C11: a published guide's tolerable materials all state supplement_days.
                due_date=add_working_days(today, by_id[i].supplement_days),  # type: ignore[arg-type]
            )
            for i in sorted(missing)
        ]
        ToleratedMaterial.objects.bulk_create(rows)
        for listener in hooks.tolerant_acceptance_listeners:
            listener(application, rows, actor)
        application.pledge_signed = True
        application.supplement_due_date = max(r.due_date for r in rows)
        _accept_locked(
            application,
            actor=actor,
            target=State.TOLERANT_ACCEPTED,
            reason=note.strip(),
            payload={"tolerated_material_ids": sorted(missing)},
        )
        lines = [f"{r.guide_material.name}：{r.due_date:%Y-%m-%d}前补齐" for r in rows]
        receipts.issue(
            application,
            kind=receipts.Kind.ACCEPTANCE_NOTICE,
            actor=actor,
            body=_(
                "你（单位）提交的%(item)s申请主要材料齐全，已签署容缺受理承诺书，决定予以"
                "容缺受理。请在期限内一次性补齐下列材料，逾期未补齐的将撤销受理。"
            )
            % {"item": application.item.name},
            extra={"items": lines},
        )
        _tell_accepted(application, extra=_("容缺材料：") + "；".join(lines))
        return application


def application_transfer_not_ours(
    *, application_id: int, actor: User, right_department_id: int, reason: str
) -> Application:
    """A4(2): not this department's item → say so, return the materials, name the right one."""
    reason = _base.require_text(reason, _("请说明不属于本部门职权范围的理由。"))
    with transaction.atomic():
        application = _locked_for_intake(application_id, actor)
        right = Department.objects.filter(pk=right_department_id, is_active=True).first()
        if right is None or right.pk == application.department_id:
            raise ApplicationError(_("请选择有权受理的其他部门。"), code="invalid_department")
        application.transferred_to = right
        return close_case(
            application,
            actor=actor,
            ending=Ending(
                target=State.TRANSFERRED,
                action=_("告知非本部门受理"),
                reason=reason,
                payload={"right_department_id": right.pk},
                letters=(
                    Letter(
                        kind=DocumentKind.REJECTION_NOTICE,
                        body=_(
                            "你（单位）申请的事项不属于本部门职权范围，决定不予受理，申请材料予以"
                            "退回。请向%(department)s申请。理由：%(reason)s"
                        )
                        % {"department": right.name, "reason": reason},
                    ),
                ),
                message=Message(
                    event="transferred",
                    title=_("请向有权部门申请"),
                    body=_("申请编号 %(number)s 不属于本部门受理范围，请向%(department)s申请。")
                    % {"number": application.number, "department": right.name},
                ),
            ),
        )


class RejectionGround:
    NOT_CATALOGUE_ITEM = "not_catalogue_item"
    CONDITIONS_NOT_MET = "conditions_not_met"
    LABELS = {
        NOT_CATALOGUE_ITEM: "申请事项不属于政务服务事项目录",
        CONDITIONS_NOT_MET: "不符合受理条件",
    }


def application_reject(
    *, application_id: int, actor: User, ground: str, reasons: str
) -> Application:
    """A4(5): not a catalogue item, or the acceptance conditions are not met → refuse,
    return the materials, and give a dated 不予受理通知书 with the remedies (A9)."""
    reasons = _base.require_text(reasons, _("请写明不予受理的理由。"))
    if ground not in RejectionGround.LABELS:
        raise ApplicationError(_("不予受理的依据无效。"), code="invalid_ground")
    with transaction.atomic():
        application = _locked_for_intake(application_id, actor)
        return close_case(
            application,
            actor=actor,
            ending=Ending(
                target=State.REJECTED,
                action=_("不予受理"),
                reason=reasons,
                payload={"ground": ground},
                letters=(
                    Letter(
                        kind=DocumentKind.REJECTION_NOTICE,
                        body=_(
                            "你（单位）提交的%(item)s申请，因%(ground)s，决定不予受理，申请材料"
                            "予以退回。理由：%(reasons)s"
                        )
                        % {
                            "item": application.item.name,
                            "ground": RejectionGround.LABELS[ground],
                            "reasons": reasons,
                        },
                    ),
                ),
                message=Message(
                    event="rejected",
                    title=_("您的申请不予受理"),
                    body=_("申请编号 %(number)s 不予受理：%(reasons)s")
                    % {"number": application.number, "reasons": reasons},
                ),
            ),
        )


def _check_not_piecemeal(application: Application, material_ids: set[int]) -> None:
    """A5: after a first notice, a later one may only name what was already asked for, or
    what the applicant has supplied since — never a new demand that could have been made
    the first time."""
    previous = CorrectionRequest.objects.filter(application=application).order_by("-created_at")
    last = previous.first()
    if last is None:
        return
    asked = set(
        CorrectionItem.objects.filter(correction__application=application).values_list(
            "guide_material_id", flat=True
        )
    )
    supplied = set(
        application.materials.filter(created_at__gt=last.created_at).values_list(
            "guide_material_id", flat=True
        )
    )
    new = material_ids - asked - supplied
    if new:
        names = GuideMaterial.objects.filter(pk__in=new).values_list("name", flat=True)
        raise ApplicationError(
            _(
                "补正应一次性告知：%(names)s 未在此前的补正告知中列明，且申请人此后未重新提交，"
                "不得再次要求补正。"
            )
            % {"names": "、".join(names)},
            code="piecemeal_correction",
            extra={"material_ids": sorted(new)},
        )


def application_request_correction(
    *,
    application_id: int,
    actor: User,
    items: Iterable[tuple[int, str]],
    deadline: date,
    note: str = "",
) -> CorrectionRequest:
    """A5 一次性告知: every missing or wrong material at once, each with its reason, chosen
    only from the guide's materials (C7), with a deadline. Stops the 5-day intake period."""
    items = [(int(material_id), (reason or "").strip()) for material_id, reason in items]
    if not items:
        raise ApplicationError(_("请一次性列明需要补正的全部材料。"), code="no_items")
    if any(not reason for _id, reason in items):
        raise ApplicationError(_("请写明每项材料需要补正的原因。"), code="reason_required")
    if len({i for i, _r in items}) != len(items):
        raise ApplicationError(_("同一材料只能列出一次。"), code="duplicate_item")
    today = _base.today()
    if deadline <= today:
        raise ApplicationError(_("补正期限应晚于今天。"), code="invalid_deadline")
    with transaction.atomic():
        application = _locked_for_intake(application_id, actor)
        _base.check_edge(application, State.CORRECTION_REQUESTED, _("一次性告知补正"))
        assert_materials_from_guide(application.guide, [i for i, _r in items])
        # P6: a certificate the applicant's pledge replaced is never asked for (C7).
        waived = hooks.waived_materials(application)
        if any(i in waived for i, _r in items):
            raise ApplicationError(
                _("申请人已就该证明作出告知承诺，不得要求其提交。"), code="material_waived"
            )
        _check_not_piecemeal(application, {i for i, _r in items})
        remind_days = settings.APPLICATION_CORRECTION_REMIND_DAYS
        correction = CorrectionRequest.objects.create(
            application=application,
            requested_by=actor,
            note=note.strip(),
            deadline=deadline,
            remind_on=max(today, add_working_days(deadline, -remind_days)),
        )
        names = dict(
            GuideMaterial.objects.filter(pk__in=[i for i, _r in items]).values_list("pk", "name")
        )
        CorrectionItem.objects.bulk_create(
            CorrectionItem(correction=correction, guide_material_id=i, reason=r) for i, r in items
        )
        application.intake_due_date = None
        application.handled_by = application.handled_by or actor
        _base.transition(
            application,
            State.CORRECTION_REQUESTED,
            actor=actor,
            action=_("一次性告知补正"),
            reason=note.strip(),
            payload={
                "correction_id": correction.pk,
                "guide_material_ids": [i for i, _r in items],
                "deadline": deadline.isoformat(),
            },
        )
        lines = [f"{names[i]}：{r}" for i, r in items]
        receipts.issue(
            application,
            kind=receipts.Kind.CORRECTION_NOTICE,
            actor=actor,
            body=_(
                "你（单位）提交的%(item)s申请材料不齐全或不符合法定形式，现一次性告知需要"
                "补正的全部内容，请于%(deadline)s前补正。"
            )
            % {"item": application.item.name, "deadline": deadline},
            extra={"items": lines},
        )
        _base.tell_applicant(
            application,
            event=f"correction:{correction.pk}",
            title=_("请补正申请材料"),
            body=_("申请编号 %(number)s 需补正：%(lines)s。请于 %(deadline)s 前提交。")
            % {"number": application.number, "lines": "；".join(lines), "deadline": deadline},
            sms=True,
        )
        return correction


def application_decide_immediately(
    *, application_id: int, actor: User, result_text: str = "", decision: dict | None = None
) -> Application:
    """A6 即办件: accepted and decided at the window in one step (no acceptance notice);
    ``decision`` as for :func:`application_approve`."""
    with transaction.atomic():
        application = _locked_for_intake(application_id, actor)
        if not application.is_immediate:
            raise ApplicationError(_("该事项不是即办件。"), code="not_immediate")
        values, rows = checked_decision(application, decision)
        _accept_locked(application, actor=actor, payload={"immediate": True})
        return close_case(
            application,
            actor=actor,
            ending=Ending(
                target=State.APPROVED,
                action=_("办结"),
                reason=result_text.strip(),
                payload={"immediate": True, "decision": values, "decision_rows": rows},
                decided_at=application.accepted_at,
                letters=result_letters(application, result_text=result_text, decision_rows=rows),
                message=Message(
                    event="approved",
                    title=_("您的申请已办结"),
                    body=_("申请编号 %(number)s 已当场办结。") % {"number": application.number},
                ),
            ),
        )
