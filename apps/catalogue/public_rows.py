"""What a row of a public result list shows of an item, kept in the cache per item
(issue 16: the search's rows were read and built again for every query after any
catalogue change).

A row (:class:`ItemRow`) is the item's own columns, its implementing department's code and
names (Chinese and English) and its published guide's time limit and channels: data, not
HTML, so one entry serves every language and every query (the page highlights the query
and translates the labels). Its key is the item's id alone, so a change to one item leaves
the other items' rows in the cache. What clears a row (:mod:`apps.catalogue.receivers`, at once and
again after the commit):

* the item saved or deleted;
* one of the item's guides saved or deleted (published, superseded, a new time limit);
* its implementing department saved or deleted (the rows of the department's items).

Every write of these goes through ``save()``/``delete()`` (the catalogue services, the
admin, the import); :data:`ROW_TTL` bounds what a write that bypasses the model signals
(raw SQL, ``QuerySet.update``) can leave behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection

from apps.catalogue.models import ServiceGuide, ServiceItem

ROW_TTL = 3600  # seconds
# In the key: a deploy that changes ItemRow's fields never reads an older entry.
_ROW_FORMAT = 2
_PUBLISHED = ServiceGuide.Status.PUBLISHED


class ItemRow(NamedTuple):
    """One item of a result list, with its department and published guide (C3, C5)."""

    id: int
    code: str
    name: str
    name_en: str
    summary_en: str
    item_type: str
    target: str
    keywords: str
    department_code: str
    department_name: str
    department_name_en: str
    # Of the published guide; False/"" without one.
    immediate: bool
    limit: int | str
    online: bool
    mobile: bool

    @classmethod
    def of(cls, item: ServiceItem) -> ItemRow:
        """The row of an item of ``public_selectors.item_public_list()``."""
        guides = item.published_guides  # type: ignore[attr-defined]
        guide = guides[0] if guides else None
        department = item.implementing_department
        return cls(
            item.id,
            item.code,
            item.name,
            item.name_en,
            item.summary_en,
            item.item_type,
            item.target,
            item.keywords,
            department.code,
            department.name,
            department.name_en,
            bool(guide and guide.is_immediate),
            guide.promised_time_limit_days if guide else "",
            bool(guide and guide.online_available),
            bool(guide and guide.mobile_available),
        )


def _key(item_id: int) -> str:
    return f"catalogue:row:{_ROW_FORMAT}:{item_id}"


# One statement: the ORM's two (items with their department, then the guides) cost more
# to compile than to run (issue 16).
_READ_SQL = """
SELECT i.id, i.code, i.name, i.name_en, i.summary_en, i.item_type, i.target, i.keywords,
       d.code, d.name, d.name_en, g.id, g.is_immediate, g.promised_time_limit_days,
       g.online_available, g.mobile_available
FROM catalogue_serviceitem i
JOIN accounts_department d ON d.id = i.implementing_department_id
LEFT JOIN catalogue_serviceguide g ON g.item_id = i.id AND g.status = %s
WHERE i.id = ANY(%s)
"""


def _read_rows(ids: list[int]) -> dict[int, ItemRow]:
    """The rows of ``ids`` from the database (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_READ_SQL, [_PUBLISHED.value, ids])
        found = cursor.fetchall()
    rows = {}
    for values in found:
        guide_id, immediate, limit, online, mobile = values[11:]
        guide = (False, "", False, False)  # as ItemRow.of for an item with no published guide
        if guide_id is not None:
            guide = (bool(immediate), limit, bool(online), bool(mobile))
        rows[values[0]] = ItemRow(*values[:11], *guide)
    return rows


def item_rows_by_id(ids: list[int]) -> list[ItemRow]:
    """The rows of ``ids`` in that order (an id whose item is gone is left out): from the
    cache, the missing ones read in one go and cached."""
    found = cache.get_many([_key(i) for i in ids])
    rows = {i: ItemRow(*found[_key(i)]) for i in ids if _key(i) in found}
    missing = [i for i in ids if i not in rows]
    if missing:
        read = _read_rows(missing)
        # Plain tuples in the cache, not the class: the key's format number covers them.
        cache.set_many({_key(i): tuple(row) for i, row in read.items()}, ROW_TTL)
        rows.update(read)
    return [rows[i] for i in ids if i in rows]


def forget_item_rows(item_ids: Iterable[int]) -> None:
    """Clear the cached rows of these items (the next list that shows them reads them)."""
    keys = [_key(i) for i in item_ids]
    if keys:
        cache.delete_many(keys)


def forget_department_rows(department_id: int) -> None:
    """Clear the cached rows of the items a department implements (its name or code
    changed)."""
    forget_item_rows(
        ServiceItem.objects.filter(implementing_department_id=department_id).values_list(
            "id", flat=True
        )
    )
