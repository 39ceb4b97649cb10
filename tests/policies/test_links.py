"""Every link a policy notification carries is built with reverse() and opens for the person
it was sent to (the loose end issue #7 names for reminders)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.notifications.models import Notification
from apps.policies.models import Entitlement
from apps.policies.services import (
    entitlement_grant,
    policy_expiry_reminders,
    policy_halt_approve,
    policy_halt_request,
    policy_match,
    policy_push_send_batch,
)
from tests.policies.factories import PolicyFactory

pytestmark = pytest.mark.django_db


def _opens_for_its_recipient(client, notification: Notification) -> None:
    assert notification.link.startswith("/")
    client.force_login(notification.recipient)
    response = client.get(notification.link)
    assert response.status_code == 200, (notification.title, notification.link)


def test_push_grant_reminder_and_halt_links_open(
    client, company_agent, company_profile, department, approver, supervisor, claim_item
):
    automatic = PolicyFactory(department=department)
    policy_match(policy_id=automatic.pk)
    policy_push_send_batch(policy_id=automatic.pk)
    entitlement_grant(actor=approver, entitlement_id=Entitlement.objects.get().pk)
    expiring = PolicyFactory(
        department=department,
        fulfilment="application",
        service_item=claim_item,
        valid_until=timezone.localdate() + datetime.timedelta(days=3),
    )
    policy_match(policy_id=expiring.pk)
    policy_expiry_reminders()
    halt = policy_halt_request(
        actor=approver,
        policy_id=automatic.pk,
        action="suspend",
        legal_ground="quota_used",
        legal_basis="《办法》第十二条",
        reason="年度额度已用完。",
    )
    policy_halt_approve(actor=supervisor, request_id=halt.pk)

    inbox = Notification.objects.filter(channel="inbox", category="policy")
    assert inbox.count() == 4  # push, grant, reminder, halt decision
    for notification in inbox:
        _opens_for_its_recipient(client, notification)
