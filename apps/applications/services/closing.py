"""The one way a case ends (DOMAIN A4, A9, A10, A12, A16, C8).

Every final transition — approval, denial, refusal, transfer to the right department,
revocation of acceptance, withdrawal, the immediate decision at the window, deemed withdrawal
after a lapsed correction notice, and those the later apps add (tolerance's revocation,
pledges' termination) — describes its ending as an :class:`Ending` and calls
:func:`close_case` on the locked row. ``close_case`` then, in this order and in the caller's
transaction:

1. checks the edge against ``ALLOWED_TRANSITIONS``;
2. closes a running special procedure (A8) and clears the intake deadline (A4a);
3. sets the decision time and the outcome, writes the history and the timeline row;
4. issues the written documents (number and text now, PDF after commit);
5. tells the applicant (A10);
6. calls the ``case_closed_listeners`` registered by later apps (:mod:`..hooks`);
7. completes the 一件事 the case belongs to, when it was the last member (C8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications import hooks, receipts
from apps.applications.models import Application, TimelineEvent
from apps.applications.services import _base
from apps.applications.services.bundle_completion import complete_bundle_of
from apps.applications.services.clock import close_open_suspension
from apps.applications.workflow import FINISHED_STATES, State
from apps.catalogue.application_forms import check_answers, decision_rows, parse_result_fields
from apps.catalogue.models import ServiceGuide
from apps.common.errors import ApplicationError
from apps.documents.models import DocumentKind


@dataclass(frozen=True)
class Letter:
    """A written, dated document the ending issues (A4 receipts, A9 decisions, A16 licences)."""

    kind: str
    body: str
    title: str = ""
    extra: dict[str, Any] | None = None


@dataclass(frozen=True)
class Message:
    """What the applicant is told (inbox, and SMS when ``sms``)."""

    event: str
    title: str
    body: str
    sms: bool = True


@dataclass(frozen=True)
class Ending:
    target: State
    action: str
    reason: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    kind: str = TimelineEvent.Kind.TRANSITION
    letters: tuple[Letter, ...] = ()
    message: Message | None = None
    # When the decision counts as made; now unless the ending says otherwise (A6: the
    # immediate decision is made at the moment of acceptance).
    decided_at: datetime | None = None


def close_case(application: Application, *, actor: User | None, ending: Ending) -> Application:
    """End ``application`` as ``ending`` says. Call it on a row locked by the caller's
    transaction (``_base.lock_application``); ``actor`` is ``None`` for the system."""
    if ending.target not in FINISHED_STATES:
        raise ValueError(f"close_case ends a case; {ending.target} is not a final state")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("close_case must run inside the transaction that locked the row")
    _base.check_edge(application, ending.target, ending.action)
    close_open_suspension(application, actor=actor)
    application.intake_due_date = None
    application.decided_at = ending.decided_at or _base.stamp()
    _base.transition(
        application,
        ending.target,
        actor=actor,
        action=ending.action,
        reason=ending.reason,
        kind=ending.kind,
        payload=ending.payload,
    )
    for letter in ending.letters:
        receipts.issue(
            application,
            kind=letter.kind,
            actor=actor,
            body=letter.body,
            title=letter.title,
            extra=letter.extra,
        )
    if ending.message is not None:
        _base.tell_applicant(
            application,
            event=ending.message.event,
            title=ending.message.title,
            body=ending.message.body,
            sms=ending.message.sms,
        )
    for listener in hooks.case_closed_listeners:
        listener(application, actor)
    complete_bundle_of(application, actor=actor)
    return application


def result_letters(
    application: Application,
    *,
    result_text: str = "",
    decision_rows: list[list[str]] | None = None,
) -> tuple[Letter, ...]:
    """The approval decision, and the e-licence when the guide's result is a licence (A16).
    ``decision_rows``: the result template's decided fields (经营项目, validity…), printed
    as the documents' fields table."""
    guide = application.guide
    rows = [list(r) for r in decision_rows or []]
    letters = [
        Letter(
            kind=DocumentKind.APPROVAL_DECISION,
            body=_("你（单位）提交的%(item)s申请，经审查符合法定条件、标准，决定准予许可。%(text)s")
            % {"item": application.item.name, "text": result_text.strip()},
            extra={"fields": rows} if rows else None,
        )
    ]
    if guide.result_type == ServiceGuide.ResultType.LICENCE:
        holder = [[_("证照名称"), guide.result_name], [_("持证人"), application.applicant_name]]
        if application.company is not None:
            holder.append([_("统一社会信用代码"), application.company.credit_code])
        letters.append(
            Letter(
                kind=DocumentKind.LICENCE,
                title=guide.result_name,
                body=_("%(result)s。持证人：%(name)s。")
                % {"result": guide.result_name, "name": application.applicant_name},
                extra={"fields": holder + rows},
            )
        )
    return tuple(letters)


def checked_decision(application: Application, decision: dict | None) -> tuple[dict, list]:
    """The decision fields of the guide's result template, checked (every required one
    filled, each value valid) by the forms' one validator. Returns (values, rows)."""
    fields = parse_result_fields(application.guide.result_fields)
    if not fields:
        if decision:
            raise ApplicationError(_("本事项的结果模板没有决定事项。"), code="invalid_decision")
        return {}, []
    check = check_answers(fields, decision or {}, partial=False)
    if not check.ok:
        raise ApplicationError(
            _("决定事项填写有误：") + check.message(),
            code="invalid_decision",
            extra=dict(check.errors),
        )
    return check.cleaned, decision_rows(fields, check.cleaned)
