"""Where each item stands on its way to the public (DOMAIN C2, C5): the basic catalogue
alone, a draft guide, or a published one; and the staff work list of items not public yet.

Every read prefetches the current guides (published and draft) with their lines, so a page
or an import batch costs the same few queries for 10 items as for 1,000.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from apps.catalogue import rules
from apps.catalogue.models import (
    GuideMaterial,
    GuideStep,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
)
from apps.catalogue.selectors import has_published_guide, item_scope_for_user

PUBLISHED = ServiceGuide.Status.PUBLISHED
DRAFT = ServiceGuide.Status.DRAFT


def current_guides_prefetch() -> Prefetch:
    """``item.current_guides``: its published and draft guides, with their lines in order."""
    guides = ServiceGuide.objects.filter(status__in=[PUBLISHED, DRAFT]).prefetch_related(
        Prefetch("materials", queryset=GuideMaterial.objects.order_by("order", "id")),
        Prefetch("steps", queryset=GuideStep.objects.order_by("order", "id")),
        Prefetch("special_procedures", queryset=SpecialProcedure.objects.order_by("id")),
    )
    return Prefetch("guides", queryset=guides, to_attr="current_guides")


@dataclass(frozen=True)
class Publication:
    item: ServiceItem
    published: ServiceGuide | None
    draft: ServiceGuide | None
    lacks: tuple[str, ...]

    @property
    def public(self) -> bool:
        return not self.lacks

    @property
    def label(self) -> str:
        """已公开（第2版） / 草稿（第1版） / 仅基本目录 / 已停用, for staff screens."""
        if not self.item.is_active:
            return _("已停用")
        if self.published is not None:
            return _("已公开（第%(version)s版）") % {"version": self.published.version}
        if self.draft is not None:
            return _("未公开：草稿（第%(version)s版）") % {"version": self.draft.version}
        return _("未公开：仅基本目录")


def publication_of(item: ServiceItem) -> Publication:
    """The state of an item fetched with :func:`current_guides_prefetch` (no query)."""
    guides = item.current_guides
    published = next((g for g in guides if g.status == PUBLISHED), None)
    draft = next((g for g in guides if g.status == DRAFT), None)
    lacks = rules.item_lacks(item, published=published, draft=draft)
    return Publication(item, published, draft, tuple(lacks))


def items_with_publication(codes: Iterable[str]) -> dict[str, Publication]:
    """The publication state of the items with these codes, in a fixed number of queries."""
    items = (
        ServiceItem.objects.filter(code__in=list(codes))
        .select_related("implementing_department")
        .prefetch_related(current_guides_prefetch())
    )
    return {item.code: publication_of(item) for item in items}


def item_worklist(*, user, department_code: str | None = None) -> QuerySet[ServiceItem]:
    """待完善事项: active items the user may see that have no published guide, by
    implementing department then name; wrap each in :func:`publication_of` for what it
    lacks. Items are completed one by one in the admin (C2, C5)."""
    qs = item_scope_for_user(ServiceItem.objects.filter(is_active=True), user).exclude(
        Q(has_published_guide())
    )
    if department_code:
        qs = qs.filter(implementing_department__code=department_code)
    return (
        qs.select_related("implementing_department", "competent_department")
        .prefetch_related(current_guides_prefetch())
        .order_by("implementing_department__code", "name", "id")
    )


def completeness_by_department(*, user) -> list[dict]:
    """Per implementing department (those the user may see): active items, how many are
    public, how many have only a draft, how many only the basic catalogue — one grouped
    query; the figure the supervisors' dashboard charts (C2, C5)."""
    drafted = Exists(ServiceGuide.objects.filter(item=OuterRef("pk"), status=DRAFT))
    rows = (
        item_scope_for_user(ServiceItem.objects.filter(is_active=True), user)
        .annotate(is_public=has_published_guide(), has_draft=drafted)
        .order_by()
        .values("implementing_department__code", "implementing_department__name")
        .annotate(
            items=Count("id"),
            public=Count("id", filter=Q(is_public=True)),
            draft_only=Count("id", filter=Q(is_public=False, has_draft=True)),
        )
        .order_by("implementing_department__code")
    )
    return [
        {
            "department": {
                "code": row["implementing_department__code"],
                "name": row["implementing_department__name"],
            },
            "items": row["items"],
            "public": row["public"],
            "draft_only": row["draft_only"],
            "basic_only": row["items"] - row["public"] - row["draft_only"],
        }
        for row in rows
    ]
