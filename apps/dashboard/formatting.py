"""Small shared helpers for panels: drill-down links, numbers as people read them."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from apps.dashboard.panels import Query


def month_param(month: date) -> str:
    return month.strftime("%Y-%m")


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def period_label(query: Query) -> str:
    if query.start == query.end:
        return month_label(query.start)
    return f"{month_label(query.start)}至{month_label(query.end)}"


def drill_url(query: Query, **filters: object) -> str:
    """The reviews behind a figure: the query's months and department, plus ``filters``."""
    params: dict[str, object] = {"start": month_param(query.start), "end": month_param(query.end)}
    if query.department_id:
        params["department"] = query.department_id
    params.update({k: v for k, v in filters.items() if v not in (None, "")})
    return reverse("dashboard:reviews") + "?" + urlencode(params)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def num(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"
