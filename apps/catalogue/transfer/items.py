"""The items section: the basic catalogue with, per item, no guide, a draft or a guide to
publish (DOMAIN C1–C5), read in batches.

Each batch of :data:`~.context.BATCH_SIZE` records costs a fixed number of queries: the
items with their topics and current guides (and the guides' lines), and the departments
they name. Records equal to what is stored stop there, with no savepoint, no write and no
history; only records that differ go through the services, each in its own savepoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from apps.accounts.models import Department
from apps.catalogue.models import ServiceItem, Topic
from apps.catalogue.publication import (
    Publication,
    current_guides_prefetch,
    items_with_publication,
    publication_of,
)
from apps.catalogue.services import item_create, item_update
from apps.catalogue.services.bulk import NewItem, items_bulk_create
from apps.catalogue.transfer.context import ImportContext, batches, unique_records
from apps.catalogue.transfer.exchange_format import REQUIRED_ITEM_KEYS
from apps.catalogue.transfer.guides import CHANGE_NOTE, GuidePlan, plan_guide
from apps.catalogue.transfer.normalise import normalise
from apps.catalogue.transfer.report import ItemOutcome, RecordError
from apps.common.errors import ApplicationError

SECTION = "items"
ITEM_SCALARS = [
    "code",
    "name",
    "item_type",
    "target",
    "legal_basis",
    "level",
    "keywords",
    "risk_area",
]
DEPARTMENT_ROLES = ("competent_department", "implementing_department")


@dataclass
class ItemPlan:
    data: dict[str, Any]
    item: ServiceItem | None
    item_changed: bool
    guide: GuidePlan | None

    @property
    def is_noop(self) -> bool:
        return self.item is not None and not self.item_changed and self.guide is None

    @property
    def is_new(self) -> bool:
        """A new item, with no guide or a first guide: created in bulk with its batch."""
        return self.item is None and (
            self.guide is None or self.guide.action in ("publish_new", "save_draft")
        )

    def new_item(self) -> NewItem:
        fields = {k: v for k, v in self.data.items() if k != "topics"}
        if self.guide is None:
            return NewItem(fields=fields, topics=self.data["topics"])
        return NewItem(
            fields=fields,
            topics=self.data["topics"],
            guide=self.guide.content,
            publish=self.guide.publishes,
            change_note=CHANGE_NOTE,
        )


def _item_data(
    record: dict[str, Any], departments: dict[str, Department], topics: dict[str, Topic]
) -> dict[str, Any]:
    missing = [k for k in REQUIRED_ITEM_KEYS if not str(record.get(k) or "").strip()]
    if missing:
        raise RecordError([_("缺少字段：%(keys)s") % {"keys": "、".join(missing)}])
    data = normalise(ServiceItem, ITEM_SCALARS, record, "")
    codes = [str(record[role]).strip() for role in DEPARTMENT_ROLES]
    errors = [
        _("部门编码“%(code)s”不存在") % {"code": c}
        for c in dict.fromkeys(codes)
        if c not in departments
    ]
    topic_codes = record.get("topics") or []
    if not isinstance(topic_codes, list):
        errors.append(_("topics应为分类编码列表"))
        topic_codes = []
    errors += [
        _("办事分类编码“%(code)s”不存在") % {"code": c} for c in topic_codes if c not in topics
    ]
    if errors:
        raise RecordError(errors)
    for role, code in zip(DEPARTMENT_ROLES, codes, strict=True):
        data[role] = departments[code]
    data["topics"] = [topics[c] for c in dict.fromkeys(topic_codes)]
    return data


def _item_differs(item: ServiceItem, data: dict[str, Any], topic_ids: set[int]) -> bool:
    if topic_ids != {t.pk for t in data["topics"]}:
        return True
    return any(
        getattr(item, f"{k}_id") != v.pk if k in DEPARTMENT_ROLES else getattr(item, k) != v
        for k, v in data.items()
        if k != "topics"
    )


def _plan(
    record: dict[str, Any],
    stored: tuple[ServiceItem, set[int], Publication] | None,
    departments: dict[str, Department],
    topics: dict[str, Topic],
) -> tuple[ItemPlan, str]:
    """What to do with ``record``; ``stored`` is the item as it is, its topic ids and its
    publication state (``None`` for a new item)."""
    data = _item_data(record, departments, topics)
    item, topic_ids, state = stored if stored else (None, set(), None)
    changed = item is None or _item_differs(item, data, topic_ids)
    guide_plan, note = None, ""
    if record.get("guide"):
        if not isinstance(record["guide"], dict):
            raise RecordError([_("guide应为对象")])
        probe = ServiceItem(**{k: v for k, v in data.items() if k != "topics"})
        guide_plan, note = plan_guide(
            record["guide"],
            probe,
            published=state.published if state else None,
            draft=state.draft if state else None,
        )
    return ItemPlan(data, item, changed, guide_plan), note


def _apply(plan: ItemPlan, ctx: ImportContext) -> ServiceItem:
    data = plan.data
    if plan.item is None:
        item = item_create(actor=ctx.actor, **data)
    elif plan.item_changed:
        item = item_update(actor=ctx.actor, item=plan.item, data=data)
    else:
        item = plan.item
    if plan.guide is not None:
        plan.guide.apply(actor=ctx.actor, item=item)
    return item


def _count(plan: ItemPlan, ctx: ImportContext) -> None:
    report = ctx.report
    if plan.item is None:
        report.items.created += 1
    else:
        report.items.updated += 1
    if plan.guide is not None:
        if plan.guide.publishes:
            report.guides_published += 1
        else:
            report.drafts_saved += 1


def _create_in_bulk(new: list[tuple[str, str, ItemPlan]], ctx: ImportContext) -> bool:
    """Create the batch's new items together; report each refused one at its place."""
    try:
        items_bulk_create(actor=ctx.actor, new_items=[plan.new_item() for _w, _c, plan in new])
    except ApplicationError as exc:
        by_index = exc.extra.get("problems_by_index")
        if by_index is None:
            ctx.refuse(new[0][0], [exc.message])
        for index, problems in sorted((by_index or {}).items()):
            ctx.refuse(new[index][0], problems)
        return False
    for _where, _code, plan in new:
        _count(plan, ctx)
    return True


def _outcome(state: Publication) -> ItemOutcome:
    item = state.item
    return ItemOutcome(
        code=item.code,
        name=item.name,
        department=item.implementing_department.name,
        public=state.public,
        lacks=state.lacks,
    )


def _import_batch(
    rows: list[tuple[int, dict[str, Any]]], topics: dict[str, Topic], ctx: ImportContext
) -> None:
    codes = [str(r["code"]).strip() for _i, r in rows]
    items = (
        ServiceItem.objects.filter(code__in=codes)
        .select_related("implementing_department")
        .prefetch_related(current_guides_prefetch())
    )
    links = ServiceItem.topics.through.objects.filter(serviceitem__code__in=codes)
    topic_ids: dict[int, set[int]] = {}
    for item_id, topic_id in links.values_list("serviceitem_id", "topic_id"):
        topic_ids.setdefault(item_id, set()).add(topic_id)
    existing = {
        item.code: (item, topic_ids.get(item.pk, set()), publication_of(item)) for item in items
    }
    wanted = {str(r.get(role) or "").strip() for _i, r in rows for role in DEPARTMENT_ROLES}
    departments = {d.code: d for d in Department.objects.filter(code__in=wanted)}
    states: dict[str, Publication] = {}
    written: list[str] = []
    new: list[tuple[str, str, ItemPlan]] = []
    for index, record in rows:
        code = str(record["code"]).strip()
        where = ctx.where(SECTION, index, code)
        stored = existing.get(code)
        try:
            plan, note = _plan(record, stored, departments, topics)
        except RecordError as exc:
            ctx.refuse(where, exc.messages)
            continue
        if note:
            ctx.report.notes.append(f"{where} {note}")
        if plan.is_noop and stored is not None:
            ctx.report.items.unchanged += 1
            states[code] = stored[2]
        elif plan.is_new:
            new.append((where, code, plan))
        elif ctx.attempt(where, lambda plan=plan: _apply(plan, ctx), savepoint=False) is not None:
            _count(plan, ctx)
            written.append(code)
    if new and _create_in_bulk(new, ctx):
        written += [code for _where, code, _plan in new]
    if ctx.report.errors:
        return
    states.update(items_with_publication(written) if written else {})
    ctx.report.outcomes += [_outcome(states[c]) for c in codes if c in states]


def import_items(records: list[Any], ctx: ImportContext) -> None:
    rows = unique_records(records, SECTION, ctx)
    topics = {t.code: t for t in Topic.objects.all()}
    for batch in batches(rows):
        _import_batch(batch, topics, ctx)
