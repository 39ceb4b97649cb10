"""The person's own inbox over the API. Others' messages answer 404, never 403."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.notifications import selectors, services
from apps.notifications.api.filters import NotificationFilter
from apps.notifications.api.serializers import (
    MarkAllReadOutputSerializer,
    NotificationOutputSerializer,
)
from apps.notifications.models import Notification

TAGS = ["消息通知"]


@extend_schema(tags=TAGS, summary="我的站内消息（未读在前）")
class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationOutputSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return selectors.notification_list(user=self.request.user)


@extend_schema(tags=TAGS, summary="一条站内消息")
class NotificationDetailApi(generics.RetrieveAPIView):
    serializer_class = NotificationOutputSerializer

    def get_object(self):
        notification = selectors.notification_get(
            user=self.request.user, notification_id=self.kwargs["pk"]
        )
        if notification is None:
            raise Http404
        return notification


class NotificationMarkReadApi(APIView):
    @extend_schema(
        tags=TAGS, summary="标为已读", request=None, responses=NotificationOutputSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
        return Response(NotificationOutputSerializer(notification).data)


class NotificationMarkAllReadApi(APIView):
    @extend_schema(
        tags=TAGS, summary="全部标为已读", request=None, responses=MarkAllReadOutputSerializer
    )
    def post(self, request: Request) -> Response:
        marked = services.notifications_mark_all_read(user=request.user)
        return Response({"marked": marked}, status=status.HTTP_200_OK)
