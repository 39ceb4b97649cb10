"""Schemathesis over the whole OpenAPI schema, as three personas (issue 7).

Every operation of ``/api/schema/`` gets generated requests (valid and invalid) through
Django's WSGI app on the real test database, as an anonymous visitor, a citizen and a
department's window staff. Every response must be no server error and must match the
schema: its status code, content type and body.

Bounded for CI: a few examples per operation, a fixed seed (derandomized), no example
database, and a time budget after which no further operation is started (36 operations
× 3 personas).

Not checked here, on purpose: whether the API refuses every request the schema forbids
or accepts every request it allows (schemathesis' positive/negative data checks). What a
request may contain is decided by serializers and services too (a deadline in the past,
an unknown query parameter tolerated); those are not disagreements between the schema and
the responses.
"""

from __future__ import annotations

import itertools
import secrets
import time
from typing import ClassVar

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.applications.factories import ApplicationFactory, guide_for
from tests.catalogue.factories import PublishedBundleFactory

MAX_EXAMPLES = 5
# The whole contract run stops starting new operations after this many seconds of wall
# time, so a slow machine cannot stretch CI; what it skipped is listed as skipped, with this
# reason. On an idle machine the run needs about a minute (about 55 s of CPU measured).
TIME_BUDGET_SECONDS = 110
_budget_started: list[float] = []


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
def within_budget(db):
    """The clock starts after the test database exists: its creation is not the run's."""
    if not _budget_started:
        _budget_started.append(time.monotonic())
    spent = time.monotonic() - _budget_started[0]
    if spent > TIME_BUDGET_SECONDS:
        pytest.skip(f"contract run's time budget ({TIME_BUDGET_SECONDS} s) spent")


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
    submitted application and draft, in the window staff's department."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    guide = guide_for(department)
    bundle = PublishedBundleFactory(lead_department=department)
    submitted = ApplicationFactory(guide=guide, applicant=citizen)
    draft = ApplicationFactory(guide=guide, applicant=citizen, state="draft")
    return {
        "id": [submitted.pk, draft.pk],
        "code": [guide.item.code, bundle.code],
    }


class _PersonaSession:
    """The persona's session cookie and CSRF pair as schemathesis auth, so its auth check
    knows them and can take them away to see the API refuse. The ``signed_in`` fixture
    fills ``sessions`` for the running test (its session rows live in that test's
    transaction)."""

    persona = ""
    sessions: ClassVar[dict[str, dict]] = {}

    def get(self, case, ctx) -> dict | None:
        return self.sessions.get(self.persona)

    def set(self, case, data: dict, ctx) -> None:
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


class CitizenSession(_PersonaSession):
    persona = "citizen"


class WindowStaffSession(_PersonaSession):
    persona = "window_staff"


@pytest.fixture
def signed_in(citizen, window_staff):
    for name, user in (("citizen", citizen), ("window_staff", window_staff)):
        client = Client()
        client.force_login(user)
        token = secrets.token_hex(16)
        _PersonaSession.sessions[name] = {
            "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
            "headers": {"X-CSRFToken": token},
        }
    yield
    _PersonaSession.sessions.clear()


# Loaded once at collection; the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
# DRF answers every undeclared method the same way (405 with Allow); one probe per operation
# says so, seven only cost time.
schema.config.phases.coverage.unexpected_methods = {"delete"}
_turn = itertools.count()


# See the module docstring.
NOT_CONTRACT_CHECKS = [positive_data_acceptance, negative_data_rejection]

CONTRACT = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _call_and_validate(case, world: dict) -> None:
    # Every other example asks about something that exists, so real objects are served.
    if next(_turn) % 2 and case.path_parameters:
        for name, known in world.items():
            if name in case.path_parameters:
                case.path_parameters[name] = known[next(_turn) % len(known)]
    case.call_and_validate(excluded_checks=NOT_CONTRACT_CHECKS)


@schema.parametrize()
@CONTRACT
def test_every_operation_answers_as_its_schema_says_to_anonymous(case, world):
    _call_and_validate(case, world)


@schema.auth.apply(CitizenSession, refresh_interval=None)
@schema.parametrize()
@CONTRACT
def test_every_operation_answers_as_its_schema_says_to_a_citizen(case, world, signed_in):
    _call_and_validate(case, world)


@schema.auth.apply(WindowStaffSession, refresh_interval=None)
@schema.parametrize()
@CONTRACT
def test_every_operation_answers_as_its_schema_says_to_window_staff(case, world, signed_in):
    _call_and_validate(case, world)
