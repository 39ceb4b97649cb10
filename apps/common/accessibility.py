"""适老化 mode (large text, high contrast) for a request (DOMAIN Q1; issue #17).

A signed-in user's stored choice wins on any browser; until they have chosen (and for
anonymous visitors) the browser's cookie decides. The choice is stored through
``hooks.accessible_mode_savers`` (``accounts`` registers its service there).
"""

from __future__ import annotations

from django.http import HttpRequest

from apps.common.context_processors import ACCESSIBILITY_COOKIE


def accessible_mode_for(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        stored = getattr(user, "accessible_mode", None)
        if stored is not None:
            return bool(stored)
    return request.COOKIES.get(ACCESSIBILITY_COOKIE) == "1"


def accessible_mode(request: HttpRequest) -> dict[str, object]:
    """Context processor, listed after ``context_processors.portal`` so that its value (which
    also honours the signed-in user's stored choice) is the one the templates see."""
    return {"accessible_mode": accessible_mode_for(request)}
