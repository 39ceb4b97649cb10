"""Applications over the API: the applicant's endpoints, and one POST per staff transition
(``/api/v1/applications/{id}/accept`` …), never a generic "set status" (CONVENTIONS).

Errors come out in the one shape of ``apps.common.api``: a forbidden edge is 409, another
department's application 403 for staff, someone else's application 404 for applicants.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import User
from apps.applications import selectors, services
from apps.applications.api import serializers as s
from apps.applications.models import Application
from apps.common.pagination import CappedPagination
from apps.common.replica import replica_reads

TAGS_APPLICANT = ["办件（申请人）"]
TAGS_STAFF = ["办件（工作人员）"]


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _out(application: Application, code: int = status.HTTP_200_OK) -> Response:
    return Response(s.ApplicationOutputSerializer(application).data, status=code)


# --- Applicant -----------------------------------------------------------------------------


class ApplicationListCreateApi(generics.ListAPIView):
    serializer_class = s.ApplicationOutputSerializer

    def get_queryset(self):
        return selectors.application_api_rows_for_applicant(user=self.request.user)

    @extend_schema(tags=TAGS_APPLICANT, summary="我的申请")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args, **kwargs) -> Response:
        """The serializer's output, built as plain dicts (issue 16; same JSON, same schema)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.application_list_items(page))

    @extend_schema(
        tags=TAGS_APPLICANT,
        summary="新建申请草稿（按已发布的办事指南）",
        request=s.DraftCreateInputSerializer,
        responses={201: s.ApplicationOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.DraftCreateInputSerializer, request.data)
        application = services.application_create_draft(actor=request.user, **data)
        return _out(application, status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    @extend_schema(
        tags=TAGS_APPLICANT,
        summary="办件详情与办理进度",
        responses=s.ApplicationDetailOutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        user = request.user
        is_staff = selectors.is_staff_reader(user)
        application = selectors.application_get_visible(user=user, application_id=pk)
        timeline = selectors.application_timeline(
            application=application, for_applicant=not is_staff
        )
        context = {"timeline": timeline, "for_applicant": not is_staff, "user_id": user.pk}
        return Response(s.ApplicationDetailOutputSerializer(application, context=context).data)


class ApplicationMaterialUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS_APPLICANT,
        summary="上传申请材料（按内容识别格式）",
        request={"multipart/form-data": s.MaterialUploadInputSerializer},
        responses={201: s.MaterialOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.MaterialUploadInputSerializer, request.data)
        material = services.application_attach_material(
            application_id=pk,
            actor=request.user,
            guide_material_id=data["guide_material_id"],
            upload=data["file"],
        )
        return Response(s.MaterialOutputSerializer(material).data, status=status.HTTP_201_CREATED)


class ApplicationMaterialReuseApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS_APPLICANT,
        summary="复用已提交材料或电子证照",
        request=s.MaterialReuseInputSerializer,
        responses={201: s.MaterialOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.MaterialReuseInputSerializer, request.data)
        material = services.application_reuse_material(
            application_id=pk, actor=request.user, **data
        )
        return Response(s.MaterialOutputSerializer(material).data, status=status.HTTP_201_CREATED)


class _ActionApi(APIView):
    """One POST = one service call. Subclasses name the input and the call."""

    input_serializer: type[serializers.Serializer] | None = None

    def act(self, *, pk: int, actor: User, data: dict[str, Any]) -> Application:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        data = _validated(self.input_serializer, request.data) if self.input_serializer else {}
        return _out(self.act(pk=pk, actor=request.user, data=data))


def _action_schema(summary: str, request, tags=TAGS_STAFF):
    return extend_schema(
        tags=tags,
        summary=summary,
        request=request,
        responses={200: s.ApplicationOutputSerializer},
    )


@_action_schema("提交申请（重复提交返回同一办件）", s.SubmitInputSerializer, TAGS_APPLICANT)
class ApplicationSubmitApi(_ActionApi):
    input_serializer = s.SubmitInputSerializer

    def act(self, *, pk, actor, data):
        key = data.get("idempotency_key") or self.request.headers.get("Idempotency-Key") or None
        return services.application_submit(application_id=pk, actor=actor, idempotency_key=key)


@_action_schema("提交补正材料", s.NoteInputSerializer, TAGS_APPLICANT)
class ApplicationResubmitApi(_ActionApi):
    input_serializer = s.NoteInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_resubmit_correction(application_id=pk, actor=actor, **data)


@_action_schema("撤回申请", s.ReasonInputSerializer, TAGS_APPLICANT)
class ApplicationWithdrawApi(_ActionApi):
    input_serializer = s.ReasonInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_withdraw(application_id=pk, actor=actor, **data)


# --- Staff ---------------------------------------------------------------------------------


class ApplicationQueueApi(generics.ListAPIView):
    serializer_class = s.ApplicationOutputSerializer
    pagination_class = CappedPagination  # count stops at 1,000: a queue is searched, not read

    def get_queryset(self):
        bucket = self.request.query_params.get("bucket", selectors.Bucket.NEW)
        if bucket not in selectors.Bucket.ALL:
            allowed = "、".join(selectors.Bucket.ALL)
            raise serializers.ValidationError(
                {"bucket": [_("队列参数有误，可选：%(allowed)s。") % {"allowed": allowed}]}
            )
        return selectors.application_queue_for_staff(user=self.request.user, bucket=bucket)

    @extend_schema(
        tags=TAGS_STAFF,
        summary="本部门办件队列",
        parameters=[OpenApiParameter("bucket", str, enum=list(selectors.Bucket.ALL))],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class SupervisionOverviewApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="超期与临期办件（监督）",
        responses=s.SupervisionOverviewOutputSerializer,
    )
    @replica_reads  # the figures only; evaluated inside, by the serializer
    def get(self, request: Request) -> Response:
        overview = selectors.supervision_overview(user=request.user)
        capped = {name: qs[:100] for name, qs in overview.items()}
        return Response(s.SupervisionOverviewOutputSerializer(capped).data)


class ApplicationWindowCreateApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="窗口受理 / 帮办代办代为申请",
        request=s.WindowCreateInputSerializer,
        responses={201: s.ApplicationOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.WindowCreateInputSerializer, request.data)
        application = services.application_window_create(actor=request.user, **data)
        return _out(application, status.HTTP_201_CREATED)


@_action_schema("受理", s.NoteInputSerializer)
class ApplicationAcceptApi(_ActionApi):
    input_serializer = s.NoteInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_accept(application_id=pk, actor=actor, **data)


@_action_schema("告知非本部门受理", s.TransferInputSerializer)
class ApplicationTransferApi(_ActionApi):
    input_serializer = s.TransferInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_transfer_not_ours(application_id=pk, actor=actor, **data)


@_action_schema("当场更正后受理", s.CorrectOnSpotInputSerializer)
class ApplicationCorrectAndAcceptApi(_ActionApi):
    input_serializer = s.CorrectOnSpotInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_correct_on_spot_and_accept(
            application_id=pk, actor=actor, **data
        )


@_action_schema("容缺受理", s.TolerantAcceptInputSerializer)
class ApplicationAcceptTolerantApi(_ActionApi):
    input_serializer = s.TolerantAcceptInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_accept_tolerant(application_id=pk, actor=actor, **data)


@_action_schema("不予受理", s.RejectInputSerializer)
class ApplicationRejectApi(_ActionApi):
    input_serializer = s.RejectInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_reject(application_id=pk, actor=actor, **data)


@_action_schema("一次性告知补正", s.RequestCorrectionInputSerializer)
class ApplicationRequestCorrectionApi(_ActionApi):
    input_serializer = s.RequestCorrectionInputSerializer

    def act(self, *, pk, actor, data):
        items = [(i["guide_material_id"], i["reason"]) for i in data["items"]]
        services.application_request_correction(
            application_id=pk,
            actor=actor,
            items=items,
            deadline=data["deadline"],
            note=data["note"],
        )
        return selectors.application_get_for_staff(user=actor, application_id=pk)


@_action_schema("即办件当场办结", s.ResultInputSerializer)
class ApplicationDecideImmediatelyApi(_ActionApi):
    input_serializer = s.ResultInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_decide_immediately(application_id=pk, actor=actor, **data)


@_action_schema("开始审查", None)
class ApplicationStartReviewApi(_ActionApi):
    def act(self, *, pk, actor, data):
        return services.application_start_review(application_id=pk, actor=actor)


@_action_schema("启动特别程序（暂停计时）", s.SuspendInputSerializer)
class ApplicationSuspendApi(_ActionApi):
    input_serializer = s.SuspendInputSerializer

    def act(self, *, pk, actor, data):
        services.application_suspend(application_id=pk, actor=actor, **data)
        return selectors.application_get_for_staff(user=actor, application_id=pk)


@_action_schema("结束特别程序（恢复计时）", s.NoteInputSerializer)
class ApplicationResumeApi(_ActionApi):
    input_serializer = s.NoteInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_resume(application_id=pk, actor=actor, **data)


class ApplicationRequestExtensionApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="申请延长办理时限",
        request=s.ExtensionRequestInputSerializer,
        responses={201: s.ExtensionOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.ExtensionRequestInputSerializer, request.data)
        extension = services.application_request_extension(
            application_id=pk, actor=request.user, **data
        )
        return Response(s.ExtensionOutputSerializer(extension).data, status=201)


class ExtensionDecideApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="审批延期（负责人）",
        request=s.ExtensionDecisionInputSerializer,
        responses=s.ExtensionOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.ExtensionDecisionInputSerializer, request.data)
        extension = services.application_approve_extension(
            extension_id=pk, actor=request.user, **data
        )
        return Response(s.ExtensionOutputSerializer(extension).data)


@_action_schema("准予许可 / 办结", s.ResultInputSerializer)
class ApplicationApproveApi(_ActionApi):
    input_serializer = s.ResultInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_approve(application_id=pk, actor=actor, **data)


@_action_schema("不予许可（附救济途径）", s.DenyInputSerializer)
class ApplicationDenyApi(_ActionApi):
    input_serializer = s.DenyInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_deny(application_id=pk, actor=actor, **data)


@_action_schema("撤销受理", s.ReasonInputSerializer)
class ApplicationRevokeApi(_ActionApi):
    input_serializer = s.ReasonInputSerializer

    def act(self, *, pk, actor, data):
        return services.application_revoke_acceptance(application_id=pk, actor=actor, **data)


@_action_schema("归档", None)
class ApplicationArchiveApi(_ActionApi):
    def act(self, *, pk, actor, data):
        return services.application_archive(application_id=pk, actor=actor)
