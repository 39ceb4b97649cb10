"""Input and output shapes of the tolerance API; the rules are the services' (C6)."""

from __future__ import annotations

from rest_framework import serializers

from apps.tolerance.models import MaterialSupply, Pledge, Supplement
from apps.tolerance.workflow import SupplyState


class TolerancePledgeSignInputSerializer(serializers.Serializer):
    signer_name = serializers.CharField(max_length=100, allow_blank=True)
    text_sha256 = serializers.CharField(max_length=64)
    confirmed = serializers.BooleanField()


class TolerancePledgeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pledge
        fields = [
            "id",
            "channel",
            "text",
            "text_sha256",
            "signer_name",
            "signed_at",
            "material_ids",
        ]


class TolerancePledgeOfferOutputSerializer(serializers.Serializer):
    text = serializers.CharField()
    text_sha256 = serializers.CharField()
    material_ids = serializers.ListField(child=serializers.IntegerField())


class ToleranceAcceptInputSerializer(serializers.Serializer):
    missing_material_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    signer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    scan = serializers.FileField(required=False)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class ToleranceSupplementUploadInputSerializer(serializers.Serializer):
    guide_material_id = serializers.IntegerField()
    file = serializers.FileField()


class ToleranceSupplementRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True)


class ToleranceSupplementOutputSerializer(serializers.ModelSerializer):
    filename = serializers.CharField(source="material.original_filename")

    class Meta:
        model = Supplement
        fields = ["id", "supply", "result", "reason", "filename", "created_at", "checked_at"]


class ToleranceSupplyOutputSerializer(serializers.ModelSerializer):
    application_id = serializers.IntegerField()
    guide_material_id = serializers.IntegerField(source="tolerated.guide_material_id")
    name = serializers.CharField(source="tolerated.guide_material.name")
    due_date = serializers.DateField(source="tolerated.due_date")
    state_label = serializers.SerializerMethodField()

    class Meta:
        model = MaterialSupply
        fields = [
            "id",
            "application_id",
            "guide_material_id",
            "name",
            "due_date",
            "state",
            "state_label",
            "reason",
        ]

    def get_state_label(self, supply: MaterialSupply) -> str:
        return str(SupplyState(supply.state).label)


class ToleranceSupplyRowOutputSerializer(serializers.Serializer):
    supply = ToleranceSupplyOutputSerializer()
    days_left = serializers.IntegerField(allow_null=True)
    level = serializers.CharField()
    can_upload = serializers.BooleanField()


class ToleranceSupplyListOutputSerializer(serializers.Serializer):
    withheld = serializers.CharField(allow_null=True)
    pledge = TolerancePledgeOutputSerializer(allow_null=True)
    supplies = ToleranceSupplyRowOutputSerializer(many=True)


class ToleranceQueueFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[SupplyState.MISSING, SupplyState.SUBMITTED, SupplyState.REJECTED],
        required=False,
    )
    item = serializers.IntegerField(required=False, min_value=1)
    department = serializers.IntegerField(required=False, min_value=1)
    overdue = serializers.BooleanField(required=False)


class ToleranceFigureOutputSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    department = serializers.CharField()
    item_id = serializers.IntegerField()
    item = serializers.CharField()
    tolerant_acceptances = serializers.IntegerField()
    materials = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    revocations = serializers.IntegerField()
    average_days_to_supply = serializers.FloatField(allow_null=True)
