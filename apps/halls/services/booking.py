"""Booking a slot, cancelling it, reminders and no-shows (预约; DOMAIN C3, A13, A14).

A slot's ``booked`` count moves only under that slot's row lock and the database refuses
more than its capacity; a person's own bookings are serialised on their user row so the
per-person limit holds under double clicks too."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue.models import ServiceItem
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.halls import selectors
from apps.halls.models import Appointment, HallEvent, Slot
from apps.halls.rules import rules
from apps.halls.services._base import at_local, check_edge, now, record
from apps.halls.workflow import APPOINTMENT_TRANSITIONS, AppointmentState
from apps.notifications.services import notify
from apps.workdays.calendar import is_workday

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out at a kiosk


def slot_start(slot: Slot) -> datetime.datetime:
    return at_local(slot.day, slot.starts)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _check_citizen(citizen: User | None) -> User:
    if citizen is None or not citizen.is_authenticated or not citizen.is_active:
        raise PermissionDeniedError(_("请先登录后预约。"))
    if citizen.kind == User.Kind.STAFF:
        raise PermissionDeniedError(_("工作人员账号不能预约办事。"))
    return citizen


def _check_not_suspended(citizen: User, moment: datetime.datetime) -> None:
    """Repeated no-shows suspend online booking for a while (the hall's no-show rule)."""
    r = rules()
    recent = [
        closed
        for closed in Appointment.objects.filter(
            citizen=citizen,
            state=AppointmentState.NO_SHOW,
            closed_at__gte=moment - datetime.timedelta(days=r.no_show_window_days),
        )
        .order_by("-closed_at")
        .exclude(closed_at=None)
        .values_list("closed_at", flat=True)[: r.no_show_limit]
        if closed is not None
    ]
    if len(recent) >= r.no_show_limit:
        until = recent[0] + datetime.timedelta(days=r.no_show_ban_days)
        if moment < until:
            raise ApplicationError(
                _("您近期多次预约未到，%(date)s 前暂停网上预约，可到现场取号办理。")
                % {"date": f"{until.date():%Y-%m-%d}"},
                code="booking_suspended",
            )


def _check_limits(citizen: User, item: ServiceItem, slot: Slot) -> None:
    active = selectors.active_appointments(citizen=citizen)
    if active.filter(item=item, slot__day=slot.day).exists():
        raise ApplicationError(_("您已预约当天办理该事项。"), code="duplicate_booking")
    if active.count() >= rules().max_active_appointments:
        raise ApplicationError(
            _("您已有 %(n)s 个未使用的预约，请先办理或取消。")
            % {"n": rules().max_active_appointments},
            code="too_many_bookings",
        )


def appointment_book(*, citizen: User, slot_id: int, item: ServiceItem) -> Appointment:
    """Book one place in a slot for ``item`` (C3). Refused: a holiday, a past slot, a full
    slot, a group that does not take the item, the per-person limit, a no-show suspension."""
    citizen = _check_citizen(citizen)
    moment = now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=citizen.pk).first()  # per-person order
        try:
            slot = Slot.objects.select_for_update().select_related("group__hall").get(pk=slot_id)
        except Slot.DoesNotExist as exc:
            raise ApplicationError(_("预约时段不存在。"), code="slot_not_found") from exc
        if not slot.group.hall.is_bookable:
            raise ApplicationError(_("该场所暂未开放网上预约。"), code="not_bookable")
        if not is_workday(slot.day):
            raise ApplicationError(_("该日为休息日，不办理预约。"), code="holiday")
        if slot_start(slot) <= moment:
            raise ApplicationError(_("该时段已开始，请选择其他时段。"), code="slot_past")
        if not selectors.group_serves(slot.group, item):
            raise ApplicationError(_("该窗口不办理此事项。"), code="item_not_served")
        _check_not_suspended(citizen, moment)
        _check_limits(citizen, item, slot)
        if slot.booked >= slot.capacity:
            raise ApplicationError(_("该时段已约满，请选择其他时段。"), code="slot_full")
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
        appointment = Appointment(slot=slot, item=item, citizen=citizen, code=_new_code())
        set_history_user(appointment, citizen)
        appointment.save()
        record(HallEvent.Kind.BOOKED, actor=citizen, appointment=appointment)
        _tell(appointment, _("预约成功"), _confirmation_text(appointment), "booked")
    return appointment


def _confirmation_text(appointment: Appointment) -> str:
    slot = appointment.slot
    return _(
        "您已预约 %(day)s %(start)s-%(end)s 在%(hall)s办理“%(item)s”，预约码 %(code)s。"
        "请按时到场，凭预约码在取号机取号；如不能前往请提前取消。"
    ) % {
        "day": f"{slot.day:%Y-%m-%d}",
        "start": f"{slot.starts:%H:%M}",
        "end": f"{slot.ends:%H:%M}",
        "hall": slot.group.hall.center.name,
        "item": appointment.item.name,
        "code": appointment.code,
    }


def _tell(appointment: Appointment, title: str, body: str, key: str) -> None:
    notify(
        recipient=appointment.citizen,
        title=title,
        body=body,
        category="hall",
        link=reverse("halls:appointment", args=[appointment.code]),
        channels=("inbox", "sms"),
        dedupe_key=f"hall-appointment:{appointment.pk}:{key}",
    )


def _lock(appointment_id: int) -> Appointment:
    try:
        return (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("slot__group__hall__center", "item", "citizen")
            .get(pk=appointment_id)
        )
    except Appointment.DoesNotExist as exc:
        raise ApplicationError(_("预约不存在。"), code="not_found") from exc


def _release(appointment: Appointment, state: str, actor: User | None, kind: str, note: str):
    check_edge(APPOINTMENT_TRANSITIONS, appointment.state, state, appointment.get_state_display())
    Slot.objects.select_for_update().filter(pk=appointment.slot_id).update(booked=F("booked") - 1)
    appointment.state = state
    appointment.closed_at = now()
    set_history_user(appointment, actor)
    appointment.save(update_fields=["state", "closed_at", "updated_at"])
    record(kind, actor=actor, appointment=appointment, note=note)


def appointment_cancel(*, actor: User, appointment_id: int, reason: str = "") -> Appointment:
    """The citizen gives the place back, no later than the cut-off before the slot."""
    with transaction.atomic():
        appointment = _lock(appointment_id)
        if actor is None or appointment.citizen_id != actor.pk:
            raise ApplicationError(_("预约不存在。"), code="not_found")
        cutoff = rules().cancel_cutoff_minutes
        if now() > slot_start(appointment.slot) - datetime.timedelta(minutes=cutoff):
            raise ApplicationError(
                _("距预约时段开始不足 %(n)s 分钟，不能取消。") % {"n": cutoff},
                code="too_late_to_cancel",
            )
        _release(appointment, AppointmentState.CANCELLED, actor, HallEvent.Kind.CANCELLED, reason)
        _tell(
            appointment,
            _("预约已取消"),
            _("您的预约 %(code)s 已取消。") % {"code": appointment.code},
            "cancelled",
        )
    return appointment


def appointment_mark_no_show(*, appointment_id: int) -> Appointment | None:
    """After the grace period an unused appointment is a no-show and its place is released
    (the system acts; no person). Idempotent: anything but a due booking is left alone."""
    with transaction.atomic():
        appointment = _lock(appointment_id)
        grace = datetime.timedelta(minutes=rules().no_show_grace_minutes)
        if appointment.state != AppointmentState.BOOKED:
            return None
        if now() < slot_start(appointment.slot) + grace:
            return None
        _release(appointment, AppointmentState.NO_SHOW, None, HallEvent.Kind.NO_SHOW, "")
    return appointment


def appointment_remind(*, appointment_id: int) -> bool:
    """The reminder the day before (A14), once per appointment."""
    with transaction.atomic():
        appointment = _lock(appointment_id)
        if appointment.state != AppointmentState.BOOKED or appointment.reminded_at:
            return False
        appointment.reminded_at = now()
        appointment.save(update_fields=["reminded_at", "updated_at"])
        record(HallEvent.Kind.REMINDED, actor=None, appointment=appointment)
        _tell(appointment, _("预约办事提醒"), _confirmation_text(appointment), "reminder")
    return True
