"""A no-op re-import costs a fixed number of queries per batch, not per item, and writes
nothing (issue: it took about 14 queries an item, slower than the first import)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.catalogue.models import (
    GuideMaterial,
    GuideStep,
    ServiceGuide,
    ServiceItem,
    Topic,
)
from apps.catalogue.search import compute_search_fields
from apps.catalogue.transfer import BATCH_SIZE, catalogue_export, catalogue_import, guide_to_dict
from tests.catalogue.catalogue_files import guide_record

pytestmark = pytest.mark.django_db

# Every batch: items, their topics, their current guides and the guides' three kinds of
# line, the departments they name; then sections and the transaction. No-op at 1,000 items
# (two batches) must stay within the same bound as at 100.
MAX_NOOP_QUERIES = 24


def _stored_catalogue(department, n: int) -> dict:
    """``n`` items stored in bulk: most with a published guide, every tenth a draft, every
    seventh only in the basic catalogue; and the file that describes exactly that."""
    topic = Topic.objects.create(code="company_open", name="企业开办", kind="company_stage")
    content = guide_record()
    fields = {k: v for k, v in content.items() if not isinstance(v, list)}
    items = []
    for i in range(n):
        name = f"批量事项{i}"
        search = compute_search_fields(name, "")
        items.append(
            ServiceItem(
                code=f"NOOP-{i:05d}",
                name=name,
                item_type="licensing",
                target="legal_person",
                competent_department=department,
                implementing_department=department,
                legal_basis="《中华人民共和国行政许可法》第十二条",
                **search._asdict(),
            )
        )
    ServiceItem.objects.bulk_create(items)
    ServiceItem.topics.through.objects.bulk_create(
        [ServiceItem.topics.through(serviceitem_id=item.id, topic_id=topic.id) for item in items]
    )
    guides = []
    for i, item in enumerate(items):
        if i % 7 == 3:
            continue
        draft = i % 10 == 0
        guides.append(
            ServiceGuide(
                item=item,
                version=1,
                status="draft" if draft else "published",
                published_at=None if draft else timezone.now(),
                **fields,
            )
        )
    ServiceGuide.objects.bulk_create(guides)
    GuideMaterial.objects.bulk_create(
        [GuideMaterial(guide=g, order=1, **content["materials"][0]) for g in guides]
    )
    GuideStep.objects.bulk_create(
        [GuideStep(guide=g, order=1, **content["steps"][0]) for g in guides]
    )
    data = catalogue_export()
    drafts = {g.item.code: g for g in ServiceGuide.objects.filter(status="draft")}
    for record in data["items"]:
        if record["code"] in drafts:
            record["guide"] = {"status": "draft", **guide_to_dict(drafts[record["code"]])}
    return data


def _snapshot() -> tuple:
    return (
        list(ServiceItem.objects.order_by("pk").values_list("pk", "updated_at")),
        list(ServiceGuide.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        ServiceItem.history.count(),
        ServiceGuide.history.count(),
        GuideMaterial.objects.count(),
    )


@pytest.mark.parametrize("size", [100, 1000])
def test_noop_reimport_costs_a_constant_number_of_queries(
    department, django_assert_max_num_queries, size
):
    data = _stored_catalogue(department, size)
    before = _snapshot()
    with django_assert_max_num_queries(MAX_NOOP_QUERIES):
        report = catalogue_import(data)
    assert report.ok, report.errors[:3]
    assert not report.changed
    assert report.items.unchanged == size
    assert (report.items.created, report.items.updated) == (0, 0)
    assert len(report.outcomes) == size
    assert sum(not o.public for o in report.outcomes) == len(
        [i for i in range(size) if i % 7 == 3 or i % 10 == 0]
    )
    assert _snapshot() == before


def test_queries_grow_with_batches_not_items(department):
    data = _stored_catalogue(department, BATCH_SIZE + 1)
    one_batch = {**data, "items": data["items"][:BATCH_SIZE]}
    with CaptureQueriesContext(connection) as first:
        catalogue_import(one_batch)
    with CaptureQueriesContext(connection) as second:
        catalogue_import(data)
    per_batch = len(second.captured_queries) - len(first.captured_queries)
    assert 0 < per_batch <= 8
