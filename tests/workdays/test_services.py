"""Seeding, importing and correcting the calendar (DOMAIN intro: official calendar)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from apps.common.errors import ApplicationError
from apps.workdays.calendar import is_workday, is_year_known
from apps.workdays.models import CalendarDay, CalendarSource, CalendarYear
from apps.workdays.package import package_years
from apps.workdays.services import (
    calendar_day_delete,
    calendar_day_set,
    calendar_import_from_package,
    calendar_year_set,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_fresh_database_knows_2004_to_2026():
    """The data migration seeds every year of the chinesecalendar package."""
    years = list(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    assert years == list(range(2004, 2027)) == package_years()
    assert set(CalendarYear.objects.values_list("status", "source")) == {
        (CalendarYear.Status.PUBLISHED, CalendarSource.PACKAGE)
    }


def test_only_exceptions_to_the_weekday_rule_are_stored():
    oct_1 = CalendarDay.objects.get(date=D(2025, 10, 1))
    assert (oct_1.is_workday, oct_1.name, oct_1.source) == (False, "国庆节", "package")
    assert CalendarDay.objects.get(date=D(2025, 10, 6)).name == "中秋节"
    sep_28 = CalendarDay.objects.get(date=D(2025, 9, 28))
    assert (sep_28.is_workday, sep_28.name) == (True, "国庆节调休上班")
    assert CalendarDay.objects.get(date=D(2026, 2, 14)).name == "春节调休上班"
    # Saturday 2025-10-04 is a holiday anyway: no row.
    assert not CalendarDay.objects.filter(date=D(2025, 10, 4)).exists()
    assert not CalendarDay.objects.filter(date=D(2025, 3, 4)).exists()


def test_import_is_idempotent():
    days_before = CalendarDay.objects.count()
    history_before = CalendarDay.history.count()
    assert calendar_import_from_package() == 0
    assert calendar_import_from_package(years=[2025, 2026]) == 0
    assert CalendarDay.objects.count() == days_before
    assert CalendarDay.history.count() == history_before


def test_import_restores_a_missing_package_day_and_drops_a_stray_one(system_admin):
    CalendarDay.objects.filter(date=D(2025, 10, 1)).delete()
    CalendarDay.objects.create(date=D(2025, 3, 4), is_workday=False, source="package")

    assert calendar_import_from_package(years=[2025], actor=system_admin) == 2
    assert CalendarDay.objects.get(date=D(2025, 10, 1)).name == "国庆节"
    assert not CalendarDay.objects.filter(date=D(2025, 3, 4)).exists()
    restored = CalendarDay.history.filter(date=D(2025, 10, 1)).latest()
    assert restored.history_type == "+"
    assert restored.history_user == system_admin


def test_import_never_overwrites_an_admin_correction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(date=D(2025, 10, 8), is_workday=True, name="本市调整", note="文件号")
    assert calendar_import_from_package(years=[2025]) == 0
    corrected = CalendarDay.objects.get(date=D(2025, 10, 8))
    assert (corrected.is_workday, corrected.source) == (True, CalendarSource.ADMIN)
    assert is_workday(D(2025, 10, 8))


def test_import_of_a_year_the_package_does_not_know_is_refused():
    with pytest.raises(ApplicationError) as error:
        calendar_import_from_package(years=[2026, 2031])
    assert error.value.code == "calendar_year_not_in_package"
    assert error.value.extra == {"years": [2031]}


def test_an_admin_correction_is_recorded_with_its_author(
    system_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        day = calendar_day_set(
            date=D(2025, 10, 9), is_workday=False, name="临时放假", actor=system_admin
        )
    assert day.source == CalendarSource.ADMIN
    record = day.history.latest()
    assert (record.history_type, record.history_user, record.is_workday) == (
        "+",
        system_admin,
        False,
    )
    assert not is_workday(D(2025, 10, 9))

    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_delete(date=D(2025, 10, 9), actor=system_admin)
    assert day.history.latest().history_type == "-"
    assert is_workday(D(2025, 10, 9))


def test_a_new_year_becomes_known_when_an_admin_enters_it(django_capture_on_commit_callbacks):
    assert not is_year_known(2027)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(date=D(2027, 10, 1), is_workday=False, name="国庆节")
        calendar_year_set(year=2027, status=CalendarYear.Status.PROVISIONAL, note="暂按通知草案")
    assert is_year_known(2027)
    assert not is_workday(D(2027, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        row = calendar_year_set(year=2027, status=CalendarYear.Status.PUBLISHED)
    assert row.status == CalendarYear.Status.PUBLISHED
    assert row.history.count() == 2


def test_a_package_row_must_be_an_exception():
    """The database refuses a package row that merely repeats the weekday rule."""
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.create(date=D(2025, 3, 8), is_workday=False, source="package")
