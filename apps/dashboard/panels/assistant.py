"""智能问答 (DOMAIN Q2): questions asked, how many were answered, how many helped, and how
many wait on the catalogue and knowledge-base staff, by month."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.assistant.selectors import question_monthly
from apps.dashboard.formatting import month_label, pct, period_label
from apps.dashboard.panels import Cell, Chart, Panel, PanelData, Query, Table


def questions(query: Query) -> PanelData:
    months = question_monthly(start=query.start, end=query.end)
    worklist = reverse("assistant:worklist")
    table = Table(
        columns=[_("月份"), _("提问数"), _("已答复"), _("已评价"), _("有帮助率"), _("待处理")]
    )
    for m in months:
        table.rows.append(
            [
                month_label(m["month"]),
                m["asked"],
                m["answered"],
                m["rated"],
                pct(m["helpful_rate"]),
                Cell(str(m["open"]), worklist) if m["open"] else 0,
            ]
        )
    asked = sum(m["asked"] for m in months)
    rated = sum(m["rated"] for m in months)
    helpful = sum(m["helpful"] for m in months)
    summary = _(
        "%(period)s群众提问%(asked)s个，已答复%(answered)s个，有帮助率%(rate)s，待处理%(open)s个。"
    ) % {
        "period": period_label(query),
        "asked": f"{asked:,}",
        "answered": f"{sum(m['answered'] for m in months):,}",
        "rate": pct(round(100 * helpful / rated, 1) if rated else None),
        "open": f"{sum(m['open'] for m in months):,}",
    }
    chart = Chart(
        kind="line",
        categories=[month_label(m["month"]) for m in months],
        series=[
            {"name": _("提问数"), "type": "bar", "data": [m["asked"] for m in months]},
            {"name": _("待处理"), "type": "bar", "data": [m["open"] for m in months]},
            {
                "name": _("有帮助率(%)"),
                "type": "line",
                "axis": 1,
                "data": [m["helpful_rate"] for m in months],
            },
        ],
        links=[worklist for _m in months],
        percent_axis=True,
    )
    note = _("未能答复或被评为“没帮助”的提问进入待处理清单，由事项目录和知识库维护人员处理。")
    return PanelData(summary=summary, table=table, chart=chart, note=note)


PANELS = [
    Panel("assistant-questions", gettext_lazy("智能问答"), questions),
]
