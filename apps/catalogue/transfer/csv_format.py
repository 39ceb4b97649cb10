"""The one-row-per-item CSV form of the exchange format (docs/catalogue-csv.md)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue.guide_fields import GUIDE_JSON_FIELDS
from apps.catalogue.models import ServiceGuide
from apps.catalogue.transfer.departments import departments_export
from apps.catalogue.transfer.exchange_format import (
    DEPARTMENT_KEYS,
    GUIDE_SCALARS,
    ITEM_COLUMNS,
    REQUIRED_DEPARTMENT_KEYS,
    REQUIRED_ITEM_KEYS,
)
from apps.catalogue.transfer.export import catalogue_export
from apps.catalogue.transfer.json_import import catalogue_import
from apps.catalogue.transfer.report import ImportReport

JSON_COLUMNS = ["materials", "steps", "special_procedures", *GUIDE_JSON_FIELDS]
# ``guide_status`` is the JSON format's ``guide.status``: published (or empty) or draft.
GUIDE_STATUS_COLUMN = "guide_status"
CSV_COLUMNS = [*ITEM_COLUMNS, GUIDE_STATUS_COLUMN, *GUIDE_SCALARS, *JSON_COLUMNS]
DEPARTMENT_CSV_COLUMNS = DEPARTMENT_KEYS

_TRUE = {"1", "true", "t", "yes", "y", "是"}
_FALSE = {"0", "false", "f", "no", "n", "否", ""}
_BOOL_COLUMNS = {
    f
    for f in GUIDE_SCALARS
    if ServiceGuide._meta.get_field(f).get_internal_type() == "BooleanField"
}


def _csv_cell_to_value(column: str, cell: str) -> Any:
    cell = cell.strip()
    if column == "topics":
        return [c for c in cell.replace("；", ";").replace(",", ";").split(";") if c.strip()]
    if column in JSON_COLUMNS:
        return json.loads(cell) if cell.strip() else []
    if column in _BOOL_COLUMNS:
        low = cell.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(_("%(column)s的值“%(cell)s”应为 是/否") % {"column": column, "cell": cell})
    return cell


def _header_missing(columns: list[str]) -> str:
    return _("第1行 表头缺少列：%(columns)s") % {"columns": "、".join(columns)}


def is_departments_csv(text: str) -> bool:
    """A CSV whose header has no ``item_type`` column lists departments."""
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    return "item_type" not in header


def _departments_csv_to_data(reader: csv.DictReader) -> tuple[dict[str, Any], dict[int, int]]:
    rows, lines = [], {}
    previous_end = reader.line_num
    for row in reader:
        lines[len(rows)] = previous_end + 1
        previous_end = reader.line_num
        rows.append({k: (row.get(k) or "").strip() for k in DEPARTMENT_CSV_COLUMNS if k in row})
    return {"departments": rows}, lines


def csv_to_data(text: str) -> tuple[dict[str, Any], dict[int, int], list[str]]:
    """Parse a CSV of items (one row each) or of departments. Returns ``(data,
    line_of_record_index, errors)``."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if is_departments_csv(text):
        missing = [c for c in REQUIRED_DEPARTMENT_KEYS if c not in (reader.fieldnames or [])]
        if missing:
            return {}, {}, [_header_missing(missing)]
        data, lines = _departments_csv_to_data(reader)
        return data, lines, []
    missing = [c for c in REQUIRED_ITEM_KEYS if c not in (reader.fieldnames or [])]
    if missing:
        return (
            {"items": []},
            {},
            [_header_missing(missing)],
        )
    items, lines, errors = [], {}, []
    previous_end = reader.line_num
    for row in reader:
        line = previous_end + 1
        previous_end = reader.line_num
        record: dict[str, Any] = {}
        guide: dict[str, Any] = {}
        status = ""
        try:
            for column, cell in row.items():
                if column is None or column not in CSV_COLUMNS:
                    continue
                cell = cell or ""
                if column in ITEM_COLUMNS:
                    record[column] = _csv_cell_to_value(column, cell)
                elif column == GUIDE_STATUS_COLUMN:
                    status = cell.strip()
                elif cell.strip():  # an empty guide cell takes the format's default
                    guide[column] = _csv_cell_to_value(column, cell)
        except (ValueError, json.JSONDecodeError) as exc:
            place = _("第%(line)s行") % {"line": line}
            errors.append(f"{place} ({row.get('code', '')}) {exc}")
            continue
        if guide:
            record["guide"] = {"status": status, **guide} if status else guide
        lines[len(items)] = line
        items.append(record)
    return {"items": items}, lines, errors


def catalogue_import_csv(text: str, *, actor: User | None = None) -> ImportReport:
    data, lines, errors = csv_to_data(text)
    if errors:
        return ImportReport(errors=errors)
    return catalogue_import(
        data,
        actor=actor,
        locate=lambda _section, i: _("第%(line)s行") % {"line": lines.get(i, "?")},
    )


def departments_export_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DEPARTMENT_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(departments_export())
    return out.getvalue()


def catalogue_export_csv() -> str:
    data = catalogue_export()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in data["items"]:
        row: dict[str, Any] = {c: item.get(c, "") for c in ITEM_COLUMNS}
        row["topics"] = ";".join(item["topics"])
        guide = item.get("guide")
        if guide:
            row[GUIDE_STATUS_COLUMN] = guide["status"]
            for column in GUIDE_SCALARS:
                value = guide[column]
                if isinstance(value, bool):
                    value = "true" if value else "false"
                row[column] = "" if value is None else value
            for column in JSON_COLUMNS:
                row[column] = json.dumps(guide[column], ensure_ascii=False)
        writer.writerow(row)
    return out.getvalue()
