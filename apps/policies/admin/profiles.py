"""Staff screens for shared data: profiles (masked; every look logged with its purpose,
DOMAIN A17), imports (all or nothing) and the trail of looks."""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.pii import keyed_hash, mask_name
from apps.policies import services
from apps.policies.admin.forms import ImportForm, PurposeForm
from apps.policies.models import CompanyProfile, PersonProfile, ProfileAccess, ProfileImport

TEMPLATE = "admin/policies/{}.html"


class _ProfileAdmin(admin.ModelAdmin):
    """Profiles come from the data-sharing platform: read-only here. Opening one asks for
    the purpose first and records the look (A17)."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        profile = self.get_object(request, object_id)
        if profile is None or not self.has_view_permission(request, profile):
            return super().change_view(request, object_id, form_url, extra_context)
        form = PurposeForm(request.GET if "purpose" in request.GET else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("查看画像：%(name)s") % {"name": self.masked_name(profile)},
                "form": form,
            }
            return TemplateResponse(request, TEMPLATE.format("profile_purpose"), context)
        try:
            services.profile_view(
                viewer=request.user, profile=profile, purpose=form.cleaned_data["purpose"]
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        messages.info(request, _("本次查看已记录。"))
        extra = {**(extra_context or {}), "facts": services.profile_facts(profile)}
        return super().change_view(request, object_id, form_url, extra)

    def masked_name(self, profile) -> str:
        return profile.name


@admin.register(CompanyProfile)
class CompanyProfileAdmin(_ProfileAdmin):
    list_display = [
        "credit_code",
        "name",
        "industry_code",
        "scale",
        "district_code",
        "employees",
        "high_tech",
        "tax_credit_grade",
        "data_as_of",
    ]
    list_filter = ["scale", "high_tech", "tax_credit_grade", "district_code"]
    search_fields = ["=credit_code", "name"]
    fields = [
        "credit_code",
        "name",
        "industry_code",
        "scale",
        "district_code",
        "established_on",
        "employees",
        "high_tech",
        "tax_credit_grade",
        "data_as_of",
        "changed_by_import",
        "updated_at",
    ]


@admin.register(PersonProfile)
class PersonProfileAdmin(_ProfileAdmin):
    list_display = [
        "name_masked",
        "id_number_masked",
        "birth_date",
        "district_code",
        "employment_status",
        "has_disability",
        "household_status",
        "data_as_of",
    ]
    list_filter = ["employment_status", "household_status", "has_disability", "district_code"]
    search_help_text = gettext_lazy("输入完整身份证号码精确查找（按密文索引，不扫描明文）。")
    search_fields = ["name"]
    fields = [
        "name",
        "id_number_masked",
        "birth_date",
        "district_code",
        "employment_status",
        "has_disability",
        "household_status",
        "data_as_of",
        "changed_by_import",
        "updated_at",
    ]

    @admin.display(description=gettext_lazy("姓名"))
    def name_masked(self, obj: PersonProfile) -> str:
        return mask_name(obj.name)

    @admin.display(description=gettext_lazy("身份证号码"))
    def id_number_masked(self, obj: PersonProfile) -> str:
        return obj.masked_id_number

    def masked_name(self, profile) -> str:
        return mask_name(profile.name)

    def get_search_results(self, request, queryset, search_term):
        term = re.sub(r"\s", "", search_term or "").upper()
        if re.fullmatch(r"\d{17}[\dX]", term):
            return queryset.filter(id_number_hash=keyed_hash(term)), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(ProfileImport)
class ProfileImportAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "file_name",
        "status",
        "row_count",
        "created_count",
        "changed_count",
        "uploaded_by",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [
        "kind",
        "file_name",
        "file_format",
        "status",
        "uploaded_by",
        "row_count",
        "created_count",
        "changed_count",
        "errors",
        "created_at",
    ]
    fields = readonly_fields

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("policies.import_profiles")

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        """导入共享数据: one file, all rows or none; every bad row listed."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = services.profile_import(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name,
                    content=upload.read(),
                )
            except PermissionDeniedError:
                raise PermissionDenied from None
            except ApplicationError as exc:
                messages.error(request, exc.message)
                problems = exc.extra.get("problems") or []
            else:
                messages.success(
                    request,
                    _(
                        "已导入%(rows)d条：新增%(new)d条，更新%(changed)d条；变化的画像将自动重新匹配。"
                    )
                    % {
                        "rows": record.row_count,
                        "new": record.created_count,
                        "changed": record.changed_count,
                    },
                )
                return HttpResponseRedirect(reverse("admin:policies_profileimport_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("导入共享数据"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, TEMPLATE.format("import"), context)

    def get_urls(self):
        return [
            path(
                "add/", self.admin_site.admin_view(self.add_view), name="policies_profileimport_add"
            ),
            *super().get_urls(),
        ]


@admin.register(ProfileAccess)
class ProfileAccessAdmin(admin.ModelAdmin):
    """Who looked at which profile, when and why (A17): read-only."""

    list_display = ["created_at", "viewer", "company_profile", "person_profile_masked", "purpose"]
    list_filter = ["created_at"]
    search_fields = ["viewer__username", "viewer__full_name", "purpose"]
    list_select_related = ["viewer", "company_profile", "person_profile"]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("个人画像"))
    def person_profile_masked(self, obj: ProfileAccess) -> str:
        return mask_name(obj.person_profile.name) if obj.person_profile_id else "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
