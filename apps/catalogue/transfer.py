"""Import and export of the whole catalogue (docs/catalogue-format.md, docs/catalogue-csv.md).

An import is all or nothing: every record is tried in its own savepoint so that *every*
bad record is reported with its position, then the whole transaction is rolled back if
anything failed. Importing the same file twice changes nothing: items and topics are
compared field by field, and a guide is compared with the published one; only a guide
whose content differs becomes a new published version (C5).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Max

from apps.accounts.models import User
from apps.catalogue import rules
from apps.catalogue.guide_fields import GUIDE_FIELDS
from apps.catalogue.models import (
    Bundle,
    BundleStep,
    GuideMaterial,
    GuideStep,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
    Topic,
)
from apps.common.errors import ApplicationError

ITEM_COLUMNS = [
    "code",
    "name",
    "item_type",
    "target",
    "competent_department",
    "implementing_department",
    "legal_basis",
    "level",
    "topics",
    "keywords",
    "risk_area",
]
# The guide's content fields as they travel in the file: every editable field except the
# edit note and uploaded files, which are not part of the exchange format.
GUIDE_SCALARS = [f for f in GUIDE_FIELDS if f not in {"change_note", "result_sample"}]
MATERIAL_KEYS = [
    "name",
    "description",
    "originals",
    "copies",
    "electronic_formats",
    "max_size_mb",
    "is_required",
    "importance",
    "supplement_days",
    "reuse",
    "e_licence_type",
]
STEP_KEYS = ["name", "description", "time_limit_days"]
PROCEDURE_KEYS = ["kind", "time_limit_days", "description"]
JSON_COLUMNS = ["materials", "steps", "special_procedures"]
CSV_COLUMNS = ITEM_COLUMNS + GUIDE_SCALARS + JSON_COLUMNS

REQUIRED_ITEM_KEYS = [
    "code",
    "name",
    "item_type",
    "target",
    "competent_department",
    "implementing_department",
    "legal_basis",
]


@dataclass
class ImportReport:
    topics_created: int = 0
    topics_updated: int = 0
    items_created: int = 0
    items_updated: int = 0
    guides_published: int = 0
    bundles_created: int = 0
    bundles_updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(
            (
                self.topics_created,
                self.topics_updated,
                self.items_created,
                self.items_updated,
                self.guides_published,
                self.bundles_created,
                self.bundles_updated,
            )
        )

    def summary(self) -> str:
        if self.errors:
            lines = [f"导入失败：{len(self.errors)} 处错误，未做任何修改。"]
            return "\n".join([*lines, *self.errors])
        return (
            f"导入完成：分类新增{self.topics_created}、更新{self.topics_updated}；"
            f"事项新增{self.items_created}、更新{self.items_updated}；"
            f"发布指南{self.guides_published}；"
            f"一件事新增{self.bundles_created}、更新{self.bundles_updated}；"
            f"未变化{self.unchanged}。"
        )


class _RecordError(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


# --- Normalisation -----------------------------------------------------------------------


def _coerce(model, name: str, value: Any) -> Any:
    model_field = model._meta.get_field(name)
    if value is None or value == "":
        if model_field.null:
            return None
        if value is None:
            default = model_field.get_default()
            return default
    return model_field.to_python(value)


def _normalise(model, keys: list[str], record: dict[str, Any], where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise _RecordError([f"{where}应为对象"])
    out: dict[str, Any] = {}
    errors = []
    for key in keys:
        model_field = model._meta.get_field(key)
        raw = record.get(key, model_field.get_default() if model_field.has_default() else None)
        try:
            out[key] = _coerce(model, key, raw)
        except ValidationError as exc:
            errors.append(f"{where}字段{key}的值“{raw}”无效：{'；'.join(exc.messages)}")
    if errors:
        raise _RecordError(errors)
    return out


def _normalise_guide(record: dict[str, Any]) -> dict[str, Any]:
    guide = _normalise(ServiceGuide, GUIDE_SCALARS, record, "guide")
    for key, model, keys in (
        ("materials", GuideMaterial, MATERIAL_KEYS),
        ("steps", GuideStep, STEP_KEYS),
        ("special_procedures", SpecialProcedure, PROCEDURE_KEYS),
    ):
        rows = record.get(key) or []
        if not isinstance(rows, list):
            raise _RecordError([f"guide.{key}应为列表"])
        guide[key] = [_normalise(model, keys, r, f"guide.{key}[{i}]") for i, r in enumerate(rows)]
    return guide


def guide_to_dict(guide: ServiceGuide) -> dict[str, Any]:
    """A guide's content in the import/export shape (no version, status or files)."""
    data: dict[str, Any] = {f: getattr(guide, f) for f in GUIDE_SCALARS}
    data["materials"] = [{k: getattr(m, k) for k in MATERIAL_KEYS} for m in guide.materials.all()]
    data["steps"] = [{k: getattr(s, k) for k in STEP_KEYS} for s in guide.steps.all()]
    data["special_procedures"] = [
        {k: getattr(p, k) for k in PROCEDURE_KEYS} for p in guide.special_procedures.all()
    ]
    return data


# --- Records -----------------------------------------------------------------------------


def _import_topic(record: dict[str, Any], actor: User | None, report: ImportReport) -> None:
    from apps.catalogue.services import topic_save

    data = _normalise(Topic, ["code", "name", "kind", "order"], record, "")
    existing = Topic.objects.filter(code=data["code"]).first()
    if existing and all(getattr(existing, k) == v for k, v in data.items()):
        report.unchanged += 1
        return
    topic_save(actor=actor, **data)
    if existing:
        report.topics_updated += 1
    else:
        report.topics_created += 1


def _resolve_item_data(record: dict[str, Any]) -> dict[str, Any]:
    from apps.catalogue.services import departments_by_codes

    missing = [k for k in REQUIRED_ITEM_KEYS if not record.get(k)]
    if missing:
        raise _RecordError([f"缺少字段：{'、'.join(missing)}"])
    data = _normalise(
        ServiceItem,
        ["code", "name", "item_type", "target", "legal_basis", "level", "keywords", "risk_area"],
        record,
        "",
    )
    codes = [record["competent_department"], record["implementing_department"]]
    departments = departments_by_codes(codes)
    errors = [f"部门编码“{c}”不存在" for c in dict.fromkeys(codes) if c not in departments]
    topic_codes = record.get("topics") or []
    if not isinstance(topic_codes, list):
        errors.append("topics应为分类编码列表")
        topic_codes = []
    topics = list(Topic.objects.filter(code__in=topic_codes))
    known = {t.code for t in topics}
    errors += [f"办事分类编码“{c}”不存在" for c in topic_codes if c not in known]
    if errors:
        raise _RecordError(errors)
    data["competent_department"] = departments[record["competent_department"]]
    data["implementing_department"] = departments[record["implementing_department"]]
    data["topics"] = topics
    return data


def _import_item(record: dict[str, Any], actor: User | None, report: ImportReport) -> None:
    from apps.catalogue.services import item_create, item_update

    if not isinstance(record, dict):
        raise _RecordError(["应为对象"])
    data = _resolve_item_data(record)
    guide = _normalise_guide(record["guide"]) if record.get("guide") else None
    item = ServiceItem.objects.filter(code=data["code"]).first()
    if item is None:
        item = item_create(actor=actor, **data)
        report.items_created += 1
    else:
        before = (
            {f: getattr(item, f) for f in data if f != "topics"},
            set(item.topics.values_list("pk", flat=True)),
        )
        item = item_update(actor=actor, item=item, data=data)
        after = (
            {f: getattr(item, f) for f in data if f != "topics"},
            set(item.topics.values_list("pk", flat=True)),
        )
        if before != after:
            report.items_updated += 1
    if guide is None:
        return
    if _import_guide(item, guide, actor):
        report.guides_published += 1
    else:
        report.unchanged += 1


def _import_guide(item: ServiceItem, data: dict[str, Any], actor: User | None) -> bool:
    """Publish ``data`` as the item's next version unless it equals the published guide."""
    from apps.catalogue.services import assert_can_manage_item, guide_publish

    published = item.guides.filter(status=ServiceGuide.Status.PUBLISHED).first()
    if published is not None and guide_to_dict(published) == data:
        return False
    draft = item.guides.filter(status=ServiceGuide.Status.DRAFT).first()
    if draft is not None:
        raise _RecordError([f"事项已有未发布的草稿（第{draft.version}版），请先在后台处理后再导入"])
    assert_can_manage_item(actor=actor, item=item)
    version = (item.guides.aggregate(v=Max("version"))["v"] or 0) + 1
    guide = ServiceGuide(
        item=item,
        version=version,
        change_note="批量导入",
        **{f: data[f] for f in GUIDE_SCALARS},
    )
    parts = {key: [model(guide=guide, **row) for row in data[key]] for model, key in _PARTS}
    _raise_content_problems(guide, parts)
    _full_clean_or_raise(guide, exclude=["item"])
    guide.save()
    for model, key in _PARTS:
        rows = parts[key]
        for i, obj in enumerate(rows):
            obj.guide = guide
            if hasattr(obj, "order"):
                obj.order = i + 1
            _full_clean_or_raise(
                obj, exclude=["guide"], validate_unique=False, where=f"guide.{key}[{i}]"
            )
        model.objects.bulk_create(rows)
    guide_publish(actor=actor, guide=guide)
    return True


_PARTS = (
    (GuideMaterial, "materials"),
    (GuideStep, "steps"),
    (SpecialProcedure, "special_procedures"),
)


def _raise_content_problems(guide: ServiceGuide, parts: dict[str, list]) -> None:
    """Every C3/C4/C10–C12 problem of the incoming guide, materials named by position."""
    material_problems: list[str] = []
    per_material: set[str] = set()
    for i, m in enumerate(parts["materials"]):
        found = rules.material_problems(
            name=m.name,
            description=m.description,
            importance=m.importance,
            supplement_days=m.supplement_days,
        )
        per_material.update(found)
        material_problems += [f"guide.materials[{i}] {p}" for p in found]
    problems = material_problems + [
        p
        for p in rules.guide_problems(
            guide,
            materials=parts["materials"],
            steps=parts["steps"],
            procedures=parts["special_procedures"],
        )
        if p not in per_material
    ]
    kinds = [p.kind for p in parts["special_procedures"]]
    if len(set(kinds)) != len(kinds):
        problems.append("guide.special_procedures 同一类特别程序只能列一次")
    if problems:
        raise _RecordError(problems)


def _full_clean_or_raise(obj, *, where: str = "", **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        prefix = f"{where} " if where else ""
        if hasattr(exc, "error_dict"):
            raise _RecordError(
                [f"{prefix}{k}：{'；'.join(v)}" for k, v in exc.message_dict.items()]
            ) from None
        raise _RecordError([prefix + m for m in exc.messages]) from None


def _bundle_state(bundle: Bundle) -> tuple:
    return (
        {
            f: getattr(bundle, f)
            for f in ("name", "description", "target", "promised_time_limit_days")
        },
        bundle.lead_department.code,
        sorted(bundle.topics.values_list("code", flat=True)),
        sorted(bundle.steps.values_list("item__code", "stage")),
        bundle.status,
    )


def _import_bundle(record: dict[str, Any], actor: User | None, report: ImportReport) -> None:
    from apps.catalogue.services import bundle_publish, bundle_save, departments_by_codes

    if not isinstance(record, dict):
        raise _RecordError(["应为对象"])
    data = _normalise(
        Bundle, ["code", "name", "description", "target", "promised_time_limit_days"], record, ""
    )
    errors = []
    lead = departments_by_codes([record.get("lead_department", "")]).get(
        record.get("lead_department", "")
    )
    if lead is None:
        errors.append(f"牵头部门编码“{record.get('lead_department', '')}”不存在")
    topic_codes = record.get("topics") or []
    topics = list(Topic.objects.filter(code__in=topic_codes))
    errors += [f"办事分类编码“{c}”不存在" for c in topic_codes if c not in {t.code for t in topics}]
    step_records = record.get("steps") or []
    items = {
        i.code: i
        for i in ServiceItem.objects.filter(code__in=[s.get("item") for s in step_records])
    }
    steps = []
    for i, s in enumerate(step_records):
        if s.get("item") not in items:
            errors.append(f"steps[{i}] 事项编码“{s.get('item')}”不存在")
            continue
        try:
            steps.append((items[s["item"]], int(s.get("stage", 1))))
        except (TypeError, ValueError):
            errors.append(f"steps[{i}] 阶段“{s.get('stage')}”应为正整数")
    if errors:
        raise _RecordError(errors)
    data["lead_department"] = lead
    wanted = (
        {k: data[k] for k in ("name", "description", "target", "promised_time_limit_days")},
        lead.code,
        sorted(topic_codes),
        sorted((item.code, stage) for item, stage in steps),
        Bundle.Status.PUBLISHED,
    )
    bundle = Bundle.objects.filter(code=data["code"]).select_related("lead_department").first()
    if bundle is not None and _bundle_state(bundle) == wanted:
        report.unchanged += 1
        return
    created = bundle is None
    bundle = bundle_save(actor=actor, bundle=bundle, data=data, steps=steps, topics=topics)
    if bundle.status != Bundle.Status.PUBLISHED:
        bundle_publish(actor=actor, bundle=bundle)
    if created:
        report.bundles_created += 1
    else:
        report.bundles_updated += 1


# --- Entry points ------------------------------------------------------------------------

Locator = Callable[[str, int], str]


def _default_locator(section: str, index: int) -> str:
    return f"{section}[{index}]"


def _run_section(
    data: dict[str, Any],
    section: str,
    handler: Callable[[dict[str, Any], User | None, ImportReport], None],
    *,
    actor: User | None,
    report: ImportReport,
    locate: Locator,
) -> None:
    records = data.get(section) or []
    if not isinstance(records, list):
        report.errors.append(f"{section} 应为列表")
        return
    seen: set[str] = set()
    for index, record in enumerate(records):
        code = record.get("code", "") if isinstance(record, dict) else ""
        where = f"{locate(section, index)} ({code})" if code else locate(section, index)
        if code and code in seen:
            report.errors.append(f"{where} 编码重复")
            continue
        seen.add(code)
        try:
            with transaction.atomic():
                handler(record, actor, report)
        except _RecordError as exc:
            report.errors.extend(f"{where} {m}" for m in exc.messages)
        except ApplicationError as exc:
            problems = exc.extra.get("problems") or [exc.message]
            report.errors.extend(f"{where} {p}" for p in problems)
        except ValidationError as exc:
            report.errors.extend(f"{where} {m}" for m in exc.messages)
        except DatabaseError as exc:
            report.errors.append(f"{where} 数据库拒绝保存：{str(exc).splitlines()[0]}")


def catalogue_import(
    data: dict[str, Any], *, actor: User | None = None, locate: Locator | None = None
) -> ImportReport:
    """Import topics, items (with their guides) and bundles from ``data``.

    All or nothing: the report lists every bad record as ``"items[12] (code) reason"`` (or
    the position given by ``locate``), and nothing is changed unless the report is ``ok``.
    """
    report = ImportReport()
    locate = locate or _default_locator
    if not isinstance(data, dict):
        report.errors.append("文件内容应为一个对象（含 topics、items、bundles）")
        return report
    with transaction.atomic():
        for section, handler in (
            ("topics", _import_topic),
            ("items", _import_item),
            ("bundles", _import_bundle),
        ):
            _run_section(data, section, handler, actor=actor, report=report, locate=locate)
        if report.errors:
            transaction.set_rollback(True)
    return report


def catalogue_export() -> dict[str, Any]:
    """The catalogue as the import format: all topics, active items with their published
    guide (C5: drafts are never exported), published bundles. Re-importing it changes
    nothing."""
    from apps.catalogue.selectors import _published_guides_prefetch

    items = (
        ServiceItem.objects.filter(is_active=True)
        .select_related("implementing_department", "competent_department")
        .prefetch_related("topics", _published_guides_prefetch(with_parts=True))
        .order_by("code")
    )
    exported_items = []
    for item in items:
        record: dict[str, Any] = {
            "code": item.code,
            "name": item.name,
            "item_type": item.item_type,
            "target": item.target,
            "competent_department": item.competent_department.code,
            "implementing_department": item.implementing_department.code,
            "legal_basis": item.legal_basis,
            "level": item.level,
            "topics": [t.code for t in item.topics.all()],
            "keywords": item.keywords,
            "risk_area": item.risk_area,
        }
        if item.published_guides:
            record["guide"] = guide_to_dict(item.published_guides[0])
        exported_items.append(record)
    bundles = (
        Bundle.objects.filter(status=Bundle.Status.PUBLISHED)
        .select_related("lead_department")
        .prefetch_related(
            "topics",
            _steps_prefetch(),
        )
    )
    return {
        "topics": [
            {"code": t.code, "name": t.name, "kind": t.kind, "order": t.order}
            for t in Topic.objects.all()
        ],
        "items": exported_items,
        "bundles": [
            {
                "code": b.code,
                "name": b.name,
                "description": b.description,
                "target": b.target,
                "lead_department": b.lead_department.code,
                "promised_time_limit_days": b.promised_time_limit_days,
                "topics": [t.code for t in b.topics.all()],
                "steps": [{"item": s.item.code, "stage": s.stage} for s in b.steps.all()],
            }
            for b in bundles
        ],
    }


def _steps_prefetch():
    from django.db.models import Prefetch

    return Prefetch(
        "steps", queryset=BundleStep.objects.select_related("item").order_by("stage", "id")
    )


# --- CSV (docs/catalogue-csv.md) ----------------------------------------------------------

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
        raise ValueError(f"{column}的值“{cell}”应为 是/否")
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
