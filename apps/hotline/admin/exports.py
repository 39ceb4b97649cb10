"""The monthly report as CSV (UTF-8 with BOM, so Excel opens the Chinese right) and as an
Excel workbook (openpyxl), one section per table."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from apps.hotline.analysis import MonthlyReport


def _percent(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def sections(report: MonthlyReport) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) of every table in the report, in page order."""
    return [
        ("按诉求类型", ["类型", "件数"], [[r["label"], r["count"]] for r in report.by_type]),
        ("按来源渠道", ["渠道", "件数"], [[r["label"], r["count"]] for r in report.by_channel]),
        (
            "热点问题（分类×区县）",
            ["大类", "分类", "区县", "本月", "上月", "变化"],
            [
                [r["group"], r["category"], r["district"], r["count"], r["previous"], r["change"]]
                for r in report.hot_topics
            ],
        ),
        (
            "重复投诉（同一来电人）",
            ["次数", "分类", "工单编号"],
            [[r["count"], r["category"], " ".join(r["tickets"])] for r in report.repeat_callers],
        ),
        (
            "重复投诉（同一地点）",
            ["次数", "分类", "区县", "地址"],
            [
                [r["count"], r["category"], r["district"], r["address"]]
                for r in report.repeat_places
            ],
        ),
        (
            "部门办理情况",
            [
                "部门",
                "工单",
                "平均签收（分钟）",
                "已答复",
                "按时答复率",
                "退单",
                "已评价",
                "满意率",
                "督办",
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
    writer.writerow([f"12345热线月度分析 {report.month}", f"工单总数 {report.total}"])
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
        sheet = workbook.create_sheet(title[:31].replace("×", "x"))
        sheet.append(header)
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
