"""The load test's Locust scenario (issue 16), run for real: ``benchmarks/locustfile.py``
with 2 users per persona in turn, each visiting each of its pages once, headless, against
a live server on the test database with a little scale data. ``make load`` runs the same
scenario at 1, 16 and 64 users
on 1,000,000 applications; here it proves the scenario itself: every page it claims to
measure answers as expected, and the citizens' applications really arrive.
"""

from __future__ import annotations

import json

import pytest

from apps.applications import scale_data
from apps.applications.models import Application, TimelineEvent
from apps.applications.scale_data import generate_scale_data
from benchmarks.load import PAGE_ORDER, build_plan, run_locust

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_scenario_requests_every_page_without_failure_and_submits(
    live_server, tmp_path, monkeypatch
):
    monkeypatch.setattr(scale_data, "CITIZENS", 20)  # the world, not 50,000 people
    generate_scale_data(300)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(build_plan(citizens=4)), encoding="utf-8")
    before = set(Application.objects.values_list("pk", flat=True))

    # Each user visits each of its pages once, then Locust stops (the 30 s are a bound).
    level = run_locust(
        host=live_server.url,
        plan_path=plan,
        users=2,
        seconds=30,
        out_dir=tmp_path,
        env={"LOAD_TOUR_ONLY": "1"},
    )

    assert level.failed == 0, level.failures
    assert set(PAGE_ORDER) <= {name for name, page in level.pages.items() if page.requests}
    new = Application.objects.exclude(pk__in=before)
    assert new.filter(
        applicant__username__startswith="scale-u",
        item__code__startswith="SCALE-00-",
        submitted_at__isnull=False,
    ).exists()
    # The window staff accepted a case from the 新申请 tab through the console's form.
    assert TimelineEvent.objects.filter(
        actor__username="scale-window",
        to_state="accepted",
        application__department__code="SCALE-00",
    ).exists()
