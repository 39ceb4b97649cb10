"""Input shapes are checked here; domain rules are the services' (CONVENTIONS)."""

from __future__ import annotations

from rest_framework import serializers

from apps.policies.criteria import SubjectKind, describe, parse_criteria
from apps.policies.models import Entitlement, LegalGround, Policy, PolicyClaim, PolicyHaltRequest
from apps.policies.workflow import HaltAction

# --- Output --------------------------------------------------------------------------------


class PolicyOutputSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    policy_class_display = serializers.CharField(source="get_policy_class_display", read_only=True)
    fulfilment_display = serializers.CharField(source="get_fulfilment_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    service_item_code = serializers.CharField(
        source="service_item.code", read_only=True, default=None
    )

    class Meta:
        model = Policy
        fields = [
            "id",
            "code",
            "title",
            "policy_class",
            "policy_class_display",
            "department_name",
            "document_number",
            "subject_kind",
            "fulfilment",
            "fulfilment_display",
            "service_item_code",
            "valid_from",
            "valid_until",
            "state",
            "state_display",
            "amount",
        ]
        read_only_fields = fields


class PolicyDetailOutputSerializer(PolicyOutputSerializer):
    criteria_text = serializers.SerializerMethodField()

    class Meta(PolicyOutputSerializer.Meta):
        fields = [
            *PolicyOutputSerializer.Meta.fields,
            "summary",
            "benefit",
            "conditions_text",
            "procedure_text",
            "time_limit_text",
            "legal_basis",
            "contact",
            "criteria",
            "criteria_text",
        ]
        read_only_fields = fields

    def get_criteria_text(self, policy: Policy) -> list[str]:
        return [describe(c) for c in parse_criteria(policy.subject_kind, policy.criteria)]


class EntitlementOutputSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "policy",
            "notice_number",
            "state",
            "state_display",
            "amount",
            "decided_at",
            "paid_at",
            "payment_reference",
        ]
        read_only_fields = fields


class ClaimOutputSerializer(serializers.ModelSerializer):
    application_number = serializers.CharField(source="application.number", read_only=True)
    application_state = serializers.CharField(source="application.state", read_only=True)

    class Meta:
        model = PolicyClaim
        fields = ["id", "policy", "application", "application_number", "application_state"]
        read_only_fields = fields


class HaltRequestOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyHaltRequest
        fields = [
            "id",
            "policy",
            "action",
            "legal_ground",
            "legal_basis",
            "reason",
            "state",
            "requested_by",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class ReasonOutputSerializer(serializers.Serializer):
    text = serializers.CharField()
    met = serializers.BooleanField()
    actual = serializers.CharField()


class MyPolicyOutputSerializer(serializers.Serializer):
    match_id = serializers.IntegerField(source="match.pk")
    policy = PolicyOutputSerializer()
    reasons = ReasonOutputSerializer(many=True)
    entitlement = EntitlementOutputSerializer(allow_null=True)
    claim = ClaimOutputSerializer(allow_null=True)


class CriteriaCountOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    criteria_text = serializers.ListField(child=serializers.CharField())


# --- Input ---------------------------------------------------------------------------------


class PolicyNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PolicyReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class EntitlementPaymentInputSerializer(serializers.Serializer):
    payment_reference = serializers.CharField(allow_blank=True, max_length=64)


class HaltRequestInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=HaltAction.choices)
    legal_ground = serializers.ChoiceField(choices=LegalGround.choices)
    legal_basis = serializers.CharField(allow_blank=True, max_length=2000)
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class CriteriaCountInputSerializer(serializers.Serializer):
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices)
    criteria = serializers.JSONField()


class FigureCountsSerializer(serializers.Serializer):
    matched = serializers.IntegerField()
    pushed = serializers.IntegerField()
    delivered = serializers.IntegerField()
    claimed = serializers.IntegerField()
    declined = serializers.IntegerField()
    granted = serializers.IntegerField()
    paid = serializers.IntegerField()


class DepartmentFiguresSerializer(FigureCountsSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    policies = serializers.IntegerField()


class PolicyFiguresSerializer(FigureCountsSerializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    department = serializers.CharField()
    fulfilment = serializers.CharField()
    state = serializers.CharField()


class FiguresOutputSerializer(serializers.Serializer):
    """The supervisors' dashboard panel (issue #12 charts it)."""

    generated_at = serializers.CharField()
    figures = serializers.ListField(child=serializers.CharField())
    totals = FigureCountsSerializer()
    departments = DepartmentFiguresSerializer(many=True)
    policies = PolicyFiguresSerializer(many=True)
