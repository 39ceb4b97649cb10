"""Rate limits against floods and scraping (issue 16, hostile input).

Two mechanisms, both counted in the shared cache (Redis in production, so every web worker
and replica counts together):

* the web pages that cost the most per anonymous request — registration and catalogue
  search — use :func:`rate_limit`, a view decorator answering 429 with a Chinese page;
* the API uses DRF throttles (``apps.common.throttling``, the defaults in
  ``REST_FRAMEWORK``) answering 429 in the API's one error shape.

Rates read like DRF's ("30/hour", "120/min") and come from settings, overridable by
environment variables. Clients are told apart by address (keyed-hashed: no address is kept
in clear in the cache).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.common.pii import keyed_hash

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/hour"`` → ``(30, 3600)``: the number of requests and the window in seconds."""
    count, period = rate.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def client_key(request: HttpRequest) -> str:
    """Who is asking: the signed-in account, else the address (hashed)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "addr:" + keyed_hash(request.META.get("REMOTE_ADDR", ""))[:32]


def hit(*, scope: str, key: str, rate: str) -> tuple[bool, int]:
    """Count one request of ``key`` in ``scope``: (allowed, seconds until the window ends).

    A fixed window per period: the counter's key names the window, so it expires by itself
    and a burst across two windows gets at most twice the rate.
    """
    limit, period = parse_rate(rate)
    now = int(time.time())
    window = now // period
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    return count <= limit, (window + 1) * period - now


def rate_limit(
    scope: str, *, setting: str, methods: Iterable[str] = ("POST",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit a web view's ``methods`` to the rate in ``settings.<setting>`` per client; past
    it the client gets 429 with a Chinese page saying when to try again."""
    counted = frozenset(m.upper() for m in methods)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in counted:
                allowed, wait = hit(
                    scope=scope, key=client_key(request), rate=getattr(settings, setting)
                )
                if not allowed:
                    response = render(
                        request, "429.html", {"wait_minutes": max(1, -(-wait // 60))}, status=429
                    )
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
