"""Public catalogue API (DOMAIN C5, C6, C8): read-only, published guides only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.catalogue.models import ServiceGuide
from tests.catalogue.factories import (
    BundleFactory,
    BundleStepFactory,
    GuideMaterialFactory,
    PublishedGuideFactory,
    ServiceGuideFactory,
    ServiceItemFactory,
    TopicFactory,
    item_with_published_guide,
)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def published(department):
    topic = TopicFactory(code="company_open", name="企业开办", kind="company_stage")
    item = ServiceItemFactory(
        code="350100-SCJGJ-XK-0001",
        name="食品经营许可",
        keywords="开饭店",
        competent_department=department,
        topics=[topic],
    )
    guide = PublishedGuideFactory(item=item, materials=2, steps=2)
    guide.special_procedures.create(kind="site_inspection", time_limit_days=10)
    return item


def test_c5_item_list_shows_only_items_with_a_published_guide(api, published, department):
    draft_only = ServiceItemFactory(competent_department=department)
    ServiceGuideFactory(item=draft_only)
    response = api.get("/api/v1/catalogue/items/")
    assert response.status_code == 200
    codes = [r["code"] for r in response.json()["results"]]
    assert codes == [published.code]
    assert response.json()["results"][0]["guide"]["promised_time_limit_days"] == 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"item_type": "licensing"}, True),
        ({"item_type": "penalty"}, False),
        ({"target": "legal_person"}, True),
        ({"target": "natural_person"}, False),
        ({"department": "SCJGJ"}, True),
        ({"department": "GAJ"}, False),
        ({"topic": "company_open"}, True),
        ({"topic": "birth"}, False),
        ({"online_available": "true"}, True),
        ({"online_available": "false"}, False),
        ({"q": "开饭店"}, True),
        ({"q": "spjy"}, True),
        ({"q": "护照"}, False),
    ],
)
def test_item_list_filters(api, published, other_department, params, expected):
    response = api.get("/api/v1/catalogue/items/", params)
    assert response.status_code == 200
    codes = [r["code"] for r in response.json()["results"]]
    assert (published.code in codes) is expected


def test_item_list_rejects_unknown_choice(api, published):
    response = api.get("/api/v1/catalogue/items/", {"item_type": "nonsense"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_item_detail_has_guide_materials_steps_procedures(api, published):
    response = api.get(f"/api/v1/catalogue/items/{published.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "食品经营许可"
    assert body["implementing_department"] == {"code": "SCJGJ", "name": "市市场监督管理局"}
    assert body["topics"] == ["company_open"]
    guide = body["guide"]
    assert guide["version"] == 1
    assert len(guide["materials"]) == 2
    assert len(guide["steps"]) == 2
    assert guide["special_procedures"][0]["kind_display"] == "现场勘验"


def test_c5_item_detail_shows_the_published_version_not_the_draft(api, published):
    ServiceGuideFactory(item=published, result_name="草稿中的新证")
    guide = api.get(f"/api/v1/catalogue/items/{published.code}/").json()["guide"]
    assert guide["version"] == 1
    assert guide["result_name"] != "草稿中的新证"


@pytest.mark.parametrize("state", ["no_guide", "draft_only", "superseded_only", "inactive"])
def test_c5_item_detail_is_404_for_an_item_the_public_cannot_see(api, department, state):
    """C5: the API answers as the web page and the list do; before, it answered 200 with
    ``"guide": null`` for an item without a published guide."""
    item = ServiceItemFactory(competent_department=department, is_active=state != "inactive")
    if state == "draft_only":
        ServiceGuideFactory(item=item)
    elif state == "superseded_only":
        PublishedGuideFactory(item=item, status=ServiceGuide.Status.SUPERSEDED)
    elif state == "inactive":
        PublishedGuideFactory(item=item)
    response = api.get(f"/api/v1/catalogue/items/{item.code}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert item.code not in [
        r["code"] for r in api.get("/api/v1/catalogue/items/").json()["results"]
    ]


def test_c5_bundle_with_an_item_that_is_no_longer_public_is_hidden(api, department):
    bundle = BundleFactory(code="YJS-A", lead_department=department, status="published")
    public_item = item_with_published_guide(promised=5)
    lost = item_with_published_guide(promised=3)
    BundleStepFactory(bundle=bundle, item=public_item, stage=1)
    BundleStepFactory(bundle=bundle, item=lost, stage=2)
    assert api.get("/api/v1/catalogue/bundles/YJS-A/").status_code == 200
    lost.is_active = False
    lost.save()
    assert api.get("/api/v1/catalogue/bundles/YJS-A/").status_code == 404
    assert api.get("/api/v1/catalogue/bundles/").json()["results"] == []


def test_item_detail_unknown_code_is_404_in_one_shape(api, db):
    response = api.get("/api/v1/catalogue/items/NOPE/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def _detail_queries(api, materials: int) -> int:
    item = ServiceItemFactory()
    guide = PublishedGuideFactory(item=item, materials=0, steps=3)
    for i in range(materials):
        GuideMaterialFactory(guide=guide, name=f"材料{i}")
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"/api/v1/catalogue/items/{item.code}/")
    assert response.status_code == 200
    assert len(response.json()["guide"]["materials"]) == materials
    return len(ctx.captured_queries)


def test_item_detail_runs_a_fixed_number_of_queries(api, db, django_assert_num_queries):
    """3 or 30 materials: the same number of queries (prefetch, no N+1)."""
    few = _detail_queries(api, 3)
    item = ServiceItemFactory()
    guide = PublishedGuideFactory(item=item, materials=0, steps=3)
    for i in range(30):
        GuideMaterialFactory(guide=guide, name=f"材料{i}")
    with django_assert_num_queries(few):
        response = api.get(f"/api/v1/catalogue/items/{item.code}/")
    assert len(response.json()["guide"]["materials"]) == 30


def test_item_list_runs_a_fixed_number_of_queries(api, db, django_assert_num_queries):
    for _ in range(2):
        item_with_published_guide()
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/v1/catalogue/items/")
    for _ in range(8):
        item_with_published_guide()
    with django_assert_num_queries(len(ctx.captured_queries)):
        response = api.get("/api/v1/catalogue/items/")
    assert response.json()["count"] == 10


def test_c8_bundle_list_and_detail_show_the_computed_limit(api, department):
    bundle = BundleFactory(
        code="YJS-QYKB", lead_department=department, promised_time_limit_days=6, status="published"
    )
    BundleStepFactory(bundle=bundle, item=item_with_published_guide(promised=5), stage=1)
    BundleStepFactory(bundle=bundle, item=item_with_published_guide(promised=2), stage=1)
    BundleStepFactory(bundle=bundle, item=item_with_published_guide(promised=3), stage=2)
    BundleFactory(code="YJS-DRAFT", lead_department=department)  # drafts are not public

    listing = api.get("/api/v1/catalogue/bundles/").json()["results"]
    assert [b["code"] for b in listing] == ["YJS-QYKB"]
    detail = api.get("/api/v1/catalogue/bundles/YJS-QYKB/").json()
    assert detail["computed_time_limit_days"] == 8
    assert [s["stage"] for s in detail["steps"]] == [1, 1, 2]
    assert api.get("/api/v1/catalogue/bundles/YJS-DRAFT/").status_code == 404


def test_topics_list(api, db):
    TopicFactory(code="birth", name="出生", kind="life_event")
    TopicFactory(code="education", name="教育", kind="theme")
    body = api.get("/api/v1/catalogue/topics/").json()
    assert {t["code"] for t in body} == {"birth", "education"}
    only = api.get("/api/v1/catalogue/topics/", {"kind": "life_event"}).json()
    assert [t["code"] for t in only] == ["birth"]


@pytest.mark.parametrize("persona", [None, "citizen", "window_staff"])
def test_catalogue_api_is_public_and_read_only(request, api, published, persona):
    if persona:
        api.force_authenticate(request.getfixturevalue(persona))
    assert api.get("/api/v1/catalogue/items/").status_code == 200
    response = api.post("/api/v1/catalogue/items/", {"code": "X"})
    assert response.status_code == 405
    assert api.delete(f"/api/v1/catalogue/items/{published.code}/").status_code == 405
    assert ServiceGuide.objects.filter(item=published).count() == 1


def test_schema_lists_the_catalogue_paths(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/catalogue/items/",
        "/api/v1/catalogue/items/{code}/",
        "/api/v1/catalogue/bundles/",
        "/api/v1/catalogue/bundles/{code}/",
        "/api/v1/catalogue/topics/",
    ):
        assert path in text


def test_swagger_ui_uses_only_local_static_files(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "http://", "https://"):
        assert cdn not in html
