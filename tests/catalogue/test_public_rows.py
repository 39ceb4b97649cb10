"""The cached rows of the public result lists (issue 16): read once per item, cleared at
once when the item, one of its guides or its department changes, and only for the items
the change touches."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from apps.catalogue.models import ServiceGuide
from apps.catalogue.public_rows import ItemRow, item_rows_by_id
from apps.catalogue.public_selectors import item_public_list
from apps.catalogue.services import item_update
from tests.accounts.factories import DepartmentFactory
from tests.catalogue.factories import published_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return DepartmentFactory(code="GAJ", name="市公安局", short_name="公安")


@pytest.fixture
def passports(dept):
    return [
        published_item(name, keywords="护照", item={"competent_department": dept})
        for name in ("护照签发", "护照换发")
    ]


def test_rows_are_read_once_then_come_from_the_cache(passports, django_assert_num_queries):
    ids = [passports[1].id, passports[0].id]
    with django_assert_num_queries(1):  # the items with their department and guide
        first = item_rows_by_id(ids)
    with django_assert_num_queries(0):
        assert item_rows_by_id(ids) == first
    assert [row.name for row in first] == ["护照换发", "护照签发"]
    # The same row as the lists build from their items.
    listed = {item.id: ItemRow.of(item) for item in item_public_list()}
    assert first == [listed[i] for i in ids]


def test_a_changed_item_is_read_again_and_the_others_stay_cached(
    passports, django_assert_num_queries
):
    ids = [p.id for p in passports]
    item_rows_by_id(ids)
    item_update(actor=None, item=passports[0], data={"name": "护照签发（新）"})
    with django_assert_num_queries(1) as ctx:
        rows = item_rows_by_id(ids)
    assert [row.name for row in rows] == ["护照签发（新）", "护照换发"]
    # Only the changed item's row was read.
    assert f"ANY(ARRAY[{passports[0].id}])" in ctx.captured_queries[0]["sql"]


def test_a_guide_change_clears_its_items_row(passports):
    item_rows_by_id([passports[0].id])
    guide = passports[0].guides.get()
    guide.promised_time_limit_days = 3
    guide.online_available = False
    guide.save()
    (row,) = item_rows_by_id([passports[0].id])
    assert (row.limit, row.online) == (3, False)

    guide.status = ServiceGuide.Status.SUPERSEDED
    guide.save()
    (row,) = item_rows_by_id([passports[0].id])
    assert (row.limit, row.online, row.immediate) == ("", False, False)


def test_a_department_change_clears_the_rows_of_its_items(dept, passports):
    item_rows_by_id([p.id for p in passports])
    dept.name = "市公安局出入境管理支队"
    dept.code = "GAJ-CRJ"
    dept.save()
    rows = item_rows_by_id([p.id for p in passports])
    assert {(row.department_name, row.department_code) for row in rows} == {
        ("市公安局出入境管理支队", "GAJ-CRJ")
    }


def test_search_page_shows_a_changed_or_unpublished_item_at_once(client, passports):
    """C5: the rows cached by the first search never hide a change from the next one."""
    url = reverse("catalogue:search") + "?q=" + quote("护照")
    assert "护照</mark>签发" in client.get(url).content.decode()

    item_update(actor=None, item=passports[0], data={"name": "普通护照签发"})
    body = client.get(url).content.decode()
    assert "普通<mark>护照</mark>签发" in body and "护照</mark>换发" in body

    guide = passports[1].guides.get()
    guide.promised_time_limit_days = 2
    guide.save()
    assert "承诺时限 <strong>2</strong>" in client.get(url).content.decode()

    guide.status = ServiceGuide.Status.SUPERSEDED
    guide.save()
    body = client.get(url).content.decode()
    assert "找到 1 个" in body and "换发" not in body
