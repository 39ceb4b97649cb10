"""Reviews in the staff console (DOMAIN R3, R4, R7): the case page's forms call the
services, the identity stays masked, appeals are filed and decided, and 现场评价 makes a
rating code. Someone else's department's records are not found."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts.models import PersonalDataAccess
from apps.reviews.models import Appeal, ReviewTag, ServiceEvent
from apps.reviews.workflow import CaseState
from tests.reviews.factories import review, window_for


def test_case_page_masks_the_reviewer_and_offers_the_callback(
    client, department, citizen, window_staff
):
    case = review(department, citizen, "dissatisfied").case
    client.force_login(window_staff)
    page = client.get(reverse("admin:reviews_rectificationcase_change", args=[case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert citizen.full_name not in text and citizen.masked_phone in text
    assert "登记回访核实结果" in text


def test_callback_through_the_admin_form(client, department, citizen, window_staff):
    case = review(department, citizen, "dissatisfied").case
    client.force_login(window_staff)
    url = reverse("admin:reviews_rectificationcase_action", args=[case.pk, "callback"])
    response = client.post(url, {"outcome": "fixed_now", "note": "已当场处理。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.RECTIFIED and case.handled_by == window_staff


def test_a_refused_step_shows_the_message_and_changes_nothing(
    client, department, citizen, window_staff
):
    case = review(department, citizen, "dissatisfied").case
    client.force_login(window_staff)
    url = reverse("admin:reviews_rectificationcase_action", args=[case.pk, "rectify"])
    response = client.post(url, {"note": "还没回访"}, follow=True)
    assert "不能登记整改完成" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.CALLBACK_DUE


def test_other_department_gets_404(client, department, citizen, other_dept_staff):
    case = review(department, citizen, "dissatisfied").case
    client.force_login(other_dept_staff)
    url = reverse("admin:reviews_rectificationcase_change", args=[case.pk])
    assert client.get(url).status_code == 404
    action = reverse("admin:reviews_rectificationcase_action", args=[case.pk, "callback"])
    assert client.post(action, {"outcome": "fixed_now", "note": "x"}).status_code == 404


def test_anonymous_review_shows_no_identity(client, department, citizen, approver):
    given = review(department, citizen, "dissatisfied", anonymous=True)
    client.force_login(approver)
    text = client.get(reverse("admin:reviews_review_change", args=[given.pk])).content.decode()
    assert "匿名评价人" in text
    assert citizen.full_name not in text and citizen.masked_phone not in text


def test_reveal_of_the_callback_number_is_recorded(client, department, citizen, approver):
    case = review(department, citizen, "dissatisfied").case
    client.force_login(approver)
    page = client.get(reverse("admin:reviews_rectificationcase_change", args=[case.pk]))
    reveal = reverse("admin:accounts_user_reveal", args=[citizen.pk])
    assert reveal in page.content.decode()
    client.post(reveal, {"field": "phone", "purpose": f"差评回访 {case.pk}"})
    assert PersonalDataAccess.objects.filter(viewer=approver, subject=citizen).exists()


def test_appeal_filed_and_decided_in_the_admin(client, department, citizen, approver, supervisor):
    given = review(department, citizen, "dissatisfied", anonymous=True)
    client.force_login(approver)
    filed = client.post(
        reverse("admin:reviews_review_appeal", args=[given.pk]),
        {"ground": "malicious", "reason": "与本部门业务无关。"},
    )
    appeal = Appeal.objects.get()
    assert filed.url == reverse("admin:reviews_appeal_change", args=[appeal.pk])
    denied = client.post(
        reverse("admin:reviews_appeal_decide", args=[appeal.pk]),
        {"decision": "upheld", "note": "自己批"},
        follow=True,
    )
    assert "没有执行此操作的权限" in denied.content.decode()
    client.force_login(supervisor)
    client.post(
        reverse("admin:reviews_appeal_decide", args=[appeal.pk]),
        {"decision": "upheld", "note": "属实。"},
    )
    appeal.refresh_from_db()
    assert appeal.state == "upheld"


def test_window_open_makes_a_rating_code(client, department, window_staff):
    window = window_for(department)
    client.force_login(window_staff)
    url = reverse("admin:reviews_serviceevent_window_open")
    assert client.get(url).status_code == 200
    page = client.post(url, {"window": window.pk, "department": department.pk})
    text = page.content.decode()
    event = ServiceEvent.objects.get()
    assert event.staff == window_staff and event.window == window
    assert "data:image/png;base64," in text and "/reviews/t/" in text


def test_citizens_cannot_open_the_console_pages(client, citizen):
    client.force_login(citizen)
    url = reverse("admin:reviews_serviceevent_window_open")
    assert client.get(url).status_code == 302


def test_tag_admin_saves_through_the_service(client, system_admin):
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:reviews_reviewtag_add"),
        {"code": "no-signage", "label": "导引标识不清", "order": 20, "is_active": "on"},
    )
    assert response.status_code == 302
    tag = ReviewTag.objects.get(code="no-signage")
    assert tag.history.first().history_user == system_admin
