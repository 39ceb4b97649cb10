"""Reads of the halls app: which groups serve an item, free slots, who is on duty, queues.

Every list here runs a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, F, Q, QuerySet

from apps.accounts.models import ServiceWindow, User
from apps.catalogue.models import ServiceItem
from apps.halls.models import (
    Appointment,
    ExtendedHours,
    HallProfile,
    HandOut,
    HardCase,
    Opinion,
    RotaShift,
    Slot,
    SocialSupervisor,
    Ticket,
    WindowGroup,
)
from apps.halls.workflow import (
    HELD_STATES,
    OPEN_HARD_CASE_STATES,
    AppointmentState,
    HardCaseCause,
    TicketState,
    WindowKind,
)
from apps.workdays.calendar import SHANGHAI


def groups_serving(*, item: ServiceItem, hall: HallProfile | None = None) -> QuerySet[WindowGroup]:
    """The window groups that take ``item`` in (A11): those listing it, and the comprehensive
    groups of every hall where some group lists it (统一受理)."""
    listed = WindowGroup.objects.filter(items=item)
    halls_with_item = listed.values("hall_id")
    qs = WindowGroup.objects.filter(
        Q(items=item) | Q(kind=WindowKind.COMPREHENSIVE, hall_id__in=halls_with_item)
    )
    if hall is not None:
        qs = qs.filter(hall=hall)
    return qs.distinct().select_related("hall__center")


def group_serves(group: WindowGroup, item: ServiceItem) -> bool:
    return groups_serving(item=item, hall=group.hall).filter(pk=group.pk).exists()


def free_slots(
    *, item: ServiceItem, hall: HallProfile, after: datetime.datetime, limit: int = 200
) -> list[Slot]:
    """Slots of ``hall`` for ``item`` with a free place, starting after ``after``."""
    local = after.astimezone(SHANGHAI)
    groups = groups_serving(item=item, hall=hall).values("pk")
    return list(
        Slot.objects.filter(group__in=groups, booked__lt=F("capacity"))
        .filter(Q(day__gt=local.date()) | Q(day=local.date(), starts__gt=local.time()))
        .select_related("group")
        .order_by("day", "starts", "group__letter")[:limit]
    )


@dataclass(frozen=True)
class HallForItem:
    hall: HallProfile
    next_slot: Slot | None
    extra_hours: list[ExtendedHours]


# The items some window group lists, cached (issue 16: the guide page of an item no hall
# takes in asks nothing of the halls). Cleared by any change to a group or to the items it
# lists (apps.halls.receivers, which do nothing else); the TTL bounds a change that bypassed
# the model signals.
SERVED_ITEMS_KEY = "halls:served-items"
SERVED_ITEMS_TTL = 300  # seconds


def served_item_ids() -> frozenset[int]:
    """The ids of the items listed by some window group. A hall takes an item in only when
    one of its groups lists it (a comprehensive group serves the items listed in its hall:
    :func:`groups_serving`), so an item outside this set is taken in nowhere."""
    ids = cache.get(SERVED_ITEMS_KEY)
    if ids is None:
        listed = WindowGroup.items.through.objects.values_list("serviceitem_id", flat=True)
        ids = frozenset(listed.distinct())
        cache.set(SERVED_ITEMS_KEY, ids, SERVED_ITEMS_TTL)
    return ids


def served_items_changed() -> None:
    """Forget :func:`served_item_ids` (the next read asks the database)."""
    cache.delete(SERVED_ITEMS_KEY)


def halls_for_item(*, item: ServiceItem, after: datetime.datetime) -> list[HallForItem]:
    """Where ``item`` can be done in person (C9), with hours and the next free slot: four
    queries whatever the number of halls (none where no group lists the item), and one more
    when the items some group lists are not in the cache."""
    if item.pk not in served_item_ids():  # done at no hall (issue 16: the guide page)
        return []
    local = after.astimezone(SHANGHAI)
    groups = list(groups_serving(item=item))
    if not groups:  # done at no hall: one query, not four (issue 16: the guide page)
        return []
    hall_ids = sorted({g.hall_id for g in groups})
    halls = HallProfile.objects.filter(pk__in=hall_ids, center__is_active=True).select_related(
        "center"
    )
    slots = (
        Slot.objects.filter(group__in=[g.pk for g in groups], booked__lt=F("capacity"))
        .filter(Q(day__gt=local.date()) | Q(day=local.date(), starts__gt=local.time()))
        .select_related("group")
        .order_by("group__hall_id", "day", "starts")
        .distinct("group__hall_id")
    )
    next_by_hall = {s.group.hall_id: s for s in slots}
    extra: dict[int, list[ExtendedHours]] = {}
    scoped = ExtendedHours.objects.filter(hall_id__in=hall_ids).filter(
        Q(items=item) | Q(items=None)
    )
    for hours in scoped.distinct().order_by("weekday", "opens"):
        extra.setdefault(hours.hall_id, []).append(hours)
    return [
        HallForItem(hall=h, next_slot=next_by_hall.get(h.pk), extra_hours=extra.get(h.pk, []))
        for h in sorted(halls, key=lambda h: (h.center.level, h.center.code))
    ]


def on_duty(*, window_ids: list[int], at: datetime.datetime) -> dict[int, RotaShift]:
    """The shift running at ``at`` per window (R5), one query."""
    local = at.astimezone(SHANGHAI)
    shifts = RotaShift.objects.filter(
        window_id__in=window_ids, day=local.date(), starts__lte=local.time(), ends__gt=local.time()
    ).select_related("staff")
    return {s.window_id: s for s in shifts}


def is_on_duty(*, staff: User, window: ServiceWindow, at: datetime.datetime) -> bool:
    shift = on_duty(window_ids=[window.pk], at=at).get(window.pk)
    return shift is not None and shift.staff_id == staff.pk


def windows_of_staff(*, staff: User, at: datetime.datetime) -> QuerySet[ServiceWindow]:
    """The windows ``staff`` is on duty at today (the staff screen's choice)."""
    local = at.astimezone(SHANGHAI)
    return (
        ServiceWindow.objects.filter(
            shifts__staff=staff, shifts__day=local.date(), profile__isnull=False
        )
        .distinct()
        .select_related("center", "profile__group")
    )


def active_appointments(*, citizen: User) -> QuerySet[Appointment]:
    return Appointment.objects.filter(citizen=citizen, state=AppointmentState.BOOKED)


def appointments_of(*, citizen: User) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(citizen=citizen)
        .select_related("slot__group__hall__center", "item")
        .order_by("-slot__day", "-slot__starts")
    )


def waiting_counts(*, hall: HallProfile, day: datetime.date) -> dict[int, int]:
    rows = (
        Ticket.objects.filter(hall=hall, day=day, state=TicketState.WAITING)
        .values("group_id")
        .annotate(n=Count("pk"))
    )
    return {r["group_id"]: r["n"] for r in rows}


def ahead_of(ticket: Ticket) -> int:
    """How many are called before ``ticket`` in its queue."""
    return (
        Ticket.objects.filter(group_id=ticket.group_id, day=ticket.day, state=TicketState.WAITING)
        .filter(
            Q(priority__gt=ticket.priority)
            | Q(priority=ticket.priority, queued_at__lt=ticket.queued_at)
            | Q(priority=ticket.priority, queued_at=ticket.queued_at, pk__lt=ticket.pk)
        )
        .count()
    )


def call_board(*, hall: HallProfile, day: datetime.date, limit: int = 8) -> list[Ticket]:
    """The call screen (大屏): the numbers called most recently, newest first."""
    return list(
        Ticket.objects.filter(hall=hall, day=day, called_at__isnull=False)
        .exclude(state=TicketState.WAITING)
        .select_related("issued_group", "window")
        .order_by("-called_at")[:limit]
    )


def held_ticket(*, window: ServiceWindow) -> Ticket | None:
    return (
        Ticket.objects.filter(window=window, state__in=HELD_STATES)
        .select_related("issued_group", "item", "group")
        .first()
    )


def open_hard_cases() -> QuerySet[HardCase]:
    return HardCase.objects.filter(state__in=OPEN_HARD_CASE_STATES)


def hard_cases_by_cause() -> list[tuple[str, int, int]]:
    """(cause label, all cases, still open) per cause (S3: what made it hard)."""
    rows = HardCase.objects.values("cause").annotate(
        n=Count("pk"), open=Count("pk", filter=Q(state__in=OPEN_HARD_CASE_STATES))
    )
    by = {r["cause"]: (r["n"], r["open"]) for r in rows}
    return [(str(label), *by[value]) for value, label in HardCaseCause.choices if value in by]


@dataclass(frozen=True)
class HallFigures:
    hall: HallProfile
    tickets: int
    served: int
    avg_wait_minutes: float | None
    avg_serve_minutes: float | None
    appointments: int
    no_shows: int


def hall_figures(*, start: datetime.date, end: datetime.date) -> list[HallFigures]:
    """Per hall, days ``start``..``end``: numbers taken and served, mean waiting and serving
    times, appointments and no-shows (three queries)."""
    tickets: dict[int, dict[str, Any]] = {
        r["hall_id"]: dict(r)
        for r in Ticket.objects.filter(day__gte=start, day__lte=end)
        .values("hall_id")
        .annotate(
            n=Count("pk"),
            served=Count("pk", filter=Q(state=TicketState.DONE)),
            wait=Avg("wait_seconds"),
            serve=Avg("serve_seconds"),
        )
    }
    appointments: dict[int, dict[str, Any]] = {
        r["slot__group__hall_id"]: dict(r)
        for r in Appointment.objects.filter(slot__day__gte=start, slot__day__lte=end)
        .values("slot__group__hall_id")
        .annotate(
            n=Count("pk", filter=~Q(state=AppointmentState.CANCELLED)),
            no_shows=Count("pk", filter=Q(state=AppointmentState.NO_SHOW)),
        )
    }
    halls = HallProfile.objects.select_related("center").order_by("center__code")
    out = []
    for hall in halls:
        t, a = tickets.get(hall.pk, {}), appointments.get(hall.pk, {})
        out.append(
            HallFigures(
                hall=hall,
                tickets=t.get("n", 0),
                served=t.get("served", 0),
                avg_wait_minutes=_minutes(t.get("wait")),
                avg_serve_minutes=_minutes(t.get("serve")),
                appointments=a.get("n", 0),
                no_shows=a.get("no_shows", 0),
            )
        )
    return out


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 60, 1)


def comprehensive_shift_at(*, staff_id: int, at: datetime.datetime) -> RotaShift | None:
    """The comprehensive-window shift ``staff`` was on at ``at`` (A11), one query."""
    local = at.astimezone(SHANGHAI)
    return (
        RotaShift.objects.filter(
            staff_id=staff_id,
            day=local.date(),
            starts__lte=local.time(),
            ends__gt=local.time(),
            window__profile__group__kind=WindowKind.COMPREHENSIVE,
        )
        .select_related("window__profile", "window__center")
        .first()
    )


def hand_out_groups(*, staff: User, at: datetime.datetime) -> list[int]:
    """The comprehensive groups whose windows ``staff`` is on the rota at today (A11)."""
    return list(
        WindowGroup.objects.filter(
            kind=WindowKind.COMPREHENSIVE,
            windows__window__shifts__staff=staff,
            windows__window__shifts__day=at.astimezone(SHANGHAI).date(),
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def hand_outs_pending(*, group_ids: list[int]) -> QuerySet[HandOut]:
    """综合窗口出件 work list (A11): results back at these groups, not handed out yet,
    oldest decision first (the partial index ``halls_handout_pending``)."""
    return (
        HandOut.objects.filter(group_id__in=group_ids, handed_out_at__isnull=True)
        .select_related("application__item", "application__department", "window")
        .order_by("decided_at", "id")
    )


def active_supervisor(*, user: User) -> SocialSupervisor | None:
    """The 特约监督员 appointment of ``user`` if they are in office (S1)."""
    if not user.is_authenticated:
        return None
    return SocialSupervisor.objects.filter(user=user, is_active=True).first()


def opinions_of_supervisor(*, supervisor: SocialSupervisor) -> QuerySet[Opinion]:
    """A supervisor's own opinions, newest first (S1); nobody else's."""
    return (
        Opinion.objects.filter(supervisor=supervisor)
        .select_related("hall__center", "window", "item")
        .order_by("-created_at", "-id")
    )
