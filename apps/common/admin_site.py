"""The portal's admin site: Django's, with each request's app list built once (issue 16).

Django's index builds the list of every registered model (four permission checks and two
URLs each) for its own table and again for ``each_context``'s ``available_apps``, which
the index does not show; on the page staff land on after signing in that was a quarter of
its CPU. Here the list is built once per request and given to both: the same list, the same
page. Installed in place of ``django.contrib.admin`` (``PortalAdminConfig``), so
``admin.site`` and ``@admin.register`` are this site.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

_APP_LISTS = "_admin_app_lists"


class PortalAdminSite(AdminSite):
    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list:
        built = request.__dict__.setdefault(_APP_LISTS, {})
        if app_label not in built:
            built[app_label] = super().get_app_list(request, app_label)
        return built[app_label]


class PortalAdminConfig(AdminConfig):
    default_site = "apps.common.admin_site.PortalAdminSite"
