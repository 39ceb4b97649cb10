"""The hotline in the staff console (issue #13): tickets (intake, queues, ticket page,
analysis), the dispatch catalogue and time limits, the knowledge base and Open311 keys.

Every change goes through a service; the admin's own add/change/delete stay off for
tickets (nobody edits a ticket row by hand).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.common.errors import ApplicationError
from apps.hotline import selectors, services
from apps.hotline.admin import console
from apps.hotline.models import Category, KnowledgeArticle, Open311ApiKey, Ticket, TimeLimit


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["number", "ticket_type", "category", "department", "state", "created_at"]
    list_filter = ["state", "ticket_type", "channel", "urgency", "escalation_level"]
    search_fields = ["=number"]
    list_select_related = ["category", "department"]
    show_full_result_count = False
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest):
        return selectors.ticket_scope_for_staff(user=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        custom = [
            path("intake/", view(self.intake_view), name="hotline_ticket_intake"),
            path("queue/", view(self.queue_view), name="hotline_ticket_queue"),
            path("analysis/", view(self.analysis_view), name="hotline_ticket_analysis"),
            path(
                "caller-history/",
                view(self.caller_history_view),
                name="hotline_ticket_caller_history",
            ),
            path("kb-suggest/", view(self.kb_suggest_view), name="hotline_ticket_kb_suggest"),
            path(
                "<int:object_id>/action/<slug:action>/",
                view(require_POST(self.action_view)),
                name="hotline_ticket_action",
            ),
        ]
        return custom + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {**(extra_context or {}), **console.console_links(request)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        return console.detail_view(self, request, object_id)

    def intake_view(self, request):
        return console.intake_view(self, request)

    def queue_view(self, request):
        return console.queue_view(self, request)

    def analysis_view(self, request):
        return console.analysis_view(self, request)

    def caller_history_view(self, request):
        return console.caller_history_view(self, request)

    def kb_suggest_view(self, request):
        return console.kb_suggest_view(self, request)

    def action_view(self, request, object_id: int, action: str):
        return console.action_view(self, request, object_id, action)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The dispatch catalogue (派单目录, H9)."""

    list_display = ["code", "name", "parent", "department", "is_active", "order"]
    list_filter = ["is_active", "parent"]
    search_fields = ["code", "name", "keywords"]
    list_select_related = ["parent", "department"]
    autocomplete_fields = []

    def save_model(self, request, obj, form, change) -> None:
        services.category_save(actor=request.user, category=obj)


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    """H8: limits per category, type and urgency."""

    list_display = [
        "__str__",
        "category",
        "ticket_type",
        "urgency",
        "sign_hours",
        "reply_hours",
        "reply_working_days",
    ]
    list_filter = ["urgency", "ticket_type"]
    list_select_related = ["category"]

    def save_model(self, request, obj, form, change) -> None:
        services.time_limit_save(actor=request.user, limit=obj)


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(admin.ModelAdmin):
    """H2: departments write, the centre reviews and publishes; expiry hides an article."""

    list_display = ["title", "department", "category", "status", "expires_on", "published_at"]
    list_filter = ["status", "department"]
    search_fields = ["title", "keywords"]
    list_select_related = ["department", "category"]
    fields = ["title", "body", "category", "department", "keywords", "expires_on"]
    readonly_fields: list[str] = []
    actions = ["submit_for_review", "publish", "send_back", "withdraw"]

    def get_queryset(self, request: HttpRequest):
        qs = super().get_queryset(request)
        if request.user.is_superuser or request.user.has_perm("hotline.review_article"):
            return qs
        if request.user.has_perm("hotline.view_all_tickets"):
            return qs
        return qs.filter(department__in=request.user.departments.all())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department" and not request.user.is_superuser:
            kwargs["queryset"] = request.user.departments.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        try:
            saved = services.article_save(
                actor=request.user,
                article_id=obj.pk if change else None,
                title=data["title"],
                body=data["body"],
                department_id=data["department"].pk,
                category_id=data["category"].pk if data.get("category") else None,
                keywords=data.get("keywords") or "",
                expires_on=data.get("expires_on"),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return
        obj.pk = saved.pk

    def _each(self, request, queryset, run, done: str) -> None:
        count = 0
        for article in queryset:
            try:
                run(article)
            except ApplicationError as exc:
                messages.error(request, f"{article.title}：{exc.message}")
            else:
                count += 1
        if count:
            messages.success(request, done % {"n": count})

    @admin.action(description=_("提交审核"))
    def submit_for_review(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda a: services.article_submit(article_id=a.pk, actor=request.user),
            _("已提交审核 %(n)d 篇。"),
        )

    @admin.action(description=_("审核通过并发布"))
    def publish(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda a: services.article_review(article_id=a.pk, actor=request.user, approve=True),
            _("已发布 %(n)d 篇。"),
        )

    @admin.action(description=_("退回修改"))
    def send_back(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda a: services.article_review(
                article_id=a.pk, actor=request.user, approve=False, note=_("请修改后重新提交。")
            ),
            _("已退回 %(n)d 篇。"),
        )

    @admin.action(description=_("下线"))
    def withdraw(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda a: services.article_withdraw(article_id=a.pk, actor=request.user),
            _("已下线 %(n)d 篇。"),
        )


@admin.register(Open311ApiKey)
class Open311ApiKeyAdmin(admin.ModelAdmin):
    """Open311 clients' keys: made here, shown once, stored as a hash."""

    list_display = ["name", "key_prefix", "is_active", "last_used_at", "created_at"]
    list_filter = ["is_active"]
    fields = ["name", "contact"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        key, raw = services.open311_key_create(
            actor=request.user, name=form.cleaned_data["name"], contact=form.cleaned_data["contact"]
        )
        obj.pk = key.pk
        messages.warning(
            request, _("新密钥（只显示这一次，请立即交给客户端保存）：%(key)s") % {"key": raw}
        )

    @admin.action(description=_("停用所选密钥"))
    def revoke(self, request, queryset):
        for key in queryset:
            services.open311_key_revoke(key_id=key.pk, actor=request.user)
        messages.success(request, _("已停用。"))
