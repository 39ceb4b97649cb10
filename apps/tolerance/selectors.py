"""Reads of the tolerance app: the supplements panel, the window's queue, the release guard
and the supervisors' figures (DOMAIN T1–T3, A15). Permission scoping lives here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import scope_by_department
from apps.applications.models import Application
from apps.tolerance.due import reminder_thresholds
from apps.tolerance.models import MaterialSupply, Pledge, Supplement
from apps.tolerance.workflow import OPEN_STATES, OPEN_VALUES, OWED_STATES, SupplyState
from apps.workdays.calendar import working_days_between

RESULT_PENDING = _("结果待容缺材料补齐后发放")
RESULT_LAPSED = _("容缺材料逾期未补齐，结果不予发放")


@dataclass(frozen=True)
class SupplyRow:
    """One tolerated material as the applicant and the window see it."""

    supply: MaterialSupply
    name: str
    due_date: date
    days_left: int | None
    level: str  # green / yellow / red, like the main clock
    pending: Supplement | None
    last_rejected: Supplement | None

    @property
    def can_upload(self) -> bool:
        return self.supply.state in OWED_STATES and (self.days_left or 0) >= 0


def _level(days_left: int) -> str:
    thresholds = reminder_thresholds() or [0]
    if days_left <= min(thresholds):
        return "red"
    if days_left <= max(thresholds):
        return "yellow"
    return "green"


def supply_rows(*, application: Application, today: date) -> list[SupplyRow]:
    """Every tolerated material of ``application`` with its deadline, working days left and
    its latest supplements (two queries, whatever the number of materials)."""
    supplies = (
        MaterialSupply.objects.filter(application=application)
        .select_related("tolerated__guide_material")
        .prefetch_related(
            Prefetch(
                "supplements",
                queryset=Supplement.objects.select_related("material").order_by(
                    "-created_at", "-id"
                ),
            )
        )
        .order_by("tolerated__guide_material__order", "pk")
    )
    rows = []
    for supply in supplies:
        due_date = supply.tolerated.due_date
        days_left = None
        if supply.state in OPEN_STATES:
            days_left = working_days_between(today, due_date)
        supplements = list(supply.supplements.all())
        rows.append(
            SupplyRow(
                supply=supply,
                name=supply.tolerated.guide_material.name,
                due_date=due_date,
                days_left=days_left,
                level=_level(days_left) if days_left is not None else "",
                pending=next(
                    (s for s in supplements if s.result == Supplement.Result.PENDING), None
                ),
                last_rejected=next(
                    (s for s in supplements if s.result == Supplement.Result.REJECTED), None
                ),
            )
        )
    return rows


def pledge_for(application: Application) -> Pledge | None:
    return Pledge.objects.filter(application=application).select_related("document").first()


def result_withheld_reason(application: Application) -> str | None:
    """T1: the result waits until every tolerated material is accepted; a lapsed one means
    it is never released. One query."""
    states = set(
        MaterialSupply.objects.filter(application=application)
        .exclude(state__in=(SupplyState.ACCEPTED, SupplyState.CLOSED))
        .values_list("state", flat=True)
        .distinct()
    )
    if SupplyState.LAPSED in states:
        return RESULT_LAPSED
    if states:
        return RESULT_PENDING
    return None


def supply_queue_for_staff(
    *,
    user: User,
    state: str = "",
    department_id: int | None = None,
    item_id: int | None = None,
    overdue_on: date | None = None,
) -> QuerySet[MaterialSupply]:
    """The window's queue: outstanding supplies of the user's departments, by deadline."""
    qs = scope_by_department(
        MaterialSupply.objects.filter(state__in=OPEN_VALUES), user, "application__department"
    )
    if state:
        qs = qs.filter(state=state)
    if department_id:
        qs = qs.filter(application__department_id=department_id)
    if item_id:
        qs = qs.filter(application__item_id=item_id)
    if overdue_on is not None:
        qs = qs.filter(due_date__lt=overdue_on)
    return qs.select_related(
        "tolerated__guide_material", "application__department", "application__item"
    ).order_by("due_date", "pk")


def supply_figures(
    *,
    user: User,
    since: date | None = None,
    until: date | None = None,
    department_id: int | None = None,
) -> list[dict]:
    """Supervisors' figures by department and item (A15): tolerant acceptances, materials
    settled on time, revocations for lapse, and the average days to supply. One query."""
    qs = scope_by_department(MaterialSupply.objects.all(), user, "application__department")
    if since is not None:
        qs = qs.filter(application__accepted_at__date__gte=since)
    if until is not None:
        qs = qs.filter(application__accepted_at__date__lte=until)
    if department_id:
        qs = qs.filter(application__department_id=department_id)
    rows = (
        qs.values(
            "application__department_id",
            "application__department__name",
            "application__item_id",
            "application__item__name",
        )
        .annotate(
            tolerant_acceptances=Count("application", distinct=True),
            materials=Count("pk"),
            on_time=Count("pk", filter=Q(state=SupplyState.ACCEPTED, supplied_on_time=True)),
            settled=Count("pk", filter=Q(state__in=(SupplyState.ACCEPTED, SupplyState.LAPSED))),
            revocations=Count(
                "application",
                filter=Q(state=SupplyState.LAPSED, application__state="revoked"),
                distinct=True,
            ),
            days_to_supply=Avg(
                ExpressionWrapper(
                    F("tolerated__supplied_at") - F("application__accepted_at"),
                    output_field=DurationField(),
                ),
                filter=Q(state=SupplyState.ACCEPTED),
            ),
        )
        .order_by("application__department__name", "application__item__name")
    )
    figures = []
    for row in rows:
        settled = row["settled"]
        days = row["days_to_supply"]
        figures.append(
            {
                "department_id": row["application__department_id"],
                "department": row["application__department__name"],
                "item_id": row["application__item_id"],
                "item": row["application__item__name"],
                "tolerant_acceptances": row["tolerant_acceptances"],
                "materials": row["materials"],
                "on_time_rate": round(row["on_time"] / settled, 3) if settled else None,
                "revocations": row["revocations"],
                "average_days_to_supply": (
                    round(days.total_seconds() / 86400, 1) if days is not None else None
                ),
            }
        )
    return figures
