"""Staff reads of the catalogue over the API (DOMAIN C5): all items, each marked."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.catalogue.factories import (
    ServiceGuideFactory,
    ServiceItemFactory,
    item_with_published_guide,
)

ITEMS = "/api/v1/catalogue/staff/items/"
COMPLETENESS = "/api/v1/catalogue/staff/completeness/"


@pytest.fixture
def catalogue(department, other_department):
    item_with_published_guide(name="食品经营许可", competent_department=department, code="S-1")
    drafted = ServiceItemFactory(
        name="食品经营许可变更", competent_department=department, code="S-2"
    )
    ServiceGuideFactory(item=drafted)
    ServiceItemFactory(name="社会保险登记", competent_department=department, code="S-3")
    ServiceItemFactory(name="护照签发", competent_department=other_department, code="G-1")


def _client(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def test_staff_list_shows_unpublished_items_marked(approver, catalogue):
    body = _client(approver).get(ITEMS).json()
    rows = {r["code"]: r for r in body["results"]}
    assert set(rows) == {"S-1", "S-2", "S-3"}  # own department only
    assert (rows["S-1"]["public"], rows["S-1"]["publication"]) == (True, "已公开（第1版）")
    assert rows["S-2"]["publication"] == "未公开：草稿（第1版）"
    assert rows["S-2"]["draft_version"] == 1 and rows["S-2"]["published_version"] is None
    assert rows["S-3"]["lacks"] == ["尚无办事指南（实施清单）"]


def test_staff_list_searches_with_synonyms_and_filters_public(approver, catalogue):
    api = _client(approver)
    assert [r["code"] for r in api.get(ITEMS, {"q": "社保"}).json()["results"]] == ["S-3"]
    unpublished = api.get(ITEMS, {"public": "false"}).json()["results"]
    assert [r["code"] for r in unpublished] == ["S-3", "S-2"]


@pytest.mark.parametrize("persona", [None, "citizen"])
def test_staff_catalogue_api_is_denied_to_the_public(request, persona, catalogue):
    user = request.getfixturevalue(persona) if persona else None
    assert _client(user).get(ITEMS).status_code == 403
    assert _client(user).get(COMPLETENESS).status_code == 403


def test_completeness_per_department_for_the_dashboard(supervisor, approver, catalogue):
    figures = _client(supervisor).get(COMPLETENESS).json()
    assert figures == [
        {
            "department": {"code": "GAJ", "name": "市公安局"},
            "items": 1,
            "public": 0,
            "draft_only": 0,
            "basic_only": 1,
        },
        {
            "department": {"code": "SCJGJ", "name": "市市场监督管理局"},
            "items": 3,
            "public": 1,
            "draft_only": 1,
            "basic_only": 1,
        },
    ]
    assert [f["department"]["code"] for f in _client(approver).get(COMPLETENESS).json()] == [
        "SCJGJ"
    ]
