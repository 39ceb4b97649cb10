"""Read-only delivery record for support staff. Shows names, never phone numbers."""

from __future__ import annotations

import re

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from apps.common.pii import keyed_hash
from apps.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "recipient",
        "channel",
        "category",
        "title",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "read_at",
    ]
    list_filter = ["channel", "status", "category"]
    search_fields = ["recipient__username", "recipient__full_name", "title", "=dedupe_key"]
    search_help_text = gettext_lazy(
        "按接收人登录名、姓名、标题或去重键搜索；输入完整手机号可精确查找接收人。"
    )
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "recipient",
        "channel",
        "category",
        "title",
        "body",
        "link",
        "dedupe_key",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "read_at",
    ]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        # An exact phone number finds the recipient through the keyed hash (as in the user
        # admin); the clear number is never stored or shown here.
        term = re.sub(r"\s", "", search_term or "")
        if re.fullmatch(r"1[3-9]\d{9}", term):
            return queryset.filter(recipient__phone_hash=keyed_hash(term)), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Each person's channel choices and opt-outs, for support staff: people set their own."""

    list_display = ["user", "category", "inbox", "sms", "email", "opted_out", "updated_at"]
    list_filter = ["category", "opted_out"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
