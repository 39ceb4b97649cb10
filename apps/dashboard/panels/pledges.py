"""告知承诺制 for the supervisors (DOMAIN P3, P3a, R6): pledged approvals, verification
coverage, non-compliance, revocations and false pledges by department, for the chosen
months, from ``apps.pledges.selectors.pledge_figures`` (one grouped query)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.dashboard.panels import Cell, Chart, Panel, PanelData, Query, Table
from apps.pledges.selectors import pledge_figures


def _after(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def verification(query: Query) -> PanelData:
    rows = pledge_figures(
        since=query.start, until=_after(query.end), department_id=query.department_id
    )
    link = reverse("admin:pledges_verificationtask_figures")
    table = Table(
        columns=[
            _("部门"),
            _("告知承诺准予"),
            _("已核查"),
            _("核查覆盖率"),
            _("不符合承诺"),
            _("撤销决定"),
            _("虚假承诺"),
        ]
    )
    for r in rows:
        table.rows.append(
            [
                Cell(r.label, link),
                r.approvals,
                r.checked,
                f"{r.coverage}%",
                r.non_compliant,
                r.revoked,
                r.false_pledges,
            ]
        )
    approvals = sum(r.approvals for r in rows)
    checked = sum(r.checked for r in rows)
    summary = _("告知承诺准予%(n)d件，已核查%(c)d件，撤销%(r)d件，虚假承诺%(f)d件。") % {
        "n": approvals,
        "c": checked,
        "r": sum(r.revoked for r in rows),
        "f": sum(r.false_pledges for r in rows),
    }
    chart = Chart(
        kind="bar",
        categories=[r.label for r in rows],
        series=[
            {"name": _("告知承诺准予"), "data": [r.approvals for r in rows]},
            {"name": _("已核查"), "data": [r.checked for r in rows]},
            {"name": _("不符合承诺"), "data": [r.non_compliant for r in rows]},
        ],
        links=[link for _r in rows],
    )
    note = _("按准予决定的月份统计；信用良好的申请人按比例抽查，首次适用或有失信、整改记录的必查。")
    return PanelData(summary=summary, table=table, chart=chart if rows else None, note=note)


PANELS = [
    Panel(
        "pledges-verification",
        gettext_lazy("告知承诺制：事后核查与失信"),
        verification,
        permission="pledges.view_pledge_figures",
        wide=True,
    ),
]
