"""Public, read-only catalogue API (C5, C6): only published guides are ever shown."""

from __future__ import annotations

from rest_framework import generics
from rest_framework.permissions import AllowAny

from apps.catalogue.api import serializers
from apps.catalogue.api.filters import ItemFilter
from apps.catalogue.models import ServiceItem
from apps.catalogue.selectors import (
    bundle_get,
    bundle_list,
    item_get_with_published_guide,
    topic_list,
)


class PublicApiMixin:
    permission_classes = [AllowAny]
    authentication_classes: list = []


class ItemListApi(PublicApiMixin, generics.ListAPIView):
    """政务服务事项列表：只含已发布办事指南的在用事项。"""

    serializer_class = serializers.ItemListSerializer
    filterset_class = ItemFilter
    queryset = ServiceItem.objects.order_by("code")


class ItemDetailApi(PublicApiMixin, generics.RetrieveAPIView):
    """事项详情：基本目录 + 现行办事指南（材料、流程、特别程序）。"""

    serializer_class = serializers.ItemDetailSerializer
    lookup_field = "code"

    def get_object(self):
        return item_get_with_published_guide(self.kwargs["code"])


class BundleListApi(PublicApiMixin, generics.ListAPIView):
    """一件事列表（含按环节计算的办结时限）。"""

    serializer_class = serializers.BundleSerializer

    def get_queryset(self):
        return bundle_list()


class BundleDetailApi(PublicApiMixin, generics.RetrieveAPIView):
    serializer_class = serializers.BundleSerializer
    lookup_field = "code"

    def get_object(self):
        return bundle_get(self.kwargs["code"])


class TopicListApi(PublicApiMixin, generics.ListAPIView):
    """办事分类：主题、个人生命周期、企业生命周期。"""

    serializer_class = serializers.TopicSerializer
    pagination_class = None

    def get_queryset(self):
        return topic_list(kind=self.request.query_params.get("kind") or None)
