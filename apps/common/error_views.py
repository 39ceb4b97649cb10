"""Error responses for the whole site: JSON under ``/api/``, the Chinese error page elsewhere.

Wired as ``handler400/403/404/500`` in ``govservice/urls.py``. Inside the API, DRF's views
already answer through ``apps.common.api.exception_handler``; these cover what never reaches
a DRF view (an unknown API path, a guard in a middleware, an uncaught error, a database that
is down), so an API client never gets an HTML page.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from apps.common.api import error_body

API_PREFIX = "/api/"
# A database or connection that is down or too slow: "try again shortly", not a bug.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def json_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(
        error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False}
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return json_error("bad_request", _("请求格式有误。"), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return json_error("permission_denied", _("您没有执行此操作的权限。"), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return json_error("not_found", _("未找到。"), 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database is unreachable. Django calls this while handling the
    exception, so ``sys.exc_info()`` names it. The page is static: the database may be down."""
    unavailable = isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS)
    status = 503 if unavailable else 500
    if is_api_request(request):
        code, message = (
            ("service_unavailable", _("系统暂时无法处理请求，请稍后再试。"))
            if unavailable
            else ("server_error", _("系统内部错误，我们已记录此问题。"))
        )
        response: HttpResponse = json_error(code, message, status)
    else:
        response = HttpResponse(loader.get_template("500.html").render(), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF refusals in Chinese: on the web an expired form is the usual cause."""
    if is_api_request(request):
        return json_error("csrf_failed", _("安全校验未通过，请刷新页面后重试。"), 403)
    return render(request, "403_csrf.html", status=403)
