"""Reviews over the API (DOMAIN R1, R3, R4): the app, self-service terminals and the
hotline's call-back submit reviews, each with its channel; staff take one POST per step of
a case or an appeal. Errors come out in the one shape of ``apps.common.api``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.reviews import services
from apps.reviews.api import serializers as s
from apps.reviews.models import ReviewTag
from apps.reviews.selectors import reviews as selectors

TAGS_PUBLIC = ["好差评（评价人）"]
TAGS_STAFF = ["好差评（工作人员）"]


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReviewSubmitApi(APIView):
    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="提交评价（移动端、自助终端、热线回访；一事一评）",
        request=s.ReviewSubmitInputSerializer,
        responses={201: s.ReviewOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.ReviewSubmitInputSerializer, request.data)
        user = request.user
        recording = user.has_perm("reviews.record_review")
        review = services.review_submit(
            event_id=data["event"],
            channel=data["channel"],
            level=data["level"],
            tags=data["tags"],
            text=data["text"],
            anonymous=data["anonymous"],
            # A recorder (hotline operator, terminal account) rates for an unnamed person.
            reviewer=None if recording else user,
            actor=user,
            source=request.META.get("REMOTE_ADDR", ""),
            at=data.get("reviewed_at"),
        )
        return Response(s.ReviewOutputSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewBatchSubmitApi(APIView):
    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="批量提交评价（评价器、省级平台；全部成功或全部不保存）",
        description=(
            "每条与单条提交同样校验（一事一评、差评原因、频次上限）；任何一条有误则整批"
            "不保存，错误中的 fields.index 为该条的序号（从0起）、fields.field 为字段。"
            "带 batch_id 重试已保存的批次时返回首次保存的结果（200，replayed=true）。"
        ),
        request=s.ReviewBatchInputSerializer,
        responses={201: s.ReviewBatchOutputSerializer, 200: s.ReviewBatchOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.ReviewBatchInputSerializer, request.data)
        items = [
            services.ReviewItem(
                event_id=item["event"],
                channel=item["channel"],
                level=item["level"],
                tags=item["tags"],
                text=item["text"],
                anonymous=item["anonymous"],
                at=item.get("reviewed_at"),
            )
            for item in data["items"]
        ]
        result = services.review_submit_batch(
            actor=request.user,
            items=items,
            source=request.META.get("REMOTE_ADDR", ""),
            batch_id=data["batch_id"],
        )
        body = {
            "batch_id": data["batch_id"],
            "replayed": result.replayed,
            "count": len(result.reviews),
            "reviews": result.reviews,
        }
        code = status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED
        return Response(s.ReviewBatchOutputSerializer(body).data, status=code)


class PendingEventListApi(generics.ListAPIView):
    serializer_class = s.EventOutputSerializer

    def get_queryset(self):
        return selectors.pending_events_for(user=self.request.user)

    @extend_schema(tags=TAGS_PUBLIC, summary="待评价的服务")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class MyReviewListApi(generics.ListAPIView):
    serializer_class = s.ReviewOutputSerializer

    def get_queryset(self):
        return selectors.reviews_of(user=self.request.user)

    @extend_schema(tags=TAGS_PUBLIC, summary="我的评价")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ReviewTagListApi(generics.ListAPIView):
    serializer_class = s.TagOutputSerializer
    pagination_class = None

    def get_queryset(self):
        return ReviewTag.objects.filter(is_active=True)

    @extend_schema(tags=TAGS_PUBLIC, summary="差评原因标签")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ReviewFollowUpApi(APIView):
    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="追评",
        request=s.ReviewFollowUpInputSerializer,
        responses={201: None},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.ReviewFollowUpInputSerializer, request.data)
        services.review_follow_up(review_id=pk, actor=request.user, text=data["text"])
        return Response(status=status.HTTP_201_CREATED)


# --- Staff ---------------------------------------------------------------------------------


class CaseListApi(generics.ListAPIView):
    serializer_class = s.CaseOutputSerializer

    def get_queryset(self):
        return selectors.case_scope_for_staff(user=self.request.user).order_by("due_on", "id")

    @extend_schema(tags=TAGS_STAFF, summary="本部门差评整改")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class _CaseStepApi(APIView):
    input_serializer: type[serializers.Serializer] = s.CaseNoteInputSerializer

    def run(self, pk: int, user, data: dict):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        data = _validated(self.input_serializer, request.data)
        case = self.run(pk, request.user, data)
        return Response(s.CaseOutputSerializer(case).data)


class CaseCallbackApi(_CaseStepApi):
    input_serializer = s.CaseCallbackInputSerializer

    @extend_schema(
        tags=TAGS_STAFF,
        summary="登记回访核实结果",
        request=s.CaseCallbackInputSerializer,
        responses=s.CaseOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def run(self, pk, user, data):
        return services.case_record_callback(case_id=pk, actor=user, **data)


class CaseRectifyApi(_CaseStepApi):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="登记整改完成",
        request=s.CaseNoteInputSerializer,
        responses=s.CaseOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def run(self, pk, user, data):
        return services.case_rectify(case_id=pk, actor=user, note=data["note"])


class CaseRevisitApi(_CaseStepApi):
    input_serializer = s.CaseRevisitInputSerializer

    @extend_schema(
        tags=TAGS_STAFF,
        summary="登记回访满意度",
        request=s.CaseRevisitInputSerializer,
        responses=s.CaseOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def run(self, pk, user, data):
        return services.case_revisit(case_id=pk, actor=user, **data)


class CaseSuperviseApi(_CaseStepApi):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="督办",
        request=s.CaseNoteInputSerializer,
        responses=s.CaseOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def run(self, pk, user, data):
        return services.case_supervise(case_id=pk, actor=user, note=data["note"])


class ReviewAppealApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="对评价提出申诉",
        request=s.ReviewAppealInputSerializer,
        responses={201: s.AppealOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.ReviewAppealInputSerializer, request.data)
        appeal = services.appeal_file(review_id=pk, actor=request.user, **data)
        return Response({"id": appeal.pk, "state": appeal.state}, status=status.HTTP_201_CREATED)


class AppealDecideApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="复核申诉",
        request=s.AppealDecideInputSerializer,
        responses=s.AppealOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.AppealDecideInputSerializer, request.data)
        appeal = services.appeal_decide(appeal_id=pk, actor=request.user, **data)
        return Response({"id": appeal.pk, "state": appeal.state})
