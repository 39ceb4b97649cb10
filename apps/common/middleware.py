"""Request guards that hold for every view, web and API alike."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

NUL = "\x00"


class RejectNulBytesMiddleware:
    """A NUL byte in the path is a page that cannot exist (404); in a query parameter, a
    malformed request (400). PostgreSQL refuses NUL in text, so without this every view that
    looks a code or a search up answered 500. Runs before anything reads the database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info:
            raise Http404(_("页面不存在。"))
        for key, values in request.GET.lists():
            if NUL in key or any(NUL in value for value in values):
                raise BadRequest(_("请求参数中含有不允许的字符。"))
        return self.get_response(request)
