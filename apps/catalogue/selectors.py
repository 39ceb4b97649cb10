"""Reads of the catalogue: lists for the portal and API, scoping for staff, version diffs.

Every list is built with ``select_related``/``prefetch_related`` so the number of queries
does not grow with the number of rows, materials or steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.accounts.selectors import department_ids_for, user_has_role
from apps.catalogue.guide_fields import MATERIAL_CONTENT_FIELDS
from apps.catalogue.models import (
    Bundle,
    BundleStep,
    GuideMaterial,
    GuideStep,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
    Topic,
)

PUBLISHED = ServiceGuide.Status.PUBLISHED


# --- Scoping -----------------------------------------------------------------------------


def is_catalogue_admin(user) -> bool:
    """System administrators (and superusers) manage every department's catalogue."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user_has_role(user, Role.SYSTEM_ADMIN)


def managed_department_ids(user) -> set[int] | None:
    """Departments whose catalogue ``user`` may edit; ``None`` means all (system admin)."""
    if is_catalogue_admin(user):
        return None
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return set()
    return set(user.departments.values_list("pk", flat=True))


def item_scope_for_user(qs: QuerySet[ServiceItem], user) -> QuerySet[ServiceItem]:
    """Items ``user`` may see in staff screens: those their departments implement or
    supervise; supervisors and system administrators see all (accounts.selectors rules)."""
    ids = department_ids_for(user)
    if ids is None:
        return qs
    if not ids:
        return qs.none()
    return qs.filter(Q(implementing_department__in=ids) | Q(competent_department__in=ids))


def item_manageable_by(qs: QuerySet[ServiceItem], user) -> QuerySet[ServiceItem]:
    """Items ``user`` may edit (department catalogue managers: own departments only)."""
    ids = managed_department_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(implementing_department__in=ids) | Q(competent_department__in=ids))


def bundle_scope_for_user(qs: QuerySet[Bundle], user) -> QuerySet[Bundle]:
    ids = department_ids_for(user)
    if ids is None:
        return qs
    return qs.filter(lead_department__in=ids) if ids else qs.none()


# --- What the public sees (C5) -----------------------------------------------------------


def has_published_guide() -> Exists:
    """C5 as a filter. An EXISTS on the partial unique index (one published guide per
    item) costs far less than joining the wide guide table for every matched row."""
    return Exists(ServiceGuide.objects.filter(item=OuterRef("pk"), status=PUBLISHED))


def item_is_public() -> Q:
    """An item the public may see and apply for: active, with a published guide (C5)."""
    return Q(has_published_guide(), is_active=True)


def bundle_is_public() -> Q:
    """A published bundle every item of which is public (C5, C8): a bundle with an item
    that lost its guide or was deactivated cannot be applied for as one."""
    not_public_steps = BundleStep.objects.filter(bundle=OuterRef("pk")).exclude(
        item__in=ServiceItem.objects.filter(item_is_public())
    )
    return Q(status=Bundle.Status.PUBLISHED) & ~Q(Exists(not_public_steps))


# --- Items and guides --------------------------------------------------------------------


def published_guides_prefetch(*, with_parts: bool = False, through: str = "") -> Prefetch:
    qs = ServiceGuide.objects.filter(status=PUBLISHED)
    if with_parts:
        qs = qs.prefetch_related(
            Prefetch("materials", queryset=GuideMaterial.objects.order_by("order", "id")),
            Prefetch("steps", queryset=GuideStep.objects.order_by("order", "id")),
            Prefetch("special_procedures", queryset=SpecialProcedure.objects.order_by("id")),
        )
    return Prefetch(f"{through}guides", queryset=qs, to_attr="published_guides")


def published_guide_of(item: ServiceItem) -> ServiceGuide | None:
    """The published guide of an item fetched by these selectors (no query)."""
    guides = getattr(item, "published_guides", None)
    if guides is None:
        return guide_get_published(item)
    return guides[0] if guides else None


def item_list(
    *,
    item_type: str | None = None,
    target: str | None = None,
    department: str | None = None,
    topic: str | None = None,
    online_available: bool | None = None,
    published_only: bool = True,
    active_only: bool = True,
    queryset: QuerySet[ServiceItem] | None = None,
) -> QuerySet[ServiceItem]:
    """Catalogue items with departments, topics and the published guide prefetched
    (``item.published_guides``: a list of zero or one guide). ``department`` and ``topic``
    are codes; ``department`` matches the implementing or the competent department."""
    qs = ServiceItem.objects.all() if queryset is None else queryset
    if active_only:
        qs = qs.filter(is_active=True)
    if published_only:
        qs = qs.filter(has_published_guide())
    if item_type:
        qs = qs.filter(item_type=item_type)
    if target:
        # An item for both kinds of applicant serves either.
        qs = (
            qs.filter(target__in=[target, "both"]) if target != "both" else qs.filter(target=target)
        )
    if department:
        qs = qs.filter(
            Q(implementing_department__code=department) | Q(competent_department__code=department)
        )
    if topic:
        qs = qs.filter(pk__in=ServiceItem.objects.filter(topics__code=topic).values("pk"))
    if online_available is not None:
        qs = qs.filter(
            pk__in=ServiceGuide.objects.filter(
                status=PUBLISHED, online_available=online_available
            ).values("item_id")
        )
    return qs.select_related("implementing_department", "competent_department").prefetch_related(
        "topics", published_guides_prefetch()
    )


def item_get_with_published_guide(
    code: str, *, active_only: bool = True, published_only: bool = True
) -> ServiceItem:
    """One item with its published guide, materials, steps and special procedures in a
    fixed number of queries (``item.published_guides``). Raises ``Http404`` unless the item
    is public (C5); staff reads pass ``active_only=False, published_only=False``."""
    qs = ServiceItem.objects.select_related(
        "implementing_department", "competent_department"
    ).prefetch_related("topics", published_guides_prefetch(with_parts=True))
    if active_only:
        qs = qs.filter(is_active=True)
    if published_only:
        qs = qs.filter(has_published_guide())
    item = qs.filter(code=code).first()
    if item is None:
        raise Http404("未找到该事项。")
    return item


def guide_get_published(item: ServiceItem) -> ServiceGuide | None:
    """C5: the only guide an application may be made under, or ``None``."""
    return ServiceGuide.objects.filter(item=item, status=PUBLISHED).first()


def guide_is_published(item: ServiceItem) -> bool:
    """Whether ``item`` has the guide :func:`guide_get_published` returns, without reading it."""
    return ServiceGuide.objects.filter(item=item, status=PUBLISHED).exists()


def guide_material_ids(guide: ServiceGuide) -> set[int]:
    """C7: ids of the materials ``guide`` lists (the only ones staff may ask for)."""
    if "materials" in getattr(guide, "_prefetched_objects_cache", {}):
        return {m.pk for m in guide.materials.all()}
    return set(GuideMaterial.objects.filter(guide=guide).values_list("pk", flat=True))


def guide_versions(item: ServiceItem) -> QuerySet[ServiceGuide]:
    return (
        ServiceGuide.objects.filter(item=item).select_related("published_by").order_by("-version")
    )


def guide_get_with_parts(pk: int) -> ServiceGuide:
    return (
        ServiceGuide.objects.select_related("item")
        .prefetch_related("materials", "steps", "special_procedures")
        .get(pk=pk)
    )


# --- Bundles, topics, departments ---------------------------------------------------------


def _bundle_qs() -> QuerySet[Bundle]:
    steps = BundleStep.objects.select_related("item", "item__implementing_department")
    return Bundle.objects.select_related("lead_department").prefetch_related(
        "topics",
        Prefetch("steps", queryset=steps.order_by("stage", "id")),
        published_guides_prefetch(through="steps__item__"),
    )


def bundle_list(*, published_only: bool = True, topic: str | None = None) -> QuerySet[Bundle]:
    """Bundles (``published_only``: the public ones, :func:`bundle_is_public`) with steps,
    items and their published guides prefetched, so
    :func:`apps.catalogue.rules.bundle_computed_limit` needs no query per bundle."""
    qs = _bundle_qs()
    if published_only:
        qs = qs.filter(bundle_is_public())
    if topic:
        qs = qs.filter(pk__in=Bundle.objects.filter(topics__code=topic).values("pk"))
    return qs


def bundle_get(code: str, *, published_only: bool = True) -> Bundle:
    bundle = bundle_list(published_only=published_only).filter(code=code).first()
    if bundle is None:
        raise Http404("未找到该一件事。")
    return bundle


def topic_list(*, kind: str | None = None) -> QuerySet[Topic]:
    qs = Topic.objects.all()
    return qs.filter(kind=kind) if kind else qs


def department_list_with_item_counts() -> QuerySet[Department]:
    """Active departments with ``item_count``: active items with a published guide they
    implement."""
    return (
        Department.objects.filter(is_active=True)
        .annotate(
            item_count=Count(
                "implemented_items",
                filter=Q(implemented_items__is_active=True)
                & Q(implemented_items__guides__status=PUBLISHED),
                distinct=True,
            )
        )
        .order_by("code")
    )


# --- Version diff -------------------------------------------------------------------------


@dataclass(frozen=True)
class GuideChange:
    """One difference between two guide versions, in words a reviewer reads."""

    section: str  # 基本信息 / 申请材料 / 办理流程 / 特别程序
    label: str
    change: str  # 修改 / 新增 / 删除
    old: str = ""
    new: str = ""


_DIFF_EXCLUDED = {
    "id",
    "item",
    "version",
    "status",
    "published_at",
    "published_by",
    "created_at",
    "updated_at",
    "change_note",
}
_MATERIAL_FIELDS = tuple(MATERIAL_CONTENT_FIELDS)


def _display(obj, field) -> str:
    value = getattr(obj, field.attname)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return ""
    if hasattr(value, "name") and not isinstance(value, str):  # files
        return value.name or ""
    return str(value)


def _field_changes(section: str, prefix: str, old, new, names) -> list[GuideChange]:
    changes = []
    for name in names:
        field = type(new)._meta.get_field(name)
        before, after = _display(old, field), _display(new, field)
        if before != after:
            changes.append(
                GuideChange(section, f"{prefix}{field.verbose_name}", "修改", before, after)
            )
    return changes


def _keyed_diff(section: str, old_rows, new_rows, key, fields, describe) -> list[GuideChange]:
    old_by, new_by = {key(r): r for r in old_rows}, {key(r): r for r in new_rows}
    changes: list[GuideChange] = []
    for k, row in new_by.items():
        if k not in old_by:
            changes.append(GuideChange(section, describe(row), "新增", "", describe(row)))
        else:
            changes += _field_changes(section, f"{describe(row)} · ", old_by[k], row, fields)
    for k, row in old_by.items():
        if k not in new_by:
            changes.append(GuideChange(section, describe(row), "删除", describe(row), ""))
    return changes


def guide_diff(old: ServiceGuide, new: ServiceGuide) -> list[GuideChange]:
    """What changed from ``old`` to ``new``: guide fields, then materials (matched by name),
    steps (by name) and special procedures (by kind), with Chinese labels."""
    names = [f.name for f in ServiceGuide._meta.concrete_fields if f.name not in _DIFF_EXCLUDED]
    changes = _field_changes("基本信息", "", old, new, names)
    changes += _keyed_diff(
        "申请材料",
        old.materials.all(),
        new.materials.all(),
        key=lambda m: m.name,
        fields=_MATERIAL_FIELDS,
        describe=lambda m: m.name,
    )
    changes += _keyed_diff(
        "办理流程",
        old.steps.all(),
        new.steps.all(),
        key=lambda s: s.name,
        fields=("order", "description", "time_limit_days"),
        describe=lambda s: s.name,
    )
    changes += _keyed_diff(
        "特别程序",
        old.special_procedures.all(),
        new.special_procedures.all(),
        key=lambda p: p.kind,
        fields=("time_limit_days", "description"),
        describe=lambda p: p.get_kind_display(),
    )
    return changes
