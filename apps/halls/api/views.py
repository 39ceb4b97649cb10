"""The halls over the API: public halls and slots, my appointments, taking a number, one
POST per window action and per 办不成事 step (CONVENTIONS: never a generic "set status").
Errors come out in the one shape of ``apps.common.api``."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import ServiceWindow, User
from apps.catalogue.models import ServiceItem
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.pagination import StandardPagination
from apps.halls import selectors, services
from apps.halls.api import serializers as s
from apps.halls.models import HallProfile, HardCase, Opinion, SocialSupervisor, WindowGroup

TAGS_PUBLIC = ["服务大厅"]
TAGS_STAFF = ["服务大厅（工作人员）"]
TAGS_SUPERVISORS = ["特约监督员"]


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _hall(pk: int) -> HallProfile:
    return get_object_or_404(HallProfile.objects.select_related("center"), pk=pk)


def _item(pk: int | None) -> ServiceItem | None:
    if pk is None:
        return None
    item = ServiceItem.objects.filter(pk=pk, is_active=True).first()
    if item is None:
        raise ApplicationError(_("事项不存在。"), code="item_not_found")
    return item


class HallListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS_PUBLIC, summary="服务大厅", responses=s.HallProfileOutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        halls = HallProfile.objects.filter(center__is_active=True).select_related("center")
        return Response(
            s.HallProfileOutputSerializer(halls.order_by("center__code"), many=True).data
        )


class SlotListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="可预约时段",
        parameters=[OpenApiParameter("item", int, required=True)],
        responses=s.HallSlotOutputSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        raw = request.query_params.get("item", "")
        if not raw.isdigit():
            raise serializers.ValidationError({"item": [_("请选择事项。")]})
        item = get_object_or_404(ServiceItem, pk=int(raw), is_active=True)
        slots = selectors.free_slots(item=item, hall=_hall(pk), after=timezone.now())
        return Response(s.HallSlotOutputSerializer(slots, many=True).data)


class AppointmentListApi(APIView):
    @extend_schema(
        tags=TAGS_PUBLIC, summary="我的预约", responses=s.HallAppointmentOutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        rows = selectors.appointments_of(citizen=request.user)[:50]
        return Response(s.HallAppointmentOutputSerializer(rows, many=True).data)

    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="预约",
        request=s.HallBookInputSerializer,
        responses={201: s.HallAppointmentOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.HallBookInputSerializer, request.data)
        appointment = services.appointment_book(
            citizen=request.user, slot_id=data["slot"], item=_item(data["item"])
        )
        return Response(
            s.HallAppointmentOutputSerializer(appointment).data, status=status.HTTP_201_CREATED
        )


class AppointmentCancelApi(APIView):
    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="取消预约",
        request=None,
        responses=s.HallAppointmentOutputSerializer,
    )
    def post(self, request: Request, code: str) -> Response:
        appointment = get_object_or_404(
            selectors.appointments_of(citizen=request.user), code=code.upper()
        )
        appointment = services.appointment_cancel(actor=request.user, appointment_id=appointment.pk)
        return Response(s.HallAppointmentOutputSerializer(appointment).data)


class TicketTakeApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS_PUBLIC,
        summary="取号：预约码或现场取号",
        request=s.HallTakeInputSerializer,
        responses={201: s.HallTicketOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        hall = _hall(pk)
        data = _validated(s.HallTakeInputSerializer, request.data)
        reason = data.get("green_reason", "")
        if data.get("code"):
            ticket = services.ticket_take_by_code(hall=hall, code=data["code"], green_reason=reason)
        else:
            group = None
            if data.get("group"):
                group = get_object_or_404(WindowGroup, pk=data["group"], hall=hall)
            user = request.user
            citizen = user if user.is_authenticated and user.kind != User.Kind.STAFF else None
            ticket = services.ticket_take(
                hall=hall,
                item=_item(data.get("item")),
                group=group,
                citizen=citizen,
                green_reason=reason,
            )
        return Response(s.HallTicketOutputSerializer(ticket).data, status=status.HTTP_201_CREATED)


class _WindowActionApi(APIView):
    action_name = ""

    def act(self, request: Request, window: ServiceWindow):
        raise NotImplementedError

    @extend_schema(tags=TAGS_STAFF, request=None, responses=s.HallTicketOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        window = get_object_or_404(ServiceWindow, pk=pk)
        ticket = self.act(request, window)
        if ticket is None:
            return Response({"message": "当前没有等候的号。", "ticket": None})
        return Response(s.HallTicketOutputSerializer(ticket).data)


class WindowCallApi(_WindowActionApi):
    def act(self, request, window):
        return services.ticket_call_next(actor=request.user, window=window)


class WindowRecallApi(_WindowActionApi):
    def act(self, request, window):
        return services.ticket_recall(actor=request.user, window=window)


class WindowStartApi(_WindowActionApi):
    def act(self, request, window):
        return services.ticket_start(actor=request.user, window=window)


class WindowSkipApi(_WindowActionApi):
    def act(self, request, window):
        return services.ticket_skip(actor=request.user, window=window)


class WindowFinishApi(_WindowActionApi):
    def act(self, request, window):
        return services.ticket_finish(actor=request.user, window=window)


class WindowTransferApi(_WindowActionApi):
    @extend_schema(
        tags=TAGS_STAFF,
        request=s.HallTransferInputSerializer,
        responses=s.HallTicketOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request, window):
        data = _validated(s.HallTransferInputSerializer, request.data)
        group = get_object_or_404(WindowGroup, pk=data["group"])
        return services.ticket_transfer(
            actor=request.user, window=window, to_group=group, note=data.get("note", "")
        )


class HardCaseCreateApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        summary="登记“办不成事”",
        request=s.HallHardCaseInputSerializer,
        responses={201: s.HallHardCaseOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.HallHardCaseInputSerializer, request.data)
        case = services.hard_case_open(
            actor=request.user,
            hall=_hall(data["hall"]),
            contact_name=data["contact_name"],
            problem=data["problem"],
            cause=data["cause"],
            item=_item(data.get("item")),
        )
        return Response(s.HallHardCaseOutputSerializer(case).data, status=status.HTTP_201_CREATED)


class HardCaseAssignApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        request=s.HallAssignInputSerializer,
        responses=s.HallHardCaseOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.HallAssignInputSerializer, request.data)
        coordinator = get_object_or_404(User, pk=data["coordinator"], kind=User.Kind.STAFF)
        case = services.hard_case_assign(
            actor=request.user,
            case_id=get_object_or_404(HardCase, pk=pk).pk,
            coordinator=coordinator,
            deadline=data.get("deadline"),
        )
        return Response(s.HallHardCaseOutputSerializer(case).data)


class HardCaseConcludeApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        request=s.HallConcludeInputSerializer,
        responses=s.HallHardCaseOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.HallConcludeInputSerializer, request.data)
        case = services.hard_case_conclude(
            actor=request.user,
            case_id=get_object_or_404(HardCase, pk=pk).pk,
            resolved=data["resolved"],
            outcome=data["outcome"],
        )
        return Response(s.HallHardCaseOutputSerializer(case).data)


class HardCaseFeedbackApi(APIView):
    @extend_schema(
        tags=TAGS_STAFF,
        request=s.HallFeedbackInputSerializer,
        responses=s.HallHardCaseOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.HallFeedbackInputSerializer, request.data)
        case = services.hard_case_feedback(
            actor=request.user,
            case_id=get_object_or_404(HardCase, pk=pk).pk,
            feedback=data["feedback"],
            note=data.get("note", ""),
        )
        return Response(s.HallHardCaseOutputSerializer(case).data)


# --- 特约监督员 (S1) -----------------------------------------------------------------------


def _supervisor(request: Request) -> SocialSupervisor:
    supervisor = selectors.active_supervisor(user=request.user)
    if supervisor is None:
        raise PermissionDeniedError(_("仅在聘的特约监督员可以提交和查看监督意见。"))
    return supervisor


def _window(pk: int | None) -> ServiceWindow | None:
    if pk is None:
        return None
    window = ServiceWindow.objects.filter(pk=pk).first()
    if window is None:
        raise ApplicationError(_("窗口不存在。"), code="window_not_found")
    return window


def _optional_hall(pk: int | None) -> HallProfile | None:
    if pk is None:
        return None
    hall = HallProfile.objects.filter(pk=pk).first()
    if hall is None:
        raise ApplicationError(_("大厅不存在。"), code="hall_not_found")
    return hall


class OpinionListApi(generics.ListAPIView):
    """A social supervisor's own opinions, and a new one (S1)."""

    serializer_class = s.HallOpinionOutputSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is generated, not served
            return Opinion.objects.none()
        return selectors.opinions_of_supervisor(supervisor=_supervisor(self.request))

    @extend_schema(tags=TAGS_SUPERVISORS, summary="我的监督意见")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS_SUPERVISORS,
        summary="提交监督意见",
        request=s.HallOpinionInputSerializer,
        responses={201: s.HallOpinionOutputSerializer},
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        _supervisor(request)
        data = _validated(s.HallOpinionInputSerializer, request.data)
        opinion = services.opinion_submit(
            actor=request.user,
            content=data["content"],
            hall=_optional_hall(data.get("hall")),
            window=_window(data.get("window")),
            item=_item(data.get("item")),
        )
        return Response(s.HallOpinionOutputSerializer(opinion).data, status=status.HTTP_201_CREATED)


class OpinionConfirmApi(APIView):
    @extend_schema(
        tags=TAGS_SUPERVISORS,
        summary="确认答复（满意办结，或不满意退回）",
        request=s.HallOpinionConfirmInputSerializer,
        responses=s.HallOpinionOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        supervisor = _supervisor(request)
        opinion = get_object_or_404(selectors.opinions_of_supervisor(supervisor=supervisor), pk=pk)
        data = _validated(s.HallOpinionConfirmInputSerializer, request.data)
        opinion = services.opinion_confirm(
            actor=request.user,
            opinion_id=opinion.pk,
            satisfied=data["satisfied"],
            note=data.get("note", ""),
        )
        return Response(s.HallOpinionOutputSerializer(opinion).data)
