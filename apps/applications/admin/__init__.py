"""Read-only view of applications for staff and supervisors, scoped by department.

State changes happen through the services (API and, later, the staff pages), never by
editing a row here: the admin has no add, change or delete.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from apps.accounts.selectors import scope_by_department
from apps.applications.models import Application, TimelineEvent


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    fields = ["created_at", "kind", "from_state", "to_state", "actor", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


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
    inlines = [TimelineInline]
    exclude = ["idempotency_key"]

    def get_queryset(self, request: HttpRequest):
        return scope_by_department(super().get_queryset(request), request.user)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "idempotency_key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
