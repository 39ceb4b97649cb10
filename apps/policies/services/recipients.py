"""Whom to tell about a match, over which channels (DOMAIN PO3, A14).

A person profile reaches the account holding the same ID-number hash; a company profile
reaches every active agent of the company with that 统一社会信用代码. Each recipient's
channel choices and opt-out are honoured, and a channel without an address (no email, no
phone) is dropped. Two or three queries per batch, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from apps.accounts.models import Company, User
from apps.notifications.models import Notification
from apps.notifications.preferences import channels_for_users
from apps.policies.models import PolicyMatch
from apps.policies.services._base import NOTIFICATION_CATEGORY

PROPOSED_CHANNELS = (
    Notification.Channel.INBOX,
    Notification.Channel.SMS,
    Notification.Channel.EMAIL,
)


@dataclass(frozen=True)
class Recipient:
    user_id: int
    channels: tuple[str, ...]  # empty: the person opted out (or has no address at all)


def _accounts(matches: Iterable[PolicyMatch]) -> dict[int, list[tuple[int, bool, bool]]]:
    """match id → [(user id, has email, has phone)] of the accounts behind its subject."""
    by_hash: dict[str, list[int]] = {}
    by_code: dict[str, list[int]] = {}
    for match in matches:
        if match.person is not None:
            by_hash.setdefault(match.person.id_number_hash, []).append(match.pk)
        elif match.company is not None:
            by_code.setdefault(match.company.credit_code, []).append(match.pk)
    accounts: dict[int, list[tuple[int, bool, bool]]] = {}
    if by_hash:
        people = User.objects.filter(is_active=True, id_number_hash__in=list(by_hash)).exclude(
            kind=User.Kind.STAFF
        )
        for pk, digest, email, phone_hash in people.values_list(
            "pk", "id_number_hash", "email", "phone_hash"
        ):
            for match_id in by_hash[digest]:
                accounts.setdefault(match_id, []).append((pk, bool(email), bool(phone_hash)))
    if by_code:
        agents = Company.agents.through.objects.filter(
            company__credit_code__in=list(by_code), user__is_active=True
        ).values_list("user_id", "company__credit_code", "user__email", "user__phone_hash")
        for pk, code, email, phone_hash in agents:
            for match_id in by_code[code]:
                accounts.setdefault(match_id, []).append((pk, bool(email), bool(phone_hash)))
    return accounts


def recipients_for(matches: list[PolicyMatch]) -> dict[int, list[Recipient]]:
    """match id → its recipients with the channels each accepts (missing: no account)."""
    accounts = _accounts(matches)
    user_ids = {pk for rows in accounts.values() for pk, _e, _p in rows}
    accepted = channels_for_users(
        user_ids=user_ids, category=NOTIFICATION_CATEGORY, proposed=PROPOSED_CHANNELS
    )
    result: dict[int, list[Recipient]] = {}
    for match_id, rows in accounts.items():
        for pk, has_email, has_phone in rows:
            channels = tuple(
                c
                for c in accepted[pk]
                if (c != Notification.Channel.EMAIL or has_email)
                and (c != Notification.Channel.SMS or has_phone)
            )
            result.setdefault(match_id, []).append(Recipient(pk, channels))
    return result
