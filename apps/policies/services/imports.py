"""Bulk import of profiles from the data-sharing platform: all rows or none (PO3, A17).

Formats (``docs/profile-import.md``): CSV with a header row (UTF-8, or GB18030 as Excel
saves it) or a JSON list of objects, with the same keys. Every row is checked first; one
bad row refuses the whole file and every problem is reported with its row and column
(never echoing an ID number). A good file is upserted — new rows created, rows whose data
differ updated and stamped with this import — and the changed profiles are re-matched
over every active policy after commit.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.common.idnumbers import (
    birth_date_of,
    region_exists,
    validate_credit_code,
    validate_resident_id,
)
from apps.common.pii import keyed_hash
from apps.policies.criteria.registry import (
    EmploymentStatus,
    HouseholdStatus,
    Scale,
    SubjectKind,
    TaxCreditGrade,
    industry_code_problem,
)
from apps.policies.models import CompanyProfile, PersonProfile, ProfileImport
from apps.policies.queue import queue_import_rematch
from apps.policies.services import _base

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 500_000
MAX_REPORTED_ERRORS = 200
CHUNK = 1000

COMPANY_COLUMNS = (
    "credit_code",
    "name",
    "industry_code",
    "scale",
    "district_code",
    "established_on",
    "employees",
    "high_tech",
    "tax_credit_grade",
    "data_as_of",
)
PERSON_COLUMNS = (
    "id_number",
    "name",
    "district_code",
    "employment_status",
    "has_disability",
    "household_status",
    "data_as_of",
)
_TRUE, _FALSE = {"true", "1", "y", "yes", "是"}, {"false", "0", "n", "no", "否"}


class ProfileImportError(ApplicationError):
    """The file was refused; ``extra["problems"]`` lists each row's problems."""

    def __init__(self, message: str, *, record: ProfileImport | None, problems: list[str]):
        super().__init__(message, code="import_refused", extra={"problems": problems})
        self.record = record


class _RowError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


# --- reading the file ---------------------------------------------------------------------


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ApplicationError(_("文件编码无法识别，请保存为 UTF-8 编码。"), code="bad_encoding")


def read_rows(content: bytes, file_format: str) -> list[dict[str, Any]]:
    """The file's records as dicts, or an error naming what is wrong with the file."""
    if len(content) > MAX_FILE_BYTES:
        raise ApplicationError(_("文件超过50 MB，请分批导入。"), code="file_too_large")
    text = _decode(content)
    if "\x00" in text:
        raise ApplicationError(_("文件含有非法字符（NUL），请检查导出的文件。"), code="bad_file")
    try:
        if file_format == ProfileImport.Format.JSON:
            rows = json.loads(text)
        else:
            rows = list(csv.DictReader(io.StringIO(text)))
    except (ValueError, csv.Error):
        raise ApplicationError(_("文件格式不正确，无法读取。"), code="bad_file") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ApplicationError(_("JSON 文件应为对象列表。"), code="bad_file")
    if not rows:
        raise ApplicationError(_("文件中没有数据。"), code="empty_file")
    if len(rows) > MAX_ROWS:
        raise ApplicationError(
            _("单个文件最多%(n)d条记录，请分批导入。") % {"n": MAX_ROWS}, code="too_many_rows"
        )
    return rows


# --- checking one value -------------------------------------------------------------------


def _text(row: dict, field: str) -> str | None:
    value = row.get(field)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _required(row: dict, field: str, label: str, max_length: int) -> str:
    value = _text(row, field)
    if value is None:
        raise _RowError(field, _("%(label)s不能为空") % {"label": label})
    if len(value) > max_length:
        raise _RowError(field, _("%(label)s过长") % {"label": label})
    return value


def _date(row: dict, field: str, label: str, *, required: bool = False) -> datetime.date | None:
    value = _text(row, field)
    if value is None:
        if required:
            raise _RowError(field, _("%(label)s不能为空") % {"label": label})
        return None
    try:
        day = datetime.date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        raise _RowError(field, _("%(label)s应为“年-月-日”格式") % {"label": label}) from None
    if day > timezone.localdate():
        raise _RowError(field, _("%(label)s晚于今天") % {"label": label})
    return day


def _choice(row: dict, field: str, label: str, choices) -> str | None:
    value = _text(row, field)
    if value is None:
        return None
    by_label = {str(lbl): val for val, lbl in choices.choices}
    value = by_label.get(value, value)
    if value not in choices.values:
        raise _RowError(field, _("%(label)s不是可选值") % {"label": label})
    return value


def _boolean(row: dict, field: str, label: str) -> bool | None:
    value = row.get(field)
    if isinstance(value, bool) or value is None:
        return value
    value = str(value).strip().lower()
    if not value:
        return None
    if value in _TRUE | _FALSE:
        return value in _TRUE
    raise _RowError(field, _("%(label)s应为“是”或“否”") % {"label": label})


def _district(row: dict, field: str) -> str | None:
    value = _text(row, field)
    if value is None:
        return None
    if len(value) != 6 or not value.isdigit() or not region_exists(value):
        raise _RowError(field, _("行政区划代码不存在"))
    return value


def _employees(row: dict) -> int | None:
    value = _text(row, "employees")
    if value is None:
        return None
    if not value.isdigit() or int(value) > 10_000_000:
        raise _RowError("employees", _("从业人数应为非负整数"))
    return int(value)


# --- checking one row ---------------------------------------------------------------------


def _company(row: dict) -> dict[str, Any]:
    try:
        credit_code = validate_credit_code(_text(row, "credit_code") or "")
    except ValidationError as exc:
        raise _RowError("credit_code", exc.messages[0].rstrip("。")) from None
    industry = _text(row, "industry_code")
    if industry is not None:
        industry = industry.upper()
        problem = industry_code_problem(industry, full=True)
        if problem:
            raise _RowError("industry_code", problem.rstrip("。"))
    return {
        "credit_code": credit_code,
        "name": _required(row, "name", _("企业名称"), 200),
        "industry_code": industry,
        "scale": _choice(row, "scale", _("企业规模"), Scale),
        "district_code": _district(row, "district_code"),
        "established_on": _date(row, "established_on", _("成立日期")),
        "employees": _employees(row),
        "high_tech": _boolean(row, "high_tech", _("高新技术企业")),
        "tax_credit_grade": _choice(row, "tax_credit_grade", _("纳税信用级别"), TaxCreditGrade),
        "data_as_of": _date(row, "data_as_of", _("数据截至日期"), required=True),
    }


def _person(row: dict) -> dict[str, Any]:
    try:
        id_number = validate_resident_id(_text(row, "id_number") or "")
    except ValidationError as exc:
        # The validator's messages name the wrong part, never the number itself (A17).
        raise _RowError("id_number", exc.messages[0].rstrip("。")) from None
    return {
        "id_number": id_number,
        "id_number_hash": keyed_hash(id_number),
        "name": _required(row, "name", _("姓名"), 64),
        "birth_date": birth_date_of(id_number),
        "district_code": _district(row, "district_code"),
        "employment_status": _choice(row, "employment_status", _("就业状态"), EmploymentStatus),
        "has_disability": _boolean(row, "has_disability", _("持有残疾人证")),
        "household_status": _choice(row, "household_status", _("家庭情况"), HouseholdStatus),
        "data_as_of": _date(row, "data_as_of", _("数据截至日期"), required=True),
    }


ProfileModel = type[CompanyProfile] | type[PersonProfile]
KINDS: dict[str, tuple[ProfileModel, str, Callable[[dict], dict], tuple[str, ...]]] = {
    # kind: (model, natural key, row checker, compared fields)
    SubjectKind.COMPANY: (CompanyProfile, "credit_code", _company, COMPANY_COLUMNS[1:]),
    SubjectKind.PERSON: (
        PersonProfile,
        "id_number_hash",
        _person,
        ("name", "birth_date", *PERSON_COLUMNS[2:]),
    ),
}


def check_rows(kind: str, rows: Iterable[dict]) -> tuple[list[dict], list[dict]]:
    """(cleaned rows, errors): errors as ``{"row", "field", "message"}`` (row 1 = first
    record; a CSV's header line is not counted)."""
    _model, key, checker, _fields = KINDS[kind]
    cleaned: list[dict] = []
    errors: list[dict] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        try:
            values = checker({str(k).strip(): v for k, v in row.items() if k is not None})
        except _RowError as exc:
            errors.append({"row": number, "field": exc.field, "message": exc.message})
            continue
        if values[key] in seen:
            field = "credit_code" if kind == SubjectKind.COMPANY else "id_number"
            errors.append(
                {
                    "row": number,
                    "field": field,
                    "message": _("与第%(n)d条记录重复") % {"n": seen[values[key]]},
                }
            )
            continue
        seen[values[key]] = number
        cleaned.append(values)
    return cleaned, errors


# --- writing --------------------------------------------------------------------------------


def _upsert(kind: str, cleaned: list[dict], record: ProfileImport) -> tuple[int, int]:
    model, key, _checker, fields = KINDS[kind]
    # One code path for both kinds; the type checker cannot follow the union through it.
    objects: Any = model.objects
    created = changed = 0
    now = timezone.now()
    for start in range(0, len(cleaned), CHUNK):
        chunk = cleaned[start : start + CHUNK]
        existing = objects.in_bulk([row[key] for row in chunk], field_name=key)
        new, updated = [], []
        for row in chunk:
            current = existing.get(row[key])
            if current is None:
                new.append(model(**row, changed_by_import=record))
            elif any(getattr(current, f) != row[f] for f in fields):
                for f in fields:
                    setattr(current, f, row[f])
                current.changed_by_import = record
                current.updated_at = now
                updated.append(current)
        objects.bulk_create(new)
        objects.bulk_update(updated, [*fields, "changed_by_import", "updated_at"])
        created, changed = created + len(new), changed + len(updated)
    return created, changed


def _refuse(
    *, actor: User, kind: str, file_name: str, file_format: str, rows: int, errors: list[dict]
) -> ProfileImportError:
    record = ProfileImport.objects.create(
        kind=kind,
        file_name=file_name[:255],
        file_format=file_format,
        status=ProfileImport.Status.REFUSED,
        uploaded_by=actor,
        row_count=rows,
        errors=errors[:MAX_REPORTED_ERRORS],
    )
    problems = [_("第%(row)d条 %(field)s：%(message)s") % e for e in errors[:MAX_REPORTED_ERRORS]]
    return ProfileImportError(
        _("有%(n)d条记录有误，整个文件未导入，请改正后重新导入。") % {"n": len(errors)},
        record=record,
        problems=problems,
    )


def profile_import(*, actor: User, kind: str, file_name: str, content: bytes) -> ProfileImport:
    """Import a file of company or person profiles, all or nothing (see module doc)."""
    _base.require_staff(actor, "import_profiles")
    if kind not in SubjectKind.values:
        raise ApplicationError(_("请选择数据类型。"), code="invalid_kind")
    file_format = ProfileImport.Format.JSON if file_name.lower().endswith(".json") else "csv"
    rows = read_rows(content, file_format)
    cleaned, errors = check_rows(kind, rows)
    if errors:
        raise _refuse(
            actor=actor,
            kind=kind,
            file_name=file_name,
            file_format=file_format,
            rows=len(rows),
            errors=errors,
        )
    try:
        with transaction.atomic():
            record = ProfileImport.objects.create(
                kind=kind,
                file_name=file_name[:255],
                file_format=file_format,
                status=ProfileImport.Status.SUCCEEDED,
                uploaded_by=actor,
                row_count=len(rows),
            )
            record.created_count, record.changed_count = _upsert(kind, cleaned, record)
            record.save(update_fields=["created_count", "changed_count"])
            if record.created_count or record.changed_count:
                queue_import_rematch(record.pk)
    except IntegrityError:
        # Another import wrote the same subject at the same moment: nothing of this one stays.
        raise ApplicationError(
            _("另一批数据正在导入同一对象，本次未导入，请稍后重试。"), code="import_conflict"
        ) from None
    return record
