"""Policies over the API: the public lists, 我的政策, and one POST per staff action
(``/api/v1/policies/{id}/publish`` …), never a generic "set status" (CONVENTIONS).

Errors come out in the one shape of ``apps.common.api``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.common.errors import PermissionDeniedError
from apps.policies import selectors, services
from apps.policies.api import serializers as s
from apps.policies.criteria import describe, parse_criteria
from apps.policies.models import Policy, PolicyClass

TAGS_PUBLIC = ["惠企利民政策"]
TAGS_MINE = ["我的政策"]
TAGS_STAFF = ["政策管理（工作人员）"]


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _query(request: Request, name: str, allowed: set[str] | None = None) -> str:
    value = request.query_params.get(name, "")
    if "\x00" in value or (allowed is not None and value and value not in allowed):
        raise serializers.ValidationError({name: [_("无效的取值。")]})
    return value


# --- Public --------------------------------------------------------------------------------


class PolicyListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.PolicyOutputSerializer

    def get_queryset(self) -> QuerySet[Policy]:
        return selectors.policy_list_public(
            policy_class=_query(self.request, "class", set(PolicyClass.values)),
            department_code=_query(self.request, "department"),
            validity=_query(self.request, "validity", {v for v, _l in selectors.Validity.CHOICES}),
        )

    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="政策清单（按类别、部门、有效期，PO1）",
        parameters=[
            OpenApiParameter("class", str, enum=PolicyClass.values),
            OpenApiParameter("department", str),
            OpenApiParameter("validity", str, enum=[v for v, _l in selectors.Validity.CHOICES]),
        ],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class PolicyDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS_PUBLIC, summary="政策详情（PO2）", responses=s.PolicyDetailOutputSerializer
    )
    def get(self, request: Request, code: str) -> Response:
        policy = selectors.policy_get_public(code=code)
        return Response(s.PolicyDetailOutputSerializer(policy).data)


# --- 我的政策 ---------------------------------------------------------------------------------


class MyPoliciesApi(APIView):
    @extend_schema(
        tags=TAGS_MINE,
        summary="我的政策：匹配的政策、逐条依据、待遇与申请（PO3、PO4）",
        parameters=[OpenApiParameter("subject", str, description="person 或 company-<id>")],
        responses=s.MyPolicyOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        subjects = selectors.subjects_for(request.user)
        key = _query(request, "subject", {x.key for x in subjects})
        subject = next((x for x in subjects if x.key == key), subjects[0] if subjects else None)
        if subject is None:
            return Response([])
        rows = selectors.my_policies(user=request.user, subject=subject)
        return Response(s.MyPolicyOutputSerializer(rows, many=True).data)


class ClaimApi(APIView):
    @extend_schema(
        tags=TAGS_MINE,
        summary="一键申请兑现（共享数据预填，PO4）",
        request=None,
        responses={201: s.ClaimOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        claim = services.policy_claim(actor=request.user, match_id=pk)
        return Response(s.ClaimOutputSerializer(claim).data, status=status.HTTP_201_CREATED)


class _EntitlementActionApi(APIView):
    input_serializer: type[serializers.Serializer] = s.PolicyReasonInputSerializer
    service = None

    def post(self, request: Request, pk: int) -> Response:
        data = _validated(self.input_serializer, request.data)
        entitlement = type(self).service(actor=request.user, entitlement_id=pk, **data)
        return Response(s.EntitlementOutputSerializer(entitlement).data)


def _schema(summary: str, request, tags, response=s.EntitlementOutputSerializer):
    return extend_schema(tags=tags, summary=summary, request=request, responses={200: response})


@_schema("放弃免申即享待遇", s.PolicyReasonInputSerializer, TAGS_MINE)
class EntitlementDeclineApi(_EntitlementActionApi):
    service = staticmethod(services.entitlement_decline)


@_schema("认定免申即享待遇", s.PolicyNoteInputSerializer, TAGS_STAFF)
class EntitlementGrantApi(_EntitlementActionApi):
    input_serializer = s.PolicyNoteInputSerializer
    service = staticmethod(services.entitlement_grant)


@_schema("登记兑付", s.EntitlementPaymentInputSerializer, TAGS_STAFF)
class EntitlementPayApi(_EntitlementActionApi):
    input_serializer = s.EntitlementPaymentInputSerializer
    service = staticmethod(services.entitlement_mark_paid)


@_schema("登记兑付失败", s.PolicyReasonInputSerializer, TAGS_STAFF)
class EntitlementPaymentFailedApi(_EntitlementActionApi):
    service = staticmethod(services.entitlement_mark_payment_failed)


@_schema("撤销待遇", s.PolicyReasonInputSerializer, TAGS_STAFF)
class EntitlementCancelApi(_EntitlementActionApi):
    service = staticmethod(services.entitlement_cancel)


# --- Staff: policies and PO5 ---------------------------------------------------------------


@_schema("发布政策（PO1）", None, TAGS_STAFF, s.PolicyOutputSerializer)
class PolicyPublishApi(APIView):
    def post(self, request: Request, pk: int) -> Response:
        policy = services.policy_publish(actor=request.user, policy_id=pk)
        return Response(s.PolicyOutputSerializer(policy).data)


@_schema(
    "恢复执行已暂停的政策", s.PolicyReasonInputSerializer, TAGS_STAFF, s.PolicyOutputSerializer
)
class PolicyResumeApi(APIView):
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.PolicyReasonInputSerializer, request.data)
        policy = services.policy_resume(actor=request.user, policy_id=pk, **data)
        return Response(s.PolicyOutputSerializer(policy).data)


class HaltRequestCreateApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="申请暂停或停止政策（须法定事由，经监督审批，PO5）",
        request=s.HaltRequestInputSerializer,
        responses={201: s.HaltRequestOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.HaltRequestInputSerializer, request.data)
        halt = services.policy_halt_request(actor=request.user, policy_id=pk, **data)
        return Response(s.HaltRequestOutputSerializer(halt).data, status=status.HTTP_201_CREATED)


class _HaltDecisionApi(APIView):
    input_serializer: type[serializers.Serializer] | None = s.PolicyNoteInputSerializer
    service = None

    def post(self, request: Request, pk: int) -> Response:
        data = _validated(self.input_serializer, request.data) if self.input_serializer else {}
        halt = type(self).service(actor=request.user, request_id=pk, **data)
        return Response(s.HaltRequestOutputSerializer(halt).data)


@_schema(
    "批准暂停/停止申请（PO5）",
    s.PolicyNoteInputSerializer,
    TAGS_STAFF,
    s.HaltRequestOutputSerializer,
)
class HaltApproveApi(_HaltDecisionApi):
    service = staticmethod(services.policy_halt_approve)


@_schema(
    "驳回暂停/停止申请（PO5）",
    s.PolicyNoteInputSerializer,
    TAGS_STAFF,
    s.HaltRequestOutputSerializer,
)
class HaltRejectApi(_HaltDecisionApi):
    service = staticmethod(services.policy_halt_reject)


@_schema("撤回暂停/停止申请", None, TAGS_STAFF, s.HaltRequestOutputSerializer)
class HaltWithdrawApi(_HaltDecisionApi):
    input_serializer = None
    service = staticmethod(services.policy_halt_withdraw)


class CriteriaCountApi(APIView):
    """The criteria editor's live count: how many profiles would match now."""

    @extend_schema(
        tags=TAGS_STAFF,
        summary="按条件试算匹配数量",
        request=s.CriteriaCountInputSerializer,
        responses=s.CriteriaCountOutputSerializer,
    )
    def post(self, request: Request) -> Response:
        user = request.user
        if not (user.has_perm("policies.add_policy") or user.has_perm("policies.change_policy")):
            raise PermissionDeniedError()
        data = _validated(s.CriteriaCountInputSerializer, request.data)
        kind, criteria = data["subject_kind"], data["criteria"]
        count = services.matching_count(kind=kind, criteria=criteria)
        text = [describe(c) for c in parse_criteria(kind, criteria)]
        return Response({"count": count, "criteria_text": text})


class FiguresApi(APIView):
    """The supervisors' dashboard panel: by policy and by department (one query)."""

    @extend_schema(
        tags=TAGS_STAFF,
        summary="政策兑现统计（匹配、推送、送达、申请、兑现）",
        responses=s.FiguresOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("policies.view_policy_figures"):
            raise PermissionDeniedError()
        summary = selectors.figures_summary(user=request.user)
        return Response(s.FiguresOutputSerializer(summary).data)
