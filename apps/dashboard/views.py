"""The supervisors' dashboard (DOMAIN R6): one page of panels drawn in the browser from
JSON, every figure linked to the reviews behind it, CSV/Excel of every table, and the
monthly report (print and PDF). Reads only; every figure costs a fixed number of queries.
"""

from __future__ import annotations

import re
from datetime import date
from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.common.replica import replica_reads
from apps.dashboard import exports, report
from apps.dashboard.formatting import month_param, period_label
from apps.dashboard.panels import Query, panel_get, panels_for
from apps.reviews.selectors import reviews as review_selectors
from apps.reviews.selectors.stats import add_months
from apps.reviews.workflow import Channel, Level

VIEW = "dashboard.view_dashboard"
EXPORT = "dashboard.export_dashboard"
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
DEFAULT_MONTHS = 12
MAX_MONTHS = 36
DRILL_PAGE = 50


def dashboard_required(permission: str = VIEW):
    """Signed in with ``permission``; the page's reads then go to the replica when one is
    configured (apps.common.replica: the dashboard only reads)."""

    def decorator(view):
        reading = replica_reads(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return reading(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorator


def _month(value: str | None) -> date | None:
    match = MONTH_RE.match(value or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def query_from(request: HttpRequest) -> Query:
    """Months [start, end] (default: the last twelve) and an optional department."""
    today = timezone.localdate()
    end = _month(request.GET.get("end")) or today.replace(day=1)
    start = _month(request.GET.get("start")) or add_months(end, -(DEFAULT_MONTHS - 1))
    if start > end:
        start, end = end, start
    start = max(start, add_months(end, -(MAX_MONTHS - 1)))
    return Query(
        user=request.user,
        start=start,
        end=end,
        today=today,
        department_id=_int(request.GET.get("department")),
    )


def _params(query: Query) -> str:
    params = {"start": month_param(query.start), "end": month_param(query.end)}
    if query.department_id:
        params["department"] = str(query.department_id)
    return urlencode(params)


def _month_options(months: list[date], selected: date) -> list[tuple[str, str, bool]]:
    return [(month_param(m), f"{m.year}年{m.month}月", m == selected) for m in months]


@dashboard_required()
def home(request: HttpRequest) -> HttpResponse:
    query = query_from(request)
    params = _params(query)
    # Keys are slugs: the URL patterns reversed once a page, not three times a panel (issue 16).
    endpoint = reverse("dashboard:panel", args=["0"]).replace("/0/", "/{}/") + "?" + params
    export = reverse("dashboard:export", args=["0", "csv"]).replace("/0/", "/{}/")
    export = export.removesuffix(".csv") + ".{}?" + params
    panels = [
        {
            "panel": panel,
            "endpoint": endpoint.format(panel.key),
            "csv": export.format(panel.key, "csv"),
            "xlsx": export.format(panel.key, "xlsx"),
        }
        for panel in panels_for(request.user)
    ]
    months = [add_months(query.today.replace(day=1), -n) for n in range(MAX_MONTHS)]
    context = {
        "query": query,
        "period": period_label(query),
        "params": params,
        "panels": panels,
        # What the cached panel frames depend on besides the filter (the template's cache tag).
        "panel_keys": ",".join(row["panel"].key for row in panels),
        "language": get_language(),
        "departments": Department.objects.filter(is_active=True).order_by("code"),
        "can_export": request.user.has_perm(EXPORT),
        "report_month": month_param(query.end),
        "start_options": _month_options(months, query.start),
        "end_options": _month_options(months, query.end),
    }
    return render(request, "dashboard/home.html", context)


@dashboard_required()
def panel_json(request: HttpRequest, key: str) -> JsonResponse:
    panel = panel_get(request.user, key)
    if panel is None:
        raise Http404
    data = panel.build(query_from(request))
    body = {"key": panel.key, "title": str(panel.title), **data.as_json()}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@dashboard_required(EXPORT)
def panel_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    panel = panel_get(request.user, key)
    if panel is None or fmt not in ("csv", "xlsx"):
        raise Http404
    query = query_from(request)
    data = panel.build(query)
    title, subtitle = str(panel.title), period_label(query)
    filename = f"{panel.key}-{month_param(query.start)}-{month_param(query.end)}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            exports.to_csv(title, subtitle, data), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.to_xlsx(title, subtitle, data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _drill_filter(request: HttpRequest) -> review_selectors.DrillFilter:
    get = request.GET
    item = get.get("item")
    return review_selectors.DrillFilter(
        start=_month(get.get("start")),
        end=_month(get.get("end")),
        department_id=_int(get.get("department")),
        item_id=_int(item) if item is not None and item != "" else None,
        channel=get.get("channel", "") if get.get("channel") in Channel.values else "",
        level=get.get("level", "") if get.get("level") in Level.values else "",
        bad=get.get("bad") == "1",
        window_id=_int(get.get("window")),
        staff_id=_int(get.get("staff")),
        day_from=_day(get.get("day_from")),
        day_to=_day(get.get("day_to")),
    )


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _before(value: str | None) -> tuple[date, int] | None:
    day, _sep, pk = (value or "").partition("_")
    parsed = _day(day)
    return (parsed, int(pk)) if parsed and pk.isdigit() else None


@dashboard_required()
def reviews_drill(request: HttpRequest) -> HttpResponse:
    """The reviews behind a figure (R6), newest first, identity protected (R7)."""
    drill = _drill_filter(request)
    qs = review_selectors.review_drill(user=request.user, drill=drill)
    rows = review_selectors.page_after(
        qs, before=_before(request.GET.get("before")), size=DRILL_PAGE
    )
    more = len(rows) > DRILL_PAGE
    rows = rows[:DRILL_PAGE]
    next_url = ""
    if more:
        params = request.GET.copy()
        params["before"] = f"{rows[-1].day.isoformat()}_{rows[-1].pk}"
        next_url = "?" + params.urlencode()
    context = {
        "rows": [{"review": r, "reviewer": review_selectors.reviewer_shown(r)} for r in rows],
        "drill": drill,
        "filters": _describe(drill),
        "next_url": next_url,
        "back_url": reverse("dashboard:home"),
    }
    return render(request, "dashboard/drill.html", context)


def _describe(drill: review_selectors.DrillFilter) -> list[str]:
    """The filters in words, above the list (one query for the names)."""
    parts = []
    if drill.start or drill.end:
        months = [f"{m.year}年{m.month}月" if m else "" for m in (drill.start, drill.end)]
        parts.append("至".join(months))
    if drill.day_from or drill.day_to:
        parts.append(f"{drill.day_from or ''}至{drill.day_to or ''}")
    if drill.department_id:
        name = Department.objects.filter(pk=drill.department_id).values_list("name", flat=True)
        parts.append(name.first() or "—")
    if drill.channel:
        parts.append(Channel(drill.channel).label)
    if drill.level:
        parts.append(Level(drill.level).label)
    if drill.bad:
        parts.append(_("差评"))
    return parts


def _report_month(request: HttpRequest) -> date:
    return _month(request.GET.get("month")) or timezone.localdate().replace(day=1)


@dashboard_required(EXPORT)
def monthly_report(request: HttpRequest) -> HttpResponse:
    month = _report_month(request)
    data = report.build_report(user=request.user, month=month, today=timezone.localdate())
    context = {"report": data, "month_param": month_param(month)}
    return render(request, "dashboard/report.html", context)


@dashboard_required(EXPORT)
def monthly_report_pdf(request: HttpRequest) -> HttpResponse:
    month = _report_month(request)
    data = report.build_report(user=request.user, month=month, today=timezone.localdate())
    response = HttpResponse(report.render_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{month_param(month)}.pdf"'
    return response


def staff_login(request: HttpRequest) -> HttpResponse:
    """The staff console's login; a supervisor who signs in without asking for a page
    lands on the dashboard instead of the console's index."""
    response = admin.site.login(request)
    if (
        request.method == "POST"
        and response.status_code == 302
        and response.get("Location") == reverse("admin:index")
        and user_has_role(request.user, Role.SUPERVISOR)
    ):
        return redirect("dashboard:home")
    return response
