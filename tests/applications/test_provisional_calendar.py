"""Deadlines counted on a provisional calendar (DOMAIN A7, A4a, A10; issue 7): a window
that runs into a year whose holidays are not published yet is marked on the case and shown
as "按暂定日历计算" to staff, in the API and to the applicant, until the year is published.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps
from rest_framework.test import APIClient

from apps.applications import services
from apps.applications.models import Application, TimelineEvent
from apps.notifications.models import Notification
from apps.workdays.calendar import SHANGHAI, uses_provisional_calendar
from apps.workdays.models import CalendarChange, CalendarYear
from apps.workdays.services import calendar_year_set
from apps.workdays.tasks import dispatch_calendar_change
from tests.applications.factories import (
    ApplicationFactory,
    accepted_application,
    main_material,
    pdf_upload,
)

D = datetime.date
MARK = "按暂定日历计算"
QUEUE = "/admin/applications/application/queue/"
# Monday 21 December 2026: the package knows 2026, nobody has loaded 2027 yet.
NOW = datetime.datetime(2026, 12, 21, 10, 0, tzinfo=SHANGHAI)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def accepted_into_2027(frozen, guide, citizen, window_staff):
    """10 working days from 2026-12-21 run into 2027 → due Mon 2027-01-04 on weekdays."""
    app = ApplicationFactory(guide=guide, applicant=citizen)
    return services.application_accept(application_id=app.pk, actor=window_staff)


def _publish_2027(django_capture_on_commit_callbacks) -> CalendarChange:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        calendar_year_set(year=2027, status=CalendarYear.Status.PUBLISHED)
    assert [c.__name__ for c in callbacks] == ["bump_version", "send_calendar_change"]
    callbacks[0]()  # publish the calendar version
    change = CalendarChange.objects.get()
    assert dispatch_calendar_change(change.pk) == "done"
    return change


def test_the_calendar_says_which_windows_are_provisional(db):
    assert not uses_provisional_calendar(D(2026, 3, 2), D(2026, 12, 31))
    assert uses_provisional_calendar(D(2026, 12, 21), D(2027, 1, 4))
    assert not uses_provisional_calendar(D(2026, 12, 31), D(2026, 12, 31))  # empty
    calendar_year_set(year=2026, status=CalendarYear.Status.PROVISIONAL)
    assert uses_provisional_calendar(D(2026, 3, 2), D(2026, 3, 16))  # entered, not final


def test_a_window_inside_published_years_is_not_marked(guide, citizen, window_staff):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        app = services.application_accept(
            application_id=ApplicationFactory(guide=guide, applicant=citizen).pk,
            actor=window_staff,
        )
    assert not app.calendar_provisional and not app.deadline_provisional


def test_a_case_spanning_into_an_unpublished_year_is_marked_until_publication(
    accepted_into_2027, citizen, client, window_staff, django_capture_on_commit_callbacks
):
    """A7: the weekday-only count is marked; publishing 2027 (with no holiday inside this
    window) clears the mark, keeps the date, and tells nobody anything (nothing moved)."""
    app = accepted_into_2027
    assert app.due_date == D(2027, 1, 4)
    assert app.calendar_provisional and app.deadline_provisional
    rows = TimelineEvent.objects.count()
    notices = Notification.objects.count()

    change = _publish_2027(django_capture_on_commit_callbacks)

    app.refresh_from_db()
    assert app.due_date == D(2027, 1, 4)
    assert not app.calendar_provisional
    assert (TimelineEvent.objects.count(), Notification.objects.count()) == (rows, notices)
    assert change.spans == [["2027-01-01", "2027-12-31"]]
    assert CalendarChange.objects.get().changed_count == 1  # the mark was cleared


def test_the_mark_is_shown_to_the_applicant_staff_and_api_until_publication(
    accepted_into_2027,
    client,
    citizen,
    other_citizen,
    window_staff,
    other_dept_staff,
    django_capture_on_commit_callbacks,
):
    """A10: the applicant's detail page and 我的办件, the staff console page and queue, and
    the API (the owner and the department's staff; others get 404) all say it."""
    app = accepted_into_2027
    url = f"/api/v1/applications/{app.pk}/"

    def shown() -> dict[str, bool]:
        client.force_login(citizen)
        pages = {
            "detail": client.get(f"/applications/{app.pk}/"),
            "list": client.get("/applications/"),
        }
        client.force_login(window_staff)
        pages["console"] = client.get(f"/admin/applications/application/{app.pk}/change/")
        pages["queue"] = client.get(QUEUE + "?tab=all")
        assert all(p.status_code == 200 for p in pages.values())
        seen = {name: MARK in p.content.decode() for name, p in pages.items()}
        seen["api"] = api(citizen).get(url).json()["deadline_provisional"]
        seen["staff api"] = api(window_staff).get(url).json()["deadline_provisional"]
        return seen

    assert set(shown().values()) == {True}
    assert api(other_citizen).get(url).status_code == 404
    assert api(other_dept_staff).get(url).status_code == 404

    _publish_2027(django_capture_on_commit_callbacks)
    assert set(shown().values()) == {False}


def test_a_submitted_case_marks_its_intake_deadline(guide, citizen, client):
    """A4a: submitted on Tue 2026-12-29, the 5 working days run into 2027."""
    with time_machine.travel(datetime.datetime(2026, 12, 29, 10, tzinfo=SHANGHAI), tick=False):
        draft = services.application_create_draft(actor=citizen, item_id=guide.item_id)
        services.application_attach_material(
            application_id=draft.pk,
            actor=citizen,
            guide_material_id=main_material(guide).pk,
            upload=pdf_upload(),
        )
        app = services.application_submit(application_id=draft.pk, actor=citizen)
        assert app.intake_due_date == D(2027, 1, 5)
        assert app.calendar_provisional and app.deadline_provisional
        client.force_login(citizen)
        body = client.get(f"/applications/{app.pk}/").content.decode()
    assert "受理决定期限" in body and MARK in body


def test_the_api_schema_documents_the_mark(db, client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    field = schema["components"]["schemas"]["ApplicationOutput"]["properties"][
        "deadline_provisional"
    ]
    assert field["type"] == "boolean" and field["readOnly"] is True


def test_the_migration_marks_open_cases_already_counted_on_the_fallback(guide, citizen):
    """Cases accepted before this change was deployed get the mark from the migration."""
    migration = importlib.import_module("apps.applications.migrations.0005_calendar_follow")
    into_2027 = accepted_application(
        guide=guide,
        applicant=citizen,
        accepted_at=datetime.datetime(2026, 12, 21, 10, tzinfo=SHANGHAI),
    )
    within_2026 = accepted_application(
        guide=guide,
        applicant=citizen,
        accepted_at=datetime.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI),
    )
    submitted = ApplicationFactory(
        guide=guide,
        applicant=citizen,
        received=datetime.datetime(2026, 12, 29, 10, tzinfo=SHANGHAI),
    )
    Application.objects.update(calendar_provisional=False)

    migration.mark_provisional_deadlines(apps, None)

    flags = dict(Application.objects.values_list("pk", "calendar_provisional"))
    assert flags == {into_2027.pk: True, within_2026.pk: False, submitted.pk: True}
