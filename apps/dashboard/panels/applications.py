"""电子监察 beside the reviews (DOMAIN A15, S3, R6): applications overdue and due soon by
department, from ``apps.applications.selectors.supervision_overview``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.applications.console_selectors import department_figures
from apps.applications.selectors import supervision_overview
from apps.dashboard.panels import Cell, Chart, Panel, PanelData, Query, Table


def timeliness(query: Query) -> PanelData:
    """A snapshot as of today (the months chosen do not apply: it is what is open now),
    from the supervision pass's figures once it has run today."""
    overview = supervision_overview(user=query.user, today=query.today)
    figures, as_of = department_figures(user=query.user, overview=overview, today=query.today)
    if query.department_id:
        figures = [f for f in figures if f.department_id == query.department_id]
    overdue = {f.name: f.overdue for f in figures if f.overdue}
    soon = {f.name: f.due_soon for f in figures if f.due_soon}
    names = sorted(set(overdue) | set(soon), key=lambda n: (-overdue.get(n, 0), n))
    link = reverse("admin:applications_application_supervision")
    table = Table(columns=[_("部门"), _("已超期办件"), _("3个工作日内到期")])
    for name in names:
        table.rows.append([Cell(name, link), overdue.get(name, 0), soon.get(name, 0)])
    summary = _("当前在办件中已超期%(o)d件、3个工作日内到期%(s)d件。") % {
        "o": sum(overdue.values()),
        "s": sum(soon.values()),
    }
    chart = Chart(
        kind="bar",
        categories=names,
        series=[
            {"name": _("已超期"), "data": [overdue.get(n, 0) for n in names]},
            {"name": _("临期"), "data": [soon.get(n, 0) for n in names]},
        ],
        links=[link for _n in names],
    )
    note = (
        _("电子监察统计截至%(t)s，不随所选月份变化。") % {"t": localtime(as_of).strftime("%H:%M")}
        if as_of
        else _("电子监察实时数据，不随所选月份变化。")
    )
    return PanelData(summary=summary, table=table, chart=chart if names else None, note=note)


PANELS = [
    Panel(
        "applications-timeliness",
        gettext_lazy("电子监察：办件时效"),
        timeliness,
        permission="applications.view_all_applications",
        wide=True,
    ),
]
