"""Deciding a pledged application (DOMAIN P2, P6, A9): staff check form and completeness
only and approve directly; a pledge found false while the case is handled ends it
(终止办理) with reasons and a credit record."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.models import Application
from apps.applications.services import (
    REMEDIES,
    Ending,
    Letter,
    Message,
    application_accept,
    application_approve,
    close_case,
)
from apps.applications.workflow import State
from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.documents.models import DocumentKind
from apps.pledges.models import CreditRecord, Pledge, PledgeEvent
from apps.pledges.services import _base
from apps.pledges.services.credit import record_false_pledge

APPROVE = "approve_pledged_application"
TERMINATE = "terminate_pledged_application"

# How a case still being handled ends when its pledge is found false (P6 终止办理): the
# final state its current state allows.
_TERMINATION_TARGET = {
    State.SUBMITTED: State.REJECTED,
    State.ACCEPTED: State.DENIED,
    State.UNDER_REVIEW: State.DENIED,
    State.TOLERANT_ACCEPTED: State.REVOKED,
    State.SUSPENDED: State.REVOKED,
}


def _pledge_of(application: Application) -> Pledge:
    pledge = Pledge.objects.filter(application=application).first()
    if pledge is None:
        raise ApplicationError(_("该办件未签署告知承诺书。"), code="not_pledged")
    return pledge


def pledge_approve(
    *, application_id: int, actor: User, result_text: str = "", decision: dict | None = None
) -> Application:
    """P2: a pledged application, checked for form and completeness only, is accepted and
    approved at once; the result is issued numbered and verifiable (A16), and the
    verification afterwards is scheduled by the case-closed listener (P3)."""
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.check_staff(actor, APPROVE, department_id=application.department_id)
        _pledge_of(application)
        if application.state == State.SUBMITTED:
            application_accept(
                application_id=application.pk, actor=actor, note=_("告知承诺：形式审查通过")
            )
        application = application_approve(
            application_id=application.pk,
            actor=actor,
            result_text=result_text,
            decision=decision,
        )
        _base.event(PledgeEvent.Kind.APPROVED, actor=actor, application=application)
        return application


def pledge_terminate(
    *, application_id: int, actor: User, reasons: str, basis: str = ""
) -> Application:
    """P6: a pledge found false while the case is still handled → processing terminated
    with a written decision naming reasons and remedies (A9), and a credit record (P3a)."""
    reasons = _base.require_text(reasons, _("终止办理必须说明理由。"))
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.check_staff(actor, TERMINATE, department_id=application.department_id)
        pledge = _pledge_of(application)
        target = _TERMINATION_TARGET.get(State(application.state))
        if target is None:
            raise InvalidTransitionError(
                _("办件当前状态为“%(state)s”，不能终止办理。")
                % {"state": State(application.state).label}
            )
        text = _(
            "你（单位）申请%(item)s时作出的告知承诺经核查与实际情况不符，"
            "决定终止办理。理由：%(reasons)s"
        ) % {"item": application.item.name, "reasons": reasons}
        close_case(
            application,
            actor=actor,
            ending=Ending(
                target=target,
                action=_("虚假承诺，终止办理"),
                reason=reasons,
                payload={"remedies": str(REMEDIES), "pledge_id": pledge.pk},
                letters=(Letter(kind=DocumentKind.TERMINATION_NOTICE, body=text),),
                message=Message(
                    event="pledge_terminated",
                    title=_("您的申请已终止办理"),
                    body=_("申请编号 %(number)s 因承诺不实终止办理。理由：%(reasons)s %(remedies)s")
                    % {"number": application.number, "reasons": reasons, "remedies": REMEDIES},
                ),
            ),
        )
        _base.event(
            PledgeEvent.Kind.TERMINATED, actor=actor, application=application, reason=reasons
        )
        record_false_pledge(
            pledge=pledge,
            actor=actor,
            source=CreditRecord.Source.TERMINATION,
            reason=reasons,
            basis=basis,
        )
        return application
