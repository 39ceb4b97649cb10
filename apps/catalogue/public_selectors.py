"""Reads for the public catalogue pages (DOMAIN C3, C5, C8, C9).

Everything here shows only what a citizen may rely on: active items with a *published*
guide (C5) and published bundles. Every function returns a queryset or object with its
relations joined or prefetched, so a page runs the same number of queries for 5 items as
for 500 (the view tests assert it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from apps.accounts.models import Department
from apps.catalogue.models import (
    Bundle,
    BundleStep,
    GuideMaterial,
    ItemType,
    ServiceGuide,
    ServiceItem,
    ServiceTarget,
    Topic,
)
from apps.catalogue.public_cache import public_version
from apps.catalogue.public_rows import item_rows_by_id
from apps.catalogue.search import search_items
from apps.catalogue.search.ranked import RankedIds, public_search_count, public_search_ids
from apps.catalogue.search.synonyms import active_synonym_groups
from apps.catalogue.selectors import bundle_is_public, has_published_guide

PUBLISHED = ServiceGuide.Status.PUBLISHED

AUDIENCE_TARGETS = {
    "person": (ServiceTarget.NATURAL_PERSON, ServiceTarget.BOTH),
    "company": (ServiceTarget.LEGAL_PERSON, ServiceTarget.BOTH),
}

# Columns a result row shows; the long texts (legal basis, search_text) stay in the table.
_LIST_FIELDS = (
    "id",
    "code",
    "name",
    "item_type",
    "target",
    "keywords",
    "name_en",
    "summary_en",
    "implementing_department__id",
    "implementing_department__name",
    "implementing_department__name_en",
    "implementing_department__code",
)


# What a result row shows of the published guide.
_GUIDE_SUMMARY_FIELDS = (
    "id",
    "item_id",
    "promised_time_limit_days",
    "legal_time_limit_days",
    "is_immediate",
    "online_available",
    "mobile_available",
    "tongban_scope",
)


def item_public_list() -> QuerySet[ServiceItem]:
    """Active items with a published guide (C5), with the department and the guide facts a
    result row shows: the page is one query for the items plus one for their published
    guides (``item.published_guides``: a list of one), however many rows it shows.
    """
    guides = ServiceGuide.objects.filter(status=PUBLISHED).only(*_GUIDE_SUMMARY_FIELDS).order_by()
    return (
        ServiceItem.objects.filter(has_published_guide(), is_active=True)
        .select_related("implementing_department")
        .only(*_LIST_FIELDS)
        .prefetch_related(Prefetch("guides", queryset=guides, to_attr="published_guides"))
        .order_by("code")
    )


# LIMIT/OFFSET are bigint in PostgreSQL; a larger page number overflowed into a 500.
MAX_SQL_OFFSET = 2**63 - 1


def page_number_of(number: str | int | None) -> int:
    """The page asked for: 1 unless ``number`` is a positive integer."""
    try:
        return max(1, int(number or 1))
    except (TypeError, ValueError):
        return 1


def page_of(queryset: QuerySet, number: str | int | None, *, per_page: int) -> Page:
    """One page of ``queryset``, counted by ``COUNT(*) OVER ()`` on the page's own rows.

    A search over text that no index can serve (one-character queries, a common word) scans the
    table; Django's Paginator would scan it twice (COUNT, then the page). Only an empty
    page (no match, or a page past the end) falls back to the Paginator's own count.
    """
    paginator = Paginator(queryset, per_page)
    page_number = page_number_of(number)
    offset = (page_number - 1) * per_page
    if offset + per_page > MAX_SQL_OFFSET:  # ?page=9999…: past any end, and past bigint
        return paginator.get_page(page_number)
    rows = list(queryset.annotate(total_count=Window(Count("*")))[offset : offset + per_page])
    if not rows:
        return paginator.get_page(page_number)
    paginator.count = rows[0].total_count  # cached_property: set it, the Paginator trusts it
    return Page(rows, page_number, paginator)


def item_public_search(query: str) -> QuerySet[ServiceItem]:
    return search_items(query, queryset=item_public_list())


_synonyms: tuple[str, list[list[str]]] = ("", [])


def synonym_groups_public() -> list[list[str]]:
    """The active synonym groups, read once per catalogue version in each process: a
    change to a group clears the version (:mod:`apps.catalogue.receivers`)."""
    global _synonyms
    version = public_version()
    if _synonyms[0] != version:
        _synonyms = (version, active_synonym_groups())
    return _synonyms[1]


def item_public_search_page(query: str, number: str | int | None, *, per_page: int) -> Page:
    """One page of :func:`item_public_search` (C5, C6), as :func:`page_of` pages it (past
    the end: the last page). On Postgres the page's ids and the total come from one SQL
    statement (:mod:`apps.catalogue.search.ranked`; issue 16: compiling the ORM ranking
    cost more than running it), then the page's rows by id, from the cache where they are
    (:mod:`apps.catalogue.public_rows`). Its rows are ``ItemRow``, not items."""
    if connection.vendor != "postgresql":
        return page_of(item_public_search(query), number, per_page=per_page)
    groups = synonym_groups_public()
    page_number = page_number_of(number)
    paginator: Paginator = Paginator([], per_page)
    offset = (page_number - 1) * per_page
    ranked = RankedIds([], None)
    if offset + per_page <= MAX_SQL_OFFSET:
        ranked = public_search_ids(query, groups=groups, offset=offset, limit=per_page)
    if ranked.total is None:  # nothing on this page: none match, or past the end
        paginator.count = public_search_count(query, groups=groups)
        page_number = min(page_number, paginator.num_pages)
        if paginator.count:
            offset = (page_number - 1) * per_page
            ranked = public_search_ids(query, groups=groups, offset=offset, limit=per_page)
    else:
        paginator.count = ranked.total
    return Page(item_rows_by_id(ranked.ids), page_number, paginator)


def item_public_filter(
    *,
    audience: str | None = None,
    item_type: str | None = None,
    department: Department | None = None,
    topic: Topic | None = None,
) -> QuerySet[ServiceItem]:
    qs = item_public_list()
    if audience:
        qs = qs.filter(target__in=AUDIENCE_TARGETS[audience])
    if item_type:
        qs = qs.filter(item_type=item_type)
    if department is not None:
        qs = qs.filter(implementing_department=department)
    if topic is not None:
        qs = qs.filter(topics=topic)
    return qs


def hot_item_list(*, limit: int = 8) -> list[ServiceItem]:
    """热门事项: the operators' list (setting ``CATALOGUE_HOT_ITEM_CODES``) in its order;
    else the items that take part in most published bundles, topped up in code order.

    Ranked on the small bundle-step table first, so the item table is never grouped.
    """
    qs = item_public_list()
    codes = list(settings.CATALOGUE_HOT_ITEM_CODES)[:limit]
    if codes:
        by_code = {item.code: item for item in qs.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]
    ranked = list(
        BundleStep.objects.filter(bundle__status=Bundle.Status.PUBLISHED)
        .values_list("item_id", flat=True)
        .annotate(n=Count("id"))
        .order_by("-n", "item_id")[: limit * 2]
    )
    by_id = {item.id: item for item in qs.filter(id__in=ranked)}
    items = [by_id[i] for i in ranked if i in by_id][:limit]
    if len(items) < limit:
        items += list(qs.exclude(id__in=[i.id for i in items])[: limit - len(items)])
    return items


@dataclass(frozen=True)
class CatalogueCounts:
    by_department: dict[int, int]
    by_type: dict[str, int]


def public_item_counts() -> CatalogueCounts:
    """Public items (C5) counted by implementing department and by type, in one scan."""
    rows = (
        ServiceItem.objects.filter(has_published_guide(), is_active=True)
        .order_by()
        .values_list("implementing_department_id", "item_type")
        .annotate(n=Count("id"))
    )
    by_department: dict[int, int] = {}
    by_type: dict[str, int] = {}
    for department_id, item_type, n in rows:
        by_department[department_id] = by_department.get(department_id, 0) + n
        by_type[item_type] = by_type.get(item_type, 0) + n
    return CatalogueCounts(by_department, by_type)


def department_public_list(counts: CatalogueCounts) -> list[Department]:
    """Active departments with at least one public item, ``item_count`` set."""
    departments = list(
        Department.objects.filter(is_active=True, id__in=counts.by_department.keys())
        .only("id", "code", "name", "short_name", "name_en")
        .order_by("code")
    )
    for department in departments:
        # A display attribute for the template, counted once for the whole page.
        department.item_count = counts.by_department[department.id]  # type: ignore[attr-defined]
    return departments


def department_public_get(*, code: str) -> Department:
    return Department.objects.get(code=code, is_active=True)


def item_type_counts(counts: CatalogueCounts) -> list[tuple[str, str, int]]:
    """(value, label, count) for every C1 type with at least one public item."""
    return [
        (value, str(label), counts.by_type[value])
        for value, label in ItemType.choices
        if counts.by_type.get(value)
    ]


def topic_public_list() -> dict[str, list[Topic]]:
    """Topics by kind with their public item count, for the home page (one query)."""
    public_links = ServiceItem.topics.through.objects.filter(
        topic=OuterRef("pk"),
        serviceitem__is_active=True,
        serviceitem__in=ServiceGuide.objects.filter(status=PUBLISHED).values("item_id"),
    )
    # django-stubs cannot follow an annotation on an auto-created through model.
    count = public_links.order_by().values("topic").annotate(n=Count("*")).values("n")  # type: ignore[misc]
    topics = Topic.objects.annotate(
        item_count=Coalesce(Subquery(count, output_field=IntegerField()), 0)
    ).order_by("kind", "order", "code")
    grouped: dict[str, list[Topic]] = {kind: [] for kind in Topic.Kind.values}
    for topic in topics:
        grouped[topic.kind].append(topic)
    return grouped


def topic_public_get(*, code: str) -> Topic:
    return Topic.objects.get(code=code)


def _bundle_public_list() -> QuerySet[Bundle]:
    return Bundle.objects.filter(bundle_is_public()).select_related("lead_department")


def bundle_public_list(*, topic: Topic | None = None) -> QuerySet[Bundle]:
    qs = _bundle_public_list().annotate(item_count=Count("steps", distinct=True))
    if topic is not None:
        qs = qs.filter(topics=topic)
    return qs.order_by("code")


@dataclass(frozen=True)
class BundleStage:
    number: int
    steps: list[BundleStep]

    @property
    def is_parallel(self) -> bool:
        return len(self.steps) > 1

    @property
    def longest_days(self) -> int | None:
        # ``promised_days`` is annotated on each step by bundle_public_get.
        days = [s.promised_days for s in self.steps if s.promised_days is not None]  # type: ignore[attr-defined]
        return max(days) if days else None


def bundle_public_get(*, code: str) -> tuple[Bundle, list[BundleStage], int | None]:
    """A published bundle, its stages and the C8 bound on its limit: the sum over serial
    stages of the longest parallel step (None if a step has no published guide)."""
    promised = ServiceGuide.objects.filter(item=OuterRef("item"), status=PUBLISHED).values(
        "promised_time_limit_days"
    )[:1]
    steps_qs = (
        BundleStep.objects.select_related("item", "item__implementing_department")
        .annotate(promised_days=Subquery(promised, output_field=IntegerField()))
        .order_by("stage", "id")
    )
    bundle = (
        _bundle_public_list().prefetch_related(Prefetch("steps", queryset=steps_qs)).get(code=code)
    )
    stages: dict[int, list[BundleStep]] = {}
    for step in bundle.steps.all():
        stages.setdefault(step.stage, []).append(step)
    stage_list = [BundleStage(number, steps) for number, steps in sorted(stages.items())]
    complete = all(s.promised_days is not None for st in stage_list for s in st.steps)  # type: ignore[attr-defined]
    bound = sum(st.longest_days or 0 for st in stage_list) if complete else None
    return bundle, stage_list, bound


def guide_public_get(*, item_code: str) -> ServiceGuide:
    """The published guide of an active item, with everything its page shows (C3, C5).

    Raises ``ServiceGuide.DoesNotExist`` when the item has no published guide: a draft or
    superseded version is never shown to the public.
    """
    guide = guide_public_head(item_code=item_code)
    guide_public_parts(guide)
    return guide


def guide_public_head(*, item_code: str) -> ServiceGuide:
    """:func:`guide_public_get` with the item and its departments only: the page's header
    and panels; its body comes from the cache (issue 16) or :func:`guide_public_parts`."""
    return ServiceGuide.objects.select_related(
        "item", "item__implementing_department", "item__competent_department"
    ).get(item__code=item_code, item__is_active=True, status=PUBLISHED)


def guide_public_parts(guide: ServiceGuide) -> None:
    """Load the parts of ``guide`` its page shows: materials, steps, special procedures, the
    item's topics and public 一件事 (one query each)."""
    bundles = Bundle.objects.filter(bundle_is_public()).only("code", "name", "name_en")
    prefetch_related_objects(
        [guide],
        "materials",
        "steps",
        "special_procedures",
        "item__topics",
        Prefetch(
            "item__bundle_steps",
            queryset=BundleStep.objects.filter(bundle__in=bundles).select_related("bundle"),
        ),
    )


def material_file_get(*, material_id: int, kind: str):
    """A material's blank form or sample, only when its guide is published and the item
    active (C5). ``kind`` is ``blank_form`` or ``sample``."""
    if kind not in ("blank_form", "sample"):
        raise GuideMaterial.DoesNotExist
    material = GuideMaterial.objects.select_related("guide", "guide__item").get(
        id=material_id, guide__status=PUBLISHED, guide__item__is_active=True
    )
    field = getattr(material, kind)
    if not field:
        raise GuideMaterial.DoesNotExist
    return material, field


def result_sample_get(*, item_code: str):
    guide = ServiceGuide.objects.select_related("item").get(
        item__code=item_code, item__is_active=True, status=PUBLISHED
    )
    if not guide.result_sample:
        raise ServiceGuide.DoesNotExist
    return guide, guide.result_sample
