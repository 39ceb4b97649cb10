"""Input shapes are checked here; domain rules are the services' (CONVENTIONS)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from apps.applications.models import (
    Application,
    ApplicationMaterial,
    Channel,
    Extension,
    TimelineEvent,
)
from apps.applications.selectors import remaining_working_days, warning_level
from apps.applications.services import RejectionGround
from apps.applications.workflow import State
from apps.catalogue.models import SpecialProcedure

# --- Output --------------------------------------------------------------------------------


class ApplicationOutputSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    guide_version = serializers.IntegerField(source="guide.version", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    # Empty until the case ends: the schema must say so, not promise one of the states.
    outcome = serializers.ChoiceField(
        choices=State.choices,
        allow_blank=True,
        read_only=True,
        label=Application._meta.get_field("outcome").verbose_name,
    )
    warning_level = serializers.SerializerMethodField()
    remaining_working_days = serializers.SerializerMethodField()
    deadline_provisional = serializers.BooleanField(
        read_only=True,
        help_text="按暂定日历计算：期限所在年度的法定节假日安排尚未发布，"
        "暂按周一至周五计算；该年度发布后重新计算。",
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "item",
            "item_name",
            "guide",
            "guide_version",
            "department",
            "department_name",
            "applicant_name",
            "applicant_type",
            "channel",
            "state",
            "state_display",
            "outcome",
            "is_immediate",
            "submitted_at",
            "accepted_at",
            "deemed_accepted",
            "intake_due_date",
            "due_date",
            "deadline_provisional",
            "extension_days",
            "warning_level",
            "remaining_working_days",
            "decided_at",
            "archived_at",
            "supplement_due_date",
        ]
        read_only_fields = fields

    def get_warning_level(self, obj: Application) -> str:
        return getattr(obj, "level", None) or warning_level(obj)

    def get_remaining_working_days(self, obj: Application) -> int | None:
        return remaining_working_days(obj)


def _datetime(value: datetime | None) -> str | None:
    """As DRF's ``DateTimeField`` writes it: ISO 8601 in the current time zone."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def application_list_items(applications: Iterable[Application]) -> list[dict[str, Any]]:
    """``ApplicationOutputSerializer(applications, many=True).data``, built as plain dicts
    (issue 16: DRF's per-field machinery was most of the list endpoint's time). The
    serializer stays the schema; a test holds the two to the same output."""
    today = timezone.localdate()
    state_labels: dict[str, str] = {}
    items = []
    for app in applications:
        state = app.state
        if state not in state_labels:
            state_labels[state] = str(State(state).label)
        items.append(
            {
                "id": app.pk,
                "number": app.number,
                "item": app.item_id,
                "item_name": app.item.name,
                "guide": app.guide_id,
                "guide_version": app.guide.version,
                "department": app.department_id,
                "department_name": app.department.name,
                "applicant_name": app.applicant_name,
                "applicant_type": app.applicant_type,
                "channel": app.channel,
                "state": state,
                "state_display": state_labels[state],
                "outcome": app.outcome,
                "is_immediate": app.is_immediate,
                "submitted_at": _datetime(app.submitted_at),
                "accepted_at": _datetime(app.accepted_at),
                "deemed_accepted": app.deemed_accepted,
                "intake_due_date": _date(app.intake_due_date),
                "due_date": _date(app.due_date),
                "deadline_provisional": app.deadline_provisional,
                "extension_days": app.extension_days,
                "warning_level": getattr(app, "level", None) or warning_level(app, today),
                "remaining_working_days": remaining_working_days(app, today),
                "decided_at": _datetime(app.decided_at),
                "archived_at": _datetime(app.archived_at),
                "supplement_due_date": _date(app.supplement_due_date),
            }
        )
    return items


class MaterialOutputSerializer(serializers.ModelSerializer):
    guide_material_name = serializers.CharField(source="guide_material.name", read_only=True)

    class Meta:
        model = ApplicationMaterial
        fields = [
            "id",
            "guide_material",
            "guide_material_name",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "reused_from",
            "e_licence_reference",
            "created_at",
        ]
        read_only_fields = fields


class TimelineEventOutputSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    to_state_display = serializers.CharField(source="get_to_state_display", read_only=True)
    # Staff are named by role on the applicant's view, not by name.
    actor = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "from_state",
            "to_state",
            "to_state_display",
            "actor",
            "reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_actor(self, obj: TimelineEvent) -> str:
        if obj.actor_id is None:
            return "系统"
        if self.context.get("for_applicant") and obj.actor_id != self.context.get("user_id"):
            return "工作人员"
        return obj.actor.full_name


class ApplicationDetailOutputSerializer(ApplicationOutputSerializer):
    materials = MaterialOutputSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField()

    class Meta(ApplicationOutputSerializer.Meta):
        fields = [*ApplicationOutputSerializer.Meta.fields, "materials", "timeline"]
        read_only_fields = fields

    def get_timeline(self, obj: Application) -> list[dict]:
        events = self.context["timeline"]
        return TimelineEventOutputSerializer(events, many=True, context=self.context).data


class SupervisionOverviewOutputSerializer(serializers.Serializer):
    """A15: what the supervision overview answers, each list capped at its first 100."""

    overdue = ApplicationOutputSerializer(many=True, read_only=True)
    due_soon = ApplicationOutputSerializer(many=True, read_only=True)


class ExtensionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["id", "application", "days", "reason", "status", "decided_at"]
        read_only_fields = fields


# --- Input -------------------------------------------------------------------------------


class DraftCreateInputSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    company_id = serializers.IntegerField(required=False, allow_null=True)
    channel = serializers.ChoiceField(
        choices=[Channel.ONLINE, Channel.MOBILE], default=Channel.ONLINE
    )


class MaterialUploadInputSerializer(serializers.Serializer):
    guide_material_id = serializers.IntegerField()
    file = serializers.FileField()


class MaterialReuseInputSerializer(serializers.Serializer):
    guide_material_id = serializers.IntegerField()
    source_material_id = serializers.IntegerField(required=False, allow_null=True)
    e_licence_reference = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitInputSerializer(serializers.Serializer):
    idempotency_key = serializers.CharField(required=False, allow_blank=True, max_length=64)


class WindowCreateInputSerializer(serializers.Serializer):
    applicant_id = serializers.IntegerField()
    item_id = serializers.IntegerField()
    company_id = serializers.IntegerField(required=False, allow_null=True)
    channel = serializers.ChoiceField(
        choices=[Channel.WINDOW, Channel.ASSISTED], default=Channel.WINDOW
    )
    idempotency_key = serializers.CharField(max_length=64)


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class TransferInputSerializer(serializers.Serializer):
    right_department_id = serializers.IntegerField()
    reason = serializers.CharField()


class CorrectOnSpotInputSerializer(serializers.Serializer):
    corrections = serializers.CharField()


class TolerantAcceptInputSerializer(serializers.Serializer):
    missing_material_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    pledge_signed = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectInputSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=list(RejectionGround.LABELS.items()))
    reasons = serializers.CharField()


class CorrectionItemInputSerializer(serializers.Serializer):
    guide_material_id = serializers.IntegerField()
    reason = serializers.CharField(max_length=300)


class RequestCorrectionInputSerializer(serializers.Serializer):
    items = CorrectionItemInputSerializer(many=True, allow_empty=False)
    deadline = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResultInputSerializer(serializers.Serializer):
    result_text = serializers.CharField(required=False, allow_blank=True, default="")
    # The result template's decision fields by key (e.g. {"business_scope": "…",
    # "valid_from": "2026-12-01"}); checked by the service.
    decision = serializers.DictField(required=False, default=dict)


class SuspendInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SpecialProcedure.Kind.choices)
    reason = serializers.CharField()


class ExtensionRequestInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()


class ExtensionDecisionInputSerializer(serializers.Serializer):
    approved = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DenyInputSerializer(serializers.Serializer):
    reasons = serializers.CharField()
