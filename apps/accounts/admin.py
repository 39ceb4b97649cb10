"""Back-office screens for departments, halls, companies and users (DOMAIN A1, A2, A17).

Personal numbers are never put into a form in clear: lists and change forms show them
masked; a new number can be typed in; the full value is shown only through the audited
"查看完整信息" view, which calls :func:`apps.accounts.services.personal_data_reveal`.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts import services
from apps.accounts.forms import IdNumberField, PhoneField, RevealForm
from apps.accounts.models import (
    Company,
    Department,
    PersonalDataAccess,
    ServiceCenter,
    ServiceWindow,
    User,
)
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.pii import keyed_hash


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "short_name", "level", "parent", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "short_name", "name_en")
    autocomplete_fields = ("parent",)
    ordering = ("code",)


class ServiceWindowInline(admin.TabularInline):
    model = ServiceWindow
    extra = 0
    fields = ("number", "name", "is_comprehensive", "departments")
    filter_horizontal = ("departments",)


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "parent", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("code", "name", "address")
    filter_horizontal = ("departments",)
    autocomplete_fields = ("parent",)
    inlines = [ServiceWindowInline]


@admin.register(ServiceWindow)
class ServiceWindowAdmin(admin.ModelAdmin):
    list_display = ("__str__", "center", "number", "name", "is_comprehensive")
    list_filter = ("is_comprehensive", "center")
    search_fields = ("name", "number", "center__name")
    filter_horizontal = ("departments",)
    list_select_related = ("center",)


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "legal_representative")
    search_fields = ("name", "credit_code")


# --- users -------------------------------------------------------------------------------


class PersonalNumbersFormMixin(forms.Form):
    """Two write-only inputs: blank keeps the stored value, which is never put in the form."""

    new_phone = PhoneField(label=_lazy("新手机号码"), required=False)
    new_id_number = IdNumberField(label=_lazy("新身份证号码"), required=False)

    def _service_clean(self, check, field: str) -> str:
        value = self.cleaned_data.get(field) or ""
        if not value:
            return ""
        try:
            return check(value, exclude_user=self.instance if self.instance.pk else None)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def clean_new_phone(self) -> str:
        return self._service_clean(services.phone_clean, "new_phone")

    def clean_new_id_number(self) -> str:
        return self._service_clean(services.id_number_clean, "new_id_number")


class UserAdminChangeForm(PersonalNumbersFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = (
            "username",
            "password",
            "full_name",
            "kind",
            "email",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "departments",
            "companies",
        )


class UserAdminCreationForm(PersonalNumbersFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "kind")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = (
        "username",
        "full_name",
        "kind",
        "phone_masked",
        "id_number_masked",
        "is_active",
        "is_staff",
    )
    list_filter = ("kind", "is_active", "is_staff", "groups", "departments")
    search_fields = ("username", "full_name")
    ordering = ("-date_joined",)
    readonly_fields = ("phone_masked", "id_number_masked", "reveal_link", "last_login")
    filter_horizontal = ("groups", "user_permissions", "departments", "companies")
    fieldsets = (
        (None, {"fields": ("username", "password", "full_name", "kind", "email")}),
        (
            _lazy("个人信息（脱敏显示）"),
            {
                "fields": (
                    ("phone_masked", "id_number_masked"),
                    "reveal_link",
                    ("new_phone", "new_id_number"),
                )
            },
        ),
        (_lazy("部门与法人"), {"fields": ("departments", "companies")}),
        (
            _lazy("权限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_lazy("登录记录"), {"fields": ("last_login",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "kind",
                    "new_phone",
                    "new_id_number",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(description=_lazy("手机号码"))
    def phone_masked(self, obj: User) -> str:
        return obj.masked_phone or "-"

    @admin.display(description=_lazy("身份证号码"))
    def id_number_masked(self, obj: User) -> str:
        return obj.masked_id_number or "-"

    @admin.display(description=_lazy("完整信息"))
    def reveal_link(self, obj: User) -> str:
        if not obj.pk or not (obj.phone or obj.id_number):
            return "-"
        url = reverse("admin:accounts_user_reveal", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("查看完整信息"))

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        hidden = set()
        if not self.has_change_permission(request, obj):
            hidden.add(("new_phone", "new_id_number"))
        if not request.user.has_perm(services.REVEAL_PERMISSION):
            hidden.add("reveal_link")
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]

    def get_search_results(self, request, queryset, search_term):
        # Exact phone or ID number: found through the keyed hash, never by scanning clear text.
        term = re.sub(r"\s", "", search_term or "").upper()
        if re.fullmatch(r"1[3-9]\d{9}", term):
            return queryset.filter(phone_hash=keyed_hash(term)), False
        if re.fullmatch(r"\d{17}[\dX]", term):
            return queryset.filter(id_number_hash=keyed_hash(term)), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        phone = form.cleaned_data.get("new_phone") or None
        id_number = form.cleaned_data.get("new_id_number") or None
        if phone or id_number:
            services.user_personal_numbers_set(user=obj, phone=phone, id_number=id_number)

    def get_urls(self):
        urls = super().get_urls()
        reveal = path(
            "<int:object_id>/reveal/",
            self.admin_site.admin_view(self.reveal_view),
            name="accounts_user_reveal",
        )
        return [reveal, *urls]

    def reveal_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """查看完整信息: shows one full number once, after recording who, whom and why.

        ``admin_view`` already adds never_cache; ``no-store`` also keeps it out of disk caches.
        """
        subject = get_object_or_404(User, pk=object_id)
        if not self.has_view_permission(request, subject):
            raise PermissionDenied
        if not request.user.has_perm(services.REVEAL_PERMISSION):
            raise PermissionDenied
        form = RevealForm(request.POST or None)
        revealed = None
        if request.method == "POST" and form.is_valid():
            try:
                revealed = services.personal_data_reveal(
                    viewer=request.user,
                    subject=subject,
                    field=form.cleaned_data["field"],
                    purpose=form.cleaned_data["purpose"],
                )
            except PermissionDeniedError:
                raise PermissionDenied from None
            except ApplicationError as exc:
                field = exc.extra.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.info(request, _("本次查看已记录。"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("查看完整信息：%(name)s") % {"name": subject},
            "opts": self.opts,
            "original": subject,
            "subject": subject,
            "form": form,
            "revealed": revealed,
            "revealed_label": dict(PersonalDataAccess.Field.choices).get(
                form.cleaned_data.get("field") if revealed else ""
            ),
        }
        response = TemplateResponse(request, "accounts/admin_reveal.html", context)
        response["Cache-Control"] = "no-store"
        return response


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only trail of full-number views, for supervisors (DOMAIN A17)."""

    list_display = ("created_at", "viewer", "subject", "field", "purpose")
    list_filter = ("field", "created_at")
    search_fields = ("viewer__username", "viewer__full_name", "purpose")
    list_select_related = ("viewer", "subject")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
