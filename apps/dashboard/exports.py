"""CSV and Excel of any panel's table (R6): the same rows the page shows."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from apps.dashboard.panels import PanelData


def _safe(value):
    """A text cell starting with = + - @ is read as a formula by spreadsheets: quote it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(title: str, subtitle: str, data: PanelData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title, subtitle])
    writer.writerow(data.table.columns)
    for row in data.table.as_text_rows():
        writer.writerow([_safe(v) for v in row])
    # A BOM so that Excel opens the Chinese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, subtitle: str, data: PanelData) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([title, subtitle])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(data.table.columns))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in data.table.as_text_rows():
        sheet.append([_safe(v) for v in row])
    sheet.append([])
    sheet.append([data.summary])
    if data.note:
        sheet.append([data.note])
    for index, column in enumerate(data.table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(column)) * 2 + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
