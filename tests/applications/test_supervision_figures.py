"""A15 figures kept by the supervision pass (issue 16): the 电子监察 page and the dashboard
read the per-department counts the pass stored today instead of counting a city's running
cases on every request; before the day's first pass they count live."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications.models import SupervisionFigure
from apps.applications.services.supervision import supervision_figures_refresh
from apps.applications.tasks import supervise_applications
from tests.applications.factories import accepted_application, guide_for

pytestmark = pytest.mark.django_db
SUPERVISION = "/admin/applications/application/supervision/"
PANEL = reverse("dashboard:panel", args=["applications-timeliness"])


def _overdue(guide):
    return accepted_application(
        guide=guide, accepted_at=timezone.now() - datetime.timedelta(days=60)
    )


def test_before_any_pass_the_figures_are_counted_live(client, guide, supervisor):
    _overdue(guide)
    client.force_login(supervisor)
    assert "已超期1件" in client.get(PANEL).json()["summary"]
    assert not SupervisionFigure.objects.exists()


def test_the_pass_stores_todays_figures_per_department(guide, other_department):
    _overdue(guide)
    _overdue(guide)
    _overdue(guide_for(other_department))

    supervise_applications()  # the beat task: the pass, then the figures

    figures = {f.department_id: f.overdue for f in SupervisionFigure.objects.all()}
    assert figures == {guide.item.implementing_department_id: 2, other_department.pk: 1}
    assert set(SupervisionFigure.objects.values_list("day", flat=True)) == {timezone.localdate()}


def test_pages_read_the_stored_figures_and_say_when_they_were_counted(client, guide, supervisor):
    first = _overdue(guide)
    supervision_figures_refresh(today=timezone.localdate())
    later = _overdue(guide)  # after the pass: in the live list, not yet in the figures
    client.force_login(supervisor)

    panel = client.get(PANEL).json()
    page = client.get(SUPERVISION).content.decode()

    assert "已超期1件" in panel["summary"] and "统计截至" in panel["note"]
    assert "统计截至" in page and '<span class="gs-badge gs-red">1</span>' in page
    assert first.number in page and later.number in page  # the lists stay live


def test_a_pass_with_nothing_due_still_records_that_it_counted(client, guide, supervisor):
    supervision_figures_refresh(today=timezone.localdate())
    _overdue(guide)  # after the pass
    client.force_login(supervisor)
    assert "已超期0件" in client.get(PANEL).json()["summary"]


def test_the_department_table_prints_each_figure_and_says_when_there_is_none(
    client, guide, supervisor
):
    client.force_login(supervisor)
    empty = client.get(SUPERVISION).content.decode()
    _overdue(guide)
    supervision_figures_refresh(today=timezone.localdate())
    page = client.get(SUPERVISION).content.decode()

    assert '<tr><td colspan="3">各部门均无超期或临期办件。</td></tr>' in empty
    name = guide.item.implementing_department.name
    assert (
        f'<tr><td>{name}</td>\n        <td><span class="gs-badge gs-red">1</span></td>\n'
        "        <td>0</td></tr>"
    ) in page


def test_yesterdays_figures_are_not_read_today(client, guide, supervisor):
    supervision_figures_refresh(today=timezone.localdate() - datetime.timedelta(days=1))
    _overdue(guide)
    client.force_login(supervisor)
    assert "已超期1件" in client.get(PANEL).json()["summary"]


@pytest.fixture
def guide(department):
    return guide_for(department)
