"""12345 hotline beside the reviews (DOMAIN H6, R6): the month's hot topics and each
department's handling, from ``apps.hotline.analysis``.

Both panels show the last month of the chosen range: the hotline's monthly analysis is the
unit the centre reports in (H6).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.dashboard.formatting import pct
from apps.dashboard.panels import Cell, Chart, Panel, PanelData, Query, Table
from apps.hotline.analysis import department_stats, hot_topics


def _analysis_link(query: Query) -> str:
    return reverse("admin:hotline_ticket_analysis") + f"?month={query.end:%Y-%m}"


def topics(query: Query) -> PanelData:
    rows = hot_topics(query.end)
    link = _analysis_link(query)
    table = Table(columns=[_("类别"), _("区域"), _("本月"), _("上月"), _("变化")])
    names = []
    for row in rows:
        name = f"{row['category']}·{row['district']}" if row["district"] else row["category"]
        names.append(name)
        change = f"{row['change']:+d}"
        table.rows.append(
            [Cell(row["category"], link), row["district"], row["count"], row["previous"], change]
        )
    if rows:
        top = rows[0]
        summary = _("%(month)s 热线诉求最集中的是“%(name)s”，共%(n)d件（上月%(p)d件）。") % {
            "month": f"{query.end:%Y-%m}",
            "name": names[0],
            "n": top["count"],
            "p": top["previous"],
        }
    else:
        summary = _("%(month)s 暂无热线工单。") % {"month": f"{query.end:%Y-%m}"}
    chart = Chart(
        kind="hbar",
        categories=names,
        series=[
            {"name": _("本月"), "data": [r["count"] for r in rows]},
            {"name": _("上月"), "data": [r["previous"] for r in rows]},
        ],
        links=[link for _r in rows],
    )
    return PanelData(summary=summary, table=table, chart=chart if rows else None)


def departments(query: Query) -> PanelData:
    rows = [
        r
        for r in department_stats(query.end)
        if not query.department_id or r["department_id"] == query.department_id
    ]
    link = _analysis_link(query)
    table = Table(
        columns=[
            _("部门"),
            _("工单"),
            _("平均签收（分钟）"),
            _("按时答复率"),
            _("退单"),
            _("回访满意率"),
            _("督办"),
        ]
    )
    for r in rows:
        table.rows.append(
            [
                Cell(r["department"], link),
                r["tickets"],
                "-" if r["sign_minutes"] is None else r["sign_minutes"],
                pct(r["on_time_rate"]),
                r["returns"],
                pct(r["satisfaction_rate"]),
                r["escalated"],
            ]
        )
    total = sum(r["tickets"] for r in rows)
    summary = _("%(month)s 共%(n)d件工单派往%(d)d个部门办理。") % {
        "month": f"{query.end:%Y-%m}",
        "n": total,
        "d": len(rows),
    }

    def percent(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 1)

    chart = Chart(
        kind="bar",
        categories=[r["department"] for r in rows],
        series=[
            {"name": _("工单"), "data": [r["tickets"] for r in rows]},
            {
                "name": _("按时答复率(%)"),
                "data": [percent(r["on_time_rate"]) for r in rows],
                "axis": 1,
            },
            {
                "name": _("回访满意率(%)"),
                "data": [percent(r["satisfaction_rate"]) for r in rows],
                "axis": 1,
            },
        ],
        links=[link for _r in rows],
        percent_axis=True,
    )
    note = _("按时答复：答复时间不晚于答复期限；满意率：回访评价为满意及以上的比例。")
    return PanelData(summary=summary, table=table, chart=chart if rows else None, note=note)


PANELS = [
    Panel(
        "hotline-topics",
        gettext_lazy("12345热线：热点诉求"),
        topics,
        permission="hotline.view_hotline_analysis",
    ),
    Panel(
        "hotline-departments",
        gettext_lazy("12345热线：部门办理情况"),
        departments,
        permission="hotline.view_hotline_analysis",
        wide=True,
    ),
]
