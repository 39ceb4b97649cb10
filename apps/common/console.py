"""The admin frame of the staff console's own pages, without the app list (issue 16).

``AdminSite.each_context`` builds the whole app list (every registered model, a permission
check and URLs for each) on every page, for the nav sidebar; on the console's own pages
(办件工作台, the application page, 电子监察) that was a third of the page's CPU. These pages
carry their own navigation (the console links, tabs and breadcrumbs back to 首页, whose
app list is complete), so they turn the sidebar off and skip building the list. The skip
link to the main content stays (Django's ``admin/base.html``).
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.http import HttpRequest


def console_frame_context(site: AdminSite, request: HttpRequest) -> dict:
    """``site.each_context(request)`` with no app list and the nav sidebar off."""
    script_name = request.META.get("SCRIPT_NAME", "")
    return {
        "site_title": site.site_title,
        "site_header": site.site_header,
        "site_url": script_name if site.site_url == "/" and script_name else site.site_url,
        "has_permission": site.has_permission(request),
        "available_apps": [],
        "is_popup": False,
        "is_nav_sidebar_enabled": False,
        "log_entries": site.get_log_entries(request),
    }
