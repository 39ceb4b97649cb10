"""Many new items at once: a district's catalogue loaded from nothing (DOMAIN C1–C5).

:func:`items_bulk_create` does for a batch of new items what :func:`item_create`,
:func:`guide_create_from_content` and :func:`guide_publish` do for one, with the same
checks, in a fixed number of queries: every item and guide is validated in memory first
(nothing is written if any is refused), then items, their history, topics, guides, their
history and the guides' lines are each inserted in one statement per kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from apps.accounts.models import User
from apps.catalogue import hooks, rules
from apps.catalogue.guide_fields import GUIDE_FIELDS
from apps.catalogue.models import ServiceGuide, ServiceItem, Topic
from apps.catalogue.search import compute_search_fields
from apps.catalogue.services.guides import GUIDE_PARTS, draft_content_problems
from apps.catalogue.services.items import ITEM_FIELDS
from apps.catalogue.services.permissions import can_manage_item
from apps.catalogue.services.problems import validation_problems
from apps.common.errors import ApplicationError


@dataclass
class NewItem:
    """One item to create: basic-catalogue ``fields`` (departments as rows), ``topics``,
    and optionally its first guide's content (``guide``: scalar fields plus ``materials``,
    ``steps``, ``special_procedures`` lists), published when ``publish``."""

    fields: dict[str, Any]
    topics: list[Topic] = field(default_factory=list)
    guide: dict[str, Any] | None = None
    publish: bool = False
    change_note: str = ""


def _clean(obj, **kwargs) -> list[str]:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False, **kwargs)
    except ValidationError as exc:
        return validation_problems(exc)
    return []


def _item_of(new: NewItem, actor: User | None) -> tuple[ServiceItem, list[str]]:
    unknown = set(new.fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    item = ServiceItem(**new.fields)
    if not can_manage_item(actor, item):
        return item, [_("您无权维护该部门的事项目录。")]
    problems = _clean(item, exclude=["competent_department", "implementing_department"])
    search = compute_search_fields(item.name, item.keywords)
    item.search_text, item.pinyin_initials, item.name_words = search
    return item, problems


def _guide_of(
    new: NewItem, content: dict[str, Any], item: ServiceItem, actor: User | None, now
) -> tuple[ServiceGuide, dict[str, list[Any]], list[str]]:
    scalars = {f: v for f, v in content.items() if f in GUIDE_FIELDS}
    guide = ServiceGuide(item=item, version=1, change_note=new.change_note, **scalars)
    if new.publish:
        guide.status = ServiceGuide.Status.PUBLISHED
        guide.published_at, guide.published_by = now, actor
    parts: dict[str, list[Any]] = {
        key: [model(guide=guide, **row) for row in content[key]] for model, key in GUIDE_PARTS
    }
    for _model, key in GUIDE_PARTS:
        for order, row in enumerate(parts[key], start=1):
            if hasattr(row, "order"):
                row.order = order
    if new.publish:
        problems = rules.guide_problems(
            guide,
            materials=parts["materials"],
            steps=parts["steps"],
            procedures=parts["special_procedures"],
        )
        blank: list[str] = []
    else:
        problems = draft_content_problems(guide, item, parts)
        blank = [f for f in GUIDE_FIELDS if getattr(guide, f) in ("", None)]
    problems += _clean(guide, exclude=["item", *blank])
    for _model, key in GUIDE_PARTS:
        for row in parts[key]:
            problems += _clean(row, exclude=["guide"])
    return guide, parts, problems


def _prepare(
    new_items: list[NewItem], actor: User | None, now
) -> tuple[list[ServiceItem], list[tuple[ServiceGuide, dict]], dict[int, list[str]]]:
    """The unsaved rows, and the problems of every refused item by its index."""
    by_index: dict[int, list[str]] = {}
    items, guides = [], []
    for index, new in enumerate(new_items):
        item, problems = _item_of(new, actor)
        if new.guide is not None:
            guide, parts, guide_problems = _guide_of(new, new.guide, item, actor, now)
            problems += guide_problems
            guides.append((guide, parts))
        if problems:
            by_index[index] = list(dict.fromkeys(problems))
        items.append(item)
    codes = [item.code for item in items]
    taken = set(ServiceItem.objects.filter(code__in=codes).values_list("code", flat=True))
    for index, code in enumerate(codes):
        if code in taken or codes.index(code) != index:
            by_index.setdefault(index, []).append(_("事项编码“%(code)s”已存在") % {"code": code})
    return items, guides, by_index


@transaction.atomic
def items_bulk_create(*, actor: User | None, new_items: list[NewItem]) -> list[ServiceItem]:
    """Create ``new_items`` with their guides, or none of them.

    Refusal: :class:`ApplicationError` whose ``extra["problems_by_index"]`` maps the index
    of each refused item to its problems (C1–C5, C10–C12, A7a as the one-by-one services).
    """
    now = timezone.now()
    items, guides, by_index = _prepare(new_items, actor, now)
    if by_index:
        problems = [f"{items[i].code}：{p}" for i, ps in sorted(by_index.items()) for p in ps]
        raise ApplicationError(
            "；".join(problems),
            code="invalid",
            extra={"problems": problems, "problems_by_index": by_index},
        )
    items = bulk_create_with_history(items, ServiceItem, default_user=actor, default_date=now)
    through = ServiceItem.topics.through
    through.objects.bulk_create(
        [
            through(serviceitem_id=item.pk, topic_id=topic.pk)
            for item, new in zip(items, new_items, strict=True)
            for topic in new.topics
        ]
    )
    for guide, _parts in guides:
        guide.item_id = guide.item.pk
    bulk_create_with_history(
        [g for g, _p in guides], ServiceGuide, default_user=actor, default_date=now
    )
    for model, key in GUIDE_PARTS:
        rows = [row for _guide, parts in guides for row in parts[key]]
        for row in rows:
            row.guide_id = row.guide.pk
        if rows:
            model.objects.bulk_create(rows)
    published = [g for g, _p in guides if g.status == ServiceGuide.Status.PUBLISHED]
    if published:
        hooks.publication_changed(guides=published)
    return items
