"""The 办不成事 window (DOMAIN S2, S3, H5): first-contact record, coordination, outcome,
feedback, escalation of open cases past their deadline."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.halls import selectors, services
from apps.halls.models import HallEvent
from apps.halls.workflow import HardCaseState
from apps.notifications.models import Notification
from tests.halls.conftest import NINE_THIRTY

pytestmark = pytest.mark.django_db


def open_case(setup, actor, citizen=None):
    return services.hard_case_open(
        actor=actor,
        hall=setup.hall,
        contact_name="王小明",
        problem="开办餐饮店被要求提供指南以外的消防证明",
        cause="extra_conditions",
        item=setup.item,
        citizen=citizen,
        departments=[setup.item.implementing_department],
    )


def test_first_contact_records_the_case_with_a_deadline_H5_S2(setup, window_staff, citizen):
    case = open_case(setup, window_staff)
    assert case.number.startswith("BCS20260929")
    assert case.received_by == window_staff and case.state == HardCaseState.OPEN
    assert case.deadline == datetime.date(
        2026, 10, 12
    )  # five working days: the holidays skipped, Saturday 10 worked
    with pytest.raises(PermissionDeniedError):
        open_case(setup, citizen)
    with pytest.raises(ApplicationError) as exc:
        services.hard_case_open(
            actor=window_staff, hall=setup.hall, contact_name="王", problem="难", cause="other"
        )
    assert exc.value.code == "problem_required"


def test_coordination_outcome_and_feedback_close_the_case_S2(
    setup, window_staff, second_window_staff, citizen
):
    case = open_case(setup, window_staff, citizen=citizen)
    with pytest.raises(InvalidTransitionError):
        services.hard_case_conclude(
            actor=window_staff, case_id=case.pk, resolved=True, outcome="已协调解决问题"
        )
    services.hard_case_assign(actor=window_staff, case_id=case.pk, coordinator=second_window_staff)
    assert Notification.objects.filter(recipient=second_window_staff, category="hall").exists()
    with pytest.raises(PermissionDeniedError):  # only the coordinator records the outcome
        services.hard_case_conclude(
            actor=window_staff, case_id=case.pk, resolved=True, outcome="已协调解决问题"
        )
    services.hard_case_conclude(
        actor=second_window_staff,
        case_id=case.pk,
        resolved=True,
        outcome="经协调，消防证明不再要求，已当场受理",
    )
    assert Notification.objects.filter(recipient=citizen, title="您反映的问题有了结果").count() == 2
    closed = services.hard_case_feedback(
        actor=window_staff, case_id=case.pk, feedback="satisfied", note="很满意"
    )
    assert closed.state == HardCaseState.CLOSED
    kinds = list(HallEvent.objects.filter(hard_case=case).values_list("kind", flat=True))
    assert kinds == ["case_opened", "case_assigned", "case_concluded", "case_feedback"]


def test_open_case_past_its_deadline_escalates_to_supervisors_once_S2(
    setup, window_staff, supervisor, at_nine_thirty
):
    case = open_case(setup, window_staff)
    assert services.hard_case_escalate(case_id=case.pk) is False  # not due yet
    at_nine_thirty.move_to(NINE_THIRTY + datetime.timedelta(days=15))
    assert services.hard_case_escalate(case_id=case.pk) is True
    assert services.hard_case_escalate(case_id=case.pk) is False  # once
    case.refresh_from_db()
    assert case.escalated_at is not None
    assert Notification.objects.filter(recipient=supervisor, category="hall").count() == 1


def test_figures_by_cause_S3(setup, window_staff):
    open_case(setup, window_staff)
    services.hard_case_open(
        actor=window_staff,
        hall=setup.hall,
        contact_name="李四",
        problem="两个部门互相推诿，证明开不出来",
        cause="passing_the_buck",
    )
    assert selectors.hard_cases_by_cause() == [
        ("要求指南以外的条件或材料", 1, 1),
        ("部门间推诿、职责不清", 1, 1),
    ]


def test_staff_pages_record_and_move_a_case_S2(setup, client, window_staff, citizen):
    client.force_login(citizen)
    assert client.get(reverse("halls:hard_cases")).status_code == 404
    client.force_login(window_staff)
    response = client.post(
        reverse("halls:hard_case_new"),
        {
            "hall": setup.hall.pk,
            "contact_name": "王小明",
            "problem": "跑了三次还是办不成营业执照变更",
            "cause": "late",
        },
    )
    case_url = response.url
    page = client.get(case_url).content.decode()
    assert "跑了三次" in page and "指定协调人" in page
    client.post(case_url, {"step": "assign", "coordinator": window_staff.pk, "deadline": ""})
    assert "登记办理结果" in client.get(case_url).content.decode()
    listing = client.get(reverse("halls:hard_cases")).content.decode()
    assert "超时未办结" in listing
    bad = client.post(case_url, {"step": "nonsense"})
    assert bad.status_code == 302
