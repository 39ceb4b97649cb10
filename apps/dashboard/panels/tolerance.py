"""容缺受理 by department and item (DOMAIN T1–T3, A15): tolerant acceptances, the share of
materials supplied on time, revocations for a missed deadline and the average days to
supply, from ``apps.tolerance.selectors.supply_figures`` (one query).

Months: cases tolerantly accepted in the months chosen.
"""

from __future__ import annotations

import calendar

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.dashboard.panels import Cell, Chart, Panel, PanelData, Query, Table
from apps.tolerance.selectors import supply_figures


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def supplies(query: Query) -> PanelData:
    last_day = calendar.monthrange(query.end.year, query.end.month)[1]
    rows = supply_figures(
        user=query.user,
        since=query.start,
        until=query.end.replace(day=last_day),
        department_id=query.department_id,
    )
    link = reverse("tolerance:figures")
    table = Table(
        columns=[
            _("部门"),
            _("事项"),
            _("容缺受理件数"),
            _("按期补齐率"),
            _("撤销受理"),
            _("平均补齐天数"),
        ]
    )
    for row in rows:
        table.rows.append(
            [
                Cell(row["department"], link),
                row["item"],
                row["tolerant_acceptances"],
                _percent(row["on_time_rate"]),
                row["revocations"],
                "—" if row["average_days_to_supply"] is None else row["average_days_to_supply"],
            ]
        )
    accepted = sum(r["tolerant_acceptances"] for r in rows)
    revoked = sum(r["revocations"] for r in rows)
    summary = _("容缺受理%(n)d件，因逾期未补齐撤销受理%(revoked)d件。") % {
        "n": accepted,
        "revoked": revoked,
    }
    chart = Chart(
        kind="bar",
        categories=[f"{r['department']}·{r['item']}" for r in rows],
        series=[
            {"name": _("容缺受理件数"), "data": [r["tolerant_acceptances"] for r in rows]},
            {"name": _("撤销受理"), "data": [r["revocations"] for r in rows]},
        ],
        links=[link for _r in rows],
    )
    return PanelData(summary=summary, table=table, chart=chart if rows else None)


PANELS = [
    Panel(
        "tolerance-supplies",
        gettext_lazy("容缺受理：按期补齐与撤销受理"),
        supplies,
        permission="applications.view_all_applications",
        wide=True,
    ),
]
