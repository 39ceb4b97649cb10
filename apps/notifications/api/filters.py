from __future__ import annotations

import django_filters

from apps.notifications.models import Notification


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="仅未读"
    )

    class Meta:
        model = Notification
        fields = ["category", "unread"]
