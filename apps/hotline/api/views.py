"""The hotline over the API: intake (operators and the WeChat/app channels), the scoped
ticket list and detail, one POST per transition, the caller look-up, knowledge-base
search, and the analysis the supervisors' dashboard charts.

Errors come out in the one shape of ``apps.common.api``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.hotline import analysis, selectors, services
from apps.hotline.api import serializers as s
from apps.hotline.kb_search import search_articles
from apps.hotline.models import Ticket
from apps.hotline.services import TicketInput
from apps.hotline.workflow import Channel

TAGS = ["12345热线"]


def _validated(serializer_class, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _out(request: Request, ticket: Ticket, code: int = status.HTTP_200_OK) -> Response:
    ticket = selectors.ticket_get_for_staff(user=request.user, ticket_id=ticket.pk)
    context = {"request": request, "full": True}
    return Response(s.TicketOutputSerializer(ticket, context=context).data, status=code)


class TicketListCreateApi(generics.ListAPIView):
    serializer_class = s.TicketOutputSerializer

    def get_queryset(self):
        return selectors.ticket_scope_for_staff(user=self.request.user).order_by(
            "-created_at", "-id"
        )

    @extend_schema(tags=TAGS, summary="工单列表（按权限范围）")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="受理工单（话务员来电登记；微信、客户端渠道）",
        request=s.TicketCreateInputSerializer,
        responses={201: s.TicketOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.TicketCreateInputSerializer, request.data)
        channel = data.pop("channel")
        ticket_input = TicketInput(**data)
        if channel == Channel.PHONE:
            ticket = services.ticket_take_call(actor=request.user, data=ticket_input)
        else:
            ticket = services.ticket_submit_via_channel(
                actor=request.user, channel=channel, data=ticket_input
            )
        # A new ticket is not dispatched yet: only the centre sees it. A channel account need
        # not see tickets afterwards: it is answered with the number.
        if not selectors.is_centre(request.user):
            return Response({"id": ticket.pk, "number": ticket.number}, status=201)
        # The answer is built from the row in hand (its category was read by the service).
        context = {"request": request, "full": True}
        return Response(
            s.TicketOutputSerializer(ticket, context=context).data, status=status.HTTP_201_CREATED
        )


class TicketBatchCreateApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="批量受理工单（渠道汇聚：话务、微信、客户端；全部成功或全部不保存）",
        description=(
            "每条与单条受理同样校验（渠道权限、诉求分类、来电号码、区县），并同样标记疑似"
            "重复工单；任何一条有误则整批不保存，错误中的 fields.index 为该条的序号（从0起）、"
            "fields.field 为字段。带 batch_id 重试已保存的批次时返回首次保存的结果（200，"
            "replayed=true）。"
        ),
        request=s.TicketBatchInputSerializer,
        responses={201: s.TicketBatchOutputSerializer, 200: s.TicketBatchOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.TicketBatchInputSerializer, request.data)
        items = []
        for item in data["items"]:
            channel = item.pop("channel")
            items.append(services.ChannelTicket(channel=channel, data=TicketInput(**item)))
        result = services.ticket_intake_batch(
            actor=request.user, items=items, batch_id=data["batch_id"]
        )
        body = {
            "batch_id": data["batch_id"],
            "replayed": result.replayed,
            "count": len(result.tickets),
            "tickets": result.tickets,
        }
        code = status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED
        return Response(s.TicketBatchOutputSerializer(body).data, status=code)


class TicketDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="工单详情", responses=s.TicketOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        ticket = selectors.ticket_get_for_staff(user=request.user, ticket_id=pk)
        return Response(
            s.TicketOutputSerializer(ticket, context={"request": request, "full": True}).data
        )


class _ActionApi(APIView):
    """One POST = one service call."""

    input_serializer: type[serializers.Serializer] | None = None

    def act(self, *, pk: int, actor, data: dict[str, Any]) -> Ticket:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        # Someone who may not see the ticket learns nothing about it (404).
        selectors.ticket_get_for_staff(user=request.user, ticket_id=pk)
        data = _validated(self.input_serializer, request.data) if self.input_serializer else {}
        return _out(request, self.act(pk=pk, actor=request.user, data=data))


def _schema(summary: str, request=None):
    return extend_schema(
        tags=TAGS, summary=summary, request=request, responses=s.TicketOutputSerializer
    )


@_schema("派单", s.TicketDispatchInputSerializer)
class TicketDispatchApi(_ActionApi):
    input_serializer = s.TicketDispatchInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_dispatch(ticket_id=pk, actor=actor, **data)


@_schema("同意退单并重新派单", s.TicketRedispatchInputSerializer)
class TicketRedispatchApi(_ActionApi):
    input_serializer = s.TicketRedispatchInputSerializer

    def act(self, *, pk, actor, data):
        data.pop("urgency", None)
        return services.ticket_redispatch(ticket_id=pk, actor=actor, **data)


@_schema("知识库当场解答办结", s.TicketAnswerInputSerializer)
class TicketAnswerApi(_ActionApi):
    input_serializer = s.TicketAnswerInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_answer_on_spot(ticket_id=pk, actor=actor, **data)


@_schema("一键转接", s.TicketTransferInputSerializer)
class TicketTransferApi(_ActionApi):
    input_serializer = s.TicketTransferInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_transfer(ticket_id=pk, actor=actor, **data)


@_schema("并单", s.TicketMergeInputSerializer)
class TicketMergeApi(_ActionApi):
    input_serializer = s.TicketMergeInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_merge(ticket_id=pk, actor=actor, **data)


@_schema("签收")
class TicketSignApi(_ActionApi):
    def act(self, *, pk, actor, data):
        return services.ticket_sign(ticket_id=pk, actor=actor)


@_schema("退单", s.TicketReasonInputSerializer)
class TicketReturnApi(_ActionApi):
    input_serializer = s.TicketReasonInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_return(ticket_id=pk, actor=actor, **data)


@_schema("驳回退单", s.TicketReasonInputSerializer)
class TicketRejectReturnApi(_ActionApi):
    input_serializer = s.TicketReasonInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_reject_return(ticket_id=pk, actor=actor, **data)


@_schema("答复", s.TicketTextInputSerializer)
class TicketReplyApi(_ActionApi):
    input_serializer = s.TicketTextInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_reply(ticket_id=pk, actor=actor, **data)


@_schema("反馈协办意见", s.TicketTextInputSerializer)
class TicketCoReplyApi(_ActionApi):
    input_serializer = s.TicketTextInputSerializer

    def act(self, *, pk, actor, data):
        services.ticket_co_reply(ticket_id=pk, actor=actor, **data)
        return Ticket.objects.get(pk=pk)


@_schema("审核通过并办结", s.TicketNoteInputSerializer)
class TicketCloseApi(_ActionApi):
    input_serializer = s.TicketNoteInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_close(ticket_id=pk, actor=actor, **data)


@_schema("答复退回", s.TicketReasonInputSerializer)
class TicketSendBackApi(_ActionApi):
    input_serializer = s.TicketReasonInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_send_back(ticket_id=pk, actor=actor, **data)


@_schema("回访", s.TicketCallbackInputSerializer)
class TicketCallbackApi(_ActionApi):
    input_serializer = s.TicketCallbackInputSerializer

    def act(self, *, pk, actor, data):
        return services.ticket_callback(ticket_id=pk, actor=actor, **data)


class TicketRequestExtensionApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="申请延期",
        request=s.TicketExtensionInputSerializer,
        responses={201: s.TicketExtensionOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        selectors.ticket_get_for_staff(user=request.user, ticket_id=pk)
        data = _validated(s.TicketExtensionInputSerializer, request.data)
        extension = services.ticket_request_extension(ticket_id=pk, actor=request.user, **data)
        return Response(s.TicketExtensionOutputSerializer(extension).data, status=201)


class ExtensionDecideApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="审批延期",
        request=s.TicketExtensionDecisionInputSerializer,
        responses=s.TicketExtensionOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.TicketExtensionDecisionInputSerializer, request.data)
        extension = services.ticket_decide_extension(extension_id=pk, actor=request.user, **data)
        return Response(s.TicketExtensionOutputSerializer(extension).data)


def _query(request: Request, name: str, limit: int) -> str:
    value = request.query_params.get(name, "")
    if "\x00" in value or len(value) > limit:
        raise ValidationError({name: _("参数无效。")})
    return value


class CallerHistoryApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="来电人历史工单（话务员）",
        parameters=[OpenApiParameter("phone", str, required=True)],
        responses=s.CallerHistoryItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        if not selectors.is_centre(request.user):
            raise PermissionDenied(_("您没有执行此操作的权限。"))
        tickets = selectors.caller_history(user=request.user, phone=_query(request, "phone", 20))
        return Response(s.CallerHistoryItemSerializer(tickets, many=True).data)


class KnowledgeSearchApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="知识库检索（现行有效文章）",
        parameters=[OpenApiParameter("q", str, required=True)],
        responses=s.KnowledgeArticleOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("hotline.view_knowledgearticle"):
            raise PermissionDenied(_("您没有执行此操作的权限。"))
        articles = search_articles(_query(request, "q", 200), today=timezone.localdate())[:10]
        return Response(s.KnowledgeArticleOutputSerializer(articles, many=True).data)


def _month(request: Request) -> datetime.date:
    raw = _query(request, "month", 7)
    if not raw:
        return analysis.previous_month(timezone.localdate())
    try:
        return datetime.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise ValidationError({"month": _("月份格式应为 YYYY-MM。")}) from None


class MonthlyAnalysisApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="月度分析（热点、重复投诉、部门办理情况；供监督大屏使用）",
        parameters=[OpenApiParameter("month", str, description="YYYY-MM，缺省为上月")],
        responses=inline_serializer("HotlineMonthlyReport", {"month": serializers.CharField()}),
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("hotline.view_hotline_analysis"):
            raise PermissionDenied(_("您没有执行此操作的权限。"))
        return Response(analysis.monthly_report(_month(request)).as_dict())


class SupervisionOverviewApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="督办概况（各部门在办工单的督办等级）",
        responses=inline_serializer("HotlineSupervision", {"departments": serializers.ListField()}),
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("hotline.view_all_tickets"):
            raise PermissionDenied(_("您没有执行此操作的权限。"))
        return Response({"departments": analysis.supervision_overview()})
