"""The pledge route over the API: the offer, the signature, and one POST per staff action
(``/api/v1/pledges/verifications/{id}/check`` …), with the web's permission rules (the
services check them). Errors come out in the one shape of ``apps.common.api``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.catalogue.models import ServiceItem
from apps.catalogue.selectors import guide_get_published
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.pledges import selectors, services
from apps.pledges.api import serializers as s
from apps.pledges.models import CreditRecord, VerificationTask

TAGS_PUBLIC = ["告知承诺"]
TAGS_STAFF = ["告知承诺（工作人员）"]


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _guide(code: str):
    if "\x00" in code:
        raise serializers.ValidationError({"item": [_("无效的取值。")]})
    item = ServiceItem.objects.filter(code=code, is_active=True).first()
    guide = guide_get_published(item) if item else None
    if guide is None:
        # A query parameter naming nothing is bad input (400), as for the other filters.
        raise ApplicationError(
            _("事项不存在或未发布办事指南。"), code="unknown_item", extra={"item": "unknown"}
        )
    return guide


def _state(application) -> Response:
    return Response(
        s.ApplicationStateSerializer(
            {"id": application.pk, "number": application.number, "state": application.state}
        ).data
    )


class RouteApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="是否可选择告知承诺办理，及承诺内容",
        parameters=[OpenApiParameter("item", str, required=True, description="事项编码")],
        responses=s.RouteOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        guide = _guide(request.query_params.get("item", ""))
        offer = selectors.pledge_route_for(guide=guide, user=request.user)
        certificates = selectors.certificates_of(guide)
        return Response(
            s.RouteOutputSerializer(
                {
                    "offered": offer.offered,
                    "reason": offer.reason,
                    "needs_login": offer.needs_login,
                    "pledge_text": guide.pledge_text if guide.pledge_enabled else "",
                    "liability_text": guide.pledge_liability_text if guide.pledge_enabled else "",
                    "certificates": [
                        {"name": c.material.name, "matter": c.certified_matter}
                        for c in certificates
                    ],
                    "text_sha256": selectors.pledge_digest(guide, certificates),
                }
            ).data
        )


class SignApi(APIView):
    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="签署告知承诺书并开始申请",
        request=s.SignInputSerializer,
        responses={201: s.PledgeOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.SignInputSerializer, request.data)
        guide = _guide(data["item"])
        pledge = services.pledge_start(
            actor=request.user,
            item_id=guide.item_id,
            company_id=data.get("company"),
            signed_name=data["signed_name"],
            text_sha256=data["text_sha256"],
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        return Response(s.PledgeOutputSerializer(pledge).data, status=201)


class PledgeApproveApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="按告知承诺直接作出准予决定",
        request=s.DecisionInputSerializer,
        responses=s.ApplicationStateSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.DecisionInputSerializer, request.data)
        return _state(
            services.pledge_approve(
                application_id=pk,
                actor=request.user,
                result_text=data["result_text"],
                decision=data.get("decision"),
            )
        )


class PledgeTerminateApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="承诺不实，终止办理",
        request=s.TerminateInputSerializer,
        responses=s.ApplicationStateSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.TerminateInputSerializer, request.data)
        return _state(
            services.pledge_terminate(
                application_id=pk, actor=request.user, reasons=data["reasons"], basis=data["basis"]
            )
        )


class VerificationListApi(generics.ListAPIView):
    serializer_class = s.TaskOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VerificationTask.objects.none()
        if not self.request.user.has_perm("pledges.view_verificationtask"):
            raise PermissionDeniedError()
        qs = selectors.verification_list(user=self.request.user).order_by("due_date", "id")
        state = self.request.query_params.get("state", "")
        return qs.filter(state=state) if state and "\x00" not in state else qs

    @extend_schema(tags=TAGS_STAFF, summary="核查任务（本部门）")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class VerificationCheckApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS_STAFF,
        summary="记录核查结论（合格 / 责令整改 / 整改后仍不符合）",
        request=s.CheckInputSerializer,
        responses=s.TaskOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.CheckInputSerializer, request.data)
        task = services.verification_record(task_id=pk, actor=request.user, **data)
        return Response(s.TaskOutputSerializer(task).data)


class VerificationAssignApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="指派核查人员",
        request=s.AssignInputSerializer,
        responses=s.TaskOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.AssignInputSerializer, request.data)
        task = services.verification_assign(
            task_id=pk, actor=request.user, inspector_id=data["inspector"]
        )
        return Response(s.TaskOutputSerializer(task).data)


class VerificationRevokeApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="撤销按告知承诺作出的许可决定",
        request=s.RevokeInputSerializer,
        responses=s.TaskOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.RevokeInputSerializer, request.data)
        task = services.verification_revoke(task_id=pk, actor=request.user, **data)
        return Response(s.TaskOutputSerializer(task).data)


class CreditRecordCreateApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="录入失信记录",
        request=s.CreditRecordInputSerializer,
        responses={201: s.CreditRecordOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.CreditRecordInputSerializer, request.data)
        record = services.credit_record_create(actor=request.user, **data)
        return Response(s.CreditRecordOutputSerializer(record).data, status=201)


class MyCreditRecordsApi(generics.ListAPIView):
    serializer_class = s.CreditRecordOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CreditRecord.objects.none()
        return selectors.credit_records_for_subject(user=self.request.user).order_by("-id")

    @extend_schema(tags=TAGS_PUBLIC, summary="我的信用记录")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class CreditRepairApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="申请信用修复（须附证明材料）",
        request={"multipart/form-data": s.RepairInputSerializer},
        responses={201: s.RepairOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.RepairInputSerializer, request.data)
        repair = services.credit_repair_request(
            actor=request.user, record_id=pk, reasons=data["reasons"], evidence=data.get("evidence")
        )
        return Response(s.RepairOutputSerializer(repair).data, status=201)


class RepairDecideApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="审核信用修复申请",
        request=s.RepairDecisionInputSerializer,
        responses=s.RepairOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.RepairDecisionInputSerializer, request.data)
        repair = services.credit_repair_decide(actor=request.user, request_id=pk, **data)
        return Response(s.RepairOutputSerializer(repair).data)


class FiguresApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="告知承诺统计（按部门或事项）",
        parameters=[OpenApiParameter("by", str, enum=["department", "item"])],
        responses=s.PledgeFiguresOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("pledges.view_pledge_figures"):
            raise PermissionDeniedError()
        by = "item" if request.query_params.get("by") == "item" else "department"
        rows = [r.as_dict() for r in selectors.pledge_figures(by=by)]
        return Response(s.PledgeFiguresOutputSerializer({"by": by, "rows": rows}).data)
