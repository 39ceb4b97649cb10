from __future__ import annotations

from django.http import HttpRequest

from apps.notifications.selectors import inbox_unread_count


def inbox(request: HttpRequest) -> dict[str, int]:
    """``inbox_unread`` for the header badge: one COUNT query, signed-in people only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    return {"inbox_unread": inbox_unread_count(user=user)}
