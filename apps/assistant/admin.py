"""The assistant in the staff console: the passage index (read-only, with a rebuild), and
the question log (read-only; unanswered questions are dealt with on the work list)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.assistant.models import MaterialCheck, Passage, Question
from apps.assistant.services import passages_rebuild


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Passage)
class PassageAdmin(_ReadOnly):
    list_display = ["title", "section", "source_kind", "valid_until", "indexed_at"]
    list_filter = ["source_kind", "section"]
    search_fields = ["title", "text"]
    actions = ["rebuild_index"]
    list_per_page = 50

    @admin.action(description=_("按已发布内容重建问答索引"), permissions=["view"])
    def rebuild_index(self, request, queryset) -> None:
        if not request.user.is_superuser:
            self.message_user(request, _("只有系统管理员可以重建索引。"), messages.ERROR)
            return
        count = passages_rebuild()
        self.message_user(request, _("已重建问答索引，共 %(n)d 段。") % {"n": count})


@admin.register(Question)
class QuestionAdmin(_ReadOnly):
    list_display = ["created_at", "text", "channel", "answered", "helpful", "handled_at"]
    list_filter = ["answered", "helpful", "channel", ("handled_at", admin.EmptyFieldListFilter)]
    search_fields = ["text"]
    exclude = ["feedback_token"]
    list_select_related = ["handled_by"]
    list_per_page = 50

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "subtitle": format_html(
                '<a href="{}">{}</a>', reverse("assistant:worklist"), _("待处理的提问 ›")
            ),
        }
        return super().changelist_view(request, extra_context)


@admin.register(MaterialCheck)
class MaterialCheckAdmin(_ReadOnly):
    list_display = ["material", "application", "pages", "width", "height", "checked_at"]
    list_select_related = ["material", "application"]
    exclude = ["numbers"]
    list_per_page = 50
