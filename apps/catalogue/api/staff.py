"""Staff reads of the catalogue (DOMAIN C2, C5): every item the staff member may see,
published or not, each marked with where it stands and what it lacks; and the
completeness figures per department that the supervisors' dashboard charts."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.catalogue.api.serializers import DepartmentRefSerializer
from apps.catalogue.models import ServiceItem
from apps.catalogue.publication import (
    completeness_by_department,
    current_guides_prefetch,
    publication_of,
)
from apps.catalogue.search import search_items
from apps.catalogue.selectors import item_is_public, item_scope_for_user

TAGS = ["事项目录（工作人员）"]


class IsCatalogueStaff(BasePermission):
    """Staff who may read the catalogue in the console."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_active
            and user.is_staff
            and user.has_perm("catalogue.view_serviceitem")
        )


class StaffItemSerializer(serializers.ModelSerializer):
    item_type_display = serializers.CharField(source="get_item_type_display")
    implementing_department = DepartmentRefSerializer()
    public = serializers.SerializerMethodField()
    publication = serializers.SerializerMethodField()
    lacks = serializers.SerializerMethodField()
    published_version = serializers.SerializerMethodField()
    draft_version = serializers.SerializerMethodField()

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "name",
            "item_type",
            "item_type_display",
            "implementing_department",
            "is_active",
            "public",
            "publication",
            "lacks",
            "published_version",
            "draft_version",
        ]

    def get_public(self, item: ServiceItem) -> bool:
        return publication_of(item).public

    def get_publication(self, item: ServiceItem) -> str:
        return publication_of(item).label

    def get_lacks(self, item: ServiceItem) -> list[str]:
        return list(publication_of(item).lacks)

    def get_published_version(self, item: ServiceItem) -> int | None:
        guide = publication_of(item).published
        return guide.version if guide else None

    def get_draft_version(self, item: ServiceItem) -> int | None:
        guide = publication_of(item).draft
        return guide.version if guide else None


class StaffItemListApi(generics.ListAPIView):
    """事项（工作人员）：含未公开事项，逐项标明公开状态和尚缺内容。"""

    permission_classes = [IsCatalogueStaff]
    serializer_class = StaffItemSerializer

    def get_queryset(self):
        params = self.request.query_params
        qs = item_scope_for_user(
            ServiceItem.objects.select_related("implementing_department").prefetch_related(
                current_guides_prefetch()
            ),
            self.request.user,
        )
        if params.get("department"):
            qs = qs.filter(implementing_department__code=params["department"])
        if params.get("public") in ("true", "false"):
            public = item_is_public()
            qs = qs.filter(public) if params["public"] == "true" else qs.exclude(public)
        query = (params.get("q") or "").strip()
        if query:
            return search_items(query, queryset=qs, match_codes=True)
        return qs.order_by("implementing_department__code", "name", "id")

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("q", str, description="名称、俗称、同义词、拼音首字母或编码"),
            OpenApiParameter("department", str, description="实施部门编码"),
            OpenApiParameter("public", bool, description="只看已公开 / 未公开的事项"),
        ],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class CatalogueCompletenessApi(APIView):
    permission_classes = [IsCatalogueStaff]

    @extend_schema(
        tags=TAGS,
        summary="各部门事项公开情况（已公开、仅草稿、仅基本目录）",
        responses=inline_serializer(
            "CatalogueCompleteness",
            {
                "department": DepartmentRefSerializer(),
                "items": serializers.IntegerField(),
                "public": serializers.IntegerField(),
                "draft_only": serializers.IntegerField(),
                "basic_only": serializers.IntegerField(),
            },
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(completeness_by_department(user=request.user))
