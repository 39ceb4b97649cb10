"""Input shapes of the reviews API; the rules are the services' (DOMAIN C6)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.common.batches import BATCH_MAX_ITEMS
from apps.reviews.models import RectificationCase, Review, ReviewTag, ServiceEvent
from apps.reviews.workflow import API_CHANNELS, AppealGround, AppealState, Level, Outcome

# A terminal that was offline may send a review up to this many days late.
OFFLINE_DAYS = 7


class ReviewSubmitInputSerializer(serializers.Serializer):
    event = serializers.IntegerField(min_value=1, help_text="服务事件编号")
    channel = serializers.ChoiceField(choices=sorted(c.value for c in API_CHANNELS))
    level = serializers.ChoiceField(choices=Level.choices)
    tags = serializers.ListField(
        child=serializers.SlugField(max_length=32), required=False, default=list, max_length=20
    )
    text = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    reviewed_at = serializers.DateTimeField(
        required=False, help_text="离线终端补传时的评价时间（最多7天前）"
    )

    def validate_reviewed_at(self, value):
        now = timezone.now()
        if value > now or value < now - timedelta(days=OFFLINE_DAYS):
            raise serializers.ValidationError(_("评价时间须在最近7天内。"))
        return value


class ReviewBatchInputSerializer(serializers.Serializer):
    batch_id = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="客户端为本批次取的编号：重试同一批次不会重复保存",
    )
    items = ReviewSubmitInputSerializer(many=True, max_length=BATCH_MAX_ITEMS, min_length=1)


class ReviewBatchItemOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "event", "level", "is_bad", "day"]


class ReviewBatchOutputSerializer(serializers.Serializer):
    batch_id = serializers.CharField()
    replayed = serializers.BooleanField(help_text="该批次此前已保存，本次未重复保存")
    count = serializers.IntegerField()
    reviews = ReviewBatchItemOutputSerializer(many=True)


class ReviewOutputSerializer(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    case_state = serializers.CharField(source="case.state", default=None, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "event", "channel", "level", "is_bad", "anonymous", "text", "tags"]
        fields += ["day", "created_at", "case_state"]


class EventOutputSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", default="", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = ServiceEvent
        fields = ["id", "kind", "item_name", "department_name", "created_at"]


class TagOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewTag
        fields = ["code", "label"]


class ReviewFollowUpInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000)


class CaseOutputSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="review.level", read_only=True)
    review_day = serializers.DateField(source="review.day", read_only=True)

    class Meta:
        model = RectificationCase
        fields = ["id", "review", "department", "state", "level", "review_day"]
        fields += ["callback_due_on", "due_on", "outcome", "rectify_due_on", "on_time"]


class CaseCallbackInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(max_length=2000)
    days = serializers.IntegerField(
        required=False, min_value=1, max_value=settings.REVIEWS_RECTIFY_WORKING_DAYS
    )


class CaseNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class CaseRevisitInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReviewAppealInputSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=AppealGround.choices)
    reason = serializers.CharField(max_length=2000)


class AppealDecideInputSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    note = serializers.CharField(max_length=2000)


class AppealOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=AppealState.choices)
