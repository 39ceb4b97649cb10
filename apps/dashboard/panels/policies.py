"""惠企利民政策 beside the reviews (DOMAIN PO3, R6): matched, pushed, delivered, claimed
and granted by department, from ``apps.policies.selectors.figures_summary``.

A snapshot of every listed policy (the months chosen do not apply: a policy's figures run
over its whole validity).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Department
from apps.dashboard.panels import Cell, Chart, Panel, PanelData, Query, Table
from apps.policies.selectors import figures_summary

_COLUMNS = (
    ("matched", gettext_lazy("符合条件")),
    ("pushed", gettext_lazy("已推送")),
    ("delivered", gettext_lazy("已送达")),
    ("claimed", gettext_lazy("已申请兑现")),
    ("granted", gettext_lazy("已兑现")),
)


def fulfilment(query: Query) -> PanelData:
    summary_data = figures_summary(user=query.user)
    departments = summary_data["departments"]
    if query.department_id:
        code = Department.objects.filter(pk=query.department_id).values_list("code", flat=True)
        departments = [d for d in departments if d["code"] in set(code)]
    link = reverse("admin:policies_policy_figures")
    table = Table(columns=[_("部门"), _("政策数"), *(str(label) for _k, label in _COLUMNS)])
    for row in departments:
        table.rows.append(
            [Cell(row["name"], link), row["policies"], *(row[key] for key, _l in _COLUMNS)]
        )
    totals = summary_data["totals"]
    summary = _("%(n)d项政策共匹配%(matched)d个对象，已推送%(pushed)d、已兑现%(granted)d。") % {
        "n": len(summary_data["policies"]),
        "matched": totals["matched"],
        "pushed": totals["pushed"],
        "granted": totals["granted"],
    }
    chart = Chart(
        kind="bar",
        categories=[row["name"] for row in departments],
        series=[
            {"name": str(label), "data": [row[key] for row in departments]}
            for key, label in _COLUMNS
        ],
        links=[link for _row in departments],
    )
    note = _("政策有效期内的累计数；已兑现含免申即享已发放与申请兑现已准予。")
    return PanelData(summary=summary, table=table, chart=chart if departments else None, note=note)


PANELS = [
    Panel(
        "policies-fulfilment",
        gettext_lazy("惠企利民政策：精准推送与兑现"),
        fulfilment,
        permission="policies.view_policy_figures",
        wide=True,
    ),
]
