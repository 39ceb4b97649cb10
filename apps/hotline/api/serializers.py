"""Input and output shapes of the hotline API; the caller is shown through
:func:`apps.hotline.selectors.caller_for` only (anonymous callers stay hidden, H4)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.common.batches import BATCH_MAX_ITEMS
from apps.hotline.selectors import caller_for
from apps.hotline.workflow import Channel, Satisfaction, TicketType, TransferTarget, Urgency


class NoNulCharField(serializers.CharField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if "\x00" in value:
            raise serializers.ValidationError(_("内容含有不允许的字符。"))
        return value


class TicketCreateInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=[Channel.PHONE, Channel.WECHAT, Channel.APP], default=Channel.PHONE
    )
    ticket_type = serializers.ChoiceField(choices=TicketType.choices)
    category_id = serializers.IntegerField()
    content = NoNulCharField(max_length=4000)
    caller_phone = NoNulCharField(max_length=20, required=False, allow_blank=True)
    caller_name = NoNulCharField(max_length=64, required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(default=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    address = NoNulCharField(max_length=200, required=False, allow_blank=True)
    district = NoNulCharField(max_length=32, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )


class TicketBatchInputSerializer(serializers.Serializer):
    batch_id = NoNulCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="客户端为本批次取的编号：重试同一批次不会重复保存",
    )
    items = TicketCreateInputSerializer(many=True, min_length=1, max_length=BATCH_MAX_ITEMS)


class TicketNumberOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class TicketBatchOutputSerializer(serializers.Serializer):
    batch_id = serializers.CharField()
    replayed = serializers.BooleanField(help_text="该批次此前已保存，本次未重复保存")
    count = serializers.IntegerField()
    tickets = TicketNumberOutputSerializer(many=True)


class TicketOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    channel = serializers.CharField()
    ticket_type = serializers.CharField()
    category = serializers.SerializerMethodField()
    urgency = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    title = serializers.CharField()
    content = serializers.CharField()
    address = serializers.CharField()
    district = serializers.CharField()
    caller_name = serializers.SerializerMethodField()
    caller_phone = serializers.SerializerMethodField()
    is_anonymous = serializers.BooleanField()
    department = serializers.SerializerMethodField()
    sign_due_at = serializers.DateTimeField(allow_null=True)
    reply_due_at = serializers.DateTimeField(allow_null=True)
    reply_text = serializers.CharField()
    escalation_level = serializers.IntegerField()
    satisfaction = serializers.CharField()
    possible_duplicate_of = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def _caller(self, obj):
        return caller_for(obj, self.context["request"].user, full=self.context.get("full", False))

    def get_caller_name(self, obj) -> str:
        return self._caller(obj).name

    def get_caller_phone(self, obj) -> str:
        return self._caller(obj).phone

    def get_category(self, obj) -> dict:
        return {"id": obj.category_id, "code": obj.category.code, "name": obj.category.name}

    def get_department(self, obj) -> str | None:
        return obj.department.name if obj.department_id else None

    def get_possible_duplicate_of(self, obj) -> int | None:
        return obj.possible_duplicate_of_id


class TicketDispatchInputSerializer(serializers.Serializer):
    department_id = serializers.IntegerField(required=False, allow_null=True)
    co_department_ids = serializers.ListField(child=serializers.IntegerField(), default=list)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    note = NoNulCharField(required=False, allow_blank=True, default="")


class TicketRedispatchInputSerializer(TicketDispatchInputSerializer):
    department_id = serializers.IntegerField()


class TicketReasonInputSerializer(serializers.Serializer):
    reason = NoNulCharField(allow_blank=True)


class TicketTextInputSerializer(serializers.Serializer):
    text = NoNulCharField(allow_blank=True)


class TicketNoteInputSerializer(serializers.Serializer):
    note = NoNulCharField(required=False, allow_blank=True, default="")


class TicketAnswerInputSerializer(TicketNoteInputSerializer):
    article_id = serializers.IntegerField()


class TicketTransferInputSerializer(TicketNoteInputSerializer):
    target = serializers.ChoiceField(choices=TransferTarget.choices)


class TicketMergeInputSerializer(serializers.Serializer):
    main_id = serializers.IntegerField()
    reason = NoNulCharField(required=False, allow_blank=True, default="")


class TicketExtensionInputSerializer(serializers.Serializer):
    reason = NoNulCharField(allow_blank=True)
    working_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=60
    )
    hours = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=240)


class TicketExtensionDecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = NoNulCharField(required=False, allow_blank=True, default="")


class TicketExtensionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ticket_id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField()
    extra_working_days = serializers.IntegerField(allow_null=True)
    extra_hours = serializers.IntegerField(allow_null=True)


class TicketCallbackInputSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    note = NoNulCharField(required=False, allow_blank=True, default="")
    caused_by_department = serializers.BooleanField(default=True)


class KnowledgeArticleOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    department = serializers.CharField(source="department.name")
    expires_on = serializers.DateField(allow_null=True)


class CallerHistoryItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    ticket_type = serializers.CharField()
    category = serializers.CharField(source="category.name")
    state = serializers.CharField()
    title = serializers.CharField()
    created_at = serializers.DateTimeField()
