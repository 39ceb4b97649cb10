"""Service items (basic catalogue), with their guide versions listed read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.catalogue import selectors, services
from apps.catalogue.admin.base import NoRevertHistoryAdmin, limit_departments, report_problems
from apps.catalogue.guide_fields import ITEM_BASIC_FIELDS
from apps.catalogue.models import ServiceGuide, ServiceItem
from apps.common.errors import ApplicationError


class GuideVersionInline(admin.TabularInline):
    model = ServiceGuide
    verbose_name_plural = _("办事指南各版本")
    fields = ("version_link", "status", "published_at", "published_by", "change_note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-version",)

    @admin.display(description=_("版本"))
    def version_link(self, guide: ServiceGuide) -> str:
        url = reverse("admin:catalogue_serviceguide_change", args=[guide.pk])
        return format_html('<a href="{}">第{}版</a>', url, guide.version)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceItemForm(forms.ModelForm):
    class Meta:
        model = ServiceItem
        fields = [*services.ITEM_FIELDS, "topics"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("risk_area"):
            published = selectors.guide_get_published(self.instance)
            if published is not None and published.pledge_enabled:
                self.add_error(
                    "risk_area",
                    _(
                        "现行办事指南适用告知承诺制，不能设为高风险领域；"
                        "请先发布不适用告知承诺的修订版"
                    ),
                )
        return cleaned


@admin.register(ServiceItem)
class ServiceItemAdmin(NoRevertHistoryAdmin):
    form = ServiceItemForm
    list_display = (
        "code",
        "name",
        "item_type",
        "implementing_department",
        "published_version",
        "is_active",
    )
    list_filter = ("item_type", "target", "level", "is_active", "risk_area", "topics")
    search_fields = ("code", "name", "keywords")
    list_select_related = ("implementing_department",)
    filter_horizontal = ("topics",)
    inlines = [GuideVersionInline]
    actions = ["create_revision"]
    fieldsets = (
        (
            _("基本目录"),
            {"fields": tuple(ITEM_BASIC_FIELDS)},
        ),
        (_("检索与分类"), {"fields": ("keywords", "topics")}),
        (_("风险与状态"), {"fields": ("risk_area", "is_active")}),
    )

    def get_queryset(self, request):
        published = ServiceGuide.objects.filter(
            item=OuterRef("pk"), status=ServiceGuide.Status.PUBLISHED
        ).values("version")[:1]
        qs = super().get_queryset(request).annotate(published_version=Subquery(published))
        return selectors.item_scope_for_user(qs, request.user)

    @admin.display(description=_("现行版本"), ordering="published_version")
    def published_version(self, item: ServiceItem) -> str:
        return f"第{item.published_version}版" if item.published_version else "未发布"

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_manage_item(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # items are deactivated, never deleted (applications refer to them)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("competent_department", "implementing_department"):
            limit_departments(request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        data = {f: form.cleaned_data[f] for f in services.ITEM_FIELDS if f in form.cleaned_data}
        if change:
            services.item_update(actor=request.user, item=obj, data=data)
        else:
            item = services.item_create(actor=request.user, **data)
            obj.pk, obj._state.adding = item.pk, False
            obj.search_text, obj.pinyin_initials = item.search_text, item.pinyin_initials

    @admin.action(description=_("新建修订版（复制现行办事指南）"))
    def create_revision(self, request, queryset) -> None:
        for item in queryset:
            try:
                guide = services.guide_create_draft(actor=request.user, item=item)
            except ApplicationError as exc:
                report_problems(request, exc, f"{item.name}：")
            else:
                messages.success(request, _("已新建%(guide)s草稿。") % {"guide": guide})
