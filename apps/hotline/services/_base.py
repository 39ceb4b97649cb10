"""What every ticket service shares: the row lock, the edge check, who may act, the
timeline row and telling people (callers, departments, the centre).

Not public: import the services from :mod:`apps.hotline.services`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Department, User
from apps.accounts.roles import Role, group_name
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.hotline import messaging
from apps.hotline.models import CallerMessage, Ticket, TicketEvent
from apps.hotline.workflow import ALLOWED_TRANSITIONS, TicketState
from apps.notifications.services import notify

NOTIFICATION_CATEGORY = "hotline"
CENTRE_PERMISSION = "hotline.take_call"
HANDLE_PERMISSION = "hotline.handle_ticket"


class TicketNotFoundError(ApplicationError):
    status_code = 404

    def __init__(self) -> None:
        super().__init__(_("工单不存在。"), code="not_found")


def now() -> datetime.datetime:
    return timezone.now()


# --- Locking and the edge check ---------------------------------------------------------


def lock_ticket(ticket_id: int) -> Ticket:
    """The ticket row, locked until the end of the caller's transaction."""
    try:
        return (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("category", "department")
            .get(pk=ticket_id)
        )
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise TicketNotFoundError() from None


def check_edge(ticket: Ticket, target: TicketState, action: str) -> None:
    source = TicketState(ticket.state)
    if target not in ALLOWED_TRANSITIONS[source]:
        raise InvalidTransitionError(
            _("工单当前状态为“%(state)s”，不能%(action)s。")
            % {"state": source.label, "action": action},
            extra={"state": source.value},
        )


def require_state(ticket: Ticket, states: frozenset | set, action: str) -> None:
    """For actions that change no state (extension, co-reply, call-back)."""
    if ticket.state not in states:
        source = TicketState(ticket.state)
        raise InvalidTransitionError(
            _("工单当前状态为“%(state)s”，不能%(action)s。")
            % {"state": source.label, "action": action},
            extra={"state": source.value},
        )


def save(ticket: Ticket, actor: User | None, *, insert: bool = False) -> None:
    """Save with history; ``insert`` for a new row whose id was drawn beforehand."""
    set_history_user(ticket, actor)
    ticket.save(force_insert=insert)


def event(
    ticket: Ticket,
    *,
    kind: str,
    title: str,
    actor: User | None,
    reason: str = "",
    department_id: int | None = None,
    payload: dict[str, Any] | None = None,
    from_state: str = "",
    to_state: str = "",
    visible_to_caller: bool = True,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        title=title,
        actor=actor,
        reason=reason,
        department_id=department_id,
        payload=payload or {},
        from_state=from_state,
        to_state=to_state,
        visible_to_caller=visible_to_caller,
    )


def transition(
    ticket: Ticket,
    target: TicketState,
    *,
    actor: User | None,
    action: str,
    reason: str = "",
    department_id: int | None = None,
    payload: dict[str, Any] | None = None,
    visible_to_caller: bool = True,
) -> TicketEvent:
    """Check the edge, set the state, save (with history) and write the timeline row."""
    check_edge(ticket, target, action)
    source = ticket.state
    ticket.state = target
    save(ticket, actor)
    return event(
        ticket,
        kind=TicketEvent.Kind.TRANSITION,
        title=action,
        actor=actor,
        reason=reason,
        department_id=department_id,
        payload=payload,
        from_state=source,
        to_state=target,
        visible_to_caller=visible_to_caller,
    )


# --- Who may act -------------------------------------------------------------------------


def _active_staff(actor: User) -> bool:
    return bool(
        actor.is_authenticated
        and actor.is_active
        and (actor.kind == User.Kind.STAFF or actor.is_superuser)
    )


def check_centre(actor: User | None, permission: str = CENTRE_PERMISSION) -> None:
    """The hotline centre: operators (and supervisors for the decisions they own)."""
    if actor is None or not _active_staff(actor) or not actor.has_perm(permission):
        raise PermissionDeniedError()


def check_handler(actor: User | None, department_id: int | None) -> None:
    """Department staff of ``department_id`` who may handle tickets (sign, return, reply)."""
    if actor is None or not _active_staff(actor) or not actor.has_perm(HANDLE_PERMISSION):
        raise PermissionDeniedError()
    if actor.is_superuser:
        return
    if department_id is None or not actor.departments.filter(pk=department_id).exists():
        raise PermissionDeniedError(_("该工单不是派给您所在部门的。"))


def require_text(value: str | None, message: str, code: str = "reason_required") -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code=code)
    if "\x00" in value:
        raise ApplicationError(_("内容含有不允许的字符。"), code="invalid_character")
    return value


# --- Telling people ---------------------------------------------------------------------


def lead_department(ticket: Ticket) -> Department:
    """The lead department of a ticket that has been dispatched."""
    if ticket.department is None:
        raise ApplicationError(_("工单尚未派单。"), code="not_dispatched")
    return ticket.department


def staff_link(ticket: Ticket) -> str:
    return reverse("admin:hotline_ticket_change", args=[ticket.pk])


def track_link() -> str:
    return reverse("hotline:track")


def tell_caller(
    ticket: Ticket, *, event_key: str, title: str, body: str, new_ticket: bool = False
) -> None:
    """H5, H7: the caller is told. A caller with an account gets an inbox message and an
    SMS; a caller known only by number gets an SMS from the caller outbox. ``new_ticket``:
    the ticket was created in this transaction, so no earlier message has its key."""
    dedupe = f"hotline:{ticket.pk}:{event_key}"
    if ticket.citizen is not None:
        notify(
            recipient=ticket.citizen,
            title=title,
            body=body,
            category=NOTIFICATION_CATEGORY,
            link=track_link(),
            channels=("inbox", "sms"),
            dedupe_key=dedupe,
        )
        return
    if ticket.caller_phone:
        send_sms(
            phone=ticket.caller_phone,
            text=f"{title}：{body}",
            dedupe_key=dedupe,
            ticket=ticket,
            new=new_ticket,
        )


def send_sms(
    *, phone: str, text: str, dedupe_key: str, ticket: Ticket | None = None, new: bool = False
) -> None:
    """Write the outbox row now; hand it to a worker after commit (a broker outage after
    commit leaves the row pending for the redelivery sweep, never an error). ``new``: no
    row can have this key yet (it names a ticket created in this transaction): it is
    inserted without looking first (the unique key still holds)."""
    if new:
        message = CallerMessage.objects.create(
            dedupe_key=dedupe_key, phone=phone, text=text, ticket=ticket
        )
    else:
        message, created = CallerMessage.objects.get_or_create(
            dedupe_key=dedupe_key, defaults={"phone": phone, "text": text, "ticket": ticket}
        )
        if not created:
            return
    message_id = message.pk

    def queue_caller_message() -> None:
        messaging.deliver_caller_message.delay(message_id)

    transaction.on_commit(queue_caller_message, robust=True)


def tell_staff(users: list[User], ticket: Ticket, *, event_key: str, title: str, body: str) -> int:
    for user in {u.pk: u for u in users}.values():
        notify(
            recipient=user,
            title=title,
            body=body,
            category=NOTIFICATION_CATEGORY,
            link=staff_link(ticket),
            dedupe_key=f"hotline:{ticket.pk}:{event_key}:user:{user.pk}",
        )
    return len(users)


def department_handlers(department_id: int | None, roles: tuple[Role, ...]) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        kind=User.Kind.STAFF,
        departments=department_id,
        groups__name__in=[group_name(r) for r in roles],
    ).distinct()


def role_members(role: Role) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=group_name(role)).distinct()
