"""Output serializers of the public catalogue API (read-only, C6: one source for every
channel)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import Department
from apps.catalogue import rules
from apps.catalogue.models import (
    Bundle,
    BundleStep,
    GuideMaterial,
    GuideStep,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
    Topic,
)
from apps.catalogue.selectors import published_guide_of


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name"]


class TopicSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Topic
        fields = ["code", "name", "kind", "kind_display", "order"]


class MaterialSerializer(serializers.ModelSerializer):
    importance_display = serializers.CharField(source="get_importance_display")
    reuse_display = serializers.CharField(source="get_reuse_display")

    class Meta:
        model = GuideMaterial
        fields = [
            "id",
            "order",
            "name",
            "description",
            "originals",
            "copies",
            "electronic_formats",
            "max_size_mb",
            "is_required",
            "importance",
            "importance_display",
            "supplement_days",
            "reuse",
            "reuse_display",
            "e_licence_type",
        ]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuideStep
        fields = ["order", "name", "description", "time_limit_days"]


class SpecialProcedureSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = SpecialProcedure
        fields = ["kind", "kind_display", "time_limit_days", "description"]


class GuideSerializer(serializers.ModelSerializer):
    result_type_display = serializers.CharField(source="get_result_type_display")
    tongban_scope_display = serializers.CharField(source="get_tongban_scope_display")
    materials = MaterialSerializer(many=True)
    steps = StepSerializer(many=True)
    special_procedures = SpecialProcedureSerializer(many=True)

    class Meta:
        model = ServiceGuide
        fields = [
            "version",
            "published_at",
            "acceptance_conditions",
            "review_standards",
            "legal_time_limit_days",
            "promised_time_limit_days",
            "is_immediate",
            "result_name",
            "result_type",
            "result_type_display",
            "fee_required",
            "fee_standard",
            "fee_basis",
            "online_available",
            "window_available",
            "mobile_available",
            "post_available",
            "tongban_scope",
            "tongban_scope_display",
            "appointment",
            "max_visits",
            "where_to_apply",
            "office_hours",
            "consultation",
            "complaint",
            "tolerance_note",
            "pledge_enabled",
            "pledge_text",
            "pledge_liability_text",
            "pledge_verification_days",
            "materials",
            "steps",
            "special_procedures",
        ]


class GuideSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceGuide
        fields = [
            "version",
            "promised_time_limit_days",
            "legal_time_limit_days",
            "is_immediate",
            "online_available",
            "max_visits",
            "pledge_enabled",
        ]


class ItemListSerializer(serializers.ModelSerializer):
    item_type_display = serializers.CharField(source="get_item_type_display")
    target_display = serializers.CharField(source="get_target_display")
    implementing_department = DepartmentRefSerializer()
    competent_department = DepartmentRefSerializer()
    topics = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    guide = serializers.SerializerMethodField()

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "name",
            "item_type",
            "item_type_display",
            "target",
            "target_display",
            "implementing_department",
            "competent_department",
            "level",
            "topics",
            "guide",
        ]

    @extend_schema_field(GuideSummarySerializer(allow_null=True))
    def get_guide(self, item: ServiceItem):
        guide = published_guide_of(item)
        return GuideSummarySerializer(guide).data if guide else None


class ItemDetailSerializer(ItemListSerializer):
    risk_area_display = serializers.CharField(source="get_risk_area_display")

    class Meta(ItemListSerializer.Meta):
        fields = [
            *ItemListSerializer.Meta.fields,
            "legal_basis",
            "keywords",
            "risk_area",
            "risk_area_display",
        ]

    @extend_schema_field(GuideSerializer(allow_null=True))
    def get_guide(self, item: ServiceItem):
        guide = published_guide_of(item)
        return GuideSerializer(guide).data if guide else None


class BundleStepSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    department = DepartmentRefSerializer(source="item.implementing_department")
    promised_time_limit_days = serializers.SerializerMethodField()

    class Meta:
        model = BundleStep
        fields = ["stage", "item_code", "item_name", "department", "promised_time_limit_days"]

    def get_promised_time_limit_days(self, step: BundleStep) -> int | None:
        guides = getattr(step.item, "published_guides", None) or []
        return guides[0].promised_time_limit_days if guides else None


class BundleSerializer(serializers.ModelSerializer):
    lead_department = DepartmentRefSerializer()
    target_display = serializers.CharField(source="get_target_display")
    topics = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    computed_time_limit_days = serializers.SerializerMethodField()
    steps = BundleStepSerializer(many=True)

    class Meta:
        model = Bundle
        fields = [
            "code",
            "name",
            "description",
            "target",
            "target_display",
            "lead_department",
            "promised_time_limit_days",
            "computed_time_limit_days",
            "topics",
            "steps",
        ]

    def get_computed_time_limit_days(self, bundle: Bundle) -> int:
        """C8: serial stages add up, parallel steps take the longest."""
        return rules.bundle_computed_limit(bundle)
