from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

ACCESSIBILITY_COOKIE = "a11y"


def accessible_mode_for(request: HttpRequest) -> bool:
    """适老化 mode for this request (DOMAIN Q1).

    A signed-in user's stored choice wins on any browser; until they have chosen (and for
    anonymous visitors) the browser's cookie decides.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        stored = getattr(user, "accessible_mode", None)
        if stored is not None:
            return bool(stored)
    return request.COOKIES.get(ACCESSIBILITY_COOKIE) == "1"


def portal(request: HttpRequest) -> dict[str, object]:
    """Site-wide values for the shell: portal name, hotline, 适老化 mode."""
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "HOTLINE_NUMBER": settings.HOTLINE_NUMBER,
        "accessible_mode": accessible_mode_for(request),
    }
