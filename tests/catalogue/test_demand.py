"""More-applied-for items first: the demand figure behind the search's ranking, fed by the
applications app through a named hook (apps.catalogue.hooks)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from apps.applications.selectors import application_counts_by_item
from apps.catalogue import hooks
from apps.catalogue.models import ServiceItem
from apps.catalogue.search import search_items
from apps.catalogue.services import item_demand_set
from apps.catalogue.tasks import refresh_item_demand
from tests.applications.factories import ApplicationFactory
from tests.catalogue.factories import published_item

pytestmark = pytest.mark.django_db


def test_the_applications_app_is_a_registered_demand_source():
    assert application_counts_by_item in hooks.demand_sources


def test_the_refresh_is_scheduled_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["catalogue-refresh-item-demand"]
    assert entry["task"] == "apps.catalogue.tasks.refresh_item_demand"


def test_refresh_counts_last_years_applications_and_reranks_search():
    rare = published_item("护照换发", item={"code": "A001"})
    popular = published_item("护照签发", item={"code": "A002"})
    ApplicationFactory.create_batch(2, guide=popular.guides.get(), item=popular)
    ApplicationFactory(guide=rare.guides.get(), item=rare)
    ApplicationFactory(
        guide=rare.guides.get(), item=rare, received=timezone.now() - timedelta(days=400)
    )
    assert [i.name for i in search_items("护照")] == ["护照换发", "护照签发"]  # by name

    assert refresh_item_demand() == 2
    assert dict(ServiceItem.objects.values_list("code", "demand")) == {"A001": 1, "A002": 2}
    assert [i.name for i in search_items("护照")] == ["护照签发", "护照换发"]
    assert refresh_item_demand() == 0  # idempotent: nothing differs, nothing is written


def test_items_no_longer_applied_for_fall_back_to_zero():
    item = published_item("护照签发")
    assert item_demand_set(counts={item.pk: 7}) == 1
    assert item_demand_set(counts={}) == 1
    item.refresh_from_db()
    assert item.demand == 0
