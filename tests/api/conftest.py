"""Fixtures of the schemathesis runs (tests/api/contract.py)."""

from __future__ import annotations

import os
import secrets

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from tests.api.contract import PERSONAS, PersonaSession
from tests.applications.factories import ApplicationFactory, guide_for
from tests.catalogue.factories import PublishedBundleFactory

# The long run is `make fuzz`'s, never CI's: without its budget it is not even collected.
collect_ignore = [] if os.environ.get("FUZZ_BUDGET_SECONDS") else ["test_fuzz.py"]


def pytest_collection_modifyitems(config, items):
    """Each persona starts at its own place in the operation list (persona k of n at k/n of
    it, then round), in the CI contract run and in ``make fuzz``. When the time budget runs
    out before the end, the operations left out are ones another persona began with, so the
    run as a whole still reaches every operation as someone signed in."""
    for module in ("test_schema_contract.py", "test_fuzz.py"):
        _rotate_personas(items, module)


def _rotate_personas(items, module: str) -> None:
    runs = [
        i
        for i in items
        if i.nodeid.split("::")[0].endswith(module) and hasattr(i.function, "persona")
    ]
    if not runs:
        return
    blocks: dict[str, list] = {}
    for item in runs:
        blocks.setdefault(item.function.persona, []).append(item)
    rotated = []
    for index, block in enumerate(blocks.values()):
        start = index * len(block) // len(blocks)
        rotated += block[start:] + block[:start]
    first = items.index(runs[0])
    moved = set(runs)
    rest = [i for i in items if i not in moved]
    items[:] = rest[:first] + rotated + rest[first:]


@pytest.fixture
def _requests_share_the_test_transaction():
    """Django closes the connection around each request; under the WSGI app (unlike its
    test client) that would end the test's transaction, so keep it open while we test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def within_budget(request, db):
    """The clock starts after the test database exists: its creation is not the run's."""
    request.function.budget.check(request.function.persona)


@pytest.fixture
def world(
    within_budget,
    _requests_share_the_test_transaction,
    department,
    citizen,
    window_staff,
    settings,
    tmp_path,
):
    """Something for each persona to find: a published item and bundle, the citizen's
    submitted application and draft, in the window staff's (and approver's) department."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    guide = guide_for(department)
    bundle = PublishedBundleFactory(lead_department=department)
    submitted = ApplicationFactory(guide=guide, applicant=citizen)
    draft = ApplicationFactory(guide=guide, applicant=citizen, state="draft")
    return {
        "id": [submitted.pk, draft.pk],
        "code": [guide.item.code, bundle.code],
    }


@pytest.fixture
def signed_in(request, world):
    """The running test's persona signed in (nobody for the anonymous run)."""
    persona = request.function.persona
    fixture = PERSONAS[persona]
    if fixture is not None:
        client = Client()
        client.force_login(request.getfixturevalue(fixture))
        token = secrets.token_hex(16)
        PersonaSession.sessions[persona] = {
            "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
            "headers": {"X-CSRFToken": token},
        }
    yield
    PersonaSession.sessions.clear()
