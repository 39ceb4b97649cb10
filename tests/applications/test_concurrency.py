"""Real concurrent Postgres transactions (threads, each with its own connection)."""

from __future__ import annotations

import pytest

from apps.applications import services
from apps.applications.models import Application, TimelineEvent
from apps.applications.workflow import State
from apps.common.errors import ApplicationError, InvalidTransitionError
from tests.applications.factories import ApplicationFactory, guide_for
from tests.support.races import race

# Roles and holidays are put back after flushes by tests/conftest.py (_restore_seed_after_flush).
pytestmark = pytest.mark.django_db(transaction=True)


def test_two_staff_accepting_at_once_one_wins(department, window_staff, approver, citizen):
    """A4: the row lock serialises intake; the loser is told the application's state."""
    app = ApplicationFactory(guide=guide_for(department), applicant=citizen)
    results = race(
        lambda: services.application_accept(application_id=app.pk, actor=window_staff),
        lambda: services.application_accept(application_id=app.pk, actor=approver),
    )
    winners = [r for r in results if isinstance(r, Application)]
    losers = [r for r in results if isinstance(r, InvalidTransitionError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "已受理" in losers[0].message
    app.refresh_from_db()
    assert app.state == State.ACCEPTED
    assert TimelineEvent.objects.filter(application=app, to_state=State.ACCEPTED).count() == 1
    assert app.documents.count() == 1


def test_accept_racing_reject_one_outcome(department, window_staff, approver, citizen):
    app = ApplicationFactory(guide=guide_for(department), applicant=citizen)
    results = race(
        lambda: services.application_accept(application_id=app.pk, actor=window_staff),
        lambda: services.application_reject(
            application_id=app.pk, actor=approver, ground="conditions_not_met", reasons="不符合"
        ),
    )
    assert sum(isinstance(r, Application) for r in results) == 1, results
    assert sum(isinstance(r, ApplicationError) for r in results) == 1
    app.refresh_from_db()
    assert app.documents.count() == 1, "exactly one receipt: the one of the outcome that won"


def test_double_window_submission_at_once_is_one_application(department, window_staff, citizen):
    """A13: the same idempotency key twice at the same moment → one application."""
    guide = guide_for(department)

    def create():
        return services.application_window_create(
            actor=window_staff,
            applicant_id=citizen.pk,
            item_id=guide.item_id,
            idempotency_key="window-race",
        )

    results = race(create, create)
    assert all(isinstance(r, Application) for r in results), results
    assert results[0].pk == results[1].pk
    assert Application.objects.filter(idempotency_key="window-race").count() == 1


def test_double_submit_at_once_is_one_submission(department, citizen):
    guide = guide_for(department)
    draft = services.application_create_draft(actor=citizen, item_id=guide.item_id)
    results = race(
        lambda: services.application_submit(application_id=draft.pk, actor=citizen),
        lambda: services.application_submit(application_id=draft.pk, actor=citizen),
    )
    assert all(isinstance(r, Application) for r in results), results
    assert TimelineEvent.objects.filter(application=draft, to_state=State.SUBMITTED).count() == 1
