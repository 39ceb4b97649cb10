"""Input and output shapes of the halls API; the rules are in the services."""

from __future__ import annotations

from rest_framework import serializers

from apps.halls.models import Appointment, HallProfile, HardCase, Opinion, Slot, Ticket
from apps.halls.workflow import Feedback, GreenReason, HardCaseCause


class HallProfileOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="center.name")
    kind = serializers.CharField(source="center.get_kind_display")
    level = serializers.CharField(source="center.get_level_display")
    address = serializers.CharField(source="center.address")

    class Meta:
        model = HallProfile
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "address",
            "morning_opens",
            "morning_closes",
            "afternoon_opens",
            "afternoon_closes",
            "is_bookable",
        ]


class HallSlotOutputSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name")
    free = serializers.IntegerField()

    class Meta:
        model = Slot
        fields = ["id", "group", "day", "starts", "ends", "capacity", "free"]


class HallAppointmentOutputSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.name")
    hall = serializers.CharField(source="slot.group.hall.center.name")
    day = serializers.DateField(source="slot.day")
    starts = serializers.TimeField(source="slot.starts")
    ends = serializers.TimeField(source="slot.ends")

    class Meta:
        model = Appointment
        fields = ["id", "code", "state", "item", "hall", "day", "starts", "ends"]


class HallBookInputSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1)
    item = serializers.IntegerField(min_value=1)


class HallTakeInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=8, required=False, allow_blank=True)
    item = serializers.IntegerField(min_value=1, required=False)
    group = serializers.IntegerField(min_value=1, required=False)
    green_reason = serializers.ChoiceField(
        choices=GreenReason.choices, required=False, allow_blank=True
    )


class HallTicketOutputSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="display")
    window = serializers.CharField(source="window.number", default=None)

    class Meta:
        model = Ticket
        fields = ["id", "number", "state", "priority", "green_reason", "window", "taken_at"]


class HallTransferInputSerializer(serializers.Serializer):
    group = serializers.IntegerField(min_value=1)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class HallHardCaseInputSerializer(serializers.Serializer):
    hall = serializers.IntegerField(min_value=1)
    contact_name = serializers.CharField(max_length=64)
    problem = serializers.CharField(max_length=4000)
    cause = serializers.ChoiceField(choices=HardCaseCause.choices)
    item = serializers.IntegerField(min_value=1, required=False)


class HallAssignInputSerializer(serializers.Serializer):
    coordinator = serializers.IntegerField(min_value=1)
    deadline = serializers.DateField(required=False)


class HallConcludeInputSerializer(serializers.Serializer):
    resolved = serializers.BooleanField()
    outcome = serializers.CharField(max_length=4000)


class HallFeedbackInputSerializer(serializers.Serializer):
    feedback = serializers.ChoiceField(choices=Feedback.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class HallHardCaseOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = HardCase
        fields = [
            "id",
            "number",
            "state",
            "cause",
            "problem",
            "deadline",
            "coordinator",
            "outcome",
            "feedback",
            "escalated_at",
        ]


class HallOpinionInputSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=4000)
    hall = serializers.IntegerField(min_value=1, required=False)
    window = serializers.IntegerField(min_value=1, required=False)
    item = serializers.IntegerField(min_value=1, required=False)


class HallOpinionConfirmInputSerializer(serializers.Serializer):
    satisfied = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class HallOpinionOutputSerializer(serializers.ModelSerializer):
    hall = serializers.CharField(source="hall.center.name", default=None)
    window = serializers.CharField(source="window.number", default=None)
    item = serializers.CharField(source="item.name", default=None)
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = Opinion
        fields = [
            "id",
            "content",
            "hall",
            "window",
            "item",
            "state",
            "state_label",
            "due_on",
            "answer",
            "answered_at",
            "confirmation",
            "created_at",
        ]
