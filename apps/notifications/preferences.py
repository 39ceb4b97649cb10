"""Each person's channels per message category, and opt-out (DOMAIN A14; PIPL §44).

Mass senders (the policy push) ask :func:`channels_for_users` which of the channels they
propose each recipient accepts; one query however many recipients.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.notifications.models import Notification, NotificationPreference

Channel = Notification.Channel


def notification_preference_get(*, user: User, category: str) -> NotificationPreference:
    """The person's stored choice, or the default (every channel, not opted out), unsaved."""
    found = NotificationPreference.objects.filter(user=user, category=category).first()
    return found or NotificationPreference(user=user, category=category)


def notification_preference_set(
    *, user: User, category: str, channels: Iterable[str], opted_out: bool = False
) -> NotificationPreference:
    """Record which channels ``user`` accepts for ``category``, or that they opt out."""
    if not user.is_authenticated or not user.is_active:
        raise ApplicationError(_("请先登录。"), code="not_authenticated")
    chosen = set(channels)
    unknown = chosen - set(Channel.values)
    if unknown:
        raise ApplicationError(_("接收渠道无效。"), code="invalid_channel")
    if not chosen and not opted_out:
        raise ApplicationError(
            _("请至少选择一个接收渠道，或选择不再接收。"), code="no_channel_chosen"
        )
    target = {**{c: c in chosen for c in Channel.values}, "opted_out": opted_out}
    with transaction.atomic():
        preference, created = NotificationPreference.objects.select_for_update().get_or_create(
            user=user, category=category, defaults=target
        )
        changed = [] if created else [n for n, v in target.items() if getattr(preference, n) != v]
        for name in changed:
            setattr(preference, name, target[name])
        if changed:
            preference.save(update_fields=[*changed, "updated_at"])
    return preference


def channels_for_users(
    *, user_ids: Iterable[int], category: str, proposed: Iterable[str]
) -> dict[int, tuple[str, ...]]:
    """For each user id: the proposed channels they accept (empty when opted out)."""
    proposed = tuple(c for c in Channel.values if c in set(proposed))
    ids = list(user_ids)
    result = {pk: proposed for pk in ids}
    for preference in NotificationPreference.objects.filter(user_id__in=ids, category=category):
        accepted = set(preference.channels())
        result[preference.user_id] = tuple(c for c in proposed if c in accepted)
    return result
