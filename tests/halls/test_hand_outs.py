"""综合窗口出件 (DOMAIN A11, 统一反馈): a case taken in at a comprehensive window comes back
there once the department decides it, and is handed to the applicant there, once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.applications import hooks as application_hooks
from apps.applications import services as application_services
from apps.applications.models import Application
from apps.applications.workflow import State
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.halls import services
from apps.halls.models import HandOut
from apps.notifications.models import Notification
from tests.accounts.factories import StaffFactory
from tests.applications.factories import ApplicationFactory, guide_for, main_material, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


@pytest.fixture
def guide(setup, other_department):
    setup.center.departments.add(other_department)
    return guide_for(other_department)


def _taken_in(actor, citizen, guide, key="a11-h1") -> Application:
    return application_services.application_window_create(
        actor=actor,
        applicant_id=citizen.pk,
        item_id=guide.item_id,
        idempotency_key=key,
        materials=[(main_material(guide).pk, pdf_upload())],
    )


def _approved(application, approver) -> Application:
    Application.objects.filter(pk=application.pk).update(state=State.UNDER_REVIEW)
    return application_services.application_approve(application_id=application.pk, actor=approver)


@pytest.fixture
def ready(setup, guide, window_staff, citizen, other_approver) -> HandOut:
    """Taken in at comprehensive window 1 for the other department, approved there."""
    application = _approved(_taken_in(window_staff, citizen, guide), other_approver)
    return HandOut.objects.get(application=application)


def test_registered_as_a_case_closed_listener():
    names = application_hooks.registered()["case_closed_listeners"]
    assert "apps.halls.services.hand_outs.on_case_closed" in names


def test_decided_result_comes_back_to_the_comprehensive_window_A11(
    setup, ready, window_staff, citizen
):
    application = ready.application
    assert ready.window == setup.windows[0] and ready.group == setup.comprehensive
    assert ready.taken_in_by == window_staff and ready.decided_at == application.decided_at
    assert ready.handed_out_at is None
    notice = Notification.objects.get(dedupe_key=f"hand-out-ready:{ready.pk}", channel="inbox")
    assert notice.recipient == citizen and "综合窗口领取" in notice.body


def test_online_and_withdrawn_cases_do_not_come_to_the_window_A11(
    setup, guide, window_staff, citizen, other_approver
):
    online = ApplicationFactory(guide=guide, applicant=citizen)
    _approved(online, other_approver)
    withdrawn = _taken_in(window_staff, citizen, guide, key="a11-h2")
    application_services.application_withdraw(application_id=withdrawn.pk, actor=citizen)
    assert not HandOut.objects.exists()


def test_the_window_hands_the_result_out_once_A11(ready, second_window_staff, citizen):
    """Any window of the comprehensive group hands it out; who, when and to whom are kept;
    a second hand-out is refused in Chinese and changes nothing."""
    row = services.hand_out(actor=second_window_staff, hand_out_id=ready.pk)
    assert row.handed_out_by == second_window_staff and row.handed_out_at is not None
    assert row.collector_name == citizen.full_name
    with pytest.raises(ApplicationError) as refused:
        services.hand_out(actor=second_window_staff, hand_out_id=ready.pk, collector_name="别人")
    assert "不能重复出件" in refused.value.message
    again = HandOut.objects.get(pk=ready.pk)
    assert (again.handed_out_at, again.collector_name) == (row.handed_out_at, citizen.full_name)
    assert again.history.first().history_user == second_window_staff


def test_only_staff_of_that_comprehensive_window_hand_out_A11(ready, department, citizen):
    stranger = StaffFactory(username="window9", role=Role.WINDOW_STAFF, departments=[department])
    for actor in (stranger, citizen):
        with pytest.raises(PermissionDeniedError):
            services.hand_out(actor=actor, hand_out_id=ready.pk)
    assert HandOut.objects.get(pk=ready.pk).handed_out_at is None


def test_work_list_shows_ready_results_masked_and_hands_out_A11(
    client, ready, second_window_staff, citizen
):
    client.force_login(second_window_staff)
    html = client.get(reverse("halls:hand_outs")).content.decode()
    application = ready.application
    assert application.number in html and application.item.name in html
    assert "王**" in html and citizen.full_name not in html
    response = client.post(
        reverse("halls:hand_out", args=[ready.pk]), {"collector_name": "王大明"}, follow=True
    )
    html = response.content.decode()
    assert "已出件" in html and "暂无待出件的办件" in html
    assert HandOut.objects.get(pk=ready.pk).collector_name == "王大明"
    again = client.post(reverse("halls:hand_out", args=[ready.pk]), follow=True)
    assert again.status_code == 200 and "不能重复出件" in again.content.decode()


def test_work_list_queries_do_not_grow_with_rows_A11(
    client, django_assert_max_num_queries, setup, guide, window_staff, citizen, ready
):
    def add_rows(n: int) -> None:
        for _ in range(n):
            application = ApplicationFactory(guide=guide, applicant=citizen, state=State.APPROVED)
            HandOut.objects.create(
                application=application,
                window=setup.windows[0],
                group=setup.comprehensive,
                taken_in_by=window_staff,
                decided_at=ready.decided_at,
            )

    client.force_login(window_staff)
    url = reverse("halls:hand_outs")
    client.get(url)
    with CaptureQueriesContext(connection) as one_row:
        client.get(url)
    add_rows(4)
    with django_assert_max_num_queries(len(one_row)):
        html = client.get(url).content.decode()
    assert html.count('class="hl-hand-out"') == 5


def test_staff_off_the_comprehensive_rota_see_an_empty_list(client, ready, department):
    other = StaffFactory(username="window8", role=Role.WINDOW_STAFF, departments=[department])
    client.force_login(other)
    html = client.get(reverse("halls:hand_outs")).content.decode()
    assert ready.application.number not in html and "不在综合窗口值班" in html


def test_admin_lists_hand_outs_masked(client, ready, hall_manager, citizen):
    client.force_login(hall_manager)
    html = client.get(reverse("admin:halls_handout_changelist")).content.decode()
    assert ready.application.number in html and citizen.full_name not in html
