from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.notifications.badge import unread_badge_count


def inbox(request: HttpRequest) -> dict[str, object]:
    """``inbox_unread`` for the header badge, signed-in people only: counted when a page
    shows it (staff console pages do not), from the cache while the inbox is unchanged."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    return {"inbox_unread": SimpleLazyObject(lambda: unread_badge_count(user=user))}
