"""The project's URLs plus a trivial view: the floor any request pays (middleware, routing)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from govservice.urls import urlpatterns as project_urlpatterns

TRIVIAL_PATH = "/__bench__/trivial"


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(TRIVIAL_PATH.lstrip("/"), trivial), *project_urlpatterns]
