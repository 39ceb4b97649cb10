"""/open311/v2/: GeoReport v2 (format by suffix: .json or .xml)."""

from django.urls import re_path

from apps.hotline.open311 import views

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + FMT, views.services_list, name="open311-services"),
    re_path(
        r"^services/(?P<code>[^/]{1,64})" + FMT, views.service_definition, name="open311-service"
    ),
    re_path(r"^requests" + FMT, views.requests_view, name="open311-requests"),
    re_path(
        r"^requests/(?P<request_id>[^/]{1,64})" + FMT, views.request_detail, name="open311-request"
    ),
    re_path(r"^tokens/(?P<token>[^/]{1,64})" + FMT, views.token_detail, name="open311-token"),
]
