from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from apps.policies import ratelimit
from tests.applications.factories import GuideFactory, GuideMaterialFactory, ServiceItemFactory
from tests.policies.factories import CompanyProfileFactory, PersonProfileFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """Each test starts with a full push budget (the shared window lives in Redis)."""
    window = int(time.time() // ratelimit.WINDOW_SECONDS)
    cache.delete_many([ratelimit.window_key(w) for w in (window - 1, window, window + 1)])


@pytest.fixture
def company_profile(company):
    """The shared-data profile of the company the ``company_agent`` acts for."""
    return CompanyProfileFactory(credit_code=company.credit_code, name=company.name)


@pytest.fixture
def person_profile(citizen):
    """The shared-data profile of ``citizen`` (same ID number, so the same keyed hash)."""
    return PersonProfileFactory(id_number=citizen.id_number, name=citizen.full_name)


@pytest.fixture
def claim_item(department):
    """A catalogue item whose materials all come from e-licences and data sharing (A3)."""
    item = ServiceItemFactory(
        code="350100-RSJ-GF-0908",
        name="失业保险稳岗返还",
        target="both",
        competent_department=department,
    )
    guide = GuideFactory(item=item)
    GuideMaterialFactory(
        guide=guide, order=1, name="营业执照", reuse="e_licence", e_licence_type="营业执照"
    )
    GuideMaterialFactory(guide=guide, order=2, name="参保缴费记录", reuse="shared_data")
    return item
