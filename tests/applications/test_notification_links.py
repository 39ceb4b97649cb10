"""Every link a notification carries opens for the person it was sent to (DOMAIN A14).

The main flows run through the real services: submission, the one-time correction notice
and its reminder (A5, A14), acceptance (A4), approval (A9), the intake warning (A4a) and the
overdue reminders to staff, approvers and supervisors (A15). Then each notification's link
is opened, signed in as its recipient.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.models import CorrectionRequest
from apps.notifications.models import Notification
from apps.workdays.calendar import add_working_days
from apps.workdays.services import calendar_coverage_check
from tests.applications.factories import (
    ApplicationFactory,
    accepted_application,
    main_material,
    pdf_upload,
)
from tests.support.journeys import submit_online


def _run_the_main_flows(guide, citizen, other_citizen, window_staff, approver) -> dict:
    app = submit_online(citizen, guide)
    services.application_request_correction(
        application_id=app.pk,
        actor=window_staff,
        items=[(main_material(guide).pk, "扫描件不清晰，请重新上传")],
        deadline=add_working_days(timezone.localdate(), 5),
    )
    correction = CorrectionRequest.objects.get(application=app)
    services.supervise_applications(today=correction.remind_on)  # correction due soon
    services.application_attach_material(
        application_id=app.pk,
        actor=citizen,
        guide_material_id=main_material(guide).pk,
        upload=pdf_upload("申请书（清晰）.pdf"),
    )
    services.application_resubmit_correction(application_id=app.pk, actor=citizen)
    services.application_accept(application_id=app.pk, actor=window_staff)
    services.application_start_review(application_id=app.pk, actor=window_staff)
    services.application_approve(application_id=app.pk, actor=approver)

    waiting = ApplicationFactory(guide=guide, applicant=other_citizen)
    overdue = accepted_application(
        guide=guide,
        applicant=other_citizen,
        accepted_at=timezone.now() - datetime.timedelta(days=90),
    )
    services.supervise_applications(today=waiting.intake_due_date)  # intake warning + red
    return {"decided": app, "waiting": waiting, "overdue": overdue}


def test_every_notification_link_opens_for_its_recipient(
    client, guide, citizen, other_citizen, window_staff, approver, supervisor, system_admin
):
    """A14/A15: links are built with reverse(); staff reminders open the staff console."""
    cases = _run_the_main_flows(guide, citizen, other_citizen, window_staff, approver)
    calendar_coverage_check(today=datetime.date(2098, 11, 2))  # 2099 is not published

    notifications = list(Notification.objects.exclude(link="").select_related("recipient"))
    for notification in notifications:
        client.force_login(notification.recipient)
        response = client.get(notification.link)
        assert response.status_code == 200, (notification.title, notification.link)

    links = {(n.recipient_id, n.link) for n in notifications}
    decided, waiting, overdue = cases["decided"], cases["waiting"], cases["overdue"]
    applicant_page = reverse("applications:detail", args=[decided.pk])
    assert (citizen.pk, applicant_page) in links
    titles = set(Notification.objects.filter(recipient=citizen).values_list("title", flat=True))
    assert {"补正期限临近"} <= titles and len(titles) >= 4  # submitted … approved

    def staff_page(application):
        return reverse("admin:applications_application_change", args=[application.pk])

    assert (window_staff.pk, staff_page(waiting)) in links  # A4a intake warning
    for person in (window_staff, approver, supervisor):  # A15 overdue
        assert (person.pk, staff_page(overdue)) in links
    assert (system_admin.pk, reverse("admin:workdays_calendaryear_changelist")) in links
