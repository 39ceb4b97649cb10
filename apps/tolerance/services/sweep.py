"""Reminders before each supplement deadline and the consequence of a missed one (T2, T3).

:func:`sweep_tolerated_materials` walks what is due in keyset chunks with ``SKIP LOCKED``
(rows another worker holds are left for the next run). A unique mark row per material and
threshold makes each reminder happen once; revocation goes through ``close_case``, whose
edge check and the supply states make it happen once, however often the sweep runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications.due_selectors import keyset
from apps.applications.models import Application, TimelineEvent
from apps.applications.services import (
    Message,
    application_withhold_result,
    close_case,
    revocation_ending,
)
from apps.applications.workflow import ACCEPTED_OPEN_STATES, State
from apps.tolerance import due
from apps.tolerance.models import MaterialSupply, ReminderMark
from apps.tolerance.services import _base
from apps.tolerance.workflow import OWED_VALUES, SupplyState
from apps.workdays.calendar import working_days_between

BATCH_SIZE = 500

# What a lapse does to the case (T3).
REVOKED = "revoked"
WITHHELD = "withheld"  # decided before the lapse: the result is never released
NOTHING = "nothing"


@dataclass
class SweepReport:
    reminded: int = 0
    revoked: int = 0
    withheld: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def sweep_tolerated_materials(
    *, today: date | None = None, batch_size: int = BATCH_SIZE
) -> SweepReport:
    """T2/T3: remind what is due soon, then act on what has lapsed. Idempotent."""
    today = today or timezone.localdate()
    report = SweepReport(reminded=_remind(today, batch_size))
    for outcome in _lapse(today, batch_size):
        if outcome == REVOKED:
            report.revoked += 1
        elif outcome == WITHHELD:
            report.withheld += 1
    return report


# --- Reminders -----------------------------------------------------------------------------


def _remind(today: date, batch_size: int) -> int:
    qs = due.reminders_due(today)
    thresholds = due.reminder_thresholds()
    sent = 0
    for ids in keyset(qs, "due_date", batch_size):
        with transaction.atomic():
            rows = list(
                qs.filter(pk__in=ids)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("tolerated__guide_material", "application__applicant")
                .order_by("pk")
            )
            marked = set(
                ReminderMark.objects.filter(supply__in=rows).values_list("supply_id", "days_before")
            )
            for supply in rows:
                if _remind_one(supply, today, thresholds, marked):
                    sent += 1
    return sent


def _remind_one(
    supply: MaterialSupply, today: date, thresholds: list[int], marked: set[tuple[int, int]]
) -> bool:
    """One reminder for the nearest threshold not yet marked; every threshold already
    passed is marked with it (a late first run sends one message, not two)."""
    true_due = supply.tolerated.due_date
    if true_due != supply.due_date:  # a calendar change extended it (T2): follow it
        supply.due_date = true_due
        supply.save(update_fields=["due_date", "updated_at"])
    if true_due < today:
        return False
    left = working_days_between(today, true_due)
    owed = [t for t in thresholds if left <= t and (supply.pk, t) not in marked]
    if not owed:
        return False
    ReminderMark.objects.bulk_create(
        [ReminderMark(supply=supply, days_before=t) for t in owed], ignore_conflicts=True
    )
    application = supply.application
    name = supply.tolerated.guide_material.name
    _base.tell_applicant(
        application,
        title=_("容缺材料补齐提醒"),
        body=_(
            "申请编号 %(number)s 的容缺材料“%(name)s”须于 %(due)s 前补齐（剩余 %(left)d 个"
            "工作日）。逾期未补齐的，将撤销受理。"
        )
        % {"number": application.number, "name": name, "due": true_due, "left": left},
        dedupe_key=f"tolerance:remind:{supply.pk}:{min(owed)}",
    )
    _base.timeline(
        application,
        actor=None,
        kind=TimelineEvent.Kind.REMINDER,
        reason=_("提醒补齐容缺材料“%(name)s”（期限 %(due)s）") % {"name": name, "due": true_due},
        payload={"supply_id": supply.pk, "days_before": min(owed)},
    )
    return True


# --- Lapse: T3 -----------------------------------------------------------------------------


def _lapse(today: date, batch_size: int) -> list[str]:
    qs = due.lapsed(today)
    outcomes: list[str] = []
    for ids in keyset(qs, "due_date", batch_size):
        with transaction.atomic():
            application_ids = sorted(
                set(
                    qs.filter(pk__in=ids)
                    .select_for_update(skip_locked=True, of=("self",))
                    .values_list("application_id", flat=True)
                )
            )
            free = set(
                Application.objects.filter(pk__in=application_ids)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)
            )
            for application_id in application_ids:
                if application_id in free:  # else someone is changing it: the next run acts
                    outcomes.append(tolerance_lapse(application_id=application_id, today=today))
    return outcomes


def _lapse_reason(lapsed: list[MaterialSupply]) -> str:
    parts = []
    for supply in lapsed:
        name = supply.tolerated.guide_material.name
        if supply.state == SupplyState.REJECTED:
            parts.append(
                _("%(name)s补交后仍不符合要求（%(why)s），补齐期限 %(due)s 已届满")
                % {"name": name, "why": supply.reason, "due": supply.due_date}
            )
        else:
            parts.append(
                _("%(name)s逾期未补齐（补齐期限 %(due)s）") % {"name": name, "due": supply.due_date}
            )
    return _("容缺受理后，") + "；".join(parts)


def tolerance_lapse(*, application_id: int, today: date) -> str:
    """T3: a tolerated material still missing or rejected after its deadline → acceptance
    is revoked (撤销受理通知书 with the reasons and the remedies, A9; applicant and the
    handling staff told; a 一件事 member completes its bundle — all by ``close_case``).

    A case already decided keeps its decision but its result is never released: it becomes
    结果不予发放 (``application_withhold_result``), archived or not. Safe to call again: a
    second call finds nothing owed and past due, and changes nothing."""
    with transaction.atomic():
        application = _base.lock_application(application_id)
        supplies = list(
            MaterialSupply.objects.select_for_update(of=("self",))
            .select_related("tolerated__guide_material")
            .filter(application=application, state__in=OWED_VALUES)
            .order_by("due_date", "pk")
        )
        lapsed = []
        for supply in supplies:
            if supply.tolerated.due_date != supply.due_date:  # extended by the calendar (T2)
                supply.due_date = supply.tolerated.due_date
                supply.save(update_fields=["due_date", "updated_at"])
            if supply.due_date < today:
                lapsed.append(supply)
        if not lapsed:
            return NOTHING
        reason = _lapse_reason(lapsed)
        for supply in lapsed:
            supply.supplied_on_time = False
            _base.move(supply, SupplyState.LAPSED, actor=None, reason=supply.reason)
        if application.state in ACCEPTED_OPEN_STATES:
            close_case(
                application, actor=None, ending=revocation_ending(application, reason=reason)
            )
            _base.tell_handler(
                application,
                title=_("容缺受理已撤销"),
                body=_("申请编号 %(number)s 已撤销受理：%(reason)s。")
                % {"number": application.number, "reason": reason},
                dedupe_key=f"tolerance:revoked:{application.pk}",
            )
            return REVOKED
        if application.state == State.APPROVED or (
            application.state == State.ARCHIVED and application.outcome == State.APPROVED
        ):
            application_withhold_result(
                application_id=application.pk,
                actor=None,
                reason=reason,
                message=Message(
                    event="result_withheld",
                    title=_("容缺材料逾期未补齐"),
                    body=_("申请编号 %(number)s：%(reason)s，办理结果不予发放。")
                    % {"number": application.number, "reason": reason},
                ),
            )
            _base.tell_handler(
                application,
                title=_("容缺材料逾期未补齐"),
                body=_("申请编号 %(number)s 已作出决定，但%(reason)s，结果不予发放，请依法处理。")
                % {"number": application.number, "reason": reason},
                dedupe_key=f"tolerance:withheld:{application.pk}",
            )
            return WITHHELD
        return NOTHING
