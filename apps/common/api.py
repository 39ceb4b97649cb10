"""One error shape for the whole API.

``{"error": {"code": "...", "message": "...", "fields": {...}}}`` — ``message`` is Chinese
and meant for people; ``code`` is stable and meant for programs.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.common.errors import ApplicationError


def error_body(code: str, message: str, fields: Any = None) -> dict[str, Any]:
    """The one error shape, shared with the site-wide error handlers (``error_views``)."""
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _error(code: str, message: str, http_status: int, fields: Any = None) -> Response:
    return Response(error_body(code, message, fields), status=http_status)


def _specific_messages(detail: Any) -> list[str]:
    """Every distinct message in a DRF error tree, in order: the refusal's own reasons
    ("提交的是空文件。"), not a generic "the data is wrong" that hides them in ``fields``."""
    found: list[str] = []
    stack = [detail]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            stack[0:0] = list(node.values())
        elif isinstance(node, list | tuple):
            stack[0:0] = list(node)
        elif str(node) and str(node) not in found:
            found.append(str(node))
    return found


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return _error(exc.code, exc.message, exc.status_code, exc.extra or None)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else None
        return _error("invalid", "；".join(exc.messages), status.HTTP_400_BAD_REQUEST, fields)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        # A look-up by an id the client sent that found nothing is "not found", not a 500.
        exc = exceptions.NotFound(_("未找到。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("您没有执行此操作的权限。"))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        message = "；".join(_specific_messages(exc.detail)) or _("提交的数据有误，请检查后重试。")
        return _error("invalid", message, response.status_code, exc.detail)
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = getattr(getattr(exc, "detail", None), "code", None) or "error"
    shaped = _error(str(code), str(detail), response.status_code)
    for header in ("Retry-After", "WWW-Authenticate", "Allow"):  # what DRF told the client
        if header in response:
            shaped[header] = response[header]
    return shaped
