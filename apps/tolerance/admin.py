"""Tolerant acceptance in the staff console: the window's queue of outstanding supplies
(by deadline, scoped to the department, with filters), the supplements with their check,
and the pledges — all read-only here; every change goes through a service (the supplement
check is also an admin action, calling the same service as the console panel)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.accounts.selectors import scope_by_department
from apps.common.errors import ApplicationError
from apps.tolerance import services
from apps.tolerance.models import MaterialSupply, Pledge, Supplement
from apps.tolerance.workflow import OPEN_VALUES
from apps.workdays.calendar import working_days_between

READ_PERMISSIONS = ("applications.intake_application", "applications.view_all_applications")


class ToleranceReadOnlyAdmin(admin.ModelAdmin):
    department_field = "application__department"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return any(request.user.has_perm(p) for p in READ_PERMISSIONS)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        qs = super().get_queryset(request)
        return scope_by_department(qs, request.user, self.department_field)


def _console_link(application) -> str:
    url = reverse("admin:applications_application_change", args=[application.pk])
    return format_html('<a href="{}#tolerance">{}</a>', url, application.number)


class OutstandingFilter(admin.SimpleListFilter):
    title = _("是否待办")
    parameter_name = "outstanding"

    def lookups(self, request, model_admin):
        return [("yes", _("待补齐/待核验")), ("overdue", _("已过期限"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(state__in=OPEN_VALUES)
        if self.value() == "overdue":
            return queryset.filter(state__in=OPEN_VALUES, due_date__lt=timezone.localdate())
        return queryset


@admin.register(MaterialSupply)
class MaterialSupplyAdmin(ToleranceReadOnlyAdmin):
    list_display = ["application_link", "material", "department", "due_date", "days_left", "state"]
    list_filter = [
        OutstandingFilter,
        "state",
        ("application__department", admin.RelatedOnlyFieldListFilter),
        ("application__item", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["application__number"]
    ordering = ["due_date", "id"]
    list_select_related = ["application__department", "tolerated__guide_material"]

    @admin.display(description=_("办件"))
    def application_link(self, obj: MaterialSupply) -> str:
        return _console_link(obj.application)

    @admin.display(description=_("容缺材料"))
    def material(self, obj: MaterialSupply) -> str:
        return obj.tolerated.guide_material.name

    @admin.display(description=_("部门"))
    def department(self, obj: MaterialSupply) -> str:
        return obj.application.department.name

    @admin.display(description=_("剩余工作日"))
    def days_left(self, obj: MaterialSupply):
        if obj.state not in OPEN_VALUES:
            return "—"
        return working_days_between(timezone.localdate(), obj.due_date)


@admin.register(Supplement)
class SupplementAdmin(ToleranceReadOnlyAdmin):
    department_field = "supply__application__department"
    list_display = ["supply", "result", "reason", "created_at", "checked_by", "checked_at"]
    list_filter = ["result"]
    list_select_related = ["supply__tolerated__guide_material", "supply__application", "checked_by"]
    actions = ["accept_selected"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("applications.intake_application")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description=_("核验通过所选补交材料"))
    def accept_selected(self, request: HttpRequest, queryset) -> None:
        done = 0
        for supplement_id in queryset.values_list("pk", flat=True):
            try:
                services.supplement_accept(supplement_id=supplement_id, actor=request.user)
                done += 1
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        if done:
            self.message_user(request, _("已核验通过 %(n)d 份补交材料。") % {"n": done})


@admin.register(Pledge)
class PledgeAdmin(ToleranceReadOnlyAdmin):
    list_display = ["application", "signer_name", "channel", "signed_at", "witnessed_by"]
    list_filter = ["channel"]
    search_fields = ["application__number"]
    list_select_related = ["application", "witnessed_by"]
    readonly_fields = [
        "application",
        "channel",
        "text",
        "text_sha256",
        "signer_name",
        "signed_by",
        "signed_at",
        "ip_address",
        "witnessed_by",
        "document",
    ]
    exclude = ["scan", "material_ids"]
