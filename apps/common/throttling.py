"""The API's default throttles for anonymous clients (issue 16; see ``apps.common.ratelimit``).

Loaded by DRF from ``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]`` while ``rest_framework.views``
is being imported: this module must not import that module at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _ScopedAnonThrottle(AnonRateThrottle):
    """An anonymous client's requests of some methods, at the rate named by ``scope`` in
    ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, read per request (settings may change)."""

    methods: frozenset[str] = frozenset()

    def __init__(self) -> None:  # DRF reads the rate at construction; keep it late
        pass

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method not in self.methods:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonReadThrottle(_ScopedAnonThrottle):
    scope = "anon_read"
    methods = SAFE_METHODS


class AnonWriteThrottle(_ScopedAnonThrottle):
    scope = "anon_write"
    methods = frozenset({"POST", "PUT", "PATCH", "DELETE"})
