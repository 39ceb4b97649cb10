"""The staff console in the admin (issue #4): queues, the application page with its action
forms, walk-in entry (A13) and electronic supervision (A15).

Department scoping comes from the selectors; every change goes through one service. The
admin's own add/change/delete stay off: nobody edits an application row by hand.

URLs (all under ``/admin/applications/application/``):

* ``queue/?tab=new|due_soon|overdue|corrections_returned|all`` — 办件工作台
* ``<id>/change/`` — the application page (details, timeline, clock, action forms)
* ``<id>/action/<name>/`` — POST one action (see :mod:`.actions`)
* ``window-create/`` — 窗口代办新建
* ``supervision/`` — 电子监察 (supervisors and system administrators)
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from apps.accounts.selectors import scope_by_department
from apps.applications.admin import views
from apps.applications.models import Application


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "item",
        "department",
        "applicant_name",
        "channel",
        "state",
        "due_date",
        "warning_level",
        "submitted_at",
    ]
    list_filter = ["state", "channel", "warning_level", "deemed_accepted"]
    search_fields = ["=number", "item__name"]
    list_select_related = ["item", "department"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    change_list_template = "admin/applications/application/change_list.html"

    def get_queryset(self, request: HttpRequest):
        return scope_by_department(super().get_queryset(request), request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        custom = [
            path("queue/", view(self.queue_view), name="applications_application_queue"),
            path(
                "supervision/",
                view(self.supervision_view),
                name="applications_application_supervision",
            ),
            path(
                "window-create/",
                view(self.window_create_view),
                name="applications_application_window_create",
            ),
            path(
                "<int:object_id>/action/<slug:action>/",
                view(require_POST(self.action_view)),
                name="applications_application_action",
            ),
        ]
        return custom + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {**(extra_context or {}), **views.console_links(request)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        """The application page replaces the read-only change form."""
        return views.detail_view(self, request, object_id)

    def queue_view(self, request: HttpRequest):
        return views.queue_view(self, request)

    def supervision_view(self, request: HttpRequest):
        return views.supervision_view(self, request)

    def window_create_view(self, request: HttpRequest):
        return views.window_create_view(self, request)

    def action_view(self, request: HttpRequest, object_id: int, action: str):
        return views.action_view(self, request, object_id, action)

    def detail_url(self, application_id: int) -> str:
        return reverse("admin:applications_application_change", args=[application_id])
