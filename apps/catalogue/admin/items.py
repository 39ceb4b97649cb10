"""Service items (basic catalogue), with their guide versions listed read-only; the staff
search (the public search, with unpublished items and codes) and the work list of items
not public yet (待完善事项, C2, C5)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.accounts.models import Department
from apps.catalogue import selectors, services
from apps.catalogue.admin.base import NoRevertHistoryAdmin, limit_departments, report_problems
from apps.catalogue.guide_fields import ITEM_BASIC_FIELDS
from apps.catalogue.models import ServiceGuide, ServiceItem
from apps.catalogue.publication import current_guides_prefetch, item_worklist, publication_of
from apps.catalogue.search import search_items
from apps.common.errors import ApplicationError

WORKLIST_PAGE_SIZE = 100


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
        return format_html('<a href="{}">{}</a>', url, _("第%(n)s版") % {"n": guide.version})

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
    change_list_template = "admin/catalogue/serviceitem/change_list.html"
    list_display = (
        "code",
        "name",
        "item_type",
        "implementing_department",
        "publication",
        "is_active",
    )
    list_filter = ("item_type", "target", "level", "is_active", "risk_area", "topics")
    # The search box runs the portal's search (synonyms, pinyin initials) plus codes.
    search_fields = ("name",)
    search_help_text = _("名称、俗称、同义词、拼音首字母或事项编码；含未公开事项")
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
        (_("英文版"), {"fields": ("name_en", "summary_en")}),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related(current_guides_prefetch())
        return selectors.item_scope_for_user(qs, request.user)

    def get_search_results(self, request, queryset, search_term):
        """Staff search is the public search over everything the user may see, unpublished
        items included (marked in the 公开状态 column), and item codes."""
        if not search_term.strip():
            return queryset, False
        ranked = search_items(search_term, queryset=queryset, match_codes=True)
        if ORDER_VAR in request.GET:  # a clicked column header orders the results
            ranked = ranked.order_by(*queryset.query.order_by)
        return ranked, False

    @admin.display(description=_("公开状态"))
    def publication(self, item: ServiceItem) -> str:
        state = publication_of(item)
        if state.public:
            return state.label
        return format_html("<strong>{}</strong>", state.label)

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
            for field in services.SEARCH_FIELDS:
                setattr(obj, field, getattr(item, field))

    # The work list of items not public yet.

    def get_urls(self):
        custom = [
            path(
                "worklist/",
                self.admin_site.admin_view(self.worklist_view),
                name="catalogue_serviceitem_worklist",
            ),
            path(
                "<int:object_id>/start-draft/",
                self.admin_site.admin_view(require_POST(self.start_draft_view)),
                name="catalogue_serviceitem_start_draft",
            ),
        ]
        return custom + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "worklist_url": reverse("admin:catalogue_serviceitem_worklist"),
        }
        return super().changelist_view(request, extra_context)

    def worklist_view(self, request):
        """待完善事项: items without a published guide, by department, each with what it
        lacks, linked to where it is completed (C2, C5). Constant queries per page."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        department = request.GET.get("department") or None
        items = item_worklist(user=request.user, department_code=department)
        page = Paginator(items, WORKLIST_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [publication_of(item) for item in page.object_list]
        visible = selectors.item_scope_for_user(ServiceItem.objects.all(), request.user)
        departments = Department.objects.filter(
            pk__in=visible.values("implementing_department")
        ).order_by("code")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("待完善事项"),
            "page": page,
            "rows": rows,
            "departments": departments,
            "current_department": department,
        }
        return TemplateResponse(request, "admin/catalogue/serviceitem/worklist.html", context)

    def start_draft_view(self, request, object_id: int):
        """Start the guide of an item of the work list and open it for editing."""
        item = self.get_object(request, str(object_id))
        if item is None:
            raise PermissionDenied
        try:
            guide = services.guide_create_draft(actor=request.user, item=item)
        except ApplicationError as exc:
            report_problems(request, exc, f"{item.name}：")
            return HttpResponseRedirect(reverse("admin:catalogue_serviceitem_worklist"))
        messages.success(request, _("已新建%(guide)s草稿，请补全后发布。") % {"guide": guide})
        return HttpResponseRedirect(reverse("admin:catalogue_serviceguide_change", args=[guide.pk]))

    @admin.action(description=_("新建修订版（复制现行办事指南）"))
    def create_revision(self, request, queryset) -> None:
        for item in queryset:
            try:
                guide = services.guide_create_draft(actor=request.user, item=item)
            except ApplicationError as exc:
                report_problems(request, exc, f"{item.name}：")
            else:
                messages.success(request, _("已新建%(guide)s草稿。") % {"guide": guide})
