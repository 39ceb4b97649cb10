"""Service guides: drafts edited line by line, published, revised and compared (C3–C5)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.catalogue import rules, selectors, services
from apps.catalogue.admin import guide_forms
from apps.catalogue.admin.base import NoRevertHistoryAdmin, report_problems
from apps.catalogue.models import (
    GuideMaterial,
    GuideStep,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
)
from apps.common.errors import ApplicationError


class DraftOnlyInline:
    """Lines of a guide are edited only while it is a draft the user may manage (C5)."""

    def _editable(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.status == ServiceGuide.Status.DRAFT
            and services.can_manage_item(request.user, obj.item)
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class GuideMaterialForm(forms.ModelForm):
    class Meta:
        model = GuideMaterial
        fields = services.MATERIAL_FIELDS

    def clean(self):
        cleaned = super().clean()
        problems = rules.material_problems(
            name=cleaned.get("name") or "",
            description=cleaned.get("description") or "",
            importance=cleaned.get("importance") or GuideMaterial.Importance.MAIN,
            supplement_days=cleaned.get("supplement_days"),
        )
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class GuideMaterialInline(DraftOnlyInline, admin.StackedInline):
    model = GuideMaterial
    form = GuideMaterialForm
    extra = 0
    fields = (
        ("order", "name"),
        "description",
        ("importance", "supplement_days", "is_required"),
        ("originals", "copies"),
        ("electronic_formats", "max_size_mb"),
        ("reuse", "e_licence_type"),
        ("blank_form", "sample"),
    )


class GuideStepInline(DraftOnlyInline, admin.TabularInline):
    model = GuideStep
    extra = 0
    fields = ("order", "name", "description", "time_limit_days")


class SpecialProcedureInline(DraftOnlyInline, admin.TabularInline):
    model = SpecialProcedure
    extra = 0
    fields = ("kind", "time_limit_days", "description")


class ServiceGuideForm(forms.ModelForm):
    application_form = guide_forms.json_field(
        _("在线申请表"), _("格式见 docs/application-forms.md；留空表示本事项不在线填写申请表。")
    )
    result_fields = guide_forms.json_field(
        _("结果模板：决定事项"),
        _("审批人作出准予决定时填写、并印在结果文书上的字段（JSON 列表）。"),
    )

    class Meta:
        model = ServiceGuide
        fields = services.GUIDE_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        names = [m.name for m in self.instance.materials.all()]
        form_problems = guide_forms.form_problems(cleaned, names)
        if form_problems:
            raise forms.ValidationError(form_problems)
        probe = ServiceGuide(
            item=self.instance.item,
            legal_time_limit_days=cleaned.get("legal_time_limit_days"),
            promised_time_limit_days=cleaned.get("promised_time_limit_days"),
            pledge_enabled=cleaned.get("pledge_enabled", False),
        )
        problems = rules.guide_field_problems(probe)
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


@admin.register(ServiceGuide)
class ServiceGuideAdmin(NoRevertHistoryAdmin):
    form = ServiceGuideForm
    change_form_template = "admin/catalogue/serviceguide/change_form.html"
    list_display = ("item", "version", "status", "published_at", "published_by")
    list_filter = ("status", "item__item_type")
    search_fields = ("item__code", "item__name")
    list_select_related = ("item", "published_by")
    readonly_fields = ("item", "version", "status", "published_at", "published_by")
    inlines = [GuideMaterialInline, GuideStepInline, SpecialProcedureInline]
    actions = ["publish_guides", "create_revision"]
    fieldsets = (
        (
            _("版本"),
            {
                "fields": (
                    "item",
                    "version",
                    "status",
                    "published_at",
                    "published_by",
                    "change_note",
                )
            },
        ),
        (
            _("受理与审查"),
            {
                "fields": (
                    "acceptance_conditions",
                    "review_standards",
                    "is_immediate",
                    "incomplete_submission_allowed",
                )
            },
        ),
        (
            _("办结时限"),
            {"fields": (("legal_time_limit_days", "promised_time_limit_days"),)},
        ),
        (
            _("办理结果"),
            {"fields": ("result_name", "result_type", "result_sample", "result_fields")},
        ),
        (_("在线申请表"), {"fields": ("application_form",)}),
        (_("收费"), {"fields": ("fee_required", "fee_standard", "fee_basis")}),
        (
            _("办理形式与地点"),
            {
                "fields": (
                    ("online_available", "window_available", "mobile_available", "post_available"),
                    "tongban_scope",
                    "appointment",
                    "max_visits",
                    "where_to_apply",
                    "office_hours",
                )
            },
        ),
        (_("咨询与投诉"), {"fields": ("consultation", "complaint")}),
        (_("容缺受理"), {"fields": ("tolerance_note",)}),
        (
            _("告知承诺制"),
            {
                "fields": (
                    "pledge_enabled",
                    "pledge_text",
                    "pledge_liability_text",
                    "pledge_verification_days",
                )
            },
        ),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("item")
        visible = selectors.item_scope_for_user(ServiceItem.objects.all(), request.user)
        return qs.filter(item__in=visible.values("pk"))

    def has_add_permission(self, request) -> bool:
        return False  # a version is started with 新建修订版, never typed from scratch

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return (
            allowed
            and obj.status == ServiceGuide.Status.DRAFT
            and services.can_manage_item(request.user, obj.item)
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def can_publish(self, request, obj) -> bool:
        return obj.status == ServiceGuide.Status.DRAFT and self.has_change_permission(request, obj)

    # Saves go through the services.

    def save_model(self, request, obj, form, change) -> None:
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in services.GUIDE_FIELDS}
        if data:
            services.guide_update(actor=request.user, guide=obj, data=data)

    def save_formset(self, request, form, formset, change) -> None:
        instances = formset.save(commit=False)
        actor = request.user
        for obj in formset.deleted_objects:
            if isinstance(obj, GuideMaterial):
                services.material_delete(actor=actor, material=obj)
            else:
                services.guide_part_delete(actor=actor, part=obj)
        for obj in instances:
            if isinstance(obj, GuideMaterial):
                data = {f: getattr(obj, f) for f in services.MATERIAL_FIELDS}
                if obj.pk:
                    services.material_update(actor=actor, material=obj, data=data)
                else:
                    saved = services.material_add(actor=actor, guide=obj.guide, **data)
                    obj.pk = saved.pk
            else:
                services.guide_part_save(actor=actor, part=obj)

    # Publish, revise, compare.

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        custom = [
            path(
                "<int:object_id>/publish/",
                self.admin_site.admin_view(require_POST(self.publish_view)),
                name="{}_{}_publish".format(*info),
            ),
            path(
                "form-preview/",
                self.admin_site.admin_view(require_POST(self.form_preview_view)),
                name="{}_{}_form_preview".format(*info),
            ),
            path(
                "compare/<int:item_id>/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
        ]
        return custom + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        guide = self.get_object(request, object_id)
        if guide is not None:
            previous = (
                ServiceGuide.objects.filter(item_id=guide.item_id, version__lt=guide.version)
                .order_by("-version")
                .values_list("version", flat=True)
                .first()
            )
            compare = reverse("admin:catalogue_serviceguide_compare", args=[guide.item_id])
            extra_context.update(
                form_preview_url=reverse("admin:catalogue_serviceguide_form_preview"),
                compare_url=f"{compare}?old={previous or guide.version}&new={guide.version}",
                publish_url=reverse("admin:catalogue_serviceguide_publish", args=[guide.pk]),
                can_publish=self.can_publish(request, guide),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def form_preview_view(self, request):
        """The live preview of the online form being edited (the citizen's template)."""
        return guide_forms.preview_view(request, can_view=self.has_view_permission(request))

    def publish_view(self, request, object_id: int):
        guide = self.get_object(request, str(object_id))
        if guide is None:
            raise PermissionDenied
        if not self.can_publish(request, guide):
            raise PermissionDenied
        try:
            services.guide_publish(actor=request.user, guide=guide)
        except ApplicationError as exc:
            report_problems(request, exc)
        else:
            messages.success(request, _("%(guide)s已发布，原版本已废止。") % {"guide": guide})
        return HttpResponseRedirect(reverse("admin:catalogue_serviceguide_change", args=[guide.pk]))

    def compare_view(self, request, item_id: int):
        """版本对比: any two versions of one item, as labelled changes (guide_diff)."""
        visible = selectors.item_scope_for_user(ServiceItem.objects.all(), request.user)
        item = get_object_or_404(visible, pk=item_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        versions = list(selectors.guide_versions(item))
        by_version = {g.version: g for g in versions}
        latest = versions[0].version if versions else None

        def pick(name: str, default):
            try:
                return by_version.get(int(request.GET.get(name, "")), by_version.get(default))
            except ValueError:
                return by_version.get(default)

        new = pick("new", latest)
        old = pick("old", versions[1].version if len(versions) > 1 else latest)
        changes = []
        if old is not None and new is not None:
            changes = selectors.guide_diff(
                selectors.guide_get_with_parts(old.pk), selectors.guide_get_with_parts(new.pk)
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("版本对比：%(name)s") % {"name": item.name},
            "item": item,
            "versions": versions,
            "old": old,
            "new": new,
            "changes": changes,
        }
        return TemplateResponse(request, "admin/catalogue/serviceguide/compare.html", context)

    @admin.action(description=_("发布所选草稿"))
    def publish_guides(self, request, queryset) -> None:
        for guide in queryset.select_related("item"):
            if not self.can_publish(request, guide):
                messages.error(request, _("%(guide)s：不是您可发布的草稿。") % {"guide": guide})
                continue
            try:
                services.guide_publish(actor=request.user, guide=guide)
            except ApplicationError as exc:
                report_problems(request, exc, f"{guide}：")
            else:
                messages.success(request, _("%(guide)s已发布。") % {"guide": guide})

    @admin.action(description=_("新建修订版"))
    def create_revision(self, request, queryset) -> None:
        for item in ServiceItem.objects.filter(pk__in=queryset.values("item_id")):
            try:
                guide = services.guide_create_draft(actor=request.user, item=item)
            except ApplicationError as exc:
                report_problems(request, exc, f"{item.name}：")
            else:
                messages.success(request, _("已新建%(guide)s草稿。") % {"guide": guide})
