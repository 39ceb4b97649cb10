"""The applicant's stepper 提交 → 受理 → 审查 → 决定 → 办结 (issue #8, DOMAIN A10): the
steps done with their dates, the current one marked with its deadline, the ones to come."""

from __future__ import annotations

from django.urls import reverse

from apps.applications import services
from apps.applications.models import Application
from apps.applications.progress import application_progress
from apps.applications.workflow import State
from tests.applications.factories import ApplicationFactory, accepted_application


def _statuses(application) -> list[tuple[str, str]]:
    return [(s.label, s.status) for s in application_progress(application)]


def test_submitted_waits_for_intake_with_its_deadline_a4a_a10(guide, citizen):
    application = ApplicationFactory(guide=guide, applicant=citizen, state=State.SUBMITTED)

    steps = application_progress(application)

    assert [(s.label, s.status) for s in steps] == [
        ("提交", "done"),
        ("受理", "current"),
        ("审查", "upcoming"),
        ("决定", "upcoming"),
        ("办结", "upcoming"),
    ]
    assert steps[1].due == application.intake_due_date is not None


def test_under_review_marks_review_with_the_due_date_a7_a10(guide, citizen):
    application = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)

    steps = application_progress(application)

    assert [s.status for s in steps] == ["done", "done", "current", "upcoming", "upcoming"]
    assert steps[1].at == application.accepted_at
    assert steps[2].due == application.due_date and steps[4].due == application.due_date


def test_a_refused_intake_stops_at_intake_and_later_steps_do_not_come_a4(guide, citizen):
    application = ApplicationFactory(guide=guide, applicant=citizen, state=State.REJECTED)

    assert _statuses(application) == [
        ("提交", "done"),
        ("受理", "stopped"),
        ("审查", "skipped"),
        ("决定", "skipped"),
        ("办结", "skipped"),
    ]
    assert application_progress(application)[1].note == "不予受理"


def test_an_approved_case_has_every_step_done_a9(guide, citizen, approver):
    application = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    services.application_approve(application_id=application.pk, actor=approver, result_text="准予")
    application = Application.objects.get(pk=application.pk)

    assert [s.status for s in application_progress(application)] == ["done"] * 5


def test_the_detail_page_shows_the_stepper_with_the_current_step_a10(client, guide, citizen):
    application = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    client.force_login(citizen)

    body = client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    assert 'class="app-stepper"' in body
    current = body.split('aria-current="step"')[1].split("</li>")[0]
    assert "审查" in current and application.due_date.strftime("%Y-%m-%d") in current
    assert body.count("app-step-upcoming") == 2
