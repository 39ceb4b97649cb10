"""Reminders before a matched 申请兑现 policy expires unclaimed (DOMAIN PO3, A14).

Once per match: ``reminded_at`` is set in the transaction that writes the messages, and the
batch is claimed with ``SKIP LOCKED`` over the partial index of matches still owed one, so
a re-run or a second worker reminds nobody twice. Channel choices and opt-out are honoured.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications.bulk import BulkMessage, notify_bulk
from apps.policies.models import Fulfilment, Policy, PolicyClaim, PolicyMatch
from apps.policies.services import _base
from apps.policies.services.recipients import recipients_for


def _batch(policy: Policy, batch_size: int) -> int:
    """Remind one batch of the policy's unclaimed matches; return how many were claimed."""
    link = reverse("policies:mine")
    with transaction.atomic():
        matches = list(
            PolicyMatch.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(policy=policy, reminded_at__isnull=True, lapsed_at__isnull=True)
            .exclude(pk__in=PolicyClaim.objects.filter(policy=policy).values("match_id"))
            .select_related("company", "person")
            .order_by("id")[:batch_size]
        )
        if not matches:
            return 0
        recipients = recipients_for(matches)
        title = _("政策即将到期：%(title)s") % {"title": policy.title}
        body = _(
            "您符合条件的“%(title)s”将于 %(until)s 到期，尚未申请，可在“我的政策”一键申请。"
        ) % {
            "title": policy.title,
            "until": f"{policy.valid_until:%Y-%m-%d}",
        }
        notify_bulk(
            BulkMessage(
                recipient_id=r.user_id,
                channel=channel,
                title=title,
                body=body,
                link=link,
                category=_base.NOTIFICATION_CATEGORY,
                dedupe_key=f"policy-remind:{m.pk}:{r.user_id}",
            )
            for m in matches
            for r in recipients.get(m.pk, [])
            for channel in r.channels
        )
        PolicyMatch.objects.filter(pk__in=[m.pk for m in matches]).update(
            reminded_at=timezone.now()
        )
    return len(matches)


def policy_expiry_reminders(*, today: datetime.date | None = None, batch_size: int = 500) -> int:
    """Remind every unclaimed match of 申请兑现 policies expiring within the set days."""
    today = today or _base.today()
    horizon = today + datetime.timedelta(days=settings.POLICY_EXPIRY_REMINDER_DAYS)
    policies = Policy.objects.active_on(today).filter(
        fulfilment=Fulfilment.APPLICATION, valid_until__lte=horizon
    )
    reminded = 0
    for policy in policies.order_by("pk"):
        while count := _batch(policy, batch_size):
            reminded += count
    return reminded
