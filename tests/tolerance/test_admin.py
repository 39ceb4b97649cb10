"""The window's queue in the console: outstanding supplies by deadline, scoped, filtered."""

from __future__ import annotations

from django.urls import reverse

from apps.tolerance.models import Supplement
from tests.tolerance.helpers import accept, submit


def test_queue_lists_the_departments_outstanding_supplies_by_deadline(
    login, submitted, citizen, window_staff, other_dept_staff, django_assert_max_num_queries
):
    app = accept(submitted, citizen, window_staff)
    url = reverse("admin:tolerance_materialsupply_changelist")
    client = login(window_staff)
    client.get(url)
    with django_assert_max_num_queries(30):
        page = client.get(url + "?outstanding=yes").content.decode()
    assert app.number in page and "场所平面图" in page
    assert app.number not in login(other_dept_staff).get(url).content.decode()
    assert login(citizen).get(url).status_code == 302


def test_admin_action_accepts_through_the_service(login, submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    supplement = submit(app, citizen)
    client = login(window_staff)
    client.post(
        reverse("admin:tolerance_supplement_changelist"),
        {"action": "accept_selected", "_selected_action": [supplement.pk]},
    )
    assert Supplement.objects.get(pk=supplement.pk).result == Supplement.Result.ACCEPTED


def test_pledges_are_read_only(login, submitted, citizen, window_staff, supervisor):
    accept(submitted, citizen, window_staff)
    client = login(supervisor)
    response = client.get(reverse("admin:tolerance_pledge_changelist"))
    assert response.status_code == 200
    assert client.get(reverse("admin:tolerance_pledge_add")).status_code == 403
