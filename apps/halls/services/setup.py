"""Setting a hall up: its hours, window groups, windows, duty rota and bookable slots
(DOMAIN C9, A11, A13, R5). Supervisors and system administrators (``halls.manage_halls``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import ServiceCenter, ServiceWindow, User
from apps.catalogue.models import ServiceItem
from apps.common.errors import ApplicationError
from apps.common.history import set_history_user
from apps.halls.models import (
    ExtendedHours,
    HallProfile,
    RotaShift,
    Slot,
    WindowGroup,
    WindowProfile,
)
from apps.halls.services._base import check_staff
from apps.halls.workflow import WindowKind
from apps.workdays.calendar import is_workday

MANAGE = "halls.manage_halls"


def hall_configure(*, actor: User, center: ServiceCenter, **hours) -> HallProfile:
    """The hall of ``center``, created or updated with ``hours`` (HallProfile fields)."""
    check_staff(actor, MANAGE)
    with transaction.atomic():
        hall, _created = HallProfile.objects.select_for_update().get_or_create(center=center)
        for field, value in hours.items():
            setattr(hall, field, value)
        set_history_user(hall, actor)
        hall.full_clean(exclude=["center"])
        hall.save()
    return hall


def group_create(
    *,
    actor: User,
    hall: HallProfile,
    name: str,
    letter: str,
    kind: str,
    items: Iterable[ServiceItem] = (),
    capacity_per_slot: int = 4,
) -> WindowGroup:
    check_staff(actor, MANAGE)
    if kind not in WindowKind.values:
        raise ApplicationError(_("窗口类型无效。"), code="invalid_kind")
    letter = letter.strip().upper()[:1]
    if not letter.isalpha():
        raise ApplicationError(_("号码字母须为一个英文字母。"), code="invalid_letter")
    with transaction.atomic():
        if WindowGroup.objects.filter(hall=hall, letter=letter).exists():
            raise ApplicationError(_("本大厅已有使用该字母的分组。"), code="letter_taken")
        group = WindowGroup(
            hall=hall, name=name, letter=letter, kind=kind, capacity_per_slot=capacity_per_slot
        )
        set_history_user(group, actor)
        group.save()
        group.items.set(list(items))
    return group


def window_place(*, actor: User, window: ServiceWindow, group: WindowGroup) -> WindowProfile:
    """Put ``window`` in ``group``; a window of a comprehensive group is a comprehensive
    window (A11: it takes in every item the hall serves)."""
    check_staff(actor, MANAGE)
    if window.center_id != group.hall.center_id:
        raise ApplicationError(_("窗口与分组不在同一场所。"), code="hall_mismatch")
    with transaction.atomic():
        profile, _created = WindowProfile.objects.select_for_update().get_or_create(
            window=window, defaults={"group": group}
        )
        profile.group = group
        set_history_user(profile, actor)
        profile.save()
        comprehensive = group.kind == WindowKind.COMPREHENSIVE
        if window.is_comprehensive != comprehensive:
            ServiceWindow.objects.filter(pk=window.pk).update(is_comprehensive=comprehensive)
            window.is_comprehensive = comprehensive
    return profile


def shift_add(
    *,
    actor: User,
    window: ServiceWindow,
    staff: User,
    day: datetime.date,
    starts: datetime.time,
    ends: datetime.time,
    post: str = "",
) -> RotaShift:
    """Put ``staff`` on duty at ``window``; nobody sits at two windows at once."""
    check_staff(actor, MANAGE)
    if staff.kind != User.Kind.STAFF or not staff.is_active:
        raise ApplicationError(_("只能为在岗工作人员排班。"), code="not_staff")
    if starts >= ends:
        raise ApplicationError(_("结束时间须晚于开始时间。"), code="invalid_hours")
    with transaction.atomic():
        # Lock the person's shifts of the day so two planners cannot double-book them.
        mine = list(RotaShift.objects.select_for_update().filter(staff=staff, day=day))
        if any(s.starts < ends and starts < s.ends for s in mine):
            raise ApplicationError(_("该工作人员在此时段已有排班。"), code="shift_overlap")
        taken = RotaShift.objects.filter(window=window, day=day, starts__lt=ends, ends__gt=starts)
        if taken.exists():
            raise ApplicationError(_("该窗口在此时段已有人值守。"), code="window_taken")
        shift = RotaShift(
            window=window,
            staff=staff,
            day=day,
            starts=starts,
            ends=ends,
            post=post or _("窗口受理"),
        )
        set_history_user(shift, actor)
        shift.save()
    return shift


def hours_publish(
    *,
    actor: User,
    hall: HallProfile,
    kind: str,
    weekday: int,
    opens: datetime.time,
    closes: datetime.time,
    place: str = "",
    items: Iterable[ServiceItem] = (),
) -> ExtendedHours:
    """延时服务 or 错峰服务 with its item scope, time and place (seed 002 §10)."""
    check_staff(actor, MANAGE)
    if opens >= closes:
        raise ApplicationError(_("结束时间须晚于开始时间。"), code="invalid_hours")
    with transaction.atomic():
        hours = ExtendedHours.objects.create(
            hall=hall, kind=kind, weekday=weekday, opens=opens, closes=closes, place=place
        )
        hours.items.set(list(items))
    return hours


def _periods(hall: HallProfile, day: datetime.date) -> list[tuple[datetime.time, datetime.time]]:
    step = datetime.timedelta(minutes=hall.slot_minutes)
    out = []
    for opens, closes in hall.periods():
        start = datetime.datetime.combine(day, opens)
        while start + step <= datetime.datetime.combine(day, closes):
            out.append((start.time(), (start + step).time()))
            start += step
    return out


def slots_open(*, hall: HallProfile, start: datetime.date, days: int | None = None) -> int:
    """Create the slots of the next ``days`` working days from ``start`` for every group of
    the hall that takes appointments; holidays get none (official calendar). Idempotent:
    an existing slot is left as it is. Returns how many were created."""
    days = hall.booking_days if days is None else days
    groups = list(hall.groups.filter(capacity_per_slot__gt=0))
    rows: list[Slot] = []
    day, found = start, 0
    while found < days:
        if is_workday(day):
            found += 1
            for starts, ends in _periods(hall, day):
                rows.extend(
                    Slot(group=g, day=day, starts=starts, ends=ends, capacity=g.capacity_per_slot)
                    for g in groups
                )
        day += datetime.timedelta(days=1)
    scope = Slot.objects.filter(group__in=groups, day__gte=start, day__lt=day)
    before = scope.count()
    Slot.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return scope.count() - before


def group_update(
    *,
    actor: User,
    group: WindowGroup,
    name: str,
    capacity_per_slot: int,
    items: Iterable[ServiceItem],
) -> WindowGroup:
    """Rename a group, change its capacity (future slots only) or the items it serves."""
    check_staff(actor, MANAGE)
    with transaction.atomic():
        locked = WindowGroup.objects.select_for_update().get(pk=group.pk)
        locked.name, locked.capacity_per_slot = name, capacity_per_slot
        set_history_user(locked, actor)
        locked.save()
        locked.items.set(list(items))
    return locked
