"""Working-day arithmetic on real arrangements (DOMAIN intro: official calendar; A7, A7a, A8)."""

from __future__ import annotations

import datetime
import logging

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.workdays.calendar import (
    add_working_days,
    deadline_for,
    is_workday,
    is_year_known,
    local_date,
    working_days_between,
)
from tests.workdays.conftest import local

D = datetime.date
pytestmark = pytest.mark.django_db


def _step(start: D, n: int) -> D:
    """The slow obvious definition, used as an oracle."""
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        counted += is_workday(day)
    return day


# --- the official arrangements ---------------------------------------------------------


def test_national_day_and_mid_autumn_2025_are_off_with_two_weekend_make_up_days():
    """DOMAIN intro: 2025 国庆节+中秋节 10-01..10-08 off; Sun 09-28 and Sat 10-11 worked."""
    for day in range(1, 9):
        assert not is_workday(D(2025, 10, day)), f"2025-10-{day:02d}"
    assert is_workday(D(2025, 9, 28))  # Sunday, 调休上班
    assert is_workday(D(2025, 10, 11))  # Saturday, 调休上班
    assert is_workday(D(2025, 10, 9))  # Thursday after the break
    assert not is_workday(D(2025, 10, 12))  # an ordinary Sunday
    assert not is_workday(D(2025, 9, 27))  # an ordinary Saturday


def test_spring_festival_2026_is_nine_days_with_two_saturdays_worked():
    """DOMAIN intro: 2026 春节 2-15 (Sun) .. 2-23 (Mon) off; Sat 2-14 and Sat 2-28 worked."""
    for day in range(15, 24):
        assert not is_workday(D(2026, 2, day)), f"2026-02-{day}"
    assert is_workday(D(2026, 2, 14))
    assert is_workday(D(2026, 2, 28))
    assert is_workday(D(2026, 2, 24))
    # A case accepted on the Friday before: day 1 is the make-up Saturday, day 2 after the break.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6  # 14, 24, 25, 26, 27, 28


def test_every_day_2004_to_2026_agrees_with_chinese_calendar():
    """The seeded calendar is the package's, day for day (DOMAIN intro)."""
    day = D(2004, 1, 1)
    while day.year <= 2026:
        assert is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)
    assert all(is_year_known(year) for year in range(2004, 2027))


# --- counting ---------------------------------------------------------------------------


def test_the_start_day_never_counts():
    """期间开始之日不计算在内 (DOMAIN A7): Monday + 1 is Tuesday; Saturday + 1 is Monday."""
    assert add_working_days(D(2025, 3, 3), 1) == D(2025, 3, 4)
    assert add_working_days(D(2025, 3, 8), 1) == D(2025, 3, 10)
    assert add_working_days(D(2025, 3, 9), 1) == D(2025, 3, 10)


def test_zero_returns_the_start_even_on_a_holiday():
    assert add_working_days(D(2025, 10, 1), 0) == D(2025, 10, 1)
    assert add_working_days(D(2025, 10, 9), 0) == D(2025, 10, 9)


def test_negative_counts_back_strictly_before_the_start():
    """DOMAIN A15 early warnings: "two working days before" the due day."""
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert add_working_days(D(2025, 10, 9), -3) == D(2025, 9, 28)  # the make-up Sunday
    assert add_working_days(D(2025, 10, 4), -1) == D(2025, 9, 30)  # from a holiday
    assert add_working_days(D(2025, 10, 14), -2) == D(2025, 10, 11)  # make-up Saturday


def test_working_days_between_is_half_open():
    """(a, b]: a excluded, b included; antisymmetric."""
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 10)) == 5
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 8)) == 0
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert working_days_between(D(2025, 10, 10), D(2025, 9, 26)) == -5
    assert working_days_between(D(2025, 10, 3), D(2025, 10, 3)) == 0


def test_datetimes_are_refused_where_a_date_is_meant():
    with pytest.raises(TypeError):
        is_workday(datetime.datetime(2025, 10, 1, 12))
    with pytest.raises(TypeError):
        add_working_days(local(2025, 10, 1, 12), 1)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=D(1998, 1, 1), max_value=D(2032, 12, 31)),
    n=st.integers(min_value=1, max_value=400),
)
def test_property_add_then_count_round_trips(start, n):
    """For any start and n >= 1: counting back gives n, and the result is a working day
    (including across the unknown years before 2004 and after 2026)."""
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert is_workday(end)
    assert working_days_between(start, end - datetime.timedelta(days=1)) == n - 1
    back = add_working_days(end, -n)
    assert is_workday(back)
    assert (
        working_days_between(back - datetime.timedelta(days=1), end - datetime.timedelta(days=1))
        == n
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=D(2024, 6, 1), max_value=D(2027, 6, 30)),
    n=st.integers(min_value=0, max_value=60),
)
def test_property_matches_day_by_day_stepping(start, n):
    assert add_working_days(start, n) == _step(start, n)


# --- deadlines --------------------------------------------------------------------------


def test_deadline_straddling_national_day_2025():
    """DOMAIN A7: accepted Fri 2025-09-26, 5 working days: 09-28 (调休), 09-29, 09-30,
    10-09, 10-10 → due by the end of 2025-10-10."""
    due = deadline_for(accepted_at=local(2025, 9, 26, 10, 30), working_days=5)
    assert due == D(2025, 10, 10)
    assert due == chinese_calendar.find_workday(4, D(2025, 9, 27))  # the package agrees


def test_acceptance_moment_is_read_in_shanghai_time():
    """16:30 UTC on 09-25 is 00:30 on 09-26 in Asia/Shanghai: the clock starts on 09-26."""
    moment = datetime.datetime(2025, 9, 25, 16, 30, tzinfo=datetime.UTC)
    assert local_date(moment) == D(2025, 9, 26)
    assert deadline_for(accepted_at=moment, working_days=5) == D(2025, 10, 10)
    just_before = datetime.datetime(2025, 9, 25, 15, 59, tzinfo=datetime.UTC)
    assert deadline_for(accepted_at=just_before, working_days=1) == D(2025, 9, 26)


def test_naive_acceptance_moment_is_refused():
    with pytest.raises(ValueError):
        deadline_for(accepted_at=datetime.datetime(2025, 9, 26, 10), working_days=5)


def test_immediate_item_is_due_on_the_acceptance_day():
    """DOMAIN A6 即办件: 0 working days → the acceptance date itself."""
    assert deadline_for(accepted_at=local(2025, 10, 3, 9), working_days=0) == D(2025, 10, 3)


def test_suspension_inside_the_period_pauses_the_clock():
    """DOMAIN A8: a 现场勘验 from Mon 2025-03-10 to Mon 03-17 (exclusive) pauses 5 working
    days of a 20-day limit started Mon 03-03 → 03-31 becomes 04-08 (清明 04-04 is off)."""
    accepted = local(2025, 3, 3, 15)
    assert deadline_for(accepted_at=accepted, working_days=20) == D(2025, 3, 31)
    due = deadline_for(
        accepted_at=accepted, working_days=20, suspensions=[(D(2025, 3, 10), D(2025, 3, 17))]
    )
    assert due == D(2025, 4, 8)
    assert working_days_between(D(2025, 3, 3), due) - 5 == 20


def test_suspension_across_the_holiday_only_pauses_working_days():
    """DOMAIN A8: pausing 09-29 .. 10-09 (exclusive) stops 2 working days (09-29, 09-30)."""
    due = deadline_for(
        accepted_at=local(2025, 9, 26, 10),
        working_days=5,
        suspensions=[(D(2025, 9, 29), D(2025, 10, 9))],
    )
    # 09-28, 10-09, 10-10, 10-11 (Saturday, 调休), 10-13
    assert due == D(2025, 10, 13)


def test_overlapping_and_early_suspensions_count_once():
    accepted = local(2025, 3, 3, 15)
    single = deadline_for(
        accepted_at=accepted, working_days=20, suspensions=[(D(2025, 3, 10), D(2025, 3, 17))]
    )
    overlapping = deadline_for(
        accepted_at=accepted,
        working_days=20,
        suspensions=[
            (D(2025, 3, 12), D(2025, 3, 17)),
            (D(2025, 3, 10), D(2025, 3, 13)),
            (D(2025, 2, 20), D(2025, 3, 5)),  # started before acceptance: only 03-04 pauses
        ],
    )
    assert single == D(2025, 4, 8)
    assert overlapping == D(2025, 4, 9)
    after_deadline = deadline_for(
        accepted_at=accepted, working_days=20, suspensions=[(D(2025, 5, 6), D(2025, 5, 9))]
    )
    assert after_deadline == D(2025, 3, 31)
    with pytest.raises(ValueError):
        deadline_for(
            accepted_at=accepted, working_days=20, suspensions=[(D(2025, 3, 9), D(2025, 3, 1))]
        )


def test_extension_adds_working_days():
    """DOMAIN A7a: 20 working days extended once by 10, accepted Fri 2025-09-26."""
    accepted = local(2025, 9, 26, 10)
    assert deadline_for(accepted_at=accepted, working_days=20) == D(2025, 10, 30)
    extended = deadline_for(accepted_at=accepted, working_days=20, extension_days=10)
    assert extended == D(2025, 11, 13)
    assert extended == deadline_for(accepted_at=accepted, working_days=30)
    with pytest.raises(ValueError):
        deadline_for(accepted_at=accepted, working_days=20, extension_days=-1)


def test_suspension_and_extension_together():
    """DOMAIN A7a + A8: 45 + 15 working days for a joint item, with a 技术审查 pause."""
    due = deadline_for(
        accepted_at=local(2026, 1, 5, 9),
        working_days=45,
        extension_days=15,
        suspensions=[(D(2026, 3, 2), D(2026, 3, 9))],
    )
    assert working_days_between(D(2026, 1, 5), due) == 60 + 5
    assert is_workday(due)


# --- unknown years ----------------------------------------------------------------------


def test_unknown_year_counts_weekends_only_and_warns_once(caplog):
    """Beyond the known years: Monday–Friday, a warning per year per process, no crash."""
    caplog.set_level(logging.WARNING, logger="apps.workdays.calendar")
    assert not is_year_known(2030)
    assert is_workday(D(2030, 10, 1))  # a Tuesday; the real 2030 National Day is unknown
    assert not is_workday(D(2030, 10, 5))  # Saturday
    assert add_working_days(D(2030, 9, 27), 5) == D(2030, 10, 4)
    assert deadline_for(accepted_at=local(2030, 9, 27, 9), working_days=5) == D(2030, 10, 4)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2030" in warnings[0].getMessage()


def test_deadline_running_into_an_unknown_year_warns_for_that_year(caplog):
    caplog.set_level(logging.WARNING, logger="apps.workdays.calendar")
    due = deadline_for(accepted_at=local(2026, 12, 25, 9), working_days=20)
    # 2026-12-28..31 (4), then Monday–Friday in 2027 (2027-01-01 is a Friday).
    assert due == D(2027, 1, 22)
    assert ["2027" in r.getMessage() for r in caplog.records] == [True]


def test_years_before_the_package_count_weekends_only():
    assert add_working_days(D(2003, 12, 31), 1) == D(2004, 1, 2)  # 2004-01-01 元旦
    assert add_working_days(D(2003, 9, 30), 1) == D(2003, 10, 1)  # unknown year
