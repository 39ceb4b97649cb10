"""Figures read from the rollups, never from the reviews table (DOMAIN R2, R5, R6).

Every function costs a fixed number of queries: one aggregate over a rollup table (its
rows are a few per key, whatever the number of reviews) and one look-up of the names.
``start``/``end`` are first days of months, both included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from apps.accounts.models import Department, ServiceWindow, User
from apps.catalogue.models import ServiceItem
from apps.reviews.models import (
    CaseMonthRollup,
    ReviewDayRollup,
    ReviewMonthRollup,
    ReviewStaffRollup,
)
from apps.reviews.selectors.figures import CaseFigures, Figures


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    months, current = [], start
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


@dataclass(frozen=True)
class Scope:
    """What a figure covers: months [start, end], optionally one department or item."""

    start: date
    end: date
    department_id: int | None = None
    item_id: int | None = None

    def filter(self, qs: QuerySet, *, item_field: str | None = "item_key") -> QuerySet:
        qs = qs.filter(month__gte=self.start, month__lte=self.end)
        if self.department_id:
            qs = qs.filter(department_id=self.department_id)
        if self.item_id and item_field:
            qs = qs.filter(**{item_field: self.item_id})
        return qs


def _fold(rows: Iterable[dict], key: str) -> dict:
    result: dict = {}
    for row in rows:
        result.setdefault(row[key], Figures()).add(row["level"], row["n"] or 0)
    return result


def _grouped(scope: Scope, key: str) -> dict:
    rows = (
        scope.filter(ReviewMonthRollup.objects.all())
        .values(key, "level")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return _fold(rows, key)


def totals(scope: Scope) -> Figures:
    rows = scope.filter(ReviewMonthRollup.objects.all()).values("level").annotate(n=Sum("count"))
    figures = Figures()
    for row in rows.order_by():
        figures.add(row["level"], row["n"] or 0)
    return figures


def monthly(scope: Scope) -> list[tuple[date, Figures]]:
    """Satisfaction trend: every month of the scope, empty months included."""
    by_month = _grouped(scope, "month")
    return [(m, by_month.get(m, Figures())) for m in months_between(scope.start, scope.end)]


def by_channel(scope: Scope) -> dict[str, Figures]:
    return _grouped(scope, "channel")


def by_department(scope: Scope) -> list[tuple[Department, Figures]]:
    grouped = _grouped(scope, "department_id")
    departments = Department.objects.in_bulk(list(grouped))
    rows = [(departments[pk], figures) for pk, figures in grouped.items() if pk in departments]
    return sorted(rows, key=lambda r: (-(r[1].satisfaction_rate or 0), r[0].code))


def by_item(scope: Scope) -> list[tuple[ServiceItem | None, Figures]]:
    grouped = _grouped(scope, "item_key")
    items = ServiceItem.objects.select_related("implementing_department").in_bulk(
        [k for k in grouped if k]
    )
    rows = [(items.get(key), figures) for key, figures in grouped.items()]
    return sorted(rows, key=lambda r: (-r[1].total, r[0].code if r[0] else ""))


def worst(rows: list, *, min_reviews: int, limit: int = 10) -> list:
    """The lowest satisfaction first, among targets with enough reviews to judge."""
    judged = [r for r in rows if r[0] is not None and r[1].total >= min_reviews]
    return sorted(judged, key=lambda r: (r[1].satisfaction_rate or 0, -r[1].total))[:limit]


def _staff_grouped(scope: Scope, key: str, ids: Iterable[int] | None = None) -> dict:
    qs = scope.filter(ReviewStaffRollup.objects.exclude(**{key: 0}), item_field=None)
    if ids is not None:
        qs = qs.filter(**{f"{key}__in": list(ids)})
    return _fold(qs.values(key, "level").annotate(n=Sum("count")).order_by(), key)


def by_window(scope: Scope) -> list[tuple[ServiceWindow, Figures]]:
    grouped = _staff_grouped(scope, "window_key")
    windows = ServiceWindow.objects.select_related("center").in_bulk(list(grouped))
    return [(windows[k], f) for k, f in grouped.items() if k in windows]


def by_staff(scope: Scope) -> list[tuple[User, Figures]]:
    grouped = _staff_grouped(scope, "staff_key")
    people = User.objects.only("id", "full_name", "username").in_bulk(list(grouped))
    return [(people[k], f) for k, f in grouped.items() if k in people]


def _recent(today: date, months: int) -> Scope:
    this_month = today.replace(day=1)
    return Scope(start=add_months(this_month, -(months - 1)), end=this_month)


def staff_rating_for(staff_ids: Iterable[int], *, today: date, months: int = 12) -> dict:
    """R5 badges: each staff member's figures over the last ``months`` months (one query)."""
    return _staff_grouped(_recent(today, months), "staff_key", staff_ids)


def window_rating_for(window_ids: Iterable[int], *, today: date, months: int = 12) -> dict:
    """R5/R7: each window's figures over the last ``months`` months (one query)."""
    return _staff_grouped(_recent(today, months), "window_key", window_ids)


def item_rating(item_id: int, *, today: date, months: int = 12) -> Figures:
    """An item's rating on its guide page (R2): over the last ``months`` months."""
    recent = _recent(today, months)
    return totals(Scope(start=recent.start, end=recent.end, item_id=item_id))


# --- Rectification -------------------------------------------------------------------------


def cases(scope: Scope, key: str | None = None) -> dict:
    qs = scope.filter(CaseMonthRollup.objects.all())
    fields = [key] if key else []
    rows = qs.values(*fields).annotate(o=Sum("opened"), r=Sum("resolved"), t=Sum("on_time"))
    result: dict = {}
    for row in rows.order_by():
        result.setdefault(row[key] if key else None, CaseFigures()).add(
            row["o"] or 0, row["r"] or 0, row["t"] or 0
        )
    return result


def case_totals(scope: Scope) -> CaseFigures:
    return cases(scope).get(None, CaseFigures())


# --- Anomaly warning (R6) ------------------------------------------------------------------

ANOMALY_RECENT_DAYS = 7
ANOMALY_BASELINE_DAYS = 56  # the eight weeks before the last seven days
ANOMALY_FACTOR = 2
ANOMALY_MARGIN_POINTS = 5


@dataclass(frozen=True)
class Anomaly:
    key: int
    name: str
    recent_total: int
    recent_bad: int
    baseline_total: int
    baseline_bad: int

    @property
    def recent_rate(self) -> float:
        return round(100.0 * self.recent_bad / self.recent_total, 1)

    @property
    def baseline_rate(self) -> float:
        return (
            round(100.0 * self.baseline_bad / self.baseline_total, 1) if self.baseline_total else 0
        )


def anomaly_rule_text() -> str:
    """The rule in words, shown on the dashboard (R6: state the rule)."""
    return _(
        "预警规则：某部门或事项最近%(recent)d天（含今天）的差评率，高于其前%(weeks)d周差评率的"
        "%(factor)d倍，且至少高出%(points)d个百分点，并且最近%(recent)d天至少有%(min)d条评价。"
    ) % {
        "recent": ANOMALY_RECENT_DAYS,
        "weeks": ANOMALY_BASELINE_DAYS // 7,
        "factor": ANOMALY_FACTOR,
        "points": ANOMALY_MARGIN_POINTS,
        "min": settings.REVIEWS_ANOMALY_MIN_REVIEWS,
    }


def is_anomalous(recent_total: int, recent_bad: int, base_total: int, base_bad: int) -> bool:
    """R6: last 7 days' bad rate > max(2 × the previous 8 weeks' rate, that rate + 5
    points), with at least ``REVIEWS_ANOMALY_MIN_REVIEWS`` reviews in the last 7 days."""
    if recent_total < settings.REVIEWS_ANOMALY_MIN_REVIEWS:
        return False
    recent = recent_bad / recent_total
    base = base_bad / base_total if base_total else 0.0
    return recent > max(ANOMALY_FACTOR * base, base + ANOMALY_MARGIN_POINTS / 100)


def anomalies(*, today: date, key: str) -> list[Anomaly]:
    """Departments (``key="department_id"``) or items (``"item_key"``) whose bad-review rate
    jumped (two aggregates over the day rollup of the last 63 days, one name look-up)."""
    recent_from = today - timedelta(days=ANOMALY_RECENT_DAYS - 1)
    base_from = recent_from - timedelta(days=ANOMALY_BASELINE_DAYS)
    qs = ReviewDayRollup.objects.filter(day__gte=base_from, day__lte=today)
    if key == "item_key":
        qs = qs.exclude(item_key=0)
    bad = Q(bad=True)
    rows = (
        qs.values(key)
        .annotate(
            rt=Sum("count", filter=Q(day__gte=recent_from)),
            rb=Sum("count", filter=Q(day__gte=recent_from) & bad),
            bt=Sum("count", filter=Q(day__lt=recent_from)),
            bb=Sum("count", filter=Q(day__lt=recent_from) & bad),
        )
        .order_by()
    )
    hits = [r for r in rows if is_anomalous(r["rt"] or 0, r["rb"] or 0, r["bt"] or 0, r["bb"] or 0)]
    model = Department if key == "department_id" else ServiceItem
    names = {o.pk: o.name for o in model.objects.filter(pk__in=[r[key] for r in hits])}
    found = [
        Anomaly(
            key=r[key],
            name=names.get(r[key], "—"),
            recent_total=r["rt"] or 0,
            recent_bad=r["rb"] or 0,
            baseline_total=r["bt"] or 0,
            baseline_bad=r["bb"] or 0,
        )
        for r in hits
    ]
    return sorted(found, key=lambda a: -a.recent_rate)


def months_with_reviews() -> list[date]:
    """The months the public results page offers, newest first."""
    return list(
        ReviewMonthRollup.objects.filter(count__gt=0)
        .values_list("month", flat=True)
        .distinct()
        .order_by("-month")
    )
