"""The departments section: a district's departments, loaded before the items that name
them (DOMAIN C2). Parents may come after their children in the file."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from apps.accounts.models import Department
from apps.accounts.services import department_save
from apps.catalogue.transfer.context import ImportContext, unique_records
from apps.catalogue.transfer.exchange_format import DEPARTMENT_KEYS, REQUIRED_DEPARTMENT_KEYS
from apps.catalogue.transfer.normalise import normalise
from apps.catalogue.transfer.report import RecordError

SECTION = "departments"
_SCALARS = [k for k in DEPARTMENT_KEYS if k not in ("code", "parent")]


def _parent_first(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """The records ordered so that a parent in the file comes before its children; a cycle
    keeps its file order (the service refuses it)."""
    by_code = {str(r["code"]).strip(): (i, r) for i, r in rows}
    ordered: list[tuple[int, dict[str, Any]]] = []
    state: dict[str, str] = {}

    def visit(code: str) -> None:
        if state.get(code):
            return
        state[code] = "visiting"
        parent = str(by_code[code][1].get("parent") or "").strip()
        if parent in by_code:
            visit(parent)
        state[code] = "done"
        ordered.append(by_code[code])

    for code in by_code:
        visit(code)
    return ordered


def _wanted(record: dict[str, Any], where: str) -> dict[str, Any]:
    missing = [k for k in REQUIRED_DEPARTMENT_KEYS if not str(record.get(k) or "").strip()]
    if missing:
        raise RecordError([_("缺少字段：%(keys)s") % {"keys": "、".join(missing)}])
    return normalise(Department, _SCALARS, record, where)


def _same(department: Department, data: dict[str, Any], parent_code: str) -> bool:
    current_parent = department.parent.code if department.parent_id else ""
    return current_parent == parent_code and all(
        getattr(department, k) == v for k, v in data.items()
    )


def import_departments(records: list[Any], ctx: ImportContext) -> None:
    rows = unique_records(records, SECTION, ctx)
    codes = [str(r["code"]).strip() for _i, r in rows]
    parents = [str(r.get("parent") or "").strip() for _i, r in rows]
    known = {
        d.code: d
        for d in Department.objects.filter(code__in={*codes, *parents}).select_related("parent")
    }
    for index, record in _parent_first(rows):
        code = str(record["code"]).strip()
        where = ctx.where(SECTION, index, code)
        try:
            data = _wanted(record, "")
        except RecordError as exc:
            ctx.refuse(where, exc.messages)
            continue
        parent_code = str(record.get("parent") or "").strip()
        if parent_code and parent_code not in known:
            ctx.refuse(where, [_("上级部门编码“%(code)s”不存在") % {"code": parent_code}])
            continue
        existing = known.get(code)
        if existing is not None and _same(existing, data, parent_code):
            ctx.report.departments.unchanged += 1
            continue
        data["parent"] = known[parent_code] if parent_code else None
        saved = ctx.attempt(
            where,
            lambda code=code, data=data: department_save(actor=ctx.actor, code=code, data=data),
        )
        if saved is None:
            continue
        known[code] = saved[0]
        if existing is None:
            ctx.report.departments.created += 1
        else:
            ctx.report.departments.updated += 1


def departments_export() -> list[dict[str, Any]]:
    """Every department, parents named by code, in code order."""
    rows = []
    for department in Department.objects.select_related("parent").order_by("code"):
        parent = department.parent.code if department.parent_id else ""
        rows.append(
            {k: parent if k == "parent" else getattr(department, k) for k in DEPARTMENT_KEYS}
        )
    return rows
