from __future__ import annotations

from rest_framework import serializers

from apps.notifications.models import Notification


class NotificationOutputSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "category", "title", "body", "link", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class MarkAllReadOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的消息条数")
