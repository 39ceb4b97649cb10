"""Public results (DOMAIN R2, R5): satisfaction by department and by item per month, the
share of bad reviews handled on time, and a window's staff with their ratings."""

from __future__ import annotations

import re
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from apps.accounts.models import ServiceWindow, User
from apps.reviews.models import Review
from apps.reviews.selectors import stats

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
ITEMS_SHOWN = 30


def parse_month(value: str | None, default: date) -> date:
    match = MONTH_RE.match(value or "")
    if not match:
        return default
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return default
    return date(year, month, 1)


def results(request: HttpRequest) -> HttpResponse:
    """好差评结果公开 for one month: a constant number of queries (rollups only)."""
    months = stats.months_with_reviews()
    this_month = timezone.localdate().replace(day=1)
    month = parse_month(request.GET.get("month"), months[0] if months else this_month)
    scope = stats.Scope(start=month, end=month)
    items = [row for row in stats.by_item(scope) if row[0] is not None]
    department_cases = stats.cases(scope, "department_id")
    departments = [
        {"department": d, "figures": f, "cases": department_cases.get(d.pk)}
        for d, f in stats.by_department(scope)
    ]
    context = {
        "month": month,
        "months": months[:24],
        "totals": stats.totals(scope),
        "cases": stats.case_totals(scope),
        "departments": departments,
        "items": items[:ITEMS_SHOWN],
        "items_more": max(0, len(items) - ITEMS_SHOWN),
    }
    return render(request, "reviews/results.html", context)


def staff_badges(window: ServiceWindow, staff: list[User], *, today: date) -> list[dict]:
    """R5: name, post, window number and rating of each staff member (one query)."""
    ratings = stats.staff_rating_for([u.pk for u in staff], today=today)
    return [
        {"user": user, "window": window, "figures": ratings.get(user.pk), "post": _post(user)}
        for user in staff
    ]


def _post(user: User) -> str:
    names = [g.name for g in user.groups.all()]
    return names[0] if names else ""


def window_page(request: HttpRequest, window_id: int) -> HttpResponse:
    """A window's public card (R5). Until the halls app keeps a duty rota, the staff shown
    are those who served at this window in the last 30 days."""
    window = get_object_or_404(ServiceWindow.objects.select_related("center"), pk=window_id)
    today = timezone.localdate()
    since = today.toordinal() - 30
    staff_ids = (
        Review.objects.filter(window=window, day__gte=date.fromordinal(since))
        .exclude(staff=None)
        .values_list("staff_id", flat=True)
        .distinct()
    )
    staff = list(
        User.objects.filter(pk__in=staff_ids, is_active=True)
        .prefetch_related("groups")
        .order_by("full_name")
    )
    context = {
        "window": window,
        "badges": staff_badges(window, staff, today=today),
        "window_figures": stats.window_rating_for([window.pk], today=today).get(window.pk),
    }
    return render(request, "reviews/window.html", context)
