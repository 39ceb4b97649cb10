"""The topics and bundles sections, each read and compared in a fixed number of queries;
only records that differ go through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from apps.accounts.models import Department
from apps.catalogue.models import Bundle, BundleStep, ServiceItem, Topic
from apps.catalogue.services import bundle_publish, bundle_save, topic_save
from apps.catalogue.transfer.context import ImportContext, unique_records
from apps.catalogue.transfer.normalise import normalise
from apps.catalogue.transfer.report import RecordError

TOPIC_KEYS = ["code", "name", "kind", "order"]
BUNDLE_SCALARS = ["name", "name_en", "description", "target", "promised_time_limit_days"]


def import_topics(records: list[Any], ctx: ImportContext) -> None:
    rows = unique_records(records, "topics", ctx)
    existing = {t.code: t for t in Topic.objects.filter(code__in=[r["code"] for _i, r in rows])}
    for index, record in rows:
        where = ctx.where("topics", index, record["code"])
        try:
            data = normalise(Topic, TOPIC_KEYS, record, "")
        except RecordError as exc:
            ctx.refuse(where, exc.messages)
            continue
        topic = existing.get(data["code"])
        if topic is not None and all(getattr(topic, k) == v for k, v in data.items()):
            ctx.report.topics.unchanged += 1
            continue
        if ctx.attempt(where, lambda data=data: topic_save(actor=ctx.actor, **data)) is None:
            continue
        if topic is None:
            ctx.report.topics.created += 1
        else:
            ctx.report.topics.updated += 1


def _bundle_state(bundle: Bundle) -> tuple:
    return (
        {f: getattr(bundle, f) for f in BUNDLE_SCALARS},
        bundle.lead_department.code,
        sorted(t.code for t in bundle.topics.all()),
        sorted((s.item.code, s.stage) for s in bundle.steps.all()),
        bundle.status,
    )


def _bundle_wanted(
    record: dict[str, Any],
    departments: dict[str, Department],
    topics: dict[str, Topic],
    items: dict[str, ServiceItem],
) -> dict[str, Any]:
    data = normalise(Bundle, ["code", *BUNDLE_SCALARS], record, "")
    errors = []
    lead_code = str(record.get("lead_department") or "")
    if lead_code not in departments:
        errors.append(_("牵头部门编码“%(code)s”不存在") % {"code": lead_code})
    topic_codes = record.get("topics") or []
    errors += [
        _("办事分类编码“%(code)s”不存在") % {"code": c} for c in topic_codes if c not in topics
    ]
    steps = []
    for i, step in enumerate(record.get("steps") or []):
        if not isinstance(step, dict) or step.get("item") not in items:
            item = step.get("item") if isinstance(step, dict) else step
            errors.append(f"steps[{i}] " + _("事项编码“%(code)s”不存在") % {"code": item})
            continue
        try:
            steps.append((items[step["item"]], int(step.get("stage", 1))))
        except (TypeError, ValueError):
            stage = step.get("stage")
            errors.append(f"steps[{i}] " + _("阶段“%(stage)s”应为正整数") % {"stage": stage})
    if errors:
        raise RecordError(errors)
    data["lead_department"] = departments[lead_code]
    data["topics"] = [topics[c] for c in topic_codes]
    data["steps"] = steps
    return data


def _bundle_write(bundle: Bundle | None, data: dict[str, Any], ctx: ImportContext) -> Bundle:
    fields = {k: v for k, v in data.items() if k not in ("steps", "topics")}
    bundle = bundle_save(
        actor=ctx.actor, bundle=bundle, data=fields, steps=data["steps"], topics=data["topics"]
    )
    if bundle.status != Bundle.Status.PUBLISHED:
        bundle = bundle_publish(actor=ctx.actor, bundle=bundle)
    return bundle


def import_bundles(records: list[Any], ctx: ImportContext) -> None:
    rows = unique_records(records, "bundles", ctx)
    codes = [r["code"] for _i, r in rows]
    steps = BundleStep.objects.select_related("item").order_by("stage", "id")
    existing = {
        b.code: b
        for b in Bundle.objects.filter(code__in=codes)
        .select_related("lead_department")
        .prefetch_related("topics", Prefetch("steps", queryset=steps))
    }
    step_codes = {
        s.get("item")
        for _i, r in rows
        for s in (r.get("steps") or [])
        if isinstance(s, dict) and isinstance(s.get("item"), str)
    }
    items = {i.code: i for i in ServiceItem.objects.filter(code__in=step_codes)}
    departments = {
        d.code: d
        for d in Department.objects.filter(
            code__in={str(r.get("lead_department")) for _i, r in rows}
        )
    }
    topics = {t.code: t for t in Topic.objects.all()}
    for index, record in rows:
        where = ctx.where("bundles", index, record["code"])
        try:
            data = _bundle_wanted(record, departments, topics, items)
        except RecordError as exc:
            ctx.refuse(where, exc.messages)
            continue
        bundle = existing.get(data["code"])
        wanted = (
            {f: data[f] for f in BUNDLE_SCALARS},
            data["lead_department"].code,
            sorted(t.code for t in data["topics"]),
            sorted((item.code, stage) for item, stage in data["steps"]),
            Bundle.Status.PUBLISHED,
        )
        if bundle is not None and _bundle_state(bundle) == wanted:
            ctx.report.bundles.unchanged += 1
            continue
        if ctx.attempt(where, lambda b=bundle, d=data: _bundle_write(b, d, ctx)) is None:
            continue
        if bundle is None:
            ctx.report.bundles.created += 1
        else:
            ctx.report.bundles.updated += 1
