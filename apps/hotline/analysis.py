"""The monthly analysis (DOMAIN H6, R6): hot topics (category × district, with the trend
against the previous month), repeat complaints, and each department's sign-off time,
on-time rate, returns and satisfaction — the report page, its CSV/Excel export and the
JSON the supervisors' dashboard charts all read these selectors.

Every figure is a GROUP BY over the month's tickets (a range on ``created_at``), a fixed
number of queries whatever the volume; nothing is loaded row by row.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum

from apps.hotline.models import Ticket
from apps.hotline.services.deadlines import start_of_day
from apps.hotline.workflow import CLOCK_VALUES, Channel, Satisfaction, TicketType

TOP_TOPICS = 20
TOP_REPEATS = 10
SATISFIED = [
    Satisfaction.VERY_SATISFIED,
    Satisfaction.SATISFIED,
    Satisfaction.BASICALLY_SATISFIED,
]


@dataclass
class MonthlyReport:
    month: str
    total: int
    by_type: list[dict] = field(default_factory=list)
    by_channel: list[dict] = field(default_factory=list)
    hot_topics: list[dict] = field(default_factory=list)
    repeat_callers: list[dict] = field(default_factory=list)
    repeat_places: list[dict] = field(default_factory=list)
    departments: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return start_of_day(first), start_of_day(following)


def previous_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _month(month: datetime.date) -> QuerySet[Ticket]:
    start, end = month_bounds(month)
    return Ticket.objects.filter(created_at__gte=start, created_at__lt=end)


def hot_topics(month: datetime.date, limit: int = TOP_TOPICS) -> list[dict]:
    """The most frequent (category, district) pairs, with last month's count and the change."""
    keys = ("category_id", "category__name", "category__parent__name", "district")
    rows = list(
        _month(month)
        .values(*keys)
        .annotate(count=Count("id"))
        .order_by("-count", "category_id")[:limit]
    )
    wanted = Q(pk__in=[])
    for row in rows:
        wanted |= Q(category_id=row["category_id"], district=row["district"])
    before = {
        (r["category_id"], r["district"]): r["count"]
        for r in _month(previous_month(month))
        .filter(wanted)
        .values("category_id", "district")
        .annotate(count=Count("id"))
    }
    return [
        {
            "group": row["category__parent__name"] or "",
            "category": row["category__name"],
            "district": row["district"] or "",
            "count": row["count"],
            "previous": before.get((row["category_id"], row["district"]), 0),
            "change": row["count"] - before.get((row["category_id"], row["district"]), 0),
        }
        for row in rows
    ]


def repeat_callers(month: datetime.date, limit: int = TOP_REPEATS) -> list[dict]:
    """Callers who complained more than once in the month (by the phone's keyed hash:
    nobody's number leaves the database), with their ticket numbers."""
    complaints = (
        _month(month).filter(ticket_type=TicketType.COMPLAINT).exclude(caller_phone_hash="")
    )
    top = list(
        complaints.values("caller_phone_hash")
        .annotate(count=Count("id"))
        .filter(count__gte=2)
        .order_by("-count", "caller_phone_hash")[:limit]
    )
    hashes = [row["caller_phone_hash"] for row in top]
    numbers: dict[str, list[str]] = {h: [] for h in hashes}
    categories: dict[str, str] = {}
    for caller, number, category in (
        complaints.filter(caller_phone_hash__in=hashes)
        .order_by("created_at")
        .values_list("caller_phone_hash", "number", "category__name")
    ):
        numbers[caller].append(number)
        categories.setdefault(caller, category)
    return [
        {"count": row["count"], "category": categories[h], "tickets": numbers[h]}
        for row, h in zip(top, hashes, strict=True)
    ]


def repeat_places(month: datetime.date, limit: int = TOP_REPEATS) -> list[dict]:
    """The same place and category complained about more than once in the month."""
    rows = (
        _month(month)
        .filter(ticket_type=TicketType.COMPLAINT)
        .exclude(address="")
        .values("category__name", "district", "address")
        .annotate(count=Count("id"))
        .filter(count__gte=2)
        .order_by("-count", "address")[:limit]
    )
    return [
        {
            "category": r["category__name"],
            "district": r["district"],
            "address": r["address"],
            "count": r["count"],
        }
        for r in rows
    ]


def department_stats(month: datetime.date) -> list[dict]:
    """Per lead department: tickets, mean sign-off time, replies on time, returns and the
    call-back satisfaction (H6)."""
    sign_time = ExpressionWrapper(F("signed_at") - F("dispatched_at"), output_field=DurationField())
    rows = (
        _month(month)
        .exclude(department__isnull=True)
        .values("department_id", "department__name")
        .annotate(
            tickets=Count("id"),
            signed=Count("id", filter=Q(signed_at__isnull=False)),
            sign_avg=Avg(sign_time, filter=Q(signed_at__isnull=False)),
            replied=Count("id", filter=Q(replied_at__isnull=False)),
            on_time=Count(
                "id", filter=Q(replied_at__isnull=False, replied_at__lte=F("reply_due_at"))
            ),
            returns=Sum("return_count"),
            rated=Count("id", filter=~Q(satisfaction="")),
            satisfied=Count("id", filter=Q(satisfaction__in=SATISFIED)),
            escalated=Count("id", filter=Q(escalation_level__gte=1)),
        )
        .order_by("department__name")
    )
    result = []
    for r in rows:
        sign_avg = r["sign_avg"]
        result.append(
            {
                "department": r["department__name"],
                "tickets": r["tickets"],
                "sign_minutes": round(sign_avg.total_seconds() / 60, 1) if sign_avg else None,
                "replied": r["replied"],
                "on_time_rate": round(r["on_time"] / r["replied"], 4) if r["replied"] else None,
                "returns": r["returns"] or 0,
                "rated": r["rated"],
                "satisfaction_rate": round(r["satisfied"] / r["rated"], 4) if r["rated"] else None,
                "escalated": r["escalated"],
            }
        )
    return result


def _counts(month: datetime.date, field_name: str, choices) -> list[dict]:
    counts = dict(
        _month(month).values_list(field_name).annotate(n=Count("id")).values_list(field_name, "n")
    )
    return [
        {"key": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in choices
    ]


def monthly_report(month: datetime.date) -> MonthlyReport:
    by_type = _counts(month, "ticket_type", TicketType.choices)
    return MonthlyReport(
        month=f"{month:%Y-%m}",
        total=sum(row["count"] for row in by_type),
        by_type=by_type,
        by_channel=_counts(month, "channel", Channel.choices),
        hot_topics=hot_topics(month),
        repeat_callers=repeat_callers(month),
        repeat_places=repeat_places(month),
        departments=department_stats(month),
    )


def supervision_overview() -> list[dict]:
    """Open tickets per lead department and escalation level (督办, H9): one GROUP BY."""
    rows = (
        Ticket.objects.filter(state__in=list(CLOCK_VALUES), department__isnull=False)
        .values("department__name")
        .annotate(
            open=Count("id"),
            level1=Count("id", filter=Q(escalation_level=1)),
            level2=Count("id", filter=Q(escalation_level=2)),
            level3=Count("id", filter=Q(escalation_level=3)),
        )
        .order_by("-level3", "-level2", "-level1", "department__name")
    )
    return [
        {
            "department": r["department__name"],
            "open": r["open"],
            "overdue": r["level1"],
            "written": r["level2"],
            "criticised": r["level3"],
        }
        for r in rows
    ]
