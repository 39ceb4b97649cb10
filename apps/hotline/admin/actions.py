"""The ticket page's action forms: one per transition, each calling exactly one service.

Whether a button shows is decided from the state, the user's permissions and department;
whether the action happens is decided by the service alone (a stale page or a forged POST
gets the service's own message).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.hotline import services
from apps.hotline.admin import forms as f
from apps.hotline.models import ExtensionRequest, Ticket
from apps.hotline.workflow import CLOCK_STATES, MERGEABLE_STATES, Closure, TicketState, TicketType

S = TicketState
CENTRE = "hotline.take_call"
HANDLE = "hotline.handle_ticket"
DECIDE_EXTENSION = "hotline.decide_extension"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form_class: type[f.ConsoleForm]
    permission: str
    states: frozenset[str]
    run: Callable[[Ticket, User, f.ConsoleForm], str]
    lead_only: bool = False
    co_only: bool = False
    when: Callable[[Ticket], bool] | None = None
    danger: bool = False

    def visible(self, ticket: Ticket, user: User, departments: set[int], co: set[int]) -> bool:
        if ticket.state not in self.states or not user.has_perm(self.permission):
            return False
        if self.lead_only and not (user.is_superuser or ticket.department_id in departments):
            return False
        if self.co_only and not (departments & co):
            return False
        return self.when is None or self.when(ticket)


def _d(form, name):
    return form.cleaned_data.get(name)


def _dispatch(t, u, form):
    services.ticket_dispatch(
        ticket_id=t.pk,
        actor=u,
        department_id=_d(form, "department").pk,
        co_department_ids=[d.pk for d in _d(form, "co_departments")],
        urgency=_d(form, "urgency"),
        note=_d(form, "note") or "",
    )
    return _("已派单至%(d)s。") % {"d": _d(form, "department").name}


def _redispatch(t, u, form):
    services.ticket_redispatch(
        ticket_id=t.pk,
        actor=u,
        department_id=_d(form, "department").pk,
        co_department_ids=[d.pk for d in _d(form, "co_departments")],
        note=_d(form, "note") or "",
    )
    return _("已重新派单至%(d)s。") % {"d": _d(form, "department").name}


def _answer(t, u, form):
    services.ticket_answer_on_spot(
        ticket_id=t.pk, actor=u, article_id=_d(form, "article").pk, note=_d(form, "note") or ""
    )
    return _("已依据知识库当场解答并办结。")


def _transfer(t, u, form):
    services.ticket_transfer(
        ticket_id=t.pk, actor=u, target=_d(form, "target"), note=_d(form, "note") or ""
    )
    return _("已转接。")


def _merge(t, u, form):
    main = Ticket.objects.filter(number=_d(form, "main_number").strip()).first()
    if main is None:
        raise ApplicationError(_("主工单编号不存在。"), code="not_found")
    services.ticket_merge(ticket_id=t.pk, main_id=main.pk, actor=u, reason=_d(form, "reason") or "")
    return _("已并入工单 %(n)s。") % {"n": main.number}


def _sign(t, u, form):
    services.ticket_sign(ticket_id=t.pk, actor=u)
    return _("已签收。")


def _return(t, u, form):
    services.ticket_return(ticket_id=t.pk, actor=u, reason=_d(form, "reason"))
    return _("已退单，等待热线中心审核。")


def _reject_return(t, u, form):
    services.ticket_reject_return(ticket_id=t.pk, actor=u, reason=_d(form, "reason"))
    return _("已驳回退单。")


def _request_extension(t, u, form):
    services.ticket_request_extension(
        ticket_id=t.pk,
        actor=u,
        reason=_d(form, "reason"),
        working_days=_d(form, "working_days"),
        hours=_d(form, "hours"),
    )
    return _("延期申请已提交。")


def _decide_extension(t, u, form):
    pending = t.extensions.filter(status=ExtensionRequest.Status.PENDING).first()
    if pending is None:
        raise ApplicationError(_("没有待审批的延期申请。"), code="not_found")
    services.ticket_decide_extension(
        extension_id=pending.pk,
        actor=u,
        approve=_d(form, "decision") == "approve",
        note=_d(form, "note") or "",
    )
    return _("已审批延期申请。")


def _reply(t, u, form):
    services.ticket_reply(ticket_id=t.pk, actor=u, text=_d(form, "text"))
    return _("已答复，等待热线中心审核。")


def _co_reply(t, u, form):
    services.ticket_co_reply(ticket_id=t.pk, actor=u, text=_d(form, "text"))
    return _("协办意见已反馈。")


def _close(t, u, form):
    services.ticket_close(ticket_id=t.pk, actor=u, note=_d(form, "note") or "")
    return _("已办结，已告知来电人。")


def _send_back(t, u, form):
    services.ticket_send_back(ticket_id=t.pk, actor=u, reason=_d(form, "reason"))
    return _("已退回承办部门。")


def _callback(t, u, form):
    services.ticket_callback(
        ticket_id=t.pk,
        actor=u,
        satisfaction=_d(form, "satisfaction"),
        note=_d(form, "note") or "",
        caused_by_department=bool(_d(form, "caused_by_department")),
    )
    return _("回访已记录。")


def _has_pending_extension(t: Ticket) -> bool:
    return t.extensions.filter(status=ExtensionRequest.Status.PENDING).exists()


def _callback_due(t: Ticket) -> bool:
    return t.closure == Closure.HANDLED and t.called_back_at is None


ALL = frozenset(S.values)
ACTIONS: list[Action] = [
    Action(
        "dispatch", _("派单"), f.DispatchForm, CENTRE, frozenset({S.PENDING_DISPATCH}), _dispatch
    ),
    Action(
        "answer",
        _("知识库解答办结"),
        f.AnswerForm,
        CENTRE,
        frozenset({S.PENDING_DISPATCH}),
        _answer,
        when=lambda t: t.ticket_type == TicketType.ENQUIRY,
    ),
    Action(
        "transfer",
        _("一键转接"),
        f.TransferForm,
        CENTRE,
        frozenset({S.PENDING_DISPATCH}),
        _transfer,
    ),
    Action("merge", _("并单"), f.MergeForm, CENTRE, frozenset(MERGEABLE_STATES), _merge),
    Action(
        "redispatch",
        _("同意退单并重新派单"),
        f.DispatchForm,
        CENTRE,
        frozenset({S.RETURNED}),
        _redispatch,
    ),
    Action(
        "reject_return",
        _("驳回退单"),
        f.ReasonForm,
        CENTRE,
        frozenset({S.RETURNED}),
        _reject_return,
    ),
    Action(
        "sign", _("签收"), f.EmptyForm, HANDLE, frozenset({S.DISPATCHED}), _sign, lead_only=True
    ),
    Action(
        "return",
        _("退单"),
        f.ReasonForm,
        HANDLE,
        frozenset({S.DISPATCHED}),
        _return,
        lead_only=True,
        danger=True,
    ),
    Action(
        "request_extension",
        _("申请延期"),
        f.ExtensionRequestForm,
        HANDLE,
        frozenset(CLOCK_STATES),
        _request_extension,
        lead_only=True,
    ),
    Action(
        "decide_extension",
        _("审批延期"),
        f.ExtensionDecisionForm,
        DECIDE_EXTENSION,
        frozenset(CLOCK_STATES),
        _decide_extension,
        when=_has_pending_extension,
    ),
    Action(
        "reply", _("答复"), f.TextForm, HANDLE, frozenset({S.IN_PROGRESS}), _reply, lead_only=True
    ),
    Action(
        "co_reply",
        _("反馈协办意见"),
        f.TextForm,
        HANDLE,
        frozenset({*CLOCK_STATES, S.REPLIED}),
        _co_reply,
        co_only=True,
    ),
    Action("close", _("审核通过并办结"), f.NoteForm, CENTRE, frozenset({S.REPLIED}), _close),
    Action(
        "send_back", _("退回重新答复"), f.ReasonForm, CENTRE, frozenset({S.REPLIED}), _send_back
    ),
    Action(
        "callback",
        _("回访"),
        f.CallbackForm,
        CENTRE,
        frozenset({S.CLOSED}),
        _callback,
        when=_callback_due,
    ),
]
BY_NAME = {a.name: a for a in ACTIONS}


def available_actions(*, user: User, ticket: Ticket) -> list[Action]:
    departments = set(user.departments.values_list("pk", flat=True))
    co = set(ticket.co_handlers.values_list("department_id", flat=True))
    return [a for a in ACTIONS if a.visible(ticket, user, departments, co)]
