"""Tolerant acceptance over the API: one POST per action, the same services and therefore
the same permission rules as the web; refusals in the one error shape of apps.common.api."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.applications.api.serializers import ApplicationOutputSerializer
from apps.applications.selectors import application_get_visible
from apps.common.errors import PermissionDeniedError
from apps.tolerance import selectors, services
from apps.tolerance.api import serializers as s
from apps.tolerance.models import MaterialSupply

TAGS = ["容缺受理"]
FIGURES_PERMISSION = "applications.view_all_applications"


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _client_ip(request: Request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class SupplyListApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="容缺材料补齐情况",
        responses=s.ToleranceSupplyListOutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        application = application_get_visible(user=request.user, application_id=pk)
        rows = selectors.supply_rows(application=application, today=timezone.localdate())
        data = {
            "withheld": selectors.result_withheld_reason(application),
            "pledge": selectors.pledge_for(application),
            "supplies": [
                {
                    "supply": r.supply,
                    "days_left": r.days_left,
                    "level": r.level,
                    "can_upload": r.can_upload,
                }
                for r in rows
            ],
        }
        return Response(s.ToleranceSupplyListOutputSerializer(data).data)


class PledgeOfferApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="待签署的容缺受理承诺书全文",
        responses=s.TolerancePledgeOfferOutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        application = application_get_visible(user=request.user, application_id=pk)
        materials = services.pledge_materials(application)
        text = services.pledge_text(application, materials)
        data = {
            "text": text,
            "text_sha256": services.pledge_digest(text),
            "material_ids": [m.pk for m in materials],
        }
        return Response(s.TolerancePledgeOfferOutputSerializer(data).data)


class PledgeSignApi(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="申请人签署容缺受理承诺书",
        request=s.TolerancePledgeSignInputSerializer,
        responses={201: s.TolerancePledgeOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.TolerancePledgeSignInputSerializer, request.data)
        pledge = services.pledge_sign_online(
            application_id=pk, actor=request.user, ip_address=_client_ip(request), **data
        )
        return Response(
            s.TolerancePledgeOutputSerializer(pledge).data, status=status.HTTP_201_CREATED
        )


class TolerantAcceptApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="窗口容缺受理：网上承诺或纸质签字见证并上传扫描件",
        request={"multipart/form-data": s.ToleranceAcceptInputSerializer},
        responses=ApplicationOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.ToleranceAcceptInputSerializer, request.data)
        application = services.tolerant_accept(application_id=pk, actor=request.user, **data)
        return Response(ApplicationOutputSerializer(application).data)


class SupplementSubmitApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="补交容缺材料",
        request={"multipart/form-data": s.ToleranceSupplementUploadInputSerializer},
        responses={201: s.ToleranceSupplementOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.ToleranceSupplementUploadInputSerializer, request.data)
        supplement = services.supplement_submit(
            application_id=pk,
            guide_material_id=data["guide_material_id"],
            actor=request.user,
            upload=data["file"],
        )
        return Response(
            s.ToleranceSupplementOutputSerializer(supplement).data, status=status.HTTP_201_CREATED
        )


class SupplementAcceptApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="核验通过补交材料",
        request=None,
        responses=s.ToleranceSupplementOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        supplement = services.supplement_accept(supplement_id=pk, actor=request.user)
        return Response(s.ToleranceSupplementOutputSerializer(supplement).data)


class SupplementRejectApi(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="补交材料不符合要求（写明理由，期限不变）",
        request=s.ToleranceSupplementRejectInputSerializer,
        responses=s.ToleranceSupplementOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.ToleranceSupplementRejectInputSerializer, request.data)
        supplement = services.supplement_reject(
            supplement_id=pk, actor=request.user, reason=data["reason"]
        )
        return Response(s.ToleranceSupplementOutputSerializer(supplement).data)


class SupplyQueueApi(generics.ListAPIView):
    """The window's queue: outstanding supplies of the caller's departments, by deadline."""

    serializer_class = s.ToleranceSupplyOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return MaterialSupply.objects.none()
        user = self.request.user
        if not user.has_perm("applications.intake_application"):
            raise PermissionDeniedError()
        filters = _validated(s.ToleranceQueueFilterSerializer, self.request.query_params)
        return selectors.supply_queue_for_staff(
            user=user,
            state=filters.get("state", ""),
            item_id=filters.get("item"),
            department_id=filters.get("department"),
            overdue_on=timezone.localdate() if filters.get("overdue") else None,
        )

    @extend_schema(
        tags=TAGS,
        summary="待补齐容缺材料队列（按期限）",
        parameters=[s.ToleranceQueueFilterSerializer],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class FiguresApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="容缺受理监督数据（按部门、事项）",
        responses=s.ToleranceFigureOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm(FIGURES_PERMISSION):
            raise PermissionDeniedError()
        rows = selectors.supply_figures(user=request.user)
        return Response(s.ToleranceFigureOutputSerializer(rows, many=True).data)
