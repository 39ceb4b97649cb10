"""Deadlines follow the official calendar (DOMAIN A7, A4a, A15, T2; issue 7).

When the working-day calendar changes (a year's holidays published, a day corrected), the
calendar app calls :func:`application_deadlines_follow_calendar` through its
calendar-changed hook (registered in ``ApplicationsConfig.ready``), batch by batch, in a
task after the change committed. Each batch recomputes, through the clock code
(:func:`.clock.clock_fields`), the deadlines of the open cases whose window reaches a
changed day:

* accepted and undecided cases (incl. suspended ones): ``due_date``, ``yellow_on``;
* submitted cases waiting for the intake decision: ``intake_due_date`` (A4a);
* tolerated materials not yet supplied (T2): their supplement deadline is *extended* when
  the change lengthens it, never shortened — the applicant was told that date in writing
  and must be able to rely on it, whereas the decision deadlines bind the department and
  follow the calendar both ways;
* the provisional mark (按暂定日历计算), set or cleared with the window's years.

Correction deadlines (A5) are not recomputed: staff choose them as a calendar date, which
the sealed correction notice states; nothing counts them in working days.

When a date the applicant sees moves, the case gets one timeline row and the applicant one
notice (dedupe key per case and change). Idempotent: a second run computes the same dates,
finds nothing to change and writes nothing.

Cost follows the cases a change reaches, not the cases open: each selection is a range
over a partial index of open cases (``app_open_due_idx``, ``app_intake_due_idx``,
``app_supplement_due_idx``) starting at the first changed day, walked in keyset order; a
case whose deadline falls before the change is never read.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.applications.models import Application, Suspension, TimelineEvent, ToleratedMaterial
from apps.applications.models.cases import WarningLevel
from apps.applications.services import _base
from apps.applications.services.clock import clock_fields, periods_from_rows
from apps.applications.workflow import ACCEPTED_OPEN_STATES, State
from apps.workdays.calendar import SHANGHAI, add_working_days, local_date, reload_calendar
from apps.workdays.hooks import CalendarChanged, ListenerStep

LISTENER_NAME = "applications.deadlines"
BATCH_SIZE = 500
_OPEN = sorted(s.value for s in ACCEPTED_OPEN_STATES)
_UPDATED_FIELDS = [
    "intake_due_date",
    "due_date",
    "yellow_on",
    "calendar_provisional",
    "warning_level",
    "supplement_due_date",
    "updated_at",
]
# Dates the applicant is shown, with how the timeline row and notice name them.
_SHOWN = {"intake_due_date": gettext_lazy("受理决定期限"), "due_date": gettext_lazy("办结期限")}
_LABELS = {**_SHOWN, "supplement_due_date": gettext_lazy("容缺材料补齐期限")}


# --- Selecting the cases a change reaches ------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class _Selection:
    """Open cases whose window (``start_field`` day, ``date_field``] reaches a changed day:
    ``date_field >= first`` and the start day before ``last``, for some span."""

    name: str
    states: tuple[str, ...]
    date_field: str
    start_field: str

    def queryset(self, change: CalendarChanged) -> QuerySet[Application]:
        reaches = Q()
        for first, last in change.spans:
            reaches |= Q(
                **{f"{self.date_field}__gte": first, f"{self.start_field}__lt": _start_of(last)}
            )
        return Application.objects.filter(
            reaches, state__in=self.states, **{f"{self.date_field}__gte": change.first}
        )


SELECTIONS = (
    _Selection("decision", tuple(_OPEN), "due_date", "accepted_at"),
    _Selection("intake", (State.SUBMITTED.value,), "intake_due_date", "materials_received_at"),
    _Selection(
        "supplement", (State.TOLERANT_ACCEPTED.value,), "supplement_due_date", "accepted_at"
    ),
)


def _next_ids(
    selection: _Selection,
    change: CalendarChanged,
    after: tuple[datetime.date, int] | None,
    batch_size: int,
) -> list[tuple[datetime.date, int]]:
    """The next ``batch_size`` keys ``(date, id)`` after ``after``, in index order."""
    qs = selection.queryset(change)
    field = selection.date_field
    if after is not None:
        qs = qs.filter(Q(**{f"{field}__gt": after[0]}) | Q(**{field: after[0], "pk__gt": after[1]}))
    return list(qs.order_by(field, "pk").values_list(field, "pk")[:batch_size])


def _parse_cursor(cursor: str | None) -> tuple[int, tuple[datetime.date, int] | None]:
    if not cursor:
        return 0, None
    name, day, pk = cursor.split("|")
    index = next(i for i, s in enumerate(SELECTIONS) if s.name == name)
    return index, (datetime.date.fromisoformat(day), int(pk))


def application_deadlines_follow_calendar(
    *, change: CalendarChanged, cursor: str | None, batch_size: int = BATCH_SIZE
) -> ListenerStep:
    """The calendar-changed listener (see :mod:`apps.workdays.hooks`): recompute the next
    batch of open cases the change reaches, after ``cursor``; ``cursor=None`` when done."""
    index, after = _parse_cursor(cursor)
    for position in range(index, len(SELECTIONS)):
        selection = SELECTIONS[position]
        keys = _next_ids(selection, change, after if position == index else None, batch_size)
        if keys:
            changed = _recompute([pk for _day, pk in keys], change=change)
            last_day, last_pk = keys[-1]
            return ListenerStep(
                cursor=f"{selection.name}|{last_day.isoformat()}|{last_pk}", changed=changed
            )
    return ListenerStep(cursor=None)


# --- Recomputing one batch -------------------------------------------------------------


def _suspensions_by_case(ids: list[int]) -> dict[int, list[tuple]]:
    rows: dict[int, list[tuple]] = defaultdict(list)
    for app_id, started_on, ended_on, limit in Suspension.objects.filter(
        application_id__in=ids
    ).values_list("application_id", "started_on", "ended_on", "limit_days"):
        rows[app_id].append((started_on, ended_on, limit))
    return rows


def _extend_supplements(
    application: Application, materials: Iterable[ToleratedMaterial]
) -> list[ToleratedMaterial]:
    """T2: a tolerated material's deadline, counted again from acceptance, if later."""
    if application.accepted_at is None:
        return []
    accepted_on = local_date(application.accepted_at)
    extended = []
    for material in materials:
        days = material.guide_material.supplement_days
        if days is None:
            continue
        due = add_working_days(accepted_on, days)
        if due > material.due_date:
            material.due_date = due
            extended.append(material)
    return extended


@dataclass
class _Moved:
    application: Application
    dates: dict[str, tuple[Any, Any]]  # field → (before, after), dates the applicant sees
    provisional_cleared: bool


def _recompute_case(
    application: Application, suspension_rows: list[tuple], materials: list[ToleratedMaterial]
) -> tuple[bool, _Moved | None, list[ToleratedMaterial]]:
    """Apply the clock's fields to ``application``; say what changed and what the applicant
    must be told."""
    fields = clock_fields(application, suspensions=periods_from_rows(suspension_rows))
    diff = {
        field: (getattr(application, field), value)
        for field, value in fields.items()
        if getattr(application, field) != value
    }
    extended = _extend_supplements(application, materials) if materials else []
    if not diff and not extended:
        return False, None, []
    for field, (_old, new) in diff.items():
        setattr(application, field, new)
    if "due_date" in diff or "yellow_on" in diff:
        # As after an extension: supervision sets the level again on its next run, and its
        # marks keep a reminder already sent from being sent twice (A15).
        application.warning_level = WarningLevel.GREEN
    shown = {field: diff[field] for field in _SHOWN if field in diff}
    latest = max((m.due_date for m in extended), default=None)
    old_supplement = application.supplement_due_date
    if latest is not None and (old_supplement is None or latest > old_supplement):
        shown["supplement_due_date"] = (old_supplement, latest)
        application.supplement_due_date = latest
    cleared = diff.get("calendar_provisional") == (True, False)
    return True, (_Moved(application, shown, cleared) if shown else None), extended


def _describe(moved: _Moved) -> str:
    parts = [
        _("%(label)s由 %(old)s 调整为 %(new)s")
        % {"label": _LABELS[field], "old": old or "—", "new": new}
        for field, (old, new) in moved.dates.items()
    ]
    text = _("因法定节假日和调休安排调整，") + "；".join(parts) + "。"
    if moved.provisional_cleared:
        text += _("期限已按正式发布的节假日安排计算。")
    return text


def _record(moved: list[_Moved], change: CalendarChanged) -> None:
    """One timeline row per case and one notice to its applicant (A10)."""
    events = []
    for item in moved:
        application = item.application
        reason = _describe(item)
        events.append(
            TimelineEvent(
                application=application,
                kind=TimelineEvent.Kind.DEADLINE_RECALCULATED,
                reason=reason,
                payload={
                    "calendar_change_id": change.change_id,
                    **{
                        field: [old.isoformat() if old else None, new.isoformat()]
                        for field, (old, new) in item.dates.items()
                    },
                },
            )
        )
        _base.tell_applicant(
            application,
            event=f"calendar:{change.change_id}",
            title=_("办理期限已调整"),
            body=_("申请编号 %(number)s：%(reason)s")
            % {"number": application.number, "reason": reason},
        )
    TimelineEvent.objects.bulk_create(events)


def _save_changed(changed: list[Application], change: CalendarChanged) -> None:
    """One UPDATE per distinct set of new values (cases accepted the same day under the
    same limit get the same dates, so a batch is a handful of statements, not a 500-way
    CASE), then their history rows in one INSERT (simple-history, as ``save()`` would)."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for application in changed:
        groups[tuple(getattr(application, f) for f in _UPDATED_FIELDS)].append(application.pk)
    for values, pks in groups.items():
        new_values = dict(zip(_UPDATED_FIELDS, values, strict=True))
        Application.objects.filter(pk__in=pks).update(**new_values)
    if changed:
        Application.history.bulk_history_create(
            changed, update=True, default_change_reason=f"calendar change {change.change_id}"
        )


def _recompute(ids: list[int], *, change: CalendarChanged) -> int:
    """Lock the batch, read the calendar afresh, recompute, write what moved. Returns the
    number of cases changed."""
    with transaction.atomic():
        applications = list(
            Application.objects.filter(pk__in=ids)
            .select_for_update(of=("self",))
            .select_related("guide", "applicant")
            .order_by("pk")
        )
        # After the locks: a change committed meanwhile is seen, never overwritten (hooks).
        reload_calendar()
        suspensions = _suspensions_by_case(ids)
        materials: dict[int, list[ToleratedMaterial]] = defaultdict(list)
        tolerant = [a.pk for a in applications if a.state == State.TOLERANT_ACCEPTED]
        if tolerant:
            for material in ToleratedMaterial.objects.filter(
                application_id__in=tolerant, supplied_at__isnull=True
            ).select_related("guide_material"):
                materials[material.application_id].append(material)
        changed: list[Application] = []
        extended: list[ToleratedMaterial] = []
        moved: list[_Moved] = []
        now = _base.stamp()
        for application in applications:
            did_change, case_moved, case_extended = _recompute_case(
                application, suspensions.get(application.pk, []), materials.get(application.pk, [])
            )
            if did_change:
                application.updated_at = now
                changed.append(application)
                extended += case_extended
            if case_moved:
                moved.append(case_moved)
        _save_changed(changed, change)
        if extended:
            ToleratedMaterial.objects.bulk_update(extended, ["due_date"])
        _record(moved, change)
        return len(changed)
