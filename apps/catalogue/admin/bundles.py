"""Bundles (一件事): steps and limit checked together (C8), published and withdrawn."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from apps.catalogue import rules, selectors, services
from apps.catalogue.admin.base import NoRevertHistoryAdmin, limit_departments, report_problems
from apps.catalogue.models import Bundle, BundleStep, ServiceGuide, ServiceItem
from apps.common.errors import ApplicationError


class BundleStepFormSet(BaseInlineFormSet):
    """C8 on the submitted steps and limit together: configured ≤ computed."""

    def clean(self):
        super().clean()
        rows = [
            (f.cleaned_data["item"], f.cleaned_data.get("stage") or 1)
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("item")
        ]
        items = [item for item, _stage in rows]
        if len({i.pk for i in items}) != len(items):
            raise forms.ValidationError(_("同一事项在一件事中只能出现一次"))
        promised = dict(
            ServiceGuide.objects.filter(
                item__in=items, status=ServiceGuide.Status.PUBLISHED
            ).values_list("item_id", "promised_time_limit_days")
        )
        if rows and all(item.pk in promised for item in items):
            computed = rules.computed_limit((stage, promised[item.pk]) for item, stage in rows)
            problems = rules.bundle_limit_problems(self.instance.promised_time_limit_days, computed)
            if problems:
                raise forms.ValidationError(problems)


class BundleStepInline(admin.TabularInline):
    model = BundleStep
    formset = BundleStepFormSet
    extra = 0
    fields = ("stage", "item")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = ServiceItem.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Bundle)
class BundleAdmin(NoRevertHistoryAdmin):
    list_display = (
        "code",
        "name",
        "lead_department",
        "promised_time_limit_days",
        "computed_limit",
        "status",
    )
    list_filter = ("status", "target")
    search_fields = ("code", "name")
    readonly_fields = ("status", "computed_limit")
    filter_horizontal = ("topics",)
    inlines = [BundleStepInline]
    actions = ["publish_bundles", "withdraw_bundles"]
    fields = (
        "code",
        "name",
        "name_en",
        "description",
        "target",
        "lead_department",
        ("promised_time_limit_days", "computed_limit"),
        "topics",
        "status",
    )

    def get_queryset(self, request):
        qs = selectors.bundle_list(published_only=False)
        return selectors.bundle_scope_for_user(qs, request.user)

    @admin.display(description=_("按环节计算的时限（工作日）"))
    def computed_limit(self, bundle: Bundle) -> str:
        if not bundle.pk:
            return "—"
        limit = rules.bundle_limit(bundle)
        if limit.items_without_guide:
            return _("%(days)s（%(items)s尚无已发布指南）") % {
                "days": limit.computed_days,
                "items": "、".join(limit.items_without_guide),
            }
        return str(limit.computed_days)

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_manage_bundle(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_department":
            limit_departments(request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        if not change:  # the steps need the row; they are saved with it in save_related
            data = {f: form.cleaned_data[f] for f in services.BUNDLE_FIELDS}
            bundle = services.bundle_save(actor=request.user, data=data)
            obj.pk, obj._state.adding = bundle.pk, False

    def save_related(self, request, form, formsets, change) -> None:
        steps = []
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for f in formset.forms:
                if (
                    f.cleaned_data
                    and not f.cleaned_data.get("DELETE")
                    and f.cleaned_data.get("item")
                ):
                    steps.append((f.cleaned_data["item"], f.cleaned_data.get("stage") or 1))
        data = {f: form.cleaned_data[f] for f in services.BUNDLE_FIELDS} if change else {}
        services.bundle_save(
            actor=request.user,
            bundle=form.instance,
            data=data,
            steps=steps,
            topics=form.cleaned_data.get("topics", []),
        )

    @admin.action(description=_("发布所选一件事"))
    def publish_bundles(self, request, queryset) -> None:
        for bundle in queryset:
            try:
                services.bundle_publish(actor=request.user, bundle=bundle)
            except ApplicationError as exc:
                report_problems(request, exc, f"{bundle.name}：")
            else:
                messages.success(request, _("%(name)s已发布。") % {"name": bundle.name})

    @admin.action(description=_("下线所选一件事"))
    def withdraw_bundles(self, request, queryset) -> None:
        for bundle in queryset:
            try:
                services.bundle_withdraw(actor=request.user, bundle=bundle)
            except ApplicationError as exc:
                report_problems(request, exc, f"{bundle.name}：")
            else:
                messages.success(request, _("%(name)s已下线。") % {"name": bundle.name})
