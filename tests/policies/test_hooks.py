"""The policies app in the lower apps' hooks: a new account gets its waiting pushes at once
(PO3); an application made by a claim shows its policy and the shared data it carried to
the applicant and to the department (A3, PO4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.services import citizen_register
from apps.applications import hooks as application_hooks
from apps.policies.models import PolicyMatch, PolicyPush
from apps.policies.services import policy_claim, policy_match, policy_push_send_batch
from tests.accounts.factories import make_resident_id
from tests.policies.factories import PersonProfileFactory, PolicyFactory

pytestmark = pytest.mark.django_db


def test_the_policies_app_is_registered_in_the_hooks():
    registered = application_hooks.registered()
    assert "apps.policies.listeners.claim_panel" in registered["applicant_panels"]
    assert "apps.policies.listeners.claim_panel" in registered["staff_panels"]


def test_a_new_account_gets_its_waiting_pushes_at_once_po3(django_capture_on_commit_callbacks):
    number = make_resident_id(region="350102")
    PersonProfileFactory(id_number=number)
    policy = PolicyFactory(subject_kind="person")
    policy_match(policy_id=policy.pk)
    policy_push_send_batch(policy_id=policy.pk)
    assert PolicyPush.objects.get().status == "unreachable"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        citizen_register(
            full_name="林新",
            phone="13912345670",
            id_number=number,
            password="Portal#2026x",
            email="",
        )
    assert "push_to_new_account" in [c.__name__ for c in callbacks]
    assert PolicyPush.objects.get().status == "queued"


def test_the_claimed_application_shows_the_policy_and_shared_data_a3(
    client, company_agent, company_profile, claim_item, window_staff
):
    policy = PolicyFactory(
        title="稳岗返还（测试）", fulfilment="application", service_item=claim_item
    )
    policy_match(policy_id=policy.pk)
    claim = policy_claim(actor=company_agent, match_id=PolicyMatch.objects.get().pk)
    client.force_login(company_agent)
    page = client.get(reverse("applications:detail", args=[claim.application.pk])).content.decode()
    assert "稳岗返还（测试）" in page and company_profile.credit_code in page
    client.force_login(window_staff)
    staff_page = client.get(
        reverse("admin:applications_application_change", args=[claim.application.pk])
    ).content.decode()
    assert "申请兑现政策" in staff_page and "从业人数" in staff_page
