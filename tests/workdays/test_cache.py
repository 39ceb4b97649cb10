"""Every process sees a calendar change; no query per call (DOMAIN intro: one calendar).

The cross-process tests commit for real (``transaction=True``): "another process" is a
second :class:`CalendarStore`, which learns of a change only through the version token
in Redis, as a Celery worker would.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from apps.workdays.calendar import (
    VERSION_CACHE_KEY,
    CalendarStore,
    add_working_days,
    current_version,
    default_store,
    is_workday,
)
from apps.workdays.services import calendar_day_set, calendar_import_from_package

D = datetime.date
OCT_9_2025 = D(2025, 10, 9)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def committed_calendar(transactional_db):
    # An earlier transactional test may have flushed the seeded rows.
    calendar_import_from_package(years=[2025])


def _other_process_sees_oct_9_as_workday(store: CalendarStore) -> bool:
    return store.snapshot().is_workday(OCT_9_2025.toordinal())


def test_an_admin_correction_reaches_another_process(committed_calendar):
    other_process = CalendarStore(recheck_seconds=0)
    assert _other_process_sees_oct_9_as_workday(other_process)
    assert is_workday(OCT_9_2025)
    version_before = current_version()

    calendar_day_set(date=OCT_9_2025, is_workday=False, name="临时停工", note="台风")

    assert cache.get(VERSION_CACHE_KEY) != version_before
    assert not _other_process_sees_oct_9_as_workday(other_process)
    assert not is_workday(OCT_9_2025)  # and this process
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 10)


def test_other_processes_recheck_the_version_at_most_once_a_second(committed_calendar):
    clock = FakeClock()
    other_process = CalendarStore(clock=clock)  # default recheck interval: 1 s
    assert _other_process_sees_oct_9_as_workday(other_process)

    calendar_day_set(date=OCT_9_2025, is_workday=False)

    clock.now += 0.5
    assert _other_process_sees_oct_9_as_workday(other_process)  # not rechecked yet
    clock.now += 0.6
    assert not _other_process_sees_oct_9_as_workday(other_process)


@pytest.mark.django_db
def test_an_uncommitted_change_is_seen_by_its_transaction_only(
    django_capture_on_commit_callbacks,
):
    """Read-your-writes inside the writing transaction; nothing cached or published before
    commit (a rollback must not leave a wrong calendar in any process)."""
    assert is_workday(OCT_9_2025)
    cached = default_store._snapshot
    version_before = current_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        calendar_day_set(date=OCT_9_2025, is_workday=False)
        assert not is_workday(OCT_9_2025)
    # After commit: publish the version, then send the change to its listeners.
    assert [c.__name__ for c in callbacks] == ["bump_version", "send_calendar_change"]
    assert cache.get(VERSION_CACHE_KEY) == version_before
    assert default_store._snapshot is cached
    assert cached.is_workday(OCT_9_2025.toordinal())


@pytest.mark.django_db
def test_a_loaded_calendar_costs_no_query(django_assert_num_queries):
    is_workday(OCT_9_2025)  # warm-up: loads the snapshot (2 queries)
    with django_assert_num_queries(0):
        for offset in range(200):
            add_working_days(D(2025, 1, 1) + datetime.timedelta(days=offset), 20)


@pytest.mark.django_db
def test_an_unreachable_cache_keeps_the_loaded_calendar(caplog):
    """Redis down: keep answering from the snapshot, log a warning, never crash."""
    store = CalendarStore(recheck_seconds=0)
    version = store.snapshot().version
    caplog.set_level(logging.WARNING, logger="apps.workdays.calendar")
    dead_redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=dead_redis):
        snap = store.snapshot()
    assert snap.version == version
    assert not snap.is_workday(D(2025, 10, 1).toordinal())
    assert any("Cache unreachable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_snapshot_is_reloaded_after_its_maximum_age(django_assert_num_queries):
    clock = FakeClock()
    store = CalendarStore(clock=clock, max_age_seconds=300)
    store.snapshot()
    clock.now += 299
    with django_assert_num_queries(0):
        store.snapshot()
    clock.now += 2
    with django_assert_num_queries(2):
        store.snapshot()


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_trace():
    class Abort(Exception):
        pass

    assert is_workday(OCT_9_2025)
    with pytest.raises(Abort), transaction.atomic():
        calendar_day_set(date=OCT_9_2025, is_workday=False)
        assert not is_workday(OCT_9_2025)
        raise Abort
    assert is_workday(OCT_9_2025)
    assert default_store.snapshot().is_workday(OCT_9_2025.toordinal())
