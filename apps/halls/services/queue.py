"""Queue numbers: taking one (现场取号, or by appointment code), calling, recalling, skipping,
transferring and finishing at a window (seed 002 §10; DOMAIN A13, A11, R1).

Two windows pressing 叫号 at once never get the same number: the next waiting ticket is
taken with ``SELECT … FOR UPDATE SKIP LOCKED`` and a window holds at most one ticket (a
partial unique index). Numbers are drawn from a per-group, per-day counter row under its
lock, so no number is given twice."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import ServiceWindow, User
from apps.catalogue.models import ServiceItem
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.idnumbers import birth_date_of
from apps.halls import selectors
from apps.halls.models import (
    Appointment,
    HallEvent,
    HallProfile,
    Ticket,
    TicketCounter,
    WindowGroup,
    WindowProfile,
)
from apps.halls.rules import rules
from apps.halls.services._base import check_edge, check_staff, local_now, now, record
from apps.halls.services.booking import slot_start
from apps.halls.workflow import (
    APPOINTMENT_TRANSITIONS,
    HELD_STATES,
    TICKET_TRANSITIONS,
    AppointmentState,
    GreenReason,
    Priority,
    TicketState,
    WindowKind,
)
from apps.reviews.models import ServiceEvent
from apps.reviews.services import review_event_open
from apps.reviews.workflow import EventKind


def _age(user: User, today: datetime.date) -> int | None:
    if not user.id_number:
        return None
    born = birth_date_of(user.id_number)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _priority(citizen: User | None, green_reason: str, base: int) -> tuple[int, str]:
    """The green channel by rule (A13): a declared reason, or the age on the ID number."""
    if green_reason and green_reason not in GreenReason.values:
        raise ApplicationError(_("绿色通道原因无效。"), code="invalid_green_reason")
    if not green_reason and citizen is not None:
        age = _age(citizen, local_now().date())
        if age is not None and age >= rules().elderly_age:
            green_reason = GreenReason.ELDERLY
    if green_reason:
        return Priority.GREEN_CHANNEL, green_reason
    return base, ""


def _group_for(hall: HallProfile, item: ServiceItem | None, group: WindowGroup | None):
    if group is not None:
        if group.hall_id != hall.pk:
            raise ApplicationError(_("该窗口分组不在本大厅。"), code="hall_mismatch")
        if item is not None and not selectors.group_serves(group, item):
            raise ApplicationError(_("该窗口不办理此事项。"), code="item_not_served")
        return group
    if item is None:
        raise ApplicationError(_("请选择办理事项或窗口。"), code="item_required")
    # 一窗受理 (A11): the comprehensive windows first, where the hall has them.
    groups = sorted(
        selectors.groups_serving(item=item, hall=hall),
        key=lambda g: (g.kind != WindowKind.COMPREHENSIVE, g.letter),
    )
    if not groups:
        raise ApplicationError(_("本大厅不办理该事项。"), code="item_not_served")
    return groups[0]


def _draw_number(group: WindowGroup, day: datetime.date) -> int:
    TicketCounter.objects.bulk_create([TicketCounter(group=group, day=day)], ignore_conflicts=True)
    counter = TicketCounter.objects.select_for_update().get(group=group, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _issue(*, hall, group, item, citizen, priority, green_reason, appointment=None) -> Ticket:
    moment = now()
    day = local_now(moment).date()
    ticket = Ticket.objects.create(
        hall=hall,
        group=group,
        issued_group=group,
        day=day,
        number=_draw_number(group, day),
        item=item,
        appointment=appointment,
        citizen=citizen,
        priority=priority,
        green_reason=green_reason,
        taken_at=moment,
        queued_at=moment,
    )
    record(HallEvent.Kind.TICKET_TAKEN, actor=citizen, ticket=ticket, appointment=appointment)
    return ticket


def ticket_take(
    *,
    hall: HallProfile,
    item: ServiceItem | None = None,
    group: WindowGroup | None = None,
    citizen: User | None = None,
    green_reason: str = "",
) -> Ticket:
    """现场取号 at the kiosk: anybody, signed in or not."""
    with transaction.atomic():
        group = _group_for(hall, item, group)
        priority, reason = _priority(citizen, green_reason, Priority.WALK_IN)
        return _issue(
            hall=hall,
            group=group,
            item=item,
            citizen=citizen,
            priority=priority,
            green_reason=reason,
        )


def ticket_take_by_code(*, hall: HallProfile, code: str, green_reason: str = "") -> Ticket:
    """A number by appointment code, from ``checkin_early_minutes`` before the slot until
    ``no_show_grace_minutes`` after its start; it comes before walk-ins (A13)."""
    code = (code or "").strip().upper()
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("slot__group", "citizen", "item")
            .filter(code=code, slot__group__hall=hall)
            .first()
        )
        if appointment is None:
            raise ApplicationError(_("预约码无效，或不是本大厅的预约。"), code="unknown_code")
        if appointment.state != AppointmentState.BOOKED:
            raise ApplicationError(
                _("该预约%(state)s，不能取号。") % {"state": appointment.get_state_display()},
                code="appointment_used",
            )
        start, r, moment = slot_start(appointment.slot), rules(), now()
        if moment < start - datetime.timedelta(minutes=r.checkin_early_minutes):
            opens = local_now(start - datetime.timedelta(minutes=r.checkin_early_minutes))
            raise ApplicationError(
                _("请于 %(time)s 后凭预约码取号。") % {"time": f"{opens:%m-%d %H:%M}"},
                code="too_early",
            )
        if moment > start + datetime.timedelta(minutes=r.no_show_grace_minutes):
            raise ApplicationError(_("已超过预约时段，请现场取号。"), code="too_late")
        check_edge(
            APPOINTMENT_TRANSITIONS,
            appointment.state,
            AppointmentState.CHECKED_IN,
            appointment.get_state_display(),
        )
        appointment.state = AppointmentState.CHECKED_IN
        appointment.closed_at = moment
        appointment.save(update_fields=["state", "closed_at", "updated_at"])
        priority, reason = _priority(appointment.citizen, green_reason, Priority.APPOINTMENT)
        return _issue(
            hall=hall,
            group=appointment.slot.group,
            item=appointment.item,
            citizen=appointment.citizen,
            priority=priority,
            green_reason=reason,
            appointment=appointment,
        )


def _window_actor(actor: User, window: ServiceWindow) -> WindowProfile:
    """Staff act at a window they are on duty at (the rota), or as hall managers; the
    window's row is locked so one window's presses are handled one after the other."""
    check_staff(actor, "halls.operate_window")
    if not actor.has_perm("halls.manage_halls") and not selectors.is_on_duty(
        staff=actor, window=window, at=now()
    ):
        raise PermissionDeniedError(_("您当前不在该窗口值班。"))
    profile = (
        WindowProfile.objects.select_for_update()
        .select_related("group")
        .filter(window=window)
        .first()
    )
    if profile is None:
        raise ApplicationError(_("该窗口未纳入大厅排队。"), code="window_not_in_hall")
    return profile


def _held(window: ServiceWindow) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("issued_group", "item", "citizen", "group")
        .filter(window=window, state__in=HELD_STATES)
        .first()
    )
    if ticket is None:
        raise ApplicationError(_("本窗口当前没有正在办理的号。"), code="nothing_held")
    return ticket


def _move(ticket: Ticket, state: str, actor: User, kind: str, note: str = "", **fields) -> None:
    check_edge(TICKET_TRANSITIONS, ticket.state, state, ticket.get_state_display())
    ticket.state = state
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.save()
    record(kind, actor=actor, ticket=ticket, note=note)


def ticket_call_next(*, actor: User, window: ServiceWindow) -> Ticket | None:
    """叫号: the next ticket of the window's queue, by priority then queueing time. None
    when nobody is waiting."""
    with transaction.atomic():
        profile = _window_actor(actor, window)
        if Ticket.objects.filter(window=window, state__in=HELD_STATES).exists():
            raise ApplicationError(_("请先办结或过号当前的号，再叫下一位。"), code="still_held")
        ticket = (
            Ticket.objects.select_for_update(skip_locked=True)
            .filter(group=profile.group, day=local_now().date(), state=TicketState.WAITING)
            .order_by("-priority", "queued_at", "pk")
            .first()
        )
        if ticket is None:
            return None
        moment = now()
        _move(
            ticket,
            TicketState.CALLING,
            actor,
            HallEvent.Kind.CALLED,
            window=window,
            served_by=actor,
            called_at=moment,
            call_count=1,
            wait_seconds=int((moment - ticket.taken_at).total_seconds()),
        )
        return ticket


def ticket_recall(*, actor: User, window: ServiceWindow) -> Ticket:
    with transaction.atomic():
        _window_actor(actor, window)
        ticket = _held(window)
        if ticket.state != TicketState.CALLING:
            raise ApplicationError(_("该号已在办理中。"), code="already_serving")
        ticket.call_count += 1
        ticket.called_at = now()
        ticket.save(update_fields=["call_count", "called_at"])
        record(HallEvent.Kind.RECALLED, actor=actor, ticket=ticket)
        return ticket


def ticket_start(*, actor: User, window: ServiceWindow) -> Ticket:
    with transaction.atomic():
        _window_actor(actor, window)
        ticket = _held(window)
        _move(ticket, TicketState.SERVING, actor, HallEvent.Kind.SERVING, serving_at=now())
        return ticket


def ticket_skip(*, actor: User, window: ServiceWindow) -> Ticket:
    """过号: called and not come to the window."""
    with transaction.atomic():
        _window_actor(actor, window)
        ticket = _held(window)
        _move(ticket, TicketState.SKIPPED, actor, HallEvent.Kind.SKIPPED, finished_at=now())
        return ticket


def ticket_transfer(
    *, actor: User, window: ServiceWindow, to_group: WindowGroup, note: str = ""
) -> Ticket:
    """转窗口: back in the queue of another group of the hall, keeping its place."""
    with transaction.atomic():
        profile = _window_actor(actor, window)
        ticket = _held(window)
        if to_group.hall_id != profile.group.hall_id or to_group.pk == ticket.group_id:
            raise ApplicationError(_("请选择本大厅的其他窗口分组。"), code="invalid_group")
        if ticket.item is not None and not selectors.group_serves(to_group, ticket.item):
            raise ApplicationError(_("该窗口不办理此事项。"), code="item_not_served")
        _move(
            ticket,
            TicketState.WAITING,
            actor,
            HallEvent.Kind.TRANSFERRED,
            note=note or to_group.name,
            group=to_group,
            window=None,
        )
        return ticket


def ticket_finish(*, actor: User, window: ServiceWindow) -> Ticket:
    """办结: the service is recorded with its times and opened for rating (R1, 一次一评)."""
    with transaction.atomic():
        _window_actor(actor, window)
        ticket = _held(window)
        moment = now()
        began = ticket.serving_at or ticket.called_at or moment
        _move(
            ticket,
            TicketState.DONE,
            actor,
            HallEvent.Kind.FINISHED,
            finished_at=moment,
            serving_at=began,
            serve_seconds=int((moment - began).total_seconds()),
        )
        _open_rating(ticket, window, actor)
        return ticket


def _open_rating(ticket: Ticket, window: ServiceWindow, actor: User) -> ServiceEvent | None:
    department = ticket.item.implementing_department if ticket.item else window.departments.first()
    if department is None:
        return None
    return review_event_open(
        kind=EventKind.HALL_TICKET,
        reference=str(ticket.pk),
        department=department,
        item=ticket.item,
        window=window,
        staff=actor,
        subject=ticket.citizen,
        opened_by=actor,
        expires_at=now() + datetime.timedelta(minutes=settings.REVIEWS_WINDOW_TOKEN_MINUTES),
    )
