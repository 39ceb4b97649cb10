"""The transition table itself and one full path through the services (DOMAIN A4–A12)."""

from __future__ import annotations

import pytest

from apps.applications import services
from apps.applications.models import Application, TimelineEvent
from apps.applications.workflow import (
    AFTER_DECISION_STATES,
    ALLOWED_TRANSITIONS,
    FINISHED_STATES,
    State,
    can_transition,
)
from apps.common.errors import InvalidTransitionError
from tests.applications.factories import ApplicationFactory, main_material, pdf_upload


def test_every_state_has_a_row_and_archived_is_final():
    assert set(ALLOWED_TRANSITIONS) == set(State)
    assert ALLOWED_TRANSITIONS[State.ARCHIVED] == frozenset()
    for state in FINISHED_STATES:
        assert State.ARCHIVED in ALLOWED_TRANSITIONS[state], "A12"
        # After the decision only an approval changes: revoked (P3, P6) or withheld (T3).
        assert ALLOWED_TRANSITIONS[state] - {State.ARCHIVED} <= AFTER_DECISION_STATES
    assert ALLOWED_TRANSITIONS[State.APPROVED] == {State.ARCHIVED} | AFTER_DECISION_STATES
    assert ALLOWED_TRANSITIONS[State.RESULT_WITHHELD] == {
        State.ARCHIVED,
        State.DECISION_REVOKED,
    }
    for state in FINISHED_STATES - {State.APPROVED, State.RESULT_WITHHELD}:
        assert ALLOWED_TRANSITIONS[state] == frozenset({State.ARCHIVED}), "A12"


def test_every_target_is_a_state_and_reachable():
    targets = set().union(*ALLOWED_TRANSITIONS.values())
    assert targets <= set(State)
    assert targets | {State.DRAFT} == set(State)


def test_intake_outcomes_leave_submitted_only():
    """A4: the five intake outcomes (plus correction A5) are edges from submitted."""
    for target in (
        State.ACCEPTED,
        State.TOLERANT_ACCEPTED,
        State.CORRECTION_REQUESTED,
        State.REJECTED,
        State.TRANSFERRED,
    ):
        assert can_transition(State.SUBMITTED, target)
    assert not can_transition(State.DRAFT, State.ACCEPTED)
    assert not can_transition(State.APPROVED, State.DENIED)


def test_full_path_online_to_archive(
    citizen, window_staff, approver, guide, django_capture_on_commit_callbacks
):
    """A4(1) → A7 → A8 → A12 through the public services, each step on the timeline (A10)."""
    draft = services.application_create_draft(actor=citizen, item_id=guide.item_id)
    assert draft.state == State.DRAFT and draft.number.startswith("SQ")
    assert draft.guide == guide and draft.department == guide.item.implementing_department
    services.application_attach_material(
        application_id=draft.pk,
        actor=citizen,
        guide_material_id=main_material(guide).pk,
        upload=pdf_upload(),
    )
    services.application_submit(application_id=draft.pk, actor=citizen)
    with django_capture_on_commit_callbacks() as callbacks:
        app = services.application_accept(application_id=draft.pk, actor=window_staff)
    assert callbacks, "the SMS to the applicant is queued after commit"
    assert app.state == State.ACCEPTED and app.due_date and app.yellow_on <= app.due_date
    services.application_start_review(application_id=app.pk, actor=window_staff)
    services.application_suspend(
        application_id=app.pk, actor=window_staff, kind="site_inspection", reason="现场核查"
    )
    services.application_resume(application_id=app.pk, actor=window_staff)
    services.application_approve(application_id=app.pk, actor=approver, result_text="准予")
    app = services.application_archive(application_id=app.pk, actor=window_staff)
    assert app.state == State.ARCHIVED and app.outcome == State.APPROVED
    transitions = list(
        TimelineEvent.objects.filter(
            application=app, kind=TimelineEvent.Kind.TRANSITION
        ).values_list("from_state", "to_state")
    )
    assert transitions == [
        (State.DRAFT, State.SUBMITTED),
        (State.SUBMITTED, State.ACCEPTED),
        (State.ACCEPTED, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, State.SUSPENDED),
        (State.SUSPENDED, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, State.APPROVED),
        (State.APPROVED, State.ARCHIVED),
    ]
    kinds = set(app.documents.values_list("kind", flat=True))
    assert kinds == {"acceptance_notice", "approval_decision", "licence"}
    assert app.history.count() >= 7


def test_forbidden_edge_names_the_current_state(window_staff, guide, citizen):
    app = ApplicationFactory(guide=guide, applicant=citizen, state=State.APPROVED)
    with pytest.raises(InvalidTransitionError) as err:
        services.application_accept(application_id=app.pk, actor=window_staff)
    assert "准予许可/办结" in err.value.message and err.value.status_code == 409
    assert Application.objects.get(pk=app.pk).state == State.APPROVED
    assert not TimelineEvent.objects.filter(application=app).exists()
