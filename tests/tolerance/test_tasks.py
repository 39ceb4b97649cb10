"""The Celery sweep: registered in beat, idempotent, reports what it did (T2, T3)."""

from __future__ import annotations

import datetime

import time_machine
from django.conf import settings

from apps.applications.workflow import State
from apps.tolerance.tasks import sweep_tolerated_materials
from apps.workdays.calendar import SHANGHAI
from tests.tolerance.helpers import accept, supply


def test_sweep_is_scheduled_in_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["tolerance-sweep"]
    assert entry["task"] == "apps.tolerance.tasks.sweep_tolerated_materials"


def test_t3_task_revokes_once_however_often_it_runs(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    day_after = supply(app).due_date + datetime.timedelta(days=1)
    with time_machine.travel(
        datetime.datetime.combine(day_after, datetime.time(9), tzinfo=SHANGHAI), tick=False
    ):
        first = sweep_tolerated_materials.apply().get()
        second = sweep_tolerated_materials.apply().get()
    assert first == {"reminded": 0, "revoked": 1, "withheld": 0}
    assert second == {"reminded": 0, "revoked": 0, "withheld": 0}
    app.refresh_from_db()
    assert app.state == State.REVOKED
