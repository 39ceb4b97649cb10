"""The online form over the API (在线填报, Q2): read the form of an application's guide
version with the answers and what is still missing; save the answers. The same service and
the same validator as the web pages (C6): a refused value comes back as
``{"error": {"code": "invalid_answers", "message": "<the specific reason>", "fields":
{"<key>": "<message>"}}}``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.applications import selectors, services
from apps.applications.completeness import answers_record, application_completeness
from apps.applications.models import Application

TAGS = ["办件（申请人）"]


class FormOutputSerializer(serializers.Serializer):
    definition = serializers.JSONField(help_text="申请表定义（docs/application-forms.md）")
    guide_version = serializers.IntegerField()
    answers = serializers.JSONField()
    prefill_sources = serializers.JSONField(help_text="预填来源：account / company / history")
    missing_fields = serializers.ListField(child=serializers.CharField())
    missing_materials = serializers.ListField(child=serializers.DictField())
    complete = serializers.BooleanField()
    incomplete_submission_allowed = serializers.BooleanField()


class AnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="以字段标识为键的填报内容")


def _form_data(application: Application) -> dict:
    completeness = application_completeness(application)
    record = answers_record(application)
    return {
        "definition": application.guide.application_form,
        "guide_version": application.guide.version,
        "answers": record.values if record else {},
        "prefill_sources": record.prefill_sources if record else {},
        "missing_fields": [f.key for f in completeness.missing_fields],
        "missing_materials": [
            {"id": m.pk, "name": m.name, "tolerable": m.is_tolerable}
            for m in completeness.missing_materials
        ],
        "complete": completeness.complete,
        "incomplete_submission_allowed": application.guide.incomplete_submission_allowed,
    }


class ApplicationFormApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(tags=TAGS, summary="申请表、已填内容与尚缺项目", responses=FormOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_get_visible(user=request.user, application_id=pk)
        return Response(FormOutputSerializer(_form_data(application)).data)

    @extend_schema(
        tags=TAGS,
        summary="保存申请表（草稿可缺必填项，填错的项逐项报错）",
        request=AnswersInputSerializer,
        responses=FormOutputSerializer,
    )
    def put(self, request: Request, pk: int) -> Response:
        serializer = AnswersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_save_answers(
            application_id=pk, actor=request.user, answers=serializer.validated_data["answers"]
        )
        application = selectors.application_get_visible(user=request.user, application_id=pk)
        return Response(FormOutputSerializer(_form_data(application)).data)
