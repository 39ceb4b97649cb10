"""Schemathesis over the whole OpenAPI schema, as one persona: what the CI contract run
(``test_schema_contract.py``) and the long ``make fuzz`` run (``test_fuzz.py``) share.

Every operation of ``/api/schema/`` gets generated requests (valid and invalid) through
Django's WSGI app on the real test database. Every response must be no server error and
must match the schema: its status code, content type and body.

Not checked, on purpose: whether the API refuses every request the schema forbids or
accepts every request it allows (schemathesis' positive/negative data checks). What a
request may contain is decided by serializers and services too (a deadline in the past,
an unknown query parameter tolerated); those are not disagreements between the schema and
the responses.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

# Every role of apps.accounts.roles, and nobody signed in: persona → the fixture of its
# user (tests/conftest.py).
PERSONAS: dict[str, str | None] = {
    "anonymous": None,
    "citizen": "citizen",
    "company_agent": "company_agent",
    "window_staff": "window_staff",
    "department_approver": "approver",
    "hotline_operator": "hotline_operator",
    "supervisor": "supervisor",
    "system_admin": "system_admin",
}

# Loaded once at collection; the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
# DRF answers every undeclared method the same way (405 with Allow); one probe per operation
# says so, seven only cost time.
schema.config.phases.coverage.unexpected_methods = {"delete"}

NOT_CONTRACT_CHECKS = [positive_data_acceptance, negative_data_rejection]
_turn = itertools.count()


class Budget:
    """Wall-clock seconds after which no further operation is started (the one running
    finishes; what is skipped is listed as skipped, with this reason). The clock starts at
    the first operation run — of the whole run, or of each persona."""

    def __init__(self, seconds: float, *, per_persona: bool) -> None:
        self.seconds = seconds
        self.per_persona = per_persona
        self._started: dict[str, float] = {}

    def check(self, persona: str) -> None:
        started = self._started.setdefault(persona if self.per_persona else "", time.monotonic())
        if time.monotonic() - started > self.seconds:
            whose = f"{persona}'s" if self.per_persona else "the run's"
            pytest.skip(f"contract run: {whose} time budget ({self.seconds:.0f} s) spent")


class PersonaSession:
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


def call_and_validate(case, world: dict) -> None:
    # Every other example asks about something that exists, so real objects are served.
    if next(_turn) % 2 and case.path_parameters:
        for name, known in world.items():
            if name in case.path_parameters:
                case.path_parameters[name] = known[next(_turn) % len(known)]
    case.call_and_validate(excluded_checks=NOT_CONTRACT_CHECKS)


def contract_test(persona: str, *, settings: Callable[[Any], Any], budget: Budget) -> Any:
    """A test over every operation as ``persona``, with these hypothesis ``settings``,
    starting no operation once ``budget`` is spent. The fixtures ``world`` and
    ``signed_in`` (tests/api/conftest.py) read the persona and budget off the test."""

    def test(case, world, signed_in):
        call_and_validate(case, world)

    test = schema.parametrize()(settings(test))
    if PERSONAS[persona] is not None:
        session = type(f"{persona}_session", (PersonaSession,), {"persona": persona})
        test = schema.auth.apply(session, refresh_interval=None)(test)
    test.persona = persona
    test.budget = budget
    return test
