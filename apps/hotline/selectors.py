"""Reads of tickets, scoped by who asks (web, API and admin share them).

* The centre (operators, supervisors, administrators: ``view_all_tickets``) sees every ticket.
* Department staff (``handle_ticket``) see the tickets dispatched to their departments,
  as lead or co-handler.
* The caller's identity: the centre sees it always; departments never see it on an
  anonymous (保密) ticket — :func:`caller_for` is the one place that decides (DOMAIN H4).
* Citizens look a ticket up by its number and their phone number (H7): the same answer
  whether the number or the phone is wrong.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.common.pii import keyed_hash, mask_name, mask_phone
from apps.hotline.models import Category, Ticket, TicketCoHandler, TicketEvent
from apps.hotline.services.intake import normalise_phone
from apps.hotline.workflow import CLOCK_VALUES, TicketState

CALLER_HISTORY_LIMIT = 20
VIEW_ALL = "hotline.view_all_tickets"
VIEW_IDENTITY = "hotline.view_caller_identity"
HANDLE = "hotline.handle_ticket"


def _list_qs() -> QuerySet[Ticket]:
    return Ticket.objects.select_related("category", "category__parent", "department")


def is_centre(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_ALL))


def ticket_scope_for_staff(*, user: User) -> QuerySet[Ticket]:
    """Every ticket ``user`` may see (see the module doc)."""
    if not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    if is_centre(user):
        return _list_qs()
    if not user.has_perm(HANDLE):
        return Ticket.objects.none()
    departments = list(user.departments.values_list("pk", flat=True))
    if not departments:
        return Ticket.objects.none()
    co = TicketCoHandler.objects.filter(ticket=OuterRef("pk"), department_id__in=departments)
    return _list_qs().filter(Q(department_id__in=departments) | Exists(co))


def ticket_get_for_staff(*, user: User, ticket_id) -> Ticket:
    try:
        ticket_id = int(ticket_id)
    except (TypeError, ValueError):
        raise Http404 from None
    ticket = (
        ticket_scope_for_staff(user=user)
        .select_related("kb_article", "merged_into", "possible_duplicate_of", "operator")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def department_queue(*, user: User, tab: str = "todo") -> QuerySet[Ticket]:
    """A department's work: to sign, in progress, overdue; the centre's: to dispatch,
    returned, replied (to review), call-backs due."""
    qs = ticket_scope_for_staff(user=user)
    now = timezone.now()
    tabs = {
        "pending": Q(state=TicketState.PENDING_DISPATCH),
        "returned": Q(state=TicketState.RETURNED),
        "replied": Q(state=TicketState.REPLIED),
        "callback": Q(
            state=TicketState.CLOSED,
            called_back_at__isnull=True,
            closure="handled",
            callback_due_on__lte=timezone.localdate(),
        ),
        "todo": Q(state=TicketState.DISPATCHED),
        "in_progress": Q(state=TicketState.IN_PROGRESS),
        "overdue": Q(state__in=list(CLOCK_VALUES), reply_due_at__lt=now),
        "escalated": Q(escalation_level__gte=1, state__in=list(CLOCK_VALUES)),
        "all": Q(),
    }
    order = {"todo": "sign_due_at", "in_progress": "reply_due_at", "overdue": "reply_due_at"}
    return qs.filter(tabs.get(tab, tabs["todo"])).order_by(order.get(tab, "-created_at"), "-id")


# --- The caller ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallerView:
    name: str
    phone: str
    hidden: bool


def caller_for(ticket: Ticket, user: User, *, full: bool = False) -> CallerView:
    """What ``user`` may see of the caller. The centre sees everything; departments see a
    non-anonymous caller (masked in lists, in full on the ticket page, to call back) and
    nothing at all of an anonymous one (H4)."""
    if user.is_authenticated and user.has_perm(VIEW_IDENTITY):
        return CallerView(ticket.caller_name, ticket.caller_phone, hidden=False)
    if ticket.is_anonymous:
        return CallerView(_("保密"), _("保密"), hidden=True)
    if full:
        return CallerView(ticket.caller_name, ticket.caller_phone, hidden=False)
    return CallerView(mask_name(ticket.caller_name), mask_phone(ticket.caller_phone), False)


def caller_history(*, user: User, phone: str, limit: int = CALLER_HISTORY_LIMIT) -> list[Ticket]:
    """The operator's look-up: the caller's earlier tickets, newest first — one indexed
    query (``ticket_caller_idx``) whatever the number of tickets."""
    if not is_centre(user):
        return []
    try:
        phone = normalise_phone(phone)
    except ApplicationError:
        return []
    if not phone:
        return []
    return list(
        _list_qs()
        .filter(caller_phone_hash=keyed_hash(phone))
        .order_by("-created_at", "-id")[:limit]
    )


def ticket_timeline(*, ticket: Ticket, for_caller: bool) -> QuerySet[TicketEvent]:
    qs = TicketEvent.objects.filter(ticket=ticket).select_related("actor", "department")
    if for_caller:
        qs = qs.filter(visible_to_caller=True)
    return qs.order_by("created_at", "id")


def ticket_track(*, number: str, phone: str) -> Ticket | None:
    """H7: the caller's ticket by number and phone, or ``None`` (never says which is wrong)."""
    number = (number or "").strip()
    if not number or len(number) > 24 or "\x00" in number:
        return None
    try:
        phone = normalise_phone(phone)
    except ApplicationError:
        return None
    if not phone:
        return None
    return (
        Ticket.objects.select_related("category", "department", "merged_into")
        .filter(number=number, caller_phone_hash=keyed_hash(phone))
        .first()
    )


def leaf_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True, parent__isnull=False).select_related("parent")


def remaining(ticket: Ticket, now: datetime.datetime | None = None) -> datetime.timedelta | None:
    if ticket.reply_due_at is None or ticket.state not in CLOCK_VALUES:
        return None
    return ticket.reply_due_at - (now or timezone.now())
