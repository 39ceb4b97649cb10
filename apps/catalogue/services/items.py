"""Writes to the basic catalogue: service items (DOMAIN C1, C2, C12)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Department, User
from apps.catalogue.guide_fields import ITEM_BASIC_FIELDS
from apps.catalogue.models import ServiceItem, Topic
from apps.catalogue.search import compute_search_fields
from apps.catalogue.selectors import guide_get_published
from apps.catalogue.services.permissions import assert_can_manage_item
from apps.catalogue.services.problems import full_clean
from apps.common.errors import ApplicationError
from apps.common.services import model_update

ITEM_FIELDS = [
    *ITEM_BASIC_FIELDS,
    "keywords",
    "risk_area",
    "is_active",
    "name_en",
    "summary_en",
]


SEARCH_FIELDS = ["search_text", "pinyin_initials", "name_words"]


def _refresh_search_fields(item: ServiceItem) -> list[str]:
    """Recompute the derived search columns; return the names of those that changed."""
    fresh = compute_search_fields(item.name, item.keywords)._asdict()
    changed = [f for f in SEARCH_FIELDS if getattr(item, f) != fresh[f]]
    for field in changed:
        setattr(item, field, fresh[field])
    return changed


@transaction.atomic
def item_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    item_type: str,
    target: str,
    competent_department: Department,
    implementing_department: Department,
    legal_basis: str,
    level: str = Department.Level.CITY,
    keywords: str = "",
    risk_area: str = "",
    is_active: bool = True,
    topics: Iterable[Topic] = (),
    name_en: str = "",
    summary_en: str = "",
) -> ServiceItem:
    """Add an item to the basic catalogue (C1, C2)."""
    item = ServiceItem(
        code=code.strip(),
        name=name.strip(),
        item_type=item_type,
        target=target,
        competent_department=competent_department,
        implementing_department=implementing_department,
        legal_basis=legal_basis,
        level=level,
        keywords=keywords,
        risk_area=risk_area or "",
        is_active=is_active,
        name_en=name_en.strip(),
        summary_en=summary_en.strip(),
    )
    assert_can_manage_item(actor=actor, item=item)
    # The departments are rows already: no query to check that they exist.
    full_clean(item, exclude=["competent_department", "implementing_department"])
    _refresh_search_fields(item)
    item.save()
    if topics:
        item.topics.set(list(topics))
    return item


@transaction.atomic
def item_update(*, actor: User | None, item: ServiceItem, data: dict[str, Any]) -> ServiceItem:
    """Change basic-catalogue fields (and ``topics``) of ``item``; returns the fresh row.

    The actor must manage the item before and after the change (a department cannot hand an
    item to another one it does not belong to). A high-risk area cannot be set while the
    published guide uses 告知承诺 (C12).
    """
    locked = ServiceItem.objects.select_for_update().get(pk=item.pk)
    assert_can_manage_item(actor=actor, item=locked)
    fields = [f for f in ITEM_FIELDS if f in data]
    locked, changed = model_update(instance=locked, fields=fields, data=data)
    if changed:
        assert_can_manage_item(actor=actor, item=locked)
        if locked.risk_area:
            published = guide_get_published(locked)
            if published is not None and published.pledge_enabled:
                raise ApplicationError(
                    _(
                        "已发布的办事指南适用告知承诺制，事项不能设为高风险领域；"
                        "请先发布不适用告知承诺的修订版"
                    )
                )
        search_changed = _refresh_search_fields(locked)
        if search_changed:
            locked.save(update_fields=search_changed)
    if "topics" in data:
        new_ids = {t.pk for t in data["topics"]}
        if new_ids != set(locked.topics.values_list("pk", flat=True)):
            locked.topics.set(list(data["topics"]))
    return locked
