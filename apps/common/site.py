"""The portal's public address, for links that leave the page: the QR code and the
verification link printed on documents, links in e-mails.

``SITE_URL`` when it is set; otherwise the address the portal is being served on, taken
from the request being handled (its host is one ``ALLOWED_HOSTS`` accepts), so ``make
run`` on any port prints working QR codes. Work done outside a request (a worker, a
command) with no ``SITE_URL`` falls back to :data:`LOCAL_URL`; documents avoid that by
storing the address at issue time, which nearly always happens in a request.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

LOCAL_URL = "http://127.0.0.1:8000"

_request_origin: ContextVar[str] = ContextVar("request_origin", default="")


def public_base_url() -> str:
    """``https://zwfw.example.gov.cn`` (no trailing slash)."""
    return (settings.SITE_URL or _request_origin.get() or LOCAL_URL).rstrip("/")


class RequestOriginMiddleware:
    """Remember the origin (scheme, host and port) of the request being handled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            origin = ""
        token = _request_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)
