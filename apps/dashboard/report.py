"""The monthly report (R6: 月度报告): every panel of the dashboard for one month, as a page
that prints on A4 and as a PDF drawn with reportlab in the shipped Noto Sans SC."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from apps.accounts.models import User
from apps.dashboard.formatting import month_label
from apps.dashboard.panels import Panel, PanelData, Query, panels_for
from apps.documents.pdf import register_font

MAX_ROWS = 20
# reportlab keeps module-level state and is not documented as thread-safe.
_render_lock = threading.Lock()


@dataclass
class Section:
    panel: Panel
    data: PanelData


@dataclass
class Report:
    month: date
    title: str
    sections: list[Section]


def build_report(*, user: User, month: date, today: date) -> Report:
    query = Query(user=user, start=month, end=month, today=today)
    sections = [Section(p, p.build(query)) for p in panels_for(user) if p.in_report]
    return Report(
        month=month, title=f"{month_label(month)}政务服务好差评月度报告", sections=sections
    )


def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, spaceAfter=4 * mm),
        "h2": ParagraphStyle("h2", parent=base, fontSize=13, leading=20, spaceBefore=5 * mm),
        "body": base,
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, textColor=colors.grey),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
    }


def _table(data: PanelData, styles) -> LongTable:
    rows = [[Paragraph(escape(str(c)), styles["cell"]) for c in data.table.columns]]
    for row in data.table.as_text_rows()[:MAX_ROWS]:
        rows.append([Paragraph(escape(str(v)), styles["cell"]) for v in row])
    width = (A4[0] - 36 * mm) / max(1, len(data.table.columns))
    table = LongTable(rows, colWidths=[width] * len(data.table.columns), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.94, 0.97)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_pdf(report: Report) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=report.title,
    )
    story: list[Flowable] = [Paragraph(escape(report.title), styles["title"])]
    for section in report.sections:
        story.append(Paragraph(escape(str(section.panel.title)), styles["h2"]))
        story.append(Paragraph(escape(section.data.summary), styles["body"]))
        story.append(Spacer(1, 2 * mm))
        if section.data.table.rows:
            story.append(_table(section.data, styles))
            story.append(Spacer(1, 1.5 * mm))
        if section.data.note:
            story.append(Paragraph(escape(section.data.note), styles["note"]))

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(register_font(), 8)
        page = _("第%(n)d页") % {"n": document.page}
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{report.title} · {page}")
        canvas.restoreState()

    with _render_lock:
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
