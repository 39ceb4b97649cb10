"""智能问答 over the API: ask a question (public), say whether the answer helped.

Errors come out in the one shape of ``apps.common.api``.
"""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.assistant import services
from apps.assistant.api import serializers as s

TAGS = ["智能问答"]


class AskThrottle(AnonRateThrottle):
    rate = "60/min"


class AskApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AskThrottle]

    @extend_schema(
        tags=TAGS,
        summary="提问：引用已发布的指南、一件事、知识库和政策原文作答，并给出可申请的事项",
        request=s.AskInputSerializer,
        responses={200: s.AnswerOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.AskInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question, answer = services.question_ask(
            text=data.validated_data["question"], channel=data.validated_data["channel"]
        )
        fallback = None
        if not answer.answered:
            fallback = {
                "hotline": getattr(settings, "HOTLINE_NUMBER", "12345"),
                "web_form": reverse("hotline:submit"),
            }
        body = {
            "answered": answer.answered,
            "question": question.text,
            "feedback_token": question.feedback_token,
            "quotes": [asdict(q) for q in answer.quotes],
            "bundle": asdict(answer.bundle) if answer.bundle else None,
            "items": [asdict(i) for i in answer.items],
            "fallback": fallback,
        }
        return Response(s.AnswerOutputSerializer(body).data)


class FeedbackApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AskThrottle]

    @extend_schema(
        tags=TAGS,
        summary="评价回答：有帮助 / 没帮助（凭提问时返回的 feedback_token，一次）",
        request=s.FeedbackInputSerializer,
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        data = s.FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.question_feedback(
            token=data.validated_data["token"], helpful=data.validated_data["helpful"]
        )
        return Response(status=204)
