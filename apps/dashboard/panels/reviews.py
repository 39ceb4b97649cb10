"""Review panels (DOMAIN R2, R6, R7): trend, distribution by level, channel, department,
item, window and staff member, rectification, and the anomaly warning. Every figure reads
the rollups (``apps.reviews.selectors.stats``), never the reviews table."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Department
from apps.dashboard.formatting import drill_url, month_label, num, pct, period_label
from apps.dashboard.panels import Cell, Chart, Panel, PanelData, Query, Table
from apps.reviews.selectors import stats
from apps.reviews.workflow import LEVEL_ORDER, Channel

# Levels read as they feel: greens for satisfied, orange and red for bad.
LEVEL_COLORS = ["#1b7f3b", "#4caf50", "#8bb8e8", "#f0a020", "#c62828"]
GOOD, BAD = "#1d5fbf", "#c62828"

# Rankings judge only targets with at least this many reviews in the period.
RANK_MIN_REVIEWS = 10
RANK_SIZE = 10


def _scope(query: Query) -> stats.Scope:
    return stats.Scope(start=query.start, end=query.end, department_id=query.department_id)


def trend(query: Query) -> PanelData:
    months = stats.monthly(_scope(query))
    total = stats.Figures()
    for _m, figures in months:
        for level, n in figures.counts.items():
            total.add(level, n)
    table = Table(columns=[_("月份"), _("评价数"), _("满意率"), _("差评数"), _("满意度得分")])
    for month, f in months:
        single = Query(query.user, month, month, query.today, query.department_id)
        table.rows.append(
            [
                Cell(month_label(month), drill_url(single)),
                f.total,
                pct(f.satisfaction_rate),
                Cell(str(f.bad), drill_url(single, bad=1)) if f.bad else 0,
                num(f.score),
            ]
        )
    summary = _("%(period)s共%(n)s条评价，满意率%(rate)s，差评%(bad)s条。") % {
        "period": period_label(query),
        "n": f"{total.total:,}",
        "rate": pct(total.satisfaction_rate),
        "bad": f"{total.bad:,}",
    }
    chart = Chart(
        kind="line",
        categories=[month_label(m) for m, _f in months],
        series=[
            {"name": _("评价数"), "type": "bar", "data": [f.total for _m, f in months]},
            {"name": _("差评数"), "type": "bar", "data": [f.bad for _m, f in months]},
            {
                "name": _("满意率(%)"),
                "type": "line",
                "axis": 1,
                "data": [f.satisfaction_rate for _m, f in months],
            },
        ],
        links=[
            drill_url(Query(query.user, m, m, query.today, query.department_id)) for m, _f in months
        ],
        percent_axis=True,
    )
    return PanelData(summary=summary, table=table, chart=chart)


def levels(query: Query) -> PanelData:
    figures = stats.totals(_scope(query))
    table = Table(columns=[_("评价等级"), _("数量"), _("占比")])
    for level, n in figures.by_level():
        share = 100.0 * n / figures.total if figures.total else None
        table.rows.append([Cell(level.label, drill_url(query, level=level.value)), n, pct(share)])
    summary = _("非常满意%(top)s，差评（不满意与非常不满意）占%(bad)s。") % {
        "top": pct(100.0 * figures.counts.get("very_satisfied", 0) / figures.total)
        if figures.total
        else "—",
        "bad": pct(figures.bad_rate),
    }
    chart = Chart(
        kind="pie",
        categories=[lv.label for lv in LEVEL_ORDER],
        series=[{"name": _("评价等级"), "data": [n for _lv, n in figures.by_level()]}],
        links=[drill_url(query, level=lv.value) for lv in LEVEL_ORDER],
        colors=LEVEL_COLORS,
    )
    return PanelData(summary=summary, table=table, chart=chart)


def channels(query: Query) -> PanelData:
    grouped = stats.by_channel(_scope(query))
    rows = [(c, grouped.get(c.value, stats.Figures())) for c in Channel]
    table = Table(columns=[_("评价渠道"), _("评价数"), _("满意率"), _("差评数")])
    for channel, f in rows:
        table.rows.append(
            [
                Cell(channel.label, drill_url(query, channel=channel.value)),
                f.total,
                pct(f.satisfaction_rate),
                f.bad,
            ]
        )
    busiest = max(rows, key=lambda r: r[1].total)
    summary = _("评价最多的渠道是%(channel)s（%(n)s条）。") % {
        "channel": busiest[0].label,
        "n": f"{busiest[1].total:,}",
    }
    chart = Chart(
        kind="bar",
        categories=[c.label for c, _f in rows],
        series=[
            {"name": _("满意"), "data": [f.satisfied for _c, f in rows], "stack": "n"},
            {"name": _("差评"), "data": [f.bad for _c, f in rows], "stack": "n"},
        ],
        links=[drill_url(query, channel=c.value) for c, _f in rows],
        colors=[GOOD, BAD],
    )
    return PanelData(summary=summary, table=table, chart=chart)


def departments(query: Query) -> PanelData:
    rows = stats.by_department(_scope(query))
    table = Table(columns=[_("部门"), _("评价数"), _("满意率"), _("差评数"), _("满意度得分")])
    for department, f in rows:
        table.rows.append(
            [
                Cell(department.name, drill_url(query, department=department.pk)),
                f.total,
                pct(f.satisfaction_rate),
                Cell(str(f.bad), drill_url(query, department=department.pk, bad=1)) if f.bad else 0,
                num(f.score),
            ]
        )
    judged = [r for r in rows if r[1].total]
    summary = (
        _("满意率最低的部门：%(name)s（%(rate)s）。")
        % {"name": judged[-1][0].name, "rate": pct(judged[-1][1].satisfaction_rate)}
        if judged
        else _("所选期间暂无评价。")
    )
    ordered = list(reversed(judged))
    chart = Chart(
        kind="hbar",
        categories=[d.short_name or d.name for d, _f in ordered],
        series=[{"name": _("满意率(%)"), "data": [f.satisfaction_rate for _d, f in ordered]}],
        links=[drill_url(query, department=d.pk) for d, _f in ordered],
        percent_axis=True,
    )
    return PanelData(summary=summary, table=table, chart=chart)


def _ranking(query, rows, *, name, label, drill_key, what) -> PanelData:
    worst = stats.worst(rows, min_reviews=RANK_MIN_REVIEWS, limit=RANK_SIZE)
    table = Table(columns=[what, _("评价数"), _("满意率"), _("差评数")])
    for target, f in worst:
        table.rows.append(
            [
                Cell(name(target), drill_url(query, **{drill_key: target.pk})),
                f.total,
                pct(f.satisfaction_rate),
                Cell(str(f.bad), drill_url(query, bad=1, **{drill_key: target.pk})) if f.bad else 0,
            ]
        )
    summary = (
        _("满意率最低的%(what)s：%(name)s（%(rate)s，%(n)s条评价）。")
        % {
            "what": what,
            "name": name(worst[0][0]),
            "rate": pct(worst[0][1].satisfaction_rate),
            "n": worst[0][1].total,
        }
        if worst
        else _("所选期间没有评价数达到%(n)d条的%(what)s。") % {"n": RANK_MIN_REVIEWS, "what": what}
    )
    chart = Chart(
        kind="hbar",
        categories=[label(t) for t, _f in reversed(worst)],
        series=[
            {"name": _("满意率(%)"), "data": [f.satisfaction_rate for _t, f in reversed(worst)]}
        ],
        links=[drill_url(query, **{drill_key: t.pk}) for t, _f in reversed(worst)],
        percent_axis=True,
    )
    note = _("仅统计所选期间评价数不少于%(n)d条的对象。") % {"n": RANK_MIN_REVIEWS}
    return PanelData(summary=summary, table=table, chart=chart, note=note)


def items(query: Query) -> PanelData:
    return _ranking(
        query,
        stats.by_item(_scope(query)),
        name=lambda i: i.name,
        label=lambda i: i.name[:12],
        drill_key="item",
        what=_("事项"),
    )


def windows(query: Query) -> PanelData:
    return _ranking(
        query,
        stats.by_window(_scope(query)),
        name=lambda w: f"{w.center.name} {w.number}号窗口",
        label=lambda w: f"{w.center.name[:6]}{w.number}",
        drill_key="window",
        what=_("窗口"),
    )


def staff(query: Query) -> PanelData:
    return _ranking(
        query,
        stats.by_staff(_scope(query)),
        name=lambda u: u.full_name or u.username,
        label=lambda u: u.full_name or u.username,
        drill_key="staff",
        what=_("工作人员"),
    )


def rectification(query: Query) -> PanelData:
    scope = _scope(query)
    by_department = stats.cases(scope, "department_id")
    names = dict(Department.objects.filter(pk__in=list(by_department)).values_list("pk", "name"))
    rows = sorted(by_department.items(), key=lambda r: names.get(r[0], ""))
    table = Table(
        columns=[_("部门"), _("实名差评"), _("已办结"), _("按时办结"), _("整改率"), _("按时整改率")]
    )
    total = stats.CaseFigures()
    for pk, c in rows:
        total.add(c.opened, c.resolved, c.on_time)
        table.rows.append(
            [
                Cell(names.get(pk, "—"), drill_url(query, department=pk, bad=1)),
                c.opened,
                c.resolved,
                c.on_time,
                pct(c.rectification_rate),
                pct(c.on_time_rate),
            ]
        )
    summary = _("实名差评%(n)s条，整改率%(r)s，按时整改率%(t)s。") % {
        "n": total.opened,
        "r": pct(total.rectification_rate),
        "t": pct(total.on_time_rate),
    }
    chart = Chart(
        kind="hbar",
        categories=[names.get(pk, "—") for pk, _c in rows],
        series=[
            {"name": _("整改率(%)"), "data": [c.rectification_rate for _pk, c in rows]},
            {"name": _("按时整改率(%)"), "data": [c.on_time_rate for _pk, c in rows]},
        ],
        links=[drill_url(query, department=pk, bad=1) for pk, _c in rows],
        percent_axis=True,
    )
    note = _(
        "整改率 = 已办结 ÷ 实名差评；按时整改率 = 按时办结 ÷ 已办结"
        "（回访核实1个工作日内、整改在期限内）。"
    )
    return PanelData(summary=summary, table=table, chart=chart, note=note)


def anomalies(query: Query) -> PanelData:
    """As of the end of the period (today while it runs): a past month's report shows that
    month's warnings."""
    as_of = min(query.today, stats.add_months(query.end, 1) - timedelta(days=1))
    query = Query(query.user, query.start, query.end, as_of, query.department_id)
    found = [
        (_("部门"), a, {"department": a.key})
        for a in stats.anomalies(today=as_of, key="department_id")
    ] + [(_("事项"), a, {"item": a.key}) for a in stats.anomalies(today=as_of, key="item_key")]
    table = Table(
        columns=[_("类型"), _("名称"), _("近7天评价"), _("近7天差评率"), _("前8周差评率")]
    )
    since = query.today.toordinal() - (stats.ANOMALY_RECENT_DAYS - 1)
    for kind, a, filters in found:
        table.rows.append(
            [
                kind,
                Cell(a.name, _day_drill(query, since, filters)),
                a.recent_total,
                pct(a.recent_rate),
                pct(a.baseline_rate),
            ]
        )
    summary = (
        _("%(n)d个部门或事项的差评率异常升高，请关注。") % {"n": len(found)}
        if found
        else _("最近7天未发现差评率异常升高的部门或事项。")
    )
    chart = Chart(
        kind="bar",
        categories=[a.name[:12] for _k, a, _f in found],
        series=[
            {"name": _("近7天差评率(%)"), "data": [a.recent_rate for _k, a, _f in found]},
            {"name": _("前8周差评率(%)"), "data": [a.baseline_rate for _k, a, _f in found]},
        ],
        colors=[BAD, "#8a8a8a"],
        links=[_day_drill(query, since, f) for _k, _a, f in found],
        percent_axis=True,
    )
    return PanelData(
        summary=summary, table=table, chart=chart if found else None, note=stats.anomaly_rule_text()
    )


def _day_drill(query: Query, since_ordinal: int, filters: dict) -> str:
    start = date.fromordinal(since_ordinal)
    return drill_url(query, day_from=start.isoformat(), day_to=query.today.isoformat(), **filters)


PANELS = [
    Panel("reviews-trend", gettext_lazy("满意度趋势"), trend, wide=True),
    Panel("reviews-levels", gettext_lazy("评价等级分布"), levels),
    Panel("reviews-channels", gettext_lazy("评价渠道分布"), channels),
    Panel("reviews-departments", gettext_lazy("各部门满意率"), departments, wide=True),
    Panel("reviews-items", gettext_lazy("满意率最低的事项"), items),
    Panel("reviews-windows", gettext_lazy("满意率最低的窗口"), windows),
    Panel("reviews-staff", gettext_lazy("满意率最低的工作人员"), staff),
    Panel("reviews-rectification", gettext_lazy("差评整改率与按时整改率"), rectification),
    Panel("reviews-anomalies", gettext_lazy("异常预警"), anomalies, wide=True),
]
