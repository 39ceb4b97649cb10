"""Input and output shapes of the pledge API; the rules are in the services."""

from __future__ import annotations

from rest_framework import serializers

from apps.pledges.models import CreditRecord, Pledge, SubjectKind, VerificationTask


class RouteOutputSerializer(serializers.Serializer):
    offered = serializers.BooleanField()
    reason = serializers.CharField()
    needs_login = serializers.BooleanField()
    pledge_text = serializers.CharField()
    liability_text = serializers.CharField()
    certificates = serializers.ListField(child=serializers.DictField())
    text_sha256 = serializers.CharField()


class SignInputSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=64)
    company = serializers.IntegerField(required=False, allow_null=True)
    signed_name = serializers.CharField(max_length=64)
    text_sha256 = serializers.CharField(max_length=64)


class PledgeOutputSerializer(serializers.ModelSerializer):
    application_number = serializers.CharField(source="application.number")
    document_number = serializers.CharField(source="document.number")

    class Meta:
        model = Pledge
        fields = [
            "id",
            "application",
            "application_number",
            "kind",
            "pledge_text",
            "liability_text",
            "certificates",
            "signed_name",
            "subject_name",
            "signed_at",
            "document_number",
        ]


class DecisionInputSerializer(serializers.Serializer):
    result_text = serializers.CharField(required=False, allow_blank=True, default="")
    decision = serializers.DictField(required=False, allow_null=True)


class TerminateInputSerializer(serializers.Serializer):
    reasons = serializers.CharField()
    basis = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    state = serializers.CharField()


class TaskOutputSerializer(serializers.ModelSerializer):
    application_number = serializers.CharField(source="application.number")

    class Meta:
        model = VerificationTask
        fields = [
            "id",
            "application",
            "application_number",
            "department",
            "item",
            "state",
            "due_date",
            "inspector",
            "selection",
            "sample_percent",
            "sample_value",
            "rectify_deadline",
            "false_pledge",
            "closed_at",
        ]


class CheckInputSerializer(serializers.Serializer):
    compliant = serializers.BooleanField()
    evidence = serializers.CharField()
    place = serializers.CharField(max_length=200)
    inspected_on = serializers.DateField()
    evidence_file = serializers.FileField(required=False, allow_null=True)
    rectify_items = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list
    )
    rectify_days = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class AssignInputSerializer(serializers.Serializer):
    inspector = serializers.IntegerField()


class RevokeInputSerializer(serializers.Serializer):
    reasons = serializers.CharField()
    false_pledge = serializers.BooleanField(default=True)
    basis = serializers.CharField(required=False, allow_blank=True, default="")


class CreditRecordInputSerializer(serializers.Serializer):
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices)
    identifier = serializers.CharField(max_length=18)
    subject_name = serializers.CharField(max_length=200)
    basis = serializers.CharField()
    reason = serializers.CharField()


class CreditRecordOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditRecord
        fields = [
            "id",
            "subject_kind",
            "subject_name",
            "masked_identifier",
            "source",
            "basis",
            "reason",
            "recorded_on",
            "repairable_on",
            "expires_on",
            "status",
        ]


class RepairInputSerializer(serializers.Serializer):
    reasons = serializers.CharField()
    evidence = serializers.FileField(required=False, allow_null=True)


class RepairDecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RepairOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    record = serializers.IntegerField(source="record_id")
    status = serializers.CharField()


class PledgeFigureRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    approvals = serializers.IntegerField()
    checked = serializers.IntegerField()
    coverage = serializers.FloatField()
    non_compliant = serializers.IntegerField()
    non_compliance_rate = serializers.FloatField()
    revoked = serializers.IntegerField()
    false_pledges = serializers.IntegerField()
    false_pledge_rate = serializers.FloatField()


class PledgeFiguresOutputSerializer(serializers.Serializer):
    by = serializers.CharField()
    rows = PledgeFigureRowSerializer(many=True)
