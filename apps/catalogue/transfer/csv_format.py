"""The one-row-per-item CSV form of the exchange format (docs/catalogue-csv.md)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue.models import ServiceGuide
from apps.catalogue.transfer.exchange_format import (
    GUIDE_SCALARS,
    ITEM_COLUMNS,
    REQUIRED_ITEM_KEYS,
)
from apps.catalogue.transfer.export import catalogue_export
from apps.catalogue.transfer.json_import import catalogue_import
from apps.catalogue.transfer.report import ImportReport

JSON_COLUMNS = ["materials", "steps", "special_procedures"]
CSV_COLUMNS = ITEM_COLUMNS + GUIDE_SCALARS + JSON_COLUMNS

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


def csv_to_data(text: str) -> tuple[dict[str, Any], dict[int, int], list[str]]:
    """Parse the one-row-per-item CSV. Returns ``(data, line_of_item_index, errors)``."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_ITEM_KEYS if c not in (reader.fieldnames or [])]
    if missing:
        return {"items": []}, {}, [f"第1行 表头缺少列：{'、'.join(missing)}"]
    items, lines, errors = [], {}, []
    previous_end = reader.line_num
    for row in reader:
        line = previous_end + 1
        previous_end = reader.line_num
        record: dict[str, Any] = {}
        guide: dict[str, Any] = {}
        try:
            for column, cell in row.items():
                if column is None or column not in CSV_COLUMNS:
                    continue
                cell = cell or ""
                if column in ITEM_COLUMNS:
                    record[column] = _csv_cell_to_value(column, cell)
                elif cell.strip():  # an empty guide cell takes the format's default
                    guide[column] = _csv_cell_to_value(column, cell)
        except (ValueError, json.JSONDecodeError) as exc:
            errors.append(f"第{line}行 ({row.get('code', '')}) {exc}")
            continue
        if guide:
            record["guide"] = guide
        lines[len(items)] = line
        items.append(record)
    return {"items": items}, lines, errors


def catalogue_import_csv(text: str, *, actor: User | None = None) -> ImportReport:
    data, lines, errors = csv_to_data(text)
    if errors:
        return ImportReport(errors=errors)
    return catalogue_import(data, actor=actor, locate=lambda section, i: f"第{lines.get(i, '?')}行")


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
            for column in GUIDE_SCALARS:
                value = guide[column]
                if isinstance(value, bool):
                    value = "true" if value else "false"
                row[column] = "" if value is None else value
            for column in JSON_COLUMNS:
                row[column] = json.dumps(guide[column], ensure_ascii=False)
        writer.writerow(row)
    return out.getvalue()
