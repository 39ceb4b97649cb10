"""A company-only item tells a citizen so on its page, with the way to act for a company,
instead of refusing after 开始申请 (issue #8, DOMAIN A1, A2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts import services as account_services
from apps.accounts.models import Company, User
from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.applications.forms import StartForm
from apps.catalogue.models import ServiceTarget
from apps.common.errors import PermissionDeniedError
from tests.accounts.factories import make_credit_code


@pytest.fixture
def company_item(guide):
    guide.item.target = ServiceTarget.LEGAL_PERSON
    guide.item.save(update_fields=["target"])
    return guide.item


def test_a_citizen_is_told_on_the_item_page_with_a_link_to_act_for_a_company_a1(
    client, company_item, citizen
):
    client.force_login(citizen)
    item_url = reverse("catalogue:item", args=[company_item.code])

    body = client.get(item_url).content.decode()

    assert "本事项只能由法人（企业、单位）申请" in body
    assert f'{reverse("accounts:company_add")}?next={item_url}"' in body
    assert reverse("applications:new", args=[company_item.code]) not in body  # no 在线申请
    # The start page says the same and offers no 开始申请 to be refused.
    start = client.get(reverse("applications:new", args=[company_item.code])).content.decode()
    assert "本事项只能由法人（企业、单位）申请" in start and "开始申请" not in start


def test_a_visitor_is_told_too_and_offered_the_agent_login_and_registration(client, company_item):
    body = client.get(reverse("catalogue:item", args=[company_item.code])).content.decode()

    assert "本事项只能由法人（企业、单位）申请" in body
    assert "法人经办人登录" in body and reverse("accounts:register_company") in body


def test_a_company_agent_and_a_person_item_see_the_apply_button(
    client, company_item, company_agent
):
    client.force_login(company_agent)

    body = client.get(reverse("catalogue:item", args=[company_item.code])).content.decode()

    assert "本事项只能由法人" not in body
    assert reverse("applications:new", args=[company_item.code]) in body


def test_a_citizen_adds_the_company_and_applies_for_it_a1_a2(client, company_item, citizen):
    client.force_login(citizen)
    item_url = reverse("catalogue:item", args=[company_item.code])
    code = make_credit_code()

    response = client.post(
        reverse("accounts:company_add"),
        {"company_name": "林记小吃店", "credit_code": code, "next": item_url},
    )

    assert response.status_code == 302 and response["Location"] == item_url
    citizen.refresh_from_db()
    assert citizen.kind == User.Kind.COMPANY_AGENT
    assert user_has_role(citizen, Role.COMPANY_AGENT) and user_has_role(citizen, Role.CITIZEN)
    assert list(citizen.companies.values_list("credit_code", flat=True)) == [code]
    assert citizen.history.first().history_change_reason == "成为法人经办人：林记小吃店"
    body = client.get(item_url).content.decode()
    assert reverse("applications:new", args=[company_item.code]) in body


def test_adding_a_company_checks_the_credit_code_and_the_name_a1(client, citizen):
    client.force_login(citizen)
    known = Company.objects.create(name="榕城示范科技有限公司", credit_code=make_credit_code())
    wrong = make_credit_code()[:17] + "Z"

    bad_code = client.post(
        reverse("accounts:company_add"), {"company_name": "某公司", "credit_code": wrong}
    )
    other_name = client.post(
        reverse("accounts:company_add"),
        {"company_name": "别的公司", "credit_code": known.credit_code},
    )

    assert bad_code.status_code == 200 and bad_code.context["form"].errors["credit_code"]
    assert "不一致" in other_name.context["form"].errors["company_name"][0]
    citizen.refresh_from_db()
    assert citizen.kind == User.Kind.CITIZEN and not citizen.companies.exists()


def test_staff_cannot_become_a_company_agent(window_staff):
    with pytest.raises(PermissionDeniedError):
        account_services.company_agent_add_company(
            user=window_staff, company_name="某公司", credit_code=make_credit_code()
        )


def test_an_agent_applies_for_themselves_where_the_item_serves_persons_too_a1(
    company_agent, company
):
    both = StartForm(
        {"idempotency_key": "k1", "company": ""}, user=company_agent, target=ServiceTarget.BOTH
    )
    assert both.is_valid() and both.company_id is None
    assert "本人（以个人身份申请）" in str(both["company"])
    person = StartForm({"idempotency_key": "k2"}, user=company_agent, target="natural_person")
    assert person.is_valid() and "company" not in person.fields
    legal = StartForm(
        {"idempotency_key": "k3", "company": ""}, user=company_agent, target="legal_person"
    )
    assert not legal.is_valid()
