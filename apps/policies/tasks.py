"""Thin Celery tasks: take ids, call one service, hand the next step on (DOMAIN PO3).

Every task is idempotent: matching and pushes are written with ``ON CONFLICT DO NOTHING``
over unique rows, pushes are claimed with ``SKIP LOCKED``, reminders carry a sent mark.
Running a task twice, retrying it, or two workers running it at once sends nothing twice.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from apps.policies import ratelimit, selectors, services
from apps.policies.models import ProfileImport

_RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "max_retries": 3,
}


@shared_task(**_RETRY, soft_time_limit=600, time_limit=660)
def match_policy(policy_id: int) -> dict | None:
    """Match one policy over every profile, then start its push."""
    report = services.policy_match(policy_id=policy_id)
    if report is not None and report.pushes_queued:
        send_policy_pushes.delay(policy_id)
    return report.as_dict() if report else None


@shared_task(**_RETRY, soft_time_limit=600, time_limit=660)
def rematch_import(import_id: int) -> int:
    """Match the profiles one import changed over every active policy; returns new matches."""
    record = ProfileImport.objects.filter(pk=import_id).first()
    if record is None or record.status != ProfileImport.Status.SUCCEEDED:
        return 0
    reports = services.import_rematch(import_id=import_id, kind=record.kind)
    for report in reports:
        if report.pushes_queued:
            send_policy_pushes.delay(report.policy_id)
    return sum(r.matched for r in reports)


@shared_task(bind=True, **_RETRY)
def send_policy_pushes(self, policy_id: int) -> dict:
    """One batch of a policy's pushes; re-queues itself while more wait (paced by the
    shared rate limit)."""
    batch = services.policy_push_send_batch(policy_id=policy_id)
    if batch.rate_limited:
        self.apply_async((policy_id,), countdown=ratelimit.seconds_to_next_window())
    elif batch.more:
        self.apply_async((policy_id,))
    return batch.as_dict()


# An import's rematch task is normally done within seconds; one still not done after this
# long was lost (broker down at commit, worker killed) and is queued again.
REMATCH_LOST_AFTER = datetime.timedelta(minutes=10)


@shared_task(acks_late=True)
def sweep_policies() -> int:
    """The outbox sweep: pushes whose chain was lost, pushes to subjects who have registered
    since, imports whose rematch was lost. Returns how many tasks it queued."""
    services.policy_pushes_requeue_reachable()
    policy_ids = selectors.policy_ids_with_queued_pushes()
    for policy_id in policy_ids:
        send_policy_pushes.delay(policy_id)
    import_ids = selectors.import_ids_awaiting_rematch(
        older_than=timezone.now() - REMATCH_LOST_AFTER
    )
    for import_id in import_ids:
        rematch_import.delay(import_id)
    return len(policy_ids) + len(import_ids)


@shared_task(**_RETRY)
def expire_policies() -> int:
    return services.policies_expire_due()


@shared_task(acks_late=True)
def match_policies_in_force() -> int:
    """Policies whose validity has begun and that were never matched."""
    policy_ids = selectors.policy_ids_due_for_matching()
    for policy_id in policy_ids:
        match_policy.delay(policy_id)
    return len(policy_ids)


@shared_task(**_RETRY, soft_time_limit=600, time_limit=660)
def remind_expiring_policies() -> int:
    return services.policy_expiry_reminders()


@shared_task(acks_late=True)
def policies_daily() -> None:
    """The nightly round (beat): expire, start what came into force, remind."""
    expire_policies.delay()
    match_policies_in_force.delay()
    remind_expiring_policies.delay()
