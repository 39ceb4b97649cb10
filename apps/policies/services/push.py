# ruff: noqa: S608  (SQL here formats in only quoted identifiers and Django-built SQL; values are parameters)
"""The push fan-out (DOMAIN PO3): tell each matched subject once, point to point.

A worker claims a batch of queued pushes with ``SELECT … FOR UPDATE SKIP LOCKED``, so
several workers share the queue without ever taking the same row; the batch's messages are
written with one ``INSERT … ON CONFLICT DO NOTHING`` per chunk (``notify_bulk``), each push
is marked in the same transaction, and email/SMS delivery starts after commit. A re-run, a
retried task or a second worker finds nothing queued, so nothing is sent twice; even then
the notifications' own dedupe key (push id + recipient) would refuse a second row.

The pace is set by a rate limit shared by every worker (:mod:`apps.policies.ratelimit`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Company, User
from apps.notifications.bulk import BulkMessage, notify_bulk
from apps.policies import ratelimit
from apps.policies.models import Fulfilment, Policy, PolicyMatch, PolicyPush, PushDelivery
from apps.policies.services import _base
from apps.policies.services.recipients import Recipient, recipients_for
from apps.policies.workflow import PushStatus


@dataclass
class PushBatch:
    claimed: int = 0
    sent: int = 0
    opted_out: int = 0
    unreachable: int = 0
    withdrawn: int = 0
    rate_limited: bool = False
    policy_inactive: bool = False
    more: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _lock_policy_shared(policy_id: int) -> Policy | None:
    """The policy, share-locked on Postgres so a halt waits for the batch in flight (PO5)
    while several push workers still run side by side."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {connection.ops.quote_name(Policy._meta.db_table)} "
                "WHERE id = %s FOR SHARE",
                [policy_id],
            )
    return Policy.objects.filter(pk=policy_id).first()


def _claim(policy_id: int, limit: int) -> list[PolicyPush]:
    return list(
        PolicyPush.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(policy_id=policy_id, status=PushStatus.QUEUED)
        .select_related("match__company", "match__person", "match__entitlement")
        # Matching a person to their account needs the hash, never the decrypted number.
        .defer("match__person__id_number")
        .order_by("id")[:limit]
    )


def message_for(policy: Policy, match: PolicyMatch) -> tuple[str, str]:
    """Title and body of the push: what the benefit is and what to do (PO3, PO4)."""
    title = _("政策推送：%(title)s") % {"title": policy.title}
    if policy.fulfilment == Fulfilment.AUTOMATIC:
        entitlement = getattr(match, "entitlement", None)
        body = _(
            "根据共享数据，您符合“%(title)s”的条件，无需申请即可享受（免申即享），"
            "告知书编号 %(notice)s。如不需要，可在“我的政策”中放弃。"
        ) % {"title": policy.title, "notice": entitlement.notice_number if entitlement else ""}
    else:
        body = _(
            "根据共享数据，您可能符合“%(title)s”的条件。可在“我的政策”一键申请，"
            "已有信息无需重复填写，有效期至 %(until)s。"
        ) % {"title": policy.title, "until": f"{policy.valid_until:%Y-%m-%d}"}
    return title, body


def _messages(
    policy: Policy, push: PolicyPush, recipients: list[Recipient], link: str
) -> list[BulkMessage]:
    title, body = message_for(policy, push.match)
    return [
        BulkMessage(
            recipient_id=r.user_id,
            channel=channel,
            title=title,
            body=body,
            link=link,
            category=_base.NOTIFICATION_CATEGORY,
            dedupe_key=f"policy-push:{push.pk}:{r.user_id}",
        )
        for r in recipients
        for channel in r.channels
    ]


def _settle(push: PolicyPush, recipients: list[Recipient] | None, now) -> str:
    if push.match.lapsed_at is not None:
        return PushStatus.WITHDRAWN
    if not recipients:
        return PushStatus.UNREACHABLE
    if not any(r.channels for r in recipients):
        return PushStatus.OPTED_OUT
    push.sent_at = now
    push.recipients = sum(1 for r in recipients if r.channels)
    return PushStatus.SENT  # provisionally: the rate budget may hold it back


def _take_slots(pushes: list[PolicyPush]) -> tuple[list[PolicyPush], bool]:
    """The pushes that will actually reach someone draw from the shared per-minute budget;
    those beyond it stay queued for the next window. Returns (allowed, limited)."""
    reaching = [p for p in pushes if p.status == PushStatus.SENT]
    if not reaching:
        return [], False
    granted = ratelimit.acquire(len(reaching), per_minute=settings.POLICY_PUSH_RATE_PER_MINUTE)
    return reaching[:granted], granted < len(reaching)


def policy_push_send_batch(
    *, policy_id: int, batch_size: int | None = None, today: datetime.date | None = None
) -> PushBatch:
    """Send up to one batch of a policy's queued pushes; say whether more are waiting.

    Pushes that can reach nobody (no account, opted out, lapsed) are settled without using
    the rate budget; the others take slots from it and wait for the next minute if short.
    """
    today = today or _base.today()
    now = timezone.now()
    report = PushBatch()
    with transaction.atomic():
        policy = _lock_policy_shared(policy_id)
        if policy is None or not policy.is_active_on(today):
            # Suspended or not in force: the pushes stay queued until it is again (PO5).
            return PushBatch(policy_inactive=True)
        pushes = _claim(policy_id, batch_size or settings.POLICY_PUSH_BATCH_SIZE)
        report.claimed = len(pushes)
        recipients = recipients_for([p.match for p in pushes])
        for push in pushes:
            push.status = _settle(push, recipients.get(push.match_id), now)
        allowed, report.rate_limited = _take_slots(pushes)
        allowed_ids = {push.pk for push in allowed}
        for push in pushes:
            if push.status == PushStatus.SENT and push.pk not in allowed_ids:
                push.status, push.sent_at, push.recipients = PushStatus.QUEUED, None, 0
            elif push.status != PushStatus.QUEUED:
                # The report has one counter per outcome, named as the status.
                setattr(report, push.status, getattr(report, push.status) + 1)
        _save_outcomes(pushes, now)
        _write_messages(policy, allowed, recipients)
        report.more = PolicyPush.objects.filter(
            policy_id=policy_id, status=PushStatus.QUEUED
        ).exists()
    return report


def _save_outcomes(pushes: list[PolicyPush], now) -> None:
    """One UPDATE per outcome (a batch has a handful), not one CASE per row."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for push in pushes:
        groups[(push.status, push.recipients)].append(push.pk)
    for (status, recipients), ids in groups.items():
        sent_at = now if status == PushStatus.SENT else None
        PolicyPush.objects.filter(pk__in=ids).update(
            status=status, recipients=recipients, sent_at=sent_at
        )


def _write_messages(policy: Policy, pushes: list[PolicyPush], recipients) -> None:
    link = reverse("policies:mine")
    messages = [
        (push.pk, message)
        for push in pushes
        for message in _messages(policy, push, recipients[push.match_id], link)
    ]
    push_of = {m.dedupe_key: push_id for push_id, m in messages}
    created = notify_bulk(m for _push_id, m in messages)
    PushDelivery.objects.bulk_create(
        PushDelivery(push_id=push_of[row.dedupe_key], notification_id=row.id) for row in created
    )


def policy_pushes_requeue_reachable(*, today: datetime.date | None = None) -> int:
    """Pushes that found no account are queued again once the subject has registered."""
    today = today or _base.today()
    people = User.objects.filter(is_active=True).exclude(id_number_hash="").values("id_number_hash")
    companies = Company.objects.filter(agents__is_active=True).values("credit_code")
    waiting = PolicyPush.objects.filter(
        status=PushStatus.UNREACHABLE, policy__in=Policy.objects.active_on(today).values("pk")
    )
    return waiting.filter(match__person__id_number_hash__in=people).update(
        status=PushStatus.QUEUED, queued_at=timezone.now()
    ) + waiting.filter(match__company__credit_code__in=companies).update(
        status=PushStatus.QUEUED, queued_at=timezone.now()
    )


def policy_pushes_requeue_for_user(
    *, user_id: int, today: datetime.date | None = None
) -> list[int]:
    """A person just registered: their pushes that found no account are queued again at once
    (not at the next sweep). Returns the policies that now have pushes waiting."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return []
    today = today or _base.today()
    mine = Q(match__company__credit_code__in=user.companies.values("credit_code"))
    if user.id_number_hash:
        mine |= Q(match__person__id_number_hash=user.id_number_hash)
    waiting = PolicyPush.objects.filter(
        mine,
        status=PushStatus.UNREACHABLE,
        policy__in=Policy.objects.active_on(today).values("pk"),
    )
    policy_ids = sorted(set(waiting.values_list("policy_id", flat=True)))
    waiting.update(status=PushStatus.QUEUED, queued_at=timezone.now())
    return policy_ids
