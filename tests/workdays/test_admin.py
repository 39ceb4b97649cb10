"""The calendar admin: Chinese screens, year filter, corrections through services, the
package import action and the missing-year warning (DOMAIN intro: official calendar)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from apps.workdays.calendar import SHANGHAI, is_workday, is_year_known
from apps.workdays.models import CalendarDay, CalendarSource, CalendarYear

D = datetime.date
pytestmark = pytest.mark.django_db

DAYS_URL = "/admin/workdays/calendarday/"
YEARS_URL = "/admin/workdays/calendaryear/"


def _at(*args: int) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(*args, 10, 0, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def admin_client(client, system_admin):
    client.force_login(system_admin)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("url", [DAYS_URL, YEARS_URL])
def test_changelist_warns_when_next_year_is_unknown(admin_client, url):
    with _at(2026, 11, 22):
        response = admin_client.get(url)
    assert response.status_code == 200
    warnings = [m for m in _messages(response) if "2027" in m]
    assert len(warnings) == 1
    assert "尚未维护 2027 年" in warnings[0]


def test_changelist_is_quiet_when_next_year_is_known(admin_client):
    with _at(2025, 11, 22):
        response = admin_client.get(DAYS_URL)
    assert response.status_code == 200
    assert not [m for m in _messages(response) if "尚未维护" in m]
    content = response.content.decode()
    assert "节假日与调休" in content
    assert "从 chinesecalendar 导入" in content


def test_year_filter_lists_one_year(admin_client):
    response = admin_client.get(DAYS_URL, {"year": "2025"})
    assert response.status_code == 200
    shown = {row.date.year for row in response.context["cl"].result_list}
    assert shown == {2025}
    assert (
        response.context["cl"].result_count == CalendarDay.objects.filter(date__year=2025).count()
    )


def test_adding_a_day_goes_through_the_service(
    admin_client, system_admin, django_capture_on_commit_callbacks
):
    assert is_workday(D(2025, 10, 9))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            DAYS_URL + "add/",
            {"date": "2025-10-09", "name": "台风停工", "note": "市政府通知"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get(date=D(2025, 10, 9))
    assert (day.is_workday, day.source) == (False, CalendarSource.ADMIN)
    assert day.history.latest().history_user == system_admin
    assert not is_workday(D(2025, 10, 9))


def test_correcting_a_package_day_makes_it_an_admin_day(
    admin_client, django_capture_on_commit_callbacks
):
    day = CalendarDay.objects.get(date=D(2025, 10, 8))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"{DAYS_URL}{day.pk}/change/",
            {"is_workday": "on", "name": "本市调整上班", "note": ""},
        )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.is_workday, day.source, day.date) == (True, CalendarSource.ADMIN, D(2025, 10, 8))
    assert is_workday(D(2025, 10, 8))


def test_deleting_a_day_goes_through_the_service(
    admin_client, system_admin, django_capture_on_commit_callbacks
):
    day = CalendarDay.objects.get(date=D(2025, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{DAYS_URL}{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=D(2025, 10, 1)).exists()
    assert CalendarDay.history.filter(date=D(2025, 10, 1)).latest().history_user == system_admin
    assert is_workday(D(2025, 10, 1))


def test_import_action_runs_without_a_selection(admin_client):
    CalendarDay.objects.filter(date=D(2025, 10, 1)).delete()
    response = admin_client.post(
        DAYS_URL, {"action": "import_from_package", "index": "0"}, follow=True
    )
    assert response.status_code == 200
    assert any("写入 1 条记录" in m for m in _messages(response))
    assert CalendarDay.objects.get(date=D(2025, 10, 1)).source == CalendarSource.PACKAGE

    response = admin_client.post(
        YEARS_URL, {"action": "import_from_package", "index": "0"}, follow=True
    )
    assert any("无需导入" in m for m in _messages(response))


def test_import_action_needs_the_add_permission(client, supervisor):
    """A staff member who may only view the calendar cannot import into it."""
    supervisor.user_permissions.add(
        Permission.objects.get(content_type__app_label="workdays", codename="view_calendarday")
    )
    client.force_login(supervisor)
    assert client.get(DAYS_URL).status_code == 200
    CalendarDay.objects.filter(date=D(2025, 10, 1)).delete()
    response = client.post(DAYS_URL, {"action": "import_from_package", "index": "0"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=D(2025, 10, 1)).exists()


def test_an_admin_publishes_a_new_year(
    admin_client, system_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            YEARS_URL + "add/", {"year": "2027", "status": "provisional", "note": "草案"}
        )
    assert response.status_code == 302
    row = CalendarYear.objects.get(year=2027)
    assert (row.status, row.source) == (CalendarYear.Status.PROVISIONAL, CalendarSource.ADMIN)
    assert is_year_known(2027)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            YEARS_URL,
            {"action": "mark_published", "index": "0", "_selected_action": [str(row.pk)]},
        )
    row.refresh_from_db()
    assert row.status == CalendarYear.Status.PUBLISHED
    assert row.history.latest().history_user == system_admin

    with _at(2026, 11, 22):
        response = admin_client.get(YEARS_URL)
    assert not [m for m in _messages(response) if "尚未维护" in m]
