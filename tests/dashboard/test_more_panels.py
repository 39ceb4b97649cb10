"""The 12345 hotline's and the policies' panels on the supervisors' dashboard (DOMAIN H6,
PO3, R6)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.hotline import services
from apps.policies.services import policy_match, policy_push_send_batch
from tests.hotline.factories import call, leaf_category
from tests.policies.factories import CompanyProfileFactory, PolicyFactory

KEYS = ["hotline-topics", "hotline-departments"]


@pytest.fixture
def noise(department):
    return leaf_category(department=department)


def _tickets(operator, category, n: int) -> None:
    for i in range(n):
        ticket = services.ticket_take_call(
            actor=operator, data=call(category, caller_phone=f"1391234{i:04d}")
        )
        services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)


@pytest.mark.parametrize("key", KEYS)
def test_hotline_panels_summarise_the_month_with_constant_queries(
    client, supervisor, hotline_operator, noise, key, django_assert_max_num_queries
):
    """H6: hot topics and each department's handling, whatever the number of tickets."""
    client.force_login(supervisor)
    month = f"{timezone.localdate():%Y-%m}"
    url = reverse("dashboard:panel", args=[key]) + f"?start={month}&end={month}"
    _tickets(hotline_operator, noise, 1)
    with django_assert_max_num_queries(20) as few:
        data = client.get(url).json()
    _tickets(hotline_operator, noise, 6)
    with django_assert_max_num_queries(len(few)):
        data = client.get(url).json()
    assert data["summary"] and data["table"]["rows"]
    counts = [row[2] if key == "hotline-topics" else row[1] for row in data["table"]["rows"]]
    assert counts == [7]
    assert "噪声扰民" in data["summary"] or "7件" in data["summary"]


def test_hotline_panels_need_the_analysis_permission(client, window_staff):
    client.force_login(window_staff)
    for key in KEYS:
        assert client.get(reverse("dashboard:panel", args=[key])).status_code in (403, 404)


def test_policies_panel_shows_each_departments_matches_and_pushes(
    client, supervisor, department, company_agent, company, django_assert_max_num_queries
):
    """PO3: matched, pushed and granted by department on the dashboard, constant queries."""
    client.force_login(supervisor)
    url = reverse("dashboard:panel", args=["policies-fulfilment"])
    CompanyProfileFactory(credit_code=company.credit_code, name=company.name)
    first = PolicyFactory(department=department)
    policy_match(policy_id=first.pk)
    policy_push_send_batch(policy_id=first.pk)
    with django_assert_max_num_queries(20) as few:
        data = client.get(url).json()
    CompanyProfileFactory.create_batch(3)
    second = PolicyFactory(department=department)
    policy_match(policy_id=second.pk)
    with django_assert_max_num_queries(len(few)):
        data = client.get(url).json()
    [row] = data["table"]["rows"]
    assert row[0]["text"] == department.name and row[1] == 2  # two policies
    assert row[2] >= 5 and row[3] == 1  # matched over both, one push to the agent's company
