"""DOMAIN PO3: the push fan-out — once per policy and subject whatever is re-run, retried or
run by two workers at once; channel choices and opt-out honoured; paced by a shared limit."""

from __future__ import annotations

import pytest

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.notifications.models import Notification
from apps.notifications.preferences import notification_preference_set
from apps.policies import ratelimit
from apps.policies.models import PolicyMatch, PolicyPush, PushDelivery
from apps.policies.services import (
    policy_match,
    policy_push_send_batch,
    policy_pushes_requeue_reachable,
)
from tests.accounts.factories import UserFactory
from tests.notifications.callbacks import queued_work
from tests.policies.factories import CompanyProfileFactory, PersonProfileFactory, PolicyFactory
from tests.support.races import race


def _matched_policy(**kwargs):
    policy = PolicyFactory(**kwargs)
    policy_match(policy_id=policy.pk)
    return policy


@pytest.mark.django_db
def test_push_tells_the_agent_over_inbox_sms_and_email_once_po3(
    company_agent, company_profile, django_capture_on_commit_callbacks
):
    company_agent.email = "agent@example.com"
    company_agent.save()
    policy = _matched_policy()
    with django_capture_on_commit_callbacks() as callbacks:
        report = policy_push_send_batch(policy_id=policy.pk)
    assert (report.claimed, report.sent, report.more) == (1, 1, False)
    rows = Notification.objects.filter(recipient=company_agent, category="policy")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "inbox", "sms"]
    inbox = rows.get(channel="inbox")
    assert policy.title in inbox.title and inbox.link == "/policies/mine/"
    assert "免申即享" in inbox.body and "MS" in inbox.body  # the notice number
    push = PolicyPush.objects.get(policy=policy)
    assert (push.status, push.recipients) == ("sent", 1)
    assert PushDelivery.objects.filter(push=push).count() == 3
    # Email and SMS are handed to the workers after commit, by a named callback.
    assert [c.__name__ for c in queued_work(callbacks)] == ["queue_notification_deliveries"]


@pytest.mark.django_db
def test_a_re_run_and_a_retry_send_nothing_po3(company_agent, company_profile):
    policy = _matched_policy()
    policy_push_send_batch(policy_id=policy.pk)
    before = Notification.objects.count()
    again = policy_push_send_batch(policy_id=policy.pk)
    policy_match(policy_id=policy.pk)  # a repeated matching run queues nothing new either
    third = policy_push_send_batch(policy_id=policy.pk)
    assert (again.claimed, third.claimed) == (0, 0)
    assert Notification.objects.count() == before


@pytest.mark.django_db
def test_opted_out_person_gets_nothing_po3(citizen, person_profile):
    notification_preference_set(user=citizen, category="policy", channels=[], opted_out=True)
    policy = _matched_policy(subject_kind="person")
    report = policy_push_send_batch(policy_id=policy.pk)
    assert report.opted_out == 1 and report.sent == 0
    assert not Notification.objects.filter(recipient=citizen).exists()
    assert PolicyPush.objects.get(policy=policy).status == "opted_out"


@pytest.mark.django_db
def test_channel_choice_is_honoured_and_channels_without_address_dropped(citizen, person_profile):
    notification_preference_set(user=citizen, category="policy", channels=["sms", "email"])
    assert citizen.email == ""  # no email address: email is dropped, SMS stays
    policy = _matched_policy(subject_kind="person")
    policy_push_send_batch(policy_id=policy.pk)
    assert list(
        Notification.objects.filter(recipient=citizen).values_list("channel", flat=True)
    ) == ["sms"]


@pytest.mark.django_db
def test_subject_without_account_is_unreachable_until_they_register():
    profile = PersonProfileFactory()
    policy = _matched_policy(subject_kind="person")
    assert policy_push_send_batch(policy_id=policy.pk).unreachable == 1
    assert PolicyPush.objects.get(policy=policy).status == "unreachable"
    assert policy_pushes_requeue_reachable() == 0
    user = UserFactory(id_number=profile.id_number, role=Role.CITIZEN)
    assert policy_pushes_requeue_reachable() == 1
    assert policy_push_send_batch(policy_id=policy.pk).sent == 1
    assert Notification.objects.filter(recipient=user, channel="inbox").count() == 1


@pytest.mark.django_db
def test_every_agent_of_the_company_is_told(company, company_agent, company_profile):
    second = UserFactory(kind=User.Kind.COMPANY_AGENT, role=Role.COMPANY_AGENT)
    second.companies.add(company)
    policy = _matched_policy()
    report = policy_push_send_batch(policy_id=policy.pk)
    assert report.sent == 1 and PolicyPush.objects.get(policy=policy).recipients == 2
    assert Notification.objects.filter(channel="inbox", category="policy").count() == 2


@pytest.mark.django_db
def test_suspended_policy_holds_its_pushes_po5(company_agent, company_profile):
    policy = _matched_policy()
    policy.state = "suspended"
    policy.save()
    report = policy_push_send_batch(policy_id=policy.pk)
    assert report.policy_inactive and report.claimed == 0
    assert PolicyPush.objects.get(policy=policy).status == "queued"


@pytest.mark.django_db
def test_batches_are_paced_by_the_shared_rate_limit_po3(settings):
    settings.POLICY_PUSH_RATE_PER_MINUTE = 3
    for _ in range(5):
        UserFactory(role=Role.CITIZEN, id_number=PersonProfileFactory().id_number)
    PersonProfileFactory()  # matched but without an account: settled without using the budget
    policy = _matched_policy(subject_kind="person")
    first = policy_push_send_batch(policy_id=policy.pk, batch_size=3)
    second = policy_push_send_batch(policy_id=policy.pk, batch_size=3)
    third = policy_push_send_batch(policy_id=policy.pk, batch_size=3)
    assert (first.sent, second.sent, third.sent) == (3, 0, 0)
    assert second.rate_limited and third.rate_limited and third.more
    assert PolicyPush.objects.filter(policy=policy, status="queued").count() == 2
    assert PolicyPush.objects.filter(policy=policy, status="unreachable").count() == 1
    assert 0 < ratelimit.seconds_to_next_window() <= 61


def test_rate_limit_window_grants_what_is_left():
    ratelimit_now = 1_000_000_020.0
    assert ratelimit.acquire(5, per_minute=7, now=ratelimit_now) == 5
    assert ratelimit.acquire(5, per_minute=7, now=ratelimit_now) == 2
    assert ratelimit.acquire(5, per_minute=7, now=ratelimit_now) == 0
    assert ratelimit.acquire(5, per_minute=7, now=ratelimit_now + 60) == 5


# --- two workers at once (real threads, each with its own Postgres connection) -------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_push_twice_po3():
    for _ in range(40):
        UserFactory(role=Role.CITIZEN, id_number=PersonProfileFactory().id_number)
    policy = _matched_policy(subject_kind="person")

    def worker():
        total = 0
        while True:
            report = policy_push_send_batch(policy_id=policy.pk, batch_size=7)
            total += report.claimed
            if not report.claimed and not report.more:
                return total

    results = race(worker, worker)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 40
    assert PolicyPush.objects.filter(policy=policy, status="sent").count() == 40
    inbox = Notification.objects.filter(channel="inbox", category="policy")
    assert inbox.count() == 40
    assert inbox.values("recipient").distinct().count() == 40


@pytest.mark.django_db(transaction=True)
def test_two_matching_runs_at_once_make_one_match_and_one_push_each_po3():
    profiles = CompanyProfileFactory.create_batch(30)
    policy = PolicyFactory()
    results = race(
        lambda: policy_match(policy_id=policy.pk), lambda: policy_match(policy_id=policy.pk)
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert PolicyMatch.objects.filter(policy=policy).count() == len(profiles)
    assert PolicyPush.objects.filter(policy=policy).count() == len(profiles)
