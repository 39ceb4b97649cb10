"""Public lists and detail (PO1, PO2) and 我的政策 (PO3, PO4): constant queries, filters,
bad input answered 400/404, every profile look logged (A17)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.notifications.preferences import notification_preference_get
from apps.policies.models import Entitlement, PolicyMatch, ProfileAccess
from apps.policies.services import policy_match
from tests.accounts.factories import DepartmentFactory
from tests.policies.factories import CompanyProfileFactory, PolicyFactory

pytestmark = pytest.mark.django_db

LIST = reverse("policies:list")
MINE = reverse("policies:mine")


def _login(client, user):
    client.force_login(user)
    return client


def test_public_list_shows_published_policies_by_class_po1(client):
    hq = DepartmentFactory(code="KJJ", name="市科学技术局")
    PolicyFactory(title="软件企业首版次奖励", department=hq)
    PolicyFactory(title="高龄津贴", policy_class="livelihood", subject_kind="person")
    PolicyFactory(title="草稿政策", state="draft")
    page = client.get(LIST).content.decode()
    assert "软件企业首版次奖励" in page and "高龄津贴" in page and "草稿政策" not in page
    only = client.get(LIST, {"class": "livelihood"}).content.decode()
    assert "高龄津贴" in only and "软件企业首版次奖励" not in only
    by_dept = client.get(LIST, {"department": "KJJ"}).content.decode()
    assert "软件企业首版次奖励" in by_dept and "高龄津贴" not in by_dept


def test_validity_filter(client):
    today = timezone.localdate()
    PolicyFactory(title="正在执行")
    PolicyFactory(
        title="下月生效",
        valid_from=today + datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=60),
    )
    PolicyFactory(
        title="去年到期",
        state="expired",
        valid_from=today.replace(year=today.year - 2),
        valid_until=today.replace(year=today.year - 1),
    )
    assert "正在执行" in client.get(LIST, {"validity": "current"}).content.decode()
    upcoming = client.get(LIST, {"validity": "upcoming"}).content.decode()
    assert "下月生效" in upcoming and "正在执行" not in upcoming
    assert "去年到期" in client.get(LIST, {"validity": "ended"}).content.decode()


def test_list_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    PolicyFactory.create_batch(3)
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200
    PolicyFactory.create_batch(15)
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


def test_nul_and_junk_in_the_query_are_answered_not_crashed(client):
    assert client.get(LIST, {"department": "K\x00J"}).status_code == 400
    assert (
        client.get(LIST, {"class": "nonsense", "page": "99999999999999999999999"}).status_code
        == 200
    )
    assert client.get("/policies/no-such-policy/").status_code == 404
    assert client.get("/policies/%00/").status_code == 404


def test_detail_states_conditions_procedure_time_limit_and_criteria_po2(client):
    policy = PolicyFactory(
        criteria=[{"attribute": "employees", "operator": "between", "value": [10, 300]}]
    )
    page = client.get(reverse("policies:detail", args=[policy.code])).content.decode()
    for text in (
        policy.conditions_text,
        policy.procedure_text,
        policy.time_limit_text,
        policy.legal_basis,
    ):
        assert text in page
    assert "从业人数 介于 10人 至 300人" in page and "免申即享" in page


def test_drafts_have_no_public_page(client):
    assert (
        client.get(reverse("policies:detail", args=[PolicyFactory(state="draft").code])).status_code
        == 404
    )


# --- 我的政策 -------------------------------------------------------------------------------


def test_mine_needs_a_login_and_sends_staff_to_the_admin(client, window_staff):
    assert client.get(MINE)["Location"].startswith(reverse("accounts:login"))
    assert _login(client, window_staff).get(MINE)["Location"] == reverse("admin:index")


def test_company_agent_sees_matches_with_each_criterion_met_po4(
    client, company_agent, company_profile
):
    policy = PolicyFactory(
        title="专精特新奖励",
        criteria=[
            {"attribute": "employees", "operator": "gte", "value": 20},
            {"attribute": "high_tech", "operator": "eq", "value": True},
        ],
    )
    policy_match(policy_id=policy.pk)
    page = _login(client, company_agent).get(MINE).content.decode()
    assert "专精特新奖励" in page
    assert "从业人数 不少于 20人" in page and "您的数据：50人" in page
    assert "高新技术企业：是" in page
    entitlement = Entitlement.objects.get(policy=policy)
    assert entitlement.notice_number in page and "放弃该待遇" in page
    # The agent looked at their company's shared data: logged (A17).
    access = ProfileAccess.objects.get()
    assert (access.viewer, access.company_profile) == (company_agent, company_profile)


def test_mine_runs_a_constant_number_of_queries(
    client, company_agent, company_profile, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            policy_match(
                policy_id=PolicyFactory(
                    criteria=[{"attribute": "employees", "operator": "gte", "value": 1}]
                ).pk
            )

    _login(client, company_agent)
    add(2)
    with django_assert_max_num_queries(20) as small:
        assert client.get(MINE).status_code == 200
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(MINE).status_code == 200


def test_citizen_with_no_shared_data_sees_an_explanation(client, citizen):
    page = _login(client, citizen).get(MINE).content.decode()
    assert "暂未找到与您账户关联的共享数据" in page


def test_decline_through_the_page(client, company_agent, company_profile):
    policy = PolicyFactory()
    policy_match(policy_id=policy.pk)
    entitlement = Entitlement.objects.get()
    response = _login(client, company_agent).post(
        reverse("policies:decline", args=[entitlement.pk]),
        {"reason": "不需要", "subject": "person\x00"},
    )
    assert response.status_code == 302 and response["Location"] == MINE
    entitlement.refresh_from_db()
    assert entitlement.state == "declined"


def test_claim_through_the_page_goes_to_the_submitted_application(
    client, company_agent, company_profile, claim_item
):
    policy = PolicyFactory(fulfilment="application", service_item=claim_item)
    policy_match(policy_id=policy.pk)
    match = PolicyMatch.objects.get()
    response = _login(client, company_agent).post(reverse("policies:claim", args=[match.pk]))
    claim = match.claim
    assert response["Location"] == reverse("applications:detail", args=[claim.application.pk])
    again = client.post(reverse("policies:claim", args=[match.pk]), follow=True)
    assert "已申请过" in again.content.decode()


def test_someone_elses_notice_is_404(client, company_agent, company_profile, other_citizen):
    policy_match(policy_id=PolicyFactory().pk)
    entitlement = Entitlement.objects.get()
    url = reverse("policies:notice", args=[entitlement.pk])
    assert "免申即享告知书" in _login(client, company_agent).get(url).content.decode()
    assert _login(client, other_citizen).get(url).status_code == 404


def test_push_preferences_are_saved_from_the_page(client, citizen):
    _login(client, citizen)
    client.post(reverse("policies:preferences"), {"channels": ["sms"]})
    stored = notification_preference_get(user=citizen, category="policy")
    assert stored.channels() == ("sms",) and not stored.opted_out
    client.post(reverse("policies:preferences"), {"opted_out": "on"})
    assert notification_preference_get(user=citizen, category="policy").channels() == ()
    response = client.post(reverse("policies:preferences"), {"channels": ["fax"]}, follow=True)
    assert "接收渠道无效" in response.content.decode()
    response = client.post(reverse("policies:preferences"), {}, follow=True)
    assert "至少选择一个" in response.content.decode()


def test_other_companies_are_not_shown(client, company_agent, company_profile):
    stranger = CompanyProfileFactory(name="别家公司")
    policy_match(policy_id=PolicyFactory(title="普惠政策").pk)
    page = (
        _login(client, company_agent)
        .get(MINE, {"subject": f"company-{stranger.pk}"})
        .content.decode()
    )
    assert "别家公司" not in page
