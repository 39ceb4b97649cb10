"""Topics (办事分类): maintained by system administrators, never deleted."""

from __future__ import annotations

from django.contrib import admin

from apps.catalogue import services
from apps.catalogue.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "order")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    ordering = ("kind", "order", "code")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = services.topic_save(
            actor=request.user, code=obj.code, name=obj.name, kind=obj.kind, order=obj.order
        )
        obj.pk, obj._state.adding = saved.pk, False
