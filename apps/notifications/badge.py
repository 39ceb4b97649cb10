"""The header's unread badge, kept per person in the shared cache (issue 16).

Every signed-in page shows the count of unread inbox messages; counting them was a query on
every page. The count is now kept in Redis under the person's id. A write to one of their
inbox rows calls :func:`forget_unread_counts`: the inbox rows' ``post_save``/``post_delete``
listener (``apps.notifications.receivers``: a message created, one read) and the writes that
send no signal (``notifications_mark_all_read``'s ``UPDATE``, ``notify_bulk``'s ``INSERT``).

Forgetting does not delete the count: it marks it :data:`STALE` for :data:`STALE_SECONDS`.
While the mark stands every page counts afresh and keeps nothing (``cache.add`` refuses to
replace the mark), so a page that counted the rows of before the write's commit cannot keep
that count past the commit. Once the write commits, :func:`settle_unread_badges` sets the
mark again for :data:`SETTLE_SECONDS` only, long enough for a page that counted before the
commit to be done: the next page after that keeps the count again (issue 16: for a minute
after each message, every page its recipient opened counted again, a query and ~0.5 ms of
CPU each, right when a citizen who has just applied opens page after page). A rolled-back
write costs a minute of counting, nothing else; each later commit marks anew.
:data:`TTL` bounds what a write outside those paths (a raw SQL fix) leaves. The count is not
personal data (no name, number or message text).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from apps.accounts.models import User
from apps.notifications.selectors import inbox_unread_count

logger = logging.getLogger(__name__)

KEY = "notifications:unread:{}"
TTL = 300  # seconds a count is kept
STALE = "stale"
# Longer than any transaction that writes inbox rows (web requests: the 30 s statement
# timeout; the batch tasks commit every few hundred rows).
STALE_SECONDS = 60
# After the commit: a page's count and its ``cache.add`` are one request apart at most.
SETTLE_SECONDS = 2


def unread_badge_count(*, user: User) -> int:
    """``inbox_unread_count`` for ``user``, from the cache while none of their inbox rows
    has changed."""
    key = KEY.format(user.pk)
    try:
        kept = cache.get(key)
    except Exception:  # Redis unreachable: count, as without the cache
        logger.warning("Cache unreachable: counting unread messages")
        return inbox_unread_count(user=user)
    if isinstance(kept, int):
        return kept
    count = inbox_unread_count(user=user)
    if kept is None:
        try:
            cache.add(key, count, TTL)  # not over a STALE mark set meanwhile
        except Exception:
            logger.warning("Cache unreachable: the unread count was not kept")
    return count


def forget_unread_counts(user_ids: Iterable[int]) -> None:
    """The inbox of these people is being changed: their pages count again until the change
    has surely committed."""
    keys = [KEY.format(pk) for pk in sorted(set(user_ids))]
    if not keys:
        return
    _mark_stale(keys, STALE_SECONDS)

    def settle_unread_badges() -> None:
        _mark_stale(keys, SETTLE_SECONDS)

    transaction.on_commit(settle_unread_badges)


def _mark_stale(keys: list[str], seconds: int) -> None:
    try:
        cache.set_many(dict.fromkeys(keys, STALE), seconds)
    except Exception:
        logger.warning(
            "Cache unreachable: %d unread counts may be stale for up to %d s", len(keys), TTL
        )
