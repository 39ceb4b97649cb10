from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_page, never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog

from apps.common import health, hooks
from apps.common.accessibility import accessible_mode_for
from apps.common.context_processors import ACCESSIBILITY_COOKIE

# The strings of our JavaScript files (the ``djangojs`` catalogue in ``locale/``), in the
# language of the page that asks: ``{% url 'javascript-catalog' %}`` is ``/jsi18n/`` on a
# Chinese page and ``/en/jsi18n/`` on an English one. The same for everyone, so cached.
javascript_catalog = cache_page(60 * 60)(
    JavaScriptCatalog.as_view(domain="djangojs", packages=["apps.common"])
)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "down" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)


@require_POST
def accessibility_toggle(request: HttpRequest) -> HttpResponse:
    """适老化: large text and high contrast (DOMAIN Q1).

    The browser remembers the choice for a year; a signed-in user's choice is also stored on
    their account (through ``hooks.accessible_mode_savers``), so it follows them to any browser.
    """
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    enabled = not accessible_mode_for(request)
    if request.user.is_authenticated:
        for save in hooks.accessible_mode_savers:
            save(user=request.user, enabled=enabled)
    response.set_cookie(
        ACCESSIBILITY_COOKIE, "1" if enabled else "0", max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response
