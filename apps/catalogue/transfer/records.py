"""One record of each section turned into service calls: topics, items with their guide,
bundles. Unchanged records change nothing (compared field by field); a guide becomes a new
published version only when its content differs from the published one (C5).

The services are imported inside the functions: :mod:`apps.catalogue.services` re-exports
the import entry points, so a module-level import here would be circular.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue import rules
from apps.catalogue.models import (
    Bundle,
    GuideMaterial,
    GuideStep,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
    Topic,
)
from apps.catalogue.services import (
    assert_can_manage_item,
    bundle_publish,
    bundle_save,
    departments_by_codes,
    guide_publish,
    item_create,
    item_update,
    topic_save,
)
from apps.catalogue.transfer.exchange_format import (
    GUIDE_SCALARS,
    REQUIRED_ITEM_KEYS,
    guide_to_dict,
)
from apps.catalogue.transfer.normalise import normalise, normalise_guide
from apps.catalogue.transfer.report import ImportReport, RecordError


def import_topic(record: dict[str, Any], actor: User | None, report: ImportReport) -> None:
    data = normalise(Topic, ["code", "name", "kind", "order"], record, "")
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
    missing = [k for k in REQUIRED_ITEM_KEYS if not record.get(k)]
    if missing:
        raise RecordError([_("缺少字段：%(keys)s") % {"keys": "、".join(missing)}])
    data = normalise(
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
        raise RecordError(errors)
    data["competent_department"] = departments[record["competent_department"]]
    data["implementing_department"] = departments[record["implementing_department"]]
    data["topics"] = topics
    return data


def import_item(record: dict[str, Any], actor: User | None, report: ImportReport) -> None:
    if not isinstance(record, dict):
        raise RecordError([_("应为对象")])
    data = _resolve_item_data(record)
    guide = normalise_guide(record["guide"]) if record.get("guide") else None
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
    published = item.guides.filter(status=ServiceGuide.Status.PUBLISHED).first()
    if published is not None and guide_to_dict(published) == data:
        return False
    draft = item.guides.filter(status=ServiceGuide.Status.DRAFT).first()
    if draft is not None:
        raise RecordError(
            [
                _("事项已有未发布的草稿（第%(version)s版），请先在后台处理后再导入")
                % {"version": draft.version}
            ]
        )
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
        raise RecordError(problems)


def _full_clean_or_raise(obj, *, where: str = "", **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        prefix = f"{where} " if where else ""
        if hasattr(exc, "error_dict"):
            raise RecordError(
                [f"{prefix}{k}：{'；'.join(v)}" for k, v in exc.message_dict.items()]
            ) from None
        raise RecordError([prefix + m for m in exc.messages]) from None


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


def import_bundle(record: dict[str, Any], actor: User | None, report: ImportReport) -> None:
    if not isinstance(record, dict):
        raise RecordError([_("应为对象")])
    data = normalise(
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
        raise RecordError(errors)
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
