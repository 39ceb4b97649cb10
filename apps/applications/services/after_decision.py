"""What happens to an approval afterwards (DOMAIN P3, P6, T3, A9, A10, A12).

Two changes follow a decision, each asked for by a later app that knows why:

* :func:`application_revoke_decision` — the pledges app found a pledge not kept after the
  order to rectify (P3) or false (P6): the decision is revoked (依法撤销决定, 政务服务管理办法
  第二十三条). The result documents turn 已撤销 on their verification page, the written
  revocation decision is issued, the case says 许可决定已撤销.
* :func:`application_withhold_result` — the tolerance app found a tolerated material lapsed
  after the case was decided (T3): the decision stands but its result is never released; the
  case says 结果不予发放 (the result documents stay withheld by the tolerance app's release
  guard).

Both lock the row, check the edge against ``ALLOWED_TRANSITIONS``, write the history and
the timeline row (who, when, why), and tell the applicant after commit. An archived case
(A12) keeps its state; its outcome changes, so the file still says how the case ended.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications import hooks, receipts
from apps.applications.models import Application, ApplicationDocument, TimelineEvent
from apps.applications.services import _base
from apps.applications.services.closing import Letter, Message
from apps.applications.workflow import ALLOWED_TRANSITIONS, State
from apps.common.errors import InvalidTransitionError
from apps.documents.services import document_revoke
from apps.documents.workflow import DocumentStatus

DECIDE = "decide_application"


def application_revoke_decision(
    *,
    application_id: int,
    actor: User | None,
    reason: str,
    document_reason: str,
    letters: tuple[Letter, ...] = (),
    message: Message | None = None,
    payload: dict[str, Any] | None = None,
) -> Application:
    """P3, P6: revoke the approval of ``application_id`` with ``reason``. Every valid result
    document (decision, licence) is revoked with ``document_reason`` (what its verification
    page says), ``letters`` (the 撤销行政许可决定书 with the remedies, A9) are issued, the
    state becomes 许可决定已撤销 and the applicant is told ``message``.

    ``actor``: staff who may decide for the case's department; ``None`` for the system."""
    reason = _base.require_text(reason, _("撤销许可决定必须说明理由。"))
    with transaction.atomic():
        application = _locked(application_id, actor)
        action = _("撤销许可决定")
        _check(application, State.DECISION_REVOKED, action)
        results = ApplicationDocument.objects.filter(
            application=application,
            kind__in=list(hooks.RESULT_DOCUMENT_KINDS),
            document__status=DocumentStatus.VALID,
        ).select_related("document")
        for link in results:
            document_revoke(document=link.document, actor=actor, reason=document_reason[:480])
        for letter in letters:
            receipts.issue(
                application,
                kind=letter.kind,
                actor=actor,
                body=letter.body,
                title=letter.title,
                extra=letter.extra,
            )
        _move(
            application,
            State.DECISION_REVOKED,
            actor=actor,
            action=action,
            reason=reason,
            payload=payload,
            message=message,
        )
        return application


def application_withhold_result(
    *,
    application_id: int,
    actor: User | None,
    reason: str,
    message: Message | None = None,
    payload: dict[str, Any] | None = None,
) -> Application:
    """T3: the case was decided before a tolerated material lapsed; its result is never
    released. The state becomes 结果不予发放 with ``reason``; the applicant is told
    ``message``. ``actor``: staff who may decide for the department, ``None`` for the
    system (the tolerance sweep)."""
    reason = _base.require_text(reason, _("结果不予发放必须说明理由。"))
    with transaction.atomic():
        application = _locked(application_id, actor)
        action = _("结果不予发放")
        _check(application, State.RESULT_WITHHELD, action)
        _move(
            application,
            State.RESULT_WITHHELD,
            actor=actor,
            action=action,
            reason=reason,
            payload=payload,
            message=message,
        )
        return application


def _locked(application_id: int, actor: User | None) -> Application:
    application = _base.lock_application(application_id)
    if actor is not None:
        _base.check_staff(actor, application, DECIDE)
    return application


def _source(application: Application) -> State:
    """The state the edge leaves: an archived case's outcome (A12)."""
    if application.state == State.ARCHIVED and application.outcome:
        return State(application.outcome)
    return State(application.state)


def _check(application: Application, target: State, action: str) -> None:
    if target not in ALLOWED_TRANSITIONS[_source(application)]:
        state = State(application.state)
        raise InvalidTransitionError(
            _("办件当前状态为“%(state)s”，不能%(action)s。")
            % {"state": state.label, "action": action},
            extra={"state": state.value},
        )


def _move(
    application: Application,
    target: State,
    *,
    actor: User | None,
    action: str,
    reason: str,
    payload: dict[str, Any] | None,
    message: Message | None,
) -> None:
    if application.state == State.ARCHIVED:
        source = _source(application)
        application.outcome = target
        _base.save(application, actor)
        _base.timeline(
            application,
            kind=TimelineEvent.Kind.TRANSITION,
            actor=actor,
            reason=reason,
            payload={**(payload or {}), "archived": True},
            from_state=source,
            to_state=target,
        )
    else:
        _base.transition(
            application, target, actor=actor, action=action, reason=reason, payload=payload
        )
    if message is not None:
        _base.tell_applicant(
            application,
            event=message.event,
            title=message.title,
            body=message.body,
            sms=message.sms,
        )
