"""The monthly report as CSV (UTF-8 with BOM, so Excel opens the Chinese right) and as an
Excel workbook (openpyxl), one section per table."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from apps.hotline.analysis import MonthlyReport


def _percent(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def sections(report: MonthlyReport) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) of every table in the report, in page order."""
    return [
        (
            _("按诉求类型"),
            [_("类型"), _("件数")],
            [[r["label"], r["count"]] for r in report.by_type],
        ),
        (
            _("按来源渠道"),
            [_("渠道"), _("件数")],
            [[r["label"], r["count"]] for r in report.by_channel],
        ),
        (
            _("热点问题（分类×区县）"),
            [_("大类"), _("分类"), _("区县"), _("本月"), _("上月"), _("变化")],
            [
                [r["group"], r["category"], r["district"], r["count"], r["previous"], r["change"]]
                for r in report.hot_topics
            ],
        ),
        (
            _("重复投诉（同一来电人）"),
            [_("次数"), _("分类"), _("工单编号")],
            [[r["count"], r["category"], " ".join(r["tickets"])] for r in report.repeat_callers],
        ),
        (
            _("重复投诉（同一地点）"),
            [_("次数"), _("分类"), _("区县"), _("地址")],
            [
                [r["count"], r["category"], r["district"], r["address"]]
                for r in report.repeat_places
            ],
        ),
        (
            _("部门办理情况"),
            [
                _("部门"),
                _("工单"),
                _("平均签收（分钟）"),
                _("已答复"),
                _("按时答复率"),
                _("退单"),
                _("已评价"),
                _("满意率"),
                _("督办"),
            ],
            [
                [
                    r["department"],
                    r["tickets"],
                    "" if r["sign_minutes"] is None else r["sign_minutes"],
                    r["replied"],
                    _percent(r["on_time_rate"]),
                    r["returns"],
                    r["rated"],
                    _percent(r["satisfaction_rate"]),
                    r["escalated"],
                ]
                for r in report.departments
            ],
        ),
    ]


def _disposition(report: MonthlyReport, ext: str) -> str:
    return f'attachment; filename="hotline-{report.month}.{ext}"'


def report_csv(report: MonthlyReport) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("12345热线月度分析 %(month)s") % {"month": report.month},
            _("工单总数 %(n)d") % {"n": report.total},
        ]
    )
    for title, header, rows in sections(report):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(report, "csv")
    return response


def report_xlsx(report: MonthlyReport) -> HttpResponse:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sections(report):
        sheet = workbook.create_sheet(str(title)[:31].replace("×", "x"))
        sheet.append([str(h) for h in header])
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _disposition(report, "xlsx")
    return response
