"""Electronic supervision (DOMAIN A4a, A14, A15): deemed acceptance and each reminder once."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from apps.applications.models import (
    Application,
    CorrectionRequest,
    SupervisionMark,
    TimelineEvent,
    WarningLevel,
)
from apps.applications.services import supervise_applications
from apps.applications.tasks import supervise_applications as supervise_task
from apps.applications.workflow import State
from apps.documents.models import IssuedDocument
from apps.notifications.models import Notification
from apps.workdays.calendar import SHANGHAI, add_working_days, deadline_for
from tests.applications.factories import ApplicationFactory, accepted_application, guide_for


def local(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


RECEIVED = local(2026, 3, 2, 10, 0)  # Monday
INTAKE_DUE = datetime.date(2026, 3, 9)  # 5 working days later


def test_undecided_intake_is_deemed_accepted_from_receipt(guide, citizen):
    """A4a: no decision within 5 working days → accepted from the day materials arrived,
    clock running from then; on the timeline as 视为受理, with an acceptance notice."""
    app = ApplicationFactory(guide=guide, applicant=citizen, received=RECEIVED)
    assert app.intake_due_date == INTAKE_DUE
    report = supervise_applications(today=INTAKE_DUE + datetime.timedelta(days=1))
    assert report.deemed_accepted == 1
    app.refresh_from_db()
    assert app.state == State.ACCEPTED and app.deemed_accepted
    assert app.accepted_at == RECEIVED
    assert app.due_date == deadline_for(accepted_at=RECEIVED, working_days=10)
    event = app.timeline.get(kind=TimelineEvent.Kind.DEEMED_ACCEPTED)
    assert (
        event.actor is None
        and event.to_state == State.ACCEPTED
        and "视为" in str(event.get_kind_display())
    )
    assert app.documents.get().kind == "acceptance_notice"


def test_intake_due_today_warns_staff_but_does_not_deem(guide, citizen, window_staff):
    """A4a: warn on the last day, deem only after it."""
    app = ApplicationFactory(guide=guide, applicant=citizen, received=RECEIVED)
    for _ in range(2):
        report = supervise_applications(today=INTAKE_DUE)
    assert report.deemed_accepted == 0
    app.refresh_from_db()
    assert app.state == State.SUBMITTED
    assert Notification.objects.filter(recipient=window_staff).count() == 1
    assert SupervisionMark.objects.filter(application=app).count() == 1


def test_decided_intakes_are_not_deemed(guide, citizen):
    ApplicationFactory(guide=guide, applicant=citizen, received=RECEIVED, state=State.REJECTED)
    ApplicationFactory(
        guide=guide, applicant=citizen, received=RECEIVED, state=State.CORRECTION_REQUESTED
    )
    assert supervise_applications(today=datetime.date(2026, 4, 1)).deemed_accepted == 0


def test_yellow_reminder_once_however_often_the_task_runs(guide, citizen, window_staff):
    """A15: the handling staff are reminded once when an application turns yellow."""
    app = accepted_application(guide=guide, applicant=citizen, accepted_at=RECEIVED)
    Application.objects.filter(pk=app.pk).update(handled_by=window_staff)
    today = app.yellow_on
    first = supervise_applications(today=today)
    second = supervise_applications(today=today)
    with time_machine.travel(local(today.year, today.month, today.day, 12), tick=False):
        supervise_task.apply()  # the Celery task path, run in-process, "today" = yellow_on
    assert (first.yellow, second.yellow) == (1, 0)
    assert Notification.objects.filter(recipient=window_staff).count() == 1
    assert SupervisionMark.objects.get(application=app).threshold == "yellow"
    app.refresh_from_db()
    assert app.warning_level == WarningLevel.YELLOW


def test_not_yet_yellow_is_left_alone(guide, citizen, window_staff):
    app = accepted_application(guide=guide, applicant=citizen, accepted_at=RECEIVED)
    report = supervise_applications(today=app.yellow_on - datetime.timedelta(days=1))
    assert report.as_dict() == dict.fromkeys(report.as_dict(), 0)


def test_red_alerts_approver_and_supervisors_once(
    guide, citizen, approver, supervisor, window_staff
):
    """A15: overdue → the department approver and supervisors are alerted."""
    app = accepted_application(guide=guide, applicant=citizen, accepted_at=RECEIVED)
    today = app.due_date + datetime.timedelta(days=1)
    supervise_applications(today=today)
    supervise_applications(today=today)
    for user in (approver, supervisor, window_staff):
        assert Notification.objects.filter(recipient=user, title="办件已超期").count() == 1
    app.refresh_from_db()
    assert app.warning_level == WarningLevel.RED
    assert not SupervisionMark.objects.filter(application=app, threshold="yellow").exists()


def test_correction_deadline_near_reminds_the_applicant_once(guide, citizen, window_staff):
    """A14: the applicant is reminded before the correction deadline."""
    app = ApplicationFactory(guide=guide, applicant=citizen, state=State.CORRECTION_REQUESTED)
    deadline = add_working_days(timezone.localdate(), 10)
    CorrectionRequest.objects.create(
        application=app,
        requested_by=window_staff,
        deadline=deadline,
        remind_on=add_working_days(deadline, -2),
    )
    today = add_working_days(deadline, -2)
    assert supervise_applications(today=today).correction_reminded == 1
    assert supervise_applications(today=today).correction_reminded == 0
    assert Notification.objects.filter(recipient=citizen, channel="sms").count() == 1


def test_batches_cover_every_due_application(guide, citizen):
    """Keyset chunks: 7 due applications with a batch of 3 are all handled."""
    apps = [
        accepted_application(guide=guide, applicant=citizen, accepted_at=RECEIVED) for _ in range(7)
    ]
    report = supervise_applications(today=apps[0].yellow_on, batch_size=3)
    assert report.yellow == 7
    assert SupervisionMark.objects.filter(threshold="yellow").count() == 7


def test_cost_does_not_grow_with_open_applications(guide, citizen, django_assert_max_num_queries):
    """A run with nothing due costs a handful of index look-ups however many are open."""
    for _ in range(30):
        accepted_application(guide=guide, applicant=citizen)
        ApplicationFactory(guide=guide, applicant=citizen)
    with django_assert_max_num_queries(6):
        report = supervise_applications(today=timezone.localdate())
    assert report.as_dict() == dict.fromkeys(report.as_dict(), 0)


def test_other_departments_staff_are_not_reminded(
    guide, citizen, other_dept_staff, other_department
):
    other_app = accepted_application(
        guide=guide_for(other_department), applicant=citizen, accepted_at=RECEIVED
    )
    app = accepted_application(guide=guide, applicant=citizen, accepted_at=RECEIVED)
    supervise_applications(today=max(app.yellow_on, other_app.yellow_on))
    assert Notification.objects.filter(recipient=other_dept_staff).count() == 1


def test_a15_supervision_pass_renders_no_pdf_inside_its_transactions(
    guide, citizen, django_capture_on_commit_callbacks
):
    """A4a: deemed acceptance issues its receipts with numbers only; each PDF is queued
    after the chunk commits, so a pass of hundreds holds no lock while PDFs are made."""
    apps = [
        ApplicationFactory(guide=guide, applicant=citizen, received=timezone.now())
        for _ in range(3)
    ]
    later = add_working_days(timezone.localdate(), 8)
    with django_capture_on_commit_callbacks() as callbacks:
        supervise_applications(today=later)
    documents = IssuedDocument.objects.filter(reference__in=[a.number for a in apps])
    assert documents.count() == 3
    assert set(documents.values_list("render_status", flat=True)) == {"pending"}
    names = [getattr(c, "__qualname__", "") for c in callbacks]
    assert len([n for n in names if n.startswith("document_issue")]) == 3
