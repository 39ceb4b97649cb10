"""A pledged approval whose decision is revoked afterwards says so everywhere (DOMAIN P3,
P6, A9, A10, A12): the case moves to 许可决定已撤销 through the applications app's transition
service, with its timeline row, history and the applicant told after commit."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.applications import services as app_services
from apps.applications.models import Application, TimelineEvent
from apps.applications.progress import application_progress
from apps.applications.workflow import State
from apps.common.errors import InvalidTransitionError, PermissionDeniedError
from apps.notifications.models import Notification
from apps.pledges import services
from apps.pledges.workflow import VerificationState
from tests.applications.factories import ApplicationFactory
from tests.notifications.callbacks import queued_work
from tests.pledges.factories import approved_pledge

REASONS = "现场无冷藏设施，与承诺不符，整改期满仍未整改"


def _check(task, actor, *, compliant, items=None):
    return services.verification_record(
        task_id=task.pk,
        actor=actor,
        compliant=compliant,
        evidence="现场无冷藏设施，与承诺不符。",
        place="鼓楼区五四路1号",
        inspected_on=datetime.date.today(),
        rectify_items=items,
    )


def _revoked(guide, citizen, approver, *, false_pledge=True):
    task = approved_pledge(guide, citizen, approver).verification
    return services.verification_revoke(
        task_id=task.pk, actor=approver, reasons=REASONS, false_pledge=false_pledge
    )


def test_rectify_then_still_not_met_revokes_the_decision_of_the_case_P3(
    guide, citizen, approver, django_capture_on_commit_callbacks
):
    """P3: unkept pledge → order to rectify → still not met → the decision is revoked, and
    the application itself says 许可决定已撤销 (not 准予许可/办结)."""
    task = approved_pledge(guide, citizen, approver).verification
    task = _check(task, approver, compliant=False, items=["配置冷藏设施"])
    task = _check(task, approver, compliant=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        task = services.verification_revoke(
            task_id=task.pk, actor=approver, reasons=REASONS, false_pledge=False
        )
    assert task.state == VerificationState.REVOKED
    application = Application.objects.get(pk=task.application_id)
    assert application.state == State.DECISION_REVOKED
    assert application.outcome == State.DECISION_REVOKED
    row = TimelineEvent.objects.filter(application=application).latest("pk")
    assert (row.from_state, row.to_state) == (State.APPROVED, State.DECISION_REVOKED)
    assert row.actor == approver and row.reason == REASONS and row.visible_to_applicant
    assert "行政复议" in row.payload["remedies"]
    assert application.history.first().history_user == approver
    assert queued_work(callbacks), "the SMS to the applicant goes out after commit"
    told = Notification.objects.filter(recipient=citizen, title="许可决定已撤销")
    assert {n.channel for n in told} == {"inbox", "sms"}
    assert all(n.link == reverse("applications:detail", args=[application.pk]) for n in told)


def test_false_pledge_found_after_the_decision_shows_revoked_to_the_applicant_P6_A10(
    guide, citizen, approver, client
):
    """P6: a false pledge found after the decision → revoked; 我的办件, the application page
    (badge, reasons, remedies, stepper) and the API all say so."""
    task = _revoked(guide, citizen, approver)
    client.force_login(citizen)
    listing = client.get(reverse("applications:list")).content.decode()
    assert "app-state-decision_revoked" in listing and "许可决定已撤销" in listing
    assert "准予许可/办结" not in listing
    page = client.get(reverse("applications:detail", args=[task.application_id]))
    html = page.content.decode()
    assert html.count("app-state-decision_revoked") == 2  # the status and the outcome
    assert REASONS in html and "行政诉讼" in html
    application = Application.objects.get(pk=task.application_id)
    steps = application_progress(application)
    assert [s.status for s in steps] == ["done", "done", "done", "done", "stopped"]
    assert steps[-1].note == "许可决定已撤销"

    api = APIClient()
    api.force_authenticate(citizen)
    detail = api.get(f"/api/v1/applications/{task.application_id}/").json()
    assert detail["state"] == "decision_revoked" and detail["outcome"] == "decision_revoked"
    assert detail["state_display"] == "许可决定已撤销"
    [listed] = api.get("/api/v1/applications/").json()["results"]
    assert listed["state"] == "decision_revoked"


def test_an_archived_approval_revoked_stays_archived_with_the_revocation_as_outcome_P6_A12(
    guide, citizen, approver, window_staff
):
    pledge = approved_pledge(guide, citizen, approver)
    app_services.application_archive(application_id=pledge.application_id, actor=window_staff)
    services.verification_revoke(task_id=pledge.verification.pk, actor=approver, reasons=REASONS)
    application = Application.objects.get(pk=pledge.application_id)
    assert (application.state, application.outcome) == (State.ARCHIVED, State.DECISION_REVOKED)
    row = TimelineEvent.objects.filter(application=application).latest("pk")
    assert (row.from_state, row.to_state) == (State.APPROVED, State.DECISION_REVOKED)
    assert application_progress(application)[-1].note == "许可决定已撤销"


def test_only_an_approval_can_be_revoked_P3(guide, approver):
    """The forbidden edges: a case not approved has no decision to revoke."""
    for state in (State.UNDER_REVIEW, State.DENIED, State.REVOKED):
        application = ApplicationFactory(guide=guide, state=state)
        with pytest.raises(InvalidTransitionError):
            app_services.application_revoke_decision(
                application_id=application.pk,
                actor=approver,
                reason=REASONS,
                document_reason=REASONS,
            )
        application.refresh_from_db()
        assert application.state == state


def test_revoking_a_decision_needs_the_decision_permission_of_the_department_P3(
    guide, citizen, approver, window_staff, other_approver
):
    application_id = approved_pledge(guide, citizen, approver).application_id
    for actor in (window_staff, other_approver):
        with pytest.raises(PermissionDeniedError):
            app_services.application_revoke_decision(
                application_id=application_id,
                actor=actor,
                reason=REASONS,
                document_reason=REASONS,
            )
    assert Application.objects.get(pk=application_id).state == State.APPROVED


def test_the_staff_console_shows_and_filters_revoked_decisions_P3_P6(
    guide, citizen, approver, window_staff, client
):
    task = _revoked(guide, citizen, approver)
    client.force_login(window_staff)
    page = client.get(f"/admin/applications/application/{task.application_id}/change/")
    html = page.content.decode()
    assert "许可决定已撤销" in html and 'value="归档"' in html  # A12: it can be archived
    listed = client.get("/admin/applications/application/?state__exact=decision_revoked")
    assert task.application.number in listed.content.decode()
    queue = client.get("/admin/applications/application/queue/?tab=all").content.decode()
    assert "许可决定已撤销" in queue
