"""Service halls beside the other figures (DOMAIN A13, S2, S3): queues and appointments per
hall for the months chosen, and the 办不成事 cases by what made them hard."""

from __future__ import annotations

import calendar
import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.dashboard.panels import Cell, Chart, Panel, PanelData, Query, Table
from apps.halls.selectors import hall_figures, hard_cases_by_cause


def _last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def queues(query: Query) -> PanelData:
    rows = hall_figures(start=query.start, end=_last_day(query.end))
    table = Table(
        columns=[
            _("服务大厅"),
            _("取号"),
            _("办结"),
            _("平均等候（分钟）"),
            _("平均办理（分钟）"),
            _("预约"),
            _("爽约"),
        ]
    )
    for r in rows:
        table.rows.append(
            [
                Cell(r.hall.center.name, reverse("halls:hall", args=[r.hall.pk])),
                r.tickets,
                r.served,
                r.avg_wait_minutes if r.avg_wait_minutes is not None else "-",
                r.avg_serve_minutes if r.avg_serve_minutes is not None else "-",
                r.appointments,
                r.no_shows,
            ]
        )
    summary = _(
        "%(halls)d个服务大厅共取号%(tickets)d个，预约%(appointments)d次，爽约%(no)d次。"
    ) % {
        "halls": len(rows),
        "tickets": sum(r.tickets for r in rows),
        "appointments": sum(r.appointments for r in rows),
        "no": sum(r.no_shows for r in rows),
    }
    chart = Chart(
        kind="bar",
        categories=[r.hall.center.name for r in rows],
        series=[
            {"name": _("取号"), "data": [r.tickets for r in rows]},
            {"name": _("预约"), "data": [r.appointments for r in rows]},
        ],
    )
    return PanelData(summary=summary, table=table, chart=chart if rows else None)


def hard_cases(query: Query) -> PanelData:
    rows = hard_cases_by_cause()
    link = reverse("halls:hard_cases")
    table = Table(columns=[_("难办原因"), _("件数"), _("未办结")])
    for label, n, still_open in rows:
        table.rows.append([Cell(label, link), n, still_open])
    summary = _("“办不成事”窗口共受理%(n)d件，未办结%(open)d件。") % {
        "n": sum(r[1] for r in rows),
        "open": sum(r[2] for r in rows),
    }
    chart = Chart(
        kind="pie",
        categories=[r[0] for r in rows],
        series=[{"name": _("件数"), "data": [r[1] for r in rows]}],
    )
    note = _("按难办原因统计，反映哪些规则或部门让事情难办（全部时间）。")
    return PanelData(summary=summary, table=table, chart=chart if rows else None, note=note)


PANELS = [
    Panel("halls-queues", gettext_lazy("服务大厅：取号、预约与等候"), queues, wide=True),
    Panel("halls-hard-cases", gettext_lazy("“办不成事”：按难办原因"), hard_cases),
]
