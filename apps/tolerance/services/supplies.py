"""Supplying the tolerated materials and the window's check of each (DOMAIN T1–T3).

The applicant (or window staff helping them, A13) hands in one file per tolerated
material; staff accept it, or reject it with a reason, which does not move the deadline.
When every tolerated material is accepted the result may be released (T1).
"""

from __future__ import annotations

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.models import Application, ToleratedMaterial
from apps.applications.services import NotFoundError
from apps.applications.services.materials import store_upload
from apps.applications.workflow import FINISHED_STATES, State
from apps.common.errors import ApplicationError
from apps.tolerance.models import MaterialSupply, Supplement
from apps.tolerance.services import _base
from apps.tolerance.workflow import OPEN_STATES, SupplyState


def supplies_create(
    application: Application, tolerated: list[ToleratedMaterial], actor: User | None
) -> list[MaterialSupply]:
    """T2: one supply row per tolerated material, owed by its deadline. Called by the
    applications app's ``tolerant_acceptance_listeners`` inside the acceptance."""
    return MaterialSupply.objects.bulk_create(
        MaterialSupply(
            tolerated=row, application=application, due_date=row.due_date, state=SupplyState.MISSING
        )
        for row in tolerated
    )


def supplies_close(application: Application, actor: User | None) -> int:
    """A case that ended without a result (revoked, withdrawn, denied) owes nothing more;
    an approved one keeps its supplies open: its result waits for them (T1)."""
    if application.state == State.APPROVED:
        return 0
    now = timezone.now()
    return MaterialSupply.objects.filter(application=application, state__in=OPEN_STATES).update(
        state=SupplyState.CLOSED, settled_at=now, updated_at=now
    )


def _locked_supply(application: Application, guide_material_id: int) -> MaterialSupply:
    supply = (
        MaterialSupply.objects.select_for_update(of=("self",))
        .select_related("tolerated__guide_material")
        .filter(application=application, tolerated__guide_material_id=guide_material_id)
        .first()
    )
    if supply is None:
        raise ApplicationError(
            _("该材料不是本申请的容缺材料，无需补交。"), code="material_not_tolerated"
        )
    return supply


def _check_can_supply(application: Application, supply: MaterialSupply, today) -> None:
    name = supply.tolerated.guide_material.name
    if supply.state == SupplyState.ACCEPTED:
        raise ApplicationError(
            _("“%(name)s”已补齐，不能再次提交。") % {"name": name}, code="already_supplied"
        )
    if supply.state == SupplyState.SUBMITTED:
        raise ApplicationError(
            _("“%(name)s”已提交，正在等待窗口核验。") % {"name": name},
            code="supplement_pending",
        )
    if supply.state == SupplyState.LAPSED or application.state == State.REVOKED:
        raise ApplicationError(
            _("本申请已因容缺材料逾期未补齐撤销受理，不能再补交材料。"), code="case_revoked"
        )
    if supply.state == SupplyState.CLOSED or (
        application.state in FINISHED_STATES and application.state != State.APPROVED
    ):
        raise ApplicationError(_("本申请已终结，不能再补交材料。"), code="case_closed")
    if today > supply.tolerated.due_date:
        raise ApplicationError(
            _("“%(name)s”的补齐期限（%(due)s）已过，不能再补交。")
            % {"name": name, "due": supply.tolerated.due_date.isoformat()},
            code="supplement_late",
        )


def supplement_submit(
    *, application_id: int, guide_material_id: int, actor: User, upload: File
) -> Supplement:
    """T1: hand in one tolerated material by its deadline (the deadline day counts)."""
    with transaction.atomic():
        application = _base.lock_application(application_id)
        if _base.is_staff(actor):
            _base.check_window_staff(actor, application)
        else:
            _base.check_applicant(actor, application)
        supply = _locked_supply(application, guide_material_id)
        _check_can_supply(application, supply, timezone.localdate())
        material = store_upload(
            application, guide_material=supply.tolerated.guide_material, upload=upload, actor=actor
        )
        supplement = Supplement.objects.create(supply=supply, material=material, submitted_by=actor)
        _base.move(supply, SupplyState.SUBMITTED, actor=actor)
        _base.tell_handler(
            application,
            title=_("容缺材料待核验"),
            body=_("申请编号 %(number)s 已补交容缺材料“%(name)s”，请核验。")
            % {"number": application.number, "name": supply.tolerated.guide_material.name},
            dedupe_key=f"tolerance:submitted:{supplement.pk}",
        )
        return supplement


def _locked_pending(supplement_id: int, actor: User) -> tuple[Application, Supplement]:
    found = Supplement.objects.filter(pk=supplement_id).values_list(
        "supply__application_id", flat=True
    )
    application_id = found.first()
    if application_id is None:
        raise NotFoundError(_("补交材料不存在。"), code="not_found")
    application = _base.lock_application(application_id)
    _base.check_window_staff(actor, application)
    supplement = (
        Supplement.objects.select_for_update(of=("self",))
        .select_related("supply__tolerated__guide_material")
        .get(pk=supplement_id)
    )
    if supplement.result != Supplement.Result.PENDING:
        raise ApplicationError(
            _("该补交材料已核验（%(result)s），不能重复核验。")
            % {"result": supplement.get_result_display()},
            code="already_checked",
        )
    # The supply row is locked with its supplement (the application first, always).
    MaterialSupply.objects.select_for_update(of=("self",)).filter(pk=supplement.supply_id).get()
    return application, supplement


def supplement_accept(*, supplement_id: int, actor: User) -> Supplement:
    """The window accepts a supplement: the material counts as supplied (已补齐). When it
    was the last one, the result (if already decided) is released (T1)."""
    with transaction.atomic():
        application, supplement = _locked_pending(supplement_id, actor)
        supply = supplement.supply
        now = timezone.now()
        supplement.result = Supplement.Result.ACCEPTED
        supplement.checked_by = actor
        supplement.checked_at = now
        supplement.save()
        supply.supplied_on_time = timezone.localtime(supplement.created_at).date() <= (
            supply.tolerated.due_date
        )
        _base.move(supply, SupplyState.ACCEPTED, actor=actor)
        ToleratedMaterial.objects.filter(pk=supply.tolerated_id).update(
            supplied_at=supplement.created_at
        )
        name = supply.tolerated.guide_material.name
        _base.timeline(
            application,
            actor=actor,
            reason=_("容缺材料“%(name)s”核验通过，已补齐") % {"name": name},
            payload={"supplement_id": supplement.pk, "result": "accepted"},
        )
        all_done = not MaterialSupply.objects.filter(
            application=application, state__in=OPEN_STATES
        ).exists()
        body = _("申请编号 %(number)s 的容缺材料“%(name)s”已核验通过。") % {
            "number": application.number,
            "name": name,
        }
        if all_done:
            body += _("容缺材料已全部补齐。")
            if application.state == State.APPROVED:
                body += _("办理结果已发放，可在办件详情中下载。")
        _base.tell_applicant(
            application,
            title=_("容缺材料已补齐") if all_done else _("容缺材料核验通过"),
            body=body,
            dedupe_key=f"tolerance:accepted:{supplement.pk}",
            sms=all_done,
        )
        return supplement


def supplement_reject(*, supplement_id: int, actor: User, reason: str) -> Supplement:
    """The window rejects a supplement with a reason; the deadline does not move (T3)."""
    reason = _base.require_text(reason, _("请写明补交材料不符合要求的理由。"))
    with transaction.atomic():
        application, supplement = _locked_pending(supplement_id, actor)
        supply = supplement.supply
        supplement.result = Supplement.Result.REJECTED
        supplement.reason = reason
        supplement.checked_by = actor
        supplement.checked_at = timezone.now()
        supplement.save()
        _base.move(supply, SupplyState.REJECTED, actor=actor, reason=reason)
        name = supply.tolerated.guide_material.name
        due = supply.tolerated.due_date
        _base.timeline(
            application,
            actor=actor,
            reason=_("容缺材料“%(name)s”不符合要求：%(reason)s") % {"name": name, "reason": reason},
            payload={"supplement_id": supplement.pk, "result": "rejected"},
        )
        _base.tell_applicant(
            application,
            title=_("容缺材料不符合要求"),
            body=_(
                "申请编号 %(number)s 补交的“%(name)s”不符合要求：%(reason)s。"
                "请于 %(due)s 前重新补交，逾期未补齐的将撤销受理。"
            )
            % {"number": application.number, "name": name, "reason": reason, "due": due},
            dedupe_key=f"tolerance:rejected:{supplement.pk}",
        )
        return supplement
