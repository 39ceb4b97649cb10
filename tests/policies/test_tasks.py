"""Thin, idempotent tasks and the reminder before a matched 申请兑现 policy expires unclaimed
(DOMAIN PO3, A14): each reminder once, whatever is re-run."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.notifications.models import Notification
from apps.notifications.preferences import notification_preference_set
from apps.policies import tasks
from apps.policies.models import PolicyMatch, ProfileImport
from apps.policies.services import policy_claim, policy_expiry_reminders, policy_match
from tests.policies.factories import CompanyProfileFactory, PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expiring(company_profile, claim_item):
    today = timezone.localdate()
    policy = PolicyFactory(
        fulfilment="application",
        service_item=claim_item,
        valid_until=today + datetime.timedelta(days=5),
    )
    policy_match(policy_id=policy.pk)
    return policy


def test_unclaimed_match_is_reminded_once_before_expiry_po3(expiring, company_agent):
    assert policy_expiry_reminders() == 1
    assert policy_expiry_reminders() == 0  # re-run: nobody twice
    [inbox] = Notification.objects.filter(recipient=company_agent, channel="inbox")
    assert "即将到期" in inbox.title and inbox.link == "/policies/mine/"
    assert PolicyMatch.objects.get().reminded_at is not None


def test_claimed_matches_are_not_reminded(expiring, company_agent):
    policy_claim(actor=company_agent, match_id=PolicyMatch.objects.get().pk)
    Notification.objects.all().delete()
    assert policy_expiry_reminders() == 0
    assert not Notification.objects.filter(title__contains="即将到期").exists()


def test_far_from_expiry_no_reminder(company_profile, claim_item, settings):
    settings.POLICY_EXPIRY_REMINDER_DAYS = 3
    policy = PolicyFactory(
        fulfilment="application",
        service_item=claim_item,
        valid_until=timezone.localdate() + datetime.timedelta(days=5),
    )
    policy_match(policy_id=policy.pk)
    assert policy_expiry_reminders() == 0


def test_reminder_honours_opt_out(expiring, company_agent):
    notification_preference_set(user=company_agent, category="policy", channels=[], opted_out=True)
    assert policy_expiry_reminders() == 1  # the match is settled …
    assert not Notification.objects.filter(recipient=company_agent).exists()  # … silently


def test_match_task_starts_the_push_and_a_second_run_is_a_no_op(
    company_profile, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks.send_policy_pushes, "delay", lambda pk: queued.append(pk))
    policy = PolicyFactory()
    first = tasks.match_policy(policy.pk)
    second = tasks.match_policy(policy.pk)
    assert first["matched"] == 1 and second["matched"] == 0
    assert queued == [policy.pk]


def test_send_task_requeues_itself_while_pushes_wait(
    company_agent, company_profile, monkeypatch, settings
):
    settings.POLICY_PUSH_BATCH_SIZE = 1
    again = []
    monkeypatch.setattr(
        tasks.send_policy_pushes, "apply_async", lambda args, **kw: again.append((args, kw))
    )
    CompanyProfileFactory()  # a second matched subject: two pushes, batches of one
    policy = PolicyFactory()
    policy_match(policy_id=policy.pk)
    first = tasks.send_policy_pushes(policy.pk)
    assert first["claimed"] == 1 and first["more"] and again == [((policy.pk,), {})]
    second = tasks.send_policy_pushes(policy.pk)
    assert second["claimed"] == 1 and not second["more"] and len(again) == 1


def test_rematch_import_ignores_refused_imports(system_admin):
    refused = ProfileImport.objects.create(
        kind="company",
        file_name="x.csv",
        file_format="csv",
        status="refused",
        uploaded_by=system_admin,
    )
    assert tasks.rematch_import(refused.pk) == 0
    assert tasks.rematch_import(999999) == 0


def test_daily_tasks_start_policies_that_came_into_force(company_profile, monkeypatch):
    started = []
    monkeypatch.setattr(tasks.match_policy, "delay", lambda pk: started.append(pk))
    waiting = PolicyFactory()
    PolicyFactory(matched_at=timezone.now())
    assert tasks.match_policies_in_force() == 1
    assert started == [waiting.pk]


def test_sweep_requeues_lost_pushes_and_lost_rematches(company_profile, system_admin, monkeypatch):
    pushed, rematched = [], []
    monkeypatch.setattr(tasks.send_policy_pushes, "delay", lambda pk: pushed.append(pk))
    monkeypatch.setattr(tasks.rematch_import, "delay", lambda pk: rematched.append(pk))
    policy = PolicyFactory()
    policy_match(policy_id=policy.pk)  # queued pushes whose send task never ran
    lost = ProfileImport.objects.create(
        kind="company",
        file_name="x.csv",
        file_format="csv",
        status="succeeded",
        uploaded_by=system_admin,
        created_count=1,
    )
    ProfileImport.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert tasks.sweep_policies() == 2
    assert pushed == [policy.pk] and rematched == [lost.pk]
    tasks.rematch_import(lost.pk)
    lost.refresh_from_db()
    assert lost.rematched_at is not None
