from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

ACCESSIBILITY_COOKIE = "a11y"


def portal(request: HttpRequest) -> dict[str, object]:
    """Site-wide values for the shell: portal name, hotline, 适老化 mode."""
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "HOTLINE_NUMBER": settings.HOTLINE_NUMBER,
        "accessible_mode": request.COOKIES.get(ACCESSIBILITY_COOKIE) == "1",
    }
