"""特约监督员 (DOMAIN S1): opinions are assigned, answered within a deadline and closed only
with the supervisor's confirmation; overdue ones are escalated once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.halls import services, tasks
from apps.halls.models import HallEvent, Opinion
from apps.halls.workflow import OpinionState
from apps.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.halls.conftest import NINE_THIRTY

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(setup, hall_manager):
    user = UserFactory(full_name="郑代表")
    services.supervisor_appoint(
        actor=hall_manager, user=user, category="deputy", organisation="市人大"
    )
    return user


def test_opinion_is_answered_and_closed_by_the_supervisor_S1(
    setup, deputy, hall_manager, window_staff, citizen
):
    with pytest.raises(PermissionDeniedError):  # not a social supervisor
        services.opinion_submit(actor=citizen, content="大厅等候区座位太少")
    opinion = services.opinion_submit(actor=deputy, content="大厅等候区座位太少", hall=setup.hall)
    assert opinion.due_on == datetime.date(2026, 10, 19)  # ten working days
    with pytest.raises(PermissionDeniedError):
        services.opinion_assign(actor=window_staff, opinion_id=opinion.pk, assignee=window_staff)
    services.opinion_assign(actor=hall_manager, opinion_id=opinion.pk, assignee=window_staff)
    with pytest.raises(PermissionDeniedError):
        services.opinion_answer(actor=hall_manager, opinion_id=opinion.pk, answer="已增加座位")
    services.opinion_answer(actor=window_staff, opinion_id=opinion.pk, answer="已增加二十个座位")
    assert Notification.objects.filter(recipient=deputy, channel="sms").exists()
    with pytest.raises(PermissionDeniedError):  # only the supervisor closes it
        services.opinion_confirm(actor=window_staff, opinion_id=opinion.pk, satisfied=True)
    with pytest.raises(ApplicationError):
        services.opinion_confirm(actor=deputy, opinion_id=opinion.pk, satisfied=False)
    back = services.opinion_confirm(
        actor=deputy, opinion_id=opinion.pk, satisfied=False, note="座位仍不够"
    )
    assert back.state == OpinionState.ASSIGNED
    services.opinion_answer(actor=window_staff, opinion_id=opinion.pk, answer="又增加了十个座位")
    closed = services.opinion_confirm(actor=deputy, opinion_id=opinion.pk, satisfied=True)
    assert closed.state == OpinionState.CLOSED
    with pytest.raises(InvalidTransitionError):
        services.opinion_answer(actor=window_staff, opinion_id=opinion.pk, answer="再次答复内容")
    kinds = list(HallEvent.objects.filter(opinion=opinion).values_list("kind", flat=True))
    assert kinds == [
        "opinion_submitted",
        "opinion_assigned",
        "opinion_answered",
        "opinion_reopened",
        "opinion_answered",
        "opinion_confirmed",
    ]


def test_unanswered_opinion_is_escalated_once_S1(setup, deputy, supervisor, at_nine_thirty):
    services.opinion_submit(actor=deputy, content="窗口午休时间无人值守")
    assert tasks.escalate_hard_cases() == 0
    at_nine_thirty.move_to(NINE_THIRTY + datetime.timedelta(days=30))
    assert tasks.escalate_hard_cases() == 1
    assert tasks.escalate_hard_cases() == 0
    assert Notification.objects.filter(recipient=supervisor, category="hall").count() == 1


def test_opinion_pages_for_the_supervisor_the_manager_and_the_assignee_S1(
    setup, client, deputy, hall_manager, window_staff, other_citizen
):
    client.force_login(deputy)
    client.post(reverse("halls:opinions"), {"content": "取号机界面字太小", "hall": setup.hall.pk})
    opinion = Opinion.objects.get()
    opinion_url = reverse("halls:opinion", args=[opinion.pk])
    client.force_login(other_citizen)
    assert client.get(opinion_url).status_code == 404
    client.force_login(hall_manager)
    client.post(opinion_url, {"step": "assign", "assignee": window_staff.pk})
    client.force_login(window_staff)
    client.post(opinion_url, {"step": "answer", "answer": "已调大取号机字号"})
    client.force_login(deputy)
    assert "满意，办结" in client.get(opinion_url).content.decode()
    client.post(opinion_url, {"step": "confirm", "satisfied": "1"})
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.CLOSED
