"""Factories for the catalogue tests, in two families with different defaults on purpose.

Service-level (issue #3): ``ServiceGuideFactory`` builds a *publishable draft* by default:
every C3 element filled, one material and one step. Pass ``materials=3`` / ``steps=0`` to
change the counts, or ``status=ServiceGuide.Status.PUBLISHED`` (see ``PublishedGuideFactory``).

Public pages and search (``Public*``, ``PublishedGuideRowFactory``, ``PublishedBundleFactory``,
``SpecialProcedureFactory``, ``published_item``): rows are created directly, not through the
catalogue services, already published (guide version 1, no lines added behind your back).
These tests are about what the public sees of a given catalogue state, including states
(superseded guides, inactive items) that take several service calls to reach.

The shared defaults sit in model-less bases so that each concrete factory keeps its own
sequence counter (factory_boy shares one between factories of a model that inherit from
each other).
"""

from __future__ import annotations

import factory
from django.db.models import Max
from django.utils import timezone

from apps.catalogue.models import (
    Bundle,
    BundleStep,
    GuideMaterial,
    GuideStep,
    ItemType,
    ServiceGuide,
    ServiceItem,
    ServiceTarget,
    SpecialProcedure,
    Topic,
)
from apps.catalogue.search import compute_search_fields
from tests.accounts.factories import DepartmentFactory

# --- Shared defaults ----------------------------------------------------------------------


class _TopicDefaults(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("code",)

    kind = Topic.Kind.THEME


class _ItemDefaults(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    item_type = ItemType.LICENSING
    competent_department = factory.SubFactory(DepartmentFactory)
    implementing_department = factory.SelfAttribute("competent_department")
    legal_basis = "《中华人民共和国行政许可法》第十二条"
    keywords = ""
    search_text = factory.LazyAttribute(
        lambda o: compute_search_fields(o.name, o.keywords).search_text
    )
    pinyin_initials = factory.LazyAttribute(
        lambda o: compute_search_fields(o.name, o.keywords).pinyin_initials
    )
    name_words = factory.LazyAttribute(
        lambda o: compute_search_fields(o.name, o.keywords).name_words
    )

    @factory.post_generation
    def topics(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.topics.add(*extracted)


class _GuideLineDefaults(factory.django.DjangoModelFactory):
    """A material or a step: numbered in creation order."""

    class Meta:
        abstract = True

    order = factory.Sequence(lambda n: n)


class _BundleDefaults(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    name = factory.Sequence(lambda n: f"测试一件事{n}")
    target = ServiceTarget.LEGAL_PERSON
    lead_department = factory.SubFactory(DepartmentFactory)


# --- Service-level: drafts to be published through the services ---------------------------


class TopicFactory(_TopicDefaults):
    class Meta:
        model = Topic

    code = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"分类{n}")


class ServiceItemFactory(_ItemDefaults):
    class Meta:
        model = ServiceItem

    code = factory.Sequence(lambda n: f"350100-CAT-XK-{n:04d}")
    name = factory.Sequence(lambda n: f"目录测试事项{n}")
    target = ServiceTarget.LEGAL_PERSON


def _next_version(item: ServiceItem) -> int:
    return (item.guides.aggregate(v=Max("version"))["v"] or 0) + 1


class ServiceGuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceGuide
        skip_postgeneration_save = True

    item = factory.SubFactory(ServiceItemFactory)
    version = factory.LazyAttribute(lambda o: _next_version(o.item))
    status = ServiceGuide.Status.DRAFT
    acceptance_conditions = "申请人已取得营业执照，经营场所符合要求。"
    review_standards = "材料齐全、符合法定形式，经营场所与申报一致。"
    legal_time_limit_days = 20
    promised_time_limit_days = 5
    result_name = "食品经营许可证"
    result_type = ServiceGuide.ResultType.LICENCE
    where_to_apply = "市民服务中心一楼市场监管窗口（榕城路1号）"
    office_hours = "工作日 9:00-12:00，13:30-17:00"
    consultation = "0591-12345678；12345政务服务便民热线"
    complaint = "0591-87654321；12345政务服务便民热线"

    @factory.post_generation
    def materials(self, create: bool, extracted, **kwargs) -> None:
        count = 1 if extracted is None else extracted
        if create:
            for i in range(count):
                GuideMaterialFactory(guide=self, order=i + 1, name=f"申请材料{i + 1}")

    @factory.post_generation
    def steps(self, create: bool, extracted, **kwargs) -> None:
        count = 1 if extracted is None else extracted
        if create:
            for i, name in zip(
                range(count), ["申请", "受理", "审查", "决定", "送达"] * 10, strict=False
            ):
                GuideStepFactory(guide=self, order=i + 1, name=f"{name}{i + 1}")


class PublishedGuideFactory(ServiceGuideFactory):
    status = ServiceGuide.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class GuideMaterialFactory(_GuideLineDefaults):
    class Meta:
        model = GuideMaterial

    guide = factory.SubFactory(ServiceGuideFactory, materials=0)
    name = factory.Sequence(lambda n: f"营业执照副本{n}")
    originals = 1


class GuideStepFactory(_GuideLineDefaults):
    class Meta:
        model = GuideStep

    guide = factory.SubFactory(ServiceGuideFactory, steps=0)
    name = factory.Sequence(lambda n: f"审查{n}")


class BundleFactory(_BundleDefaults):
    class Meta:
        model = Bundle
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"YJS-TEST-{n:03d}")
    promised_time_limit_days = 3


class BundleStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BundleStep

    bundle = factory.SubFactory(BundleFactory)
    item = factory.SubFactory(ServiceItemFactory)
    stage = 1


def item_with_published_guide(*, promised: int = 5, **item_kwargs) -> ServiceItem:
    """An item whose published guide promises ``promised`` working days."""
    item = ServiceItemFactory(**item_kwargs)
    PublishedGuideFactory(item=item, promised_time_limit_days=promised)
    return item


# --- Public pages and search: published rows created directly -----------------------------


class PublicTopicFactory(_TopicDefaults):
    class Meta:
        model = Topic

    code = factory.Sequence(lambda n: f"topic{n}")
    name = factory.Sequence(lambda n: f"主题{n}")


class PublicServiceItemFactory(_ItemDefaults):
    class Meta:
        model = ServiceItem

    code = factory.Sequence(lambda n: f"350100-TEST-{n:05d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    target = ServiceTarget.BOTH


class PublishedGuideRowFactory(factory.django.DjangoModelFactory):
    """Version 1, already published, with no materials or steps unless you add them."""

    class Meta:
        model = ServiceGuide

    item = factory.SubFactory(PublicServiceItemFactory)
    version = 1
    status = ServiceGuide.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    acceptance_conditions = "申请人具有完全民事行为能力。"
    review_standards = "材料齐全、符合法定形式。"
    legal_time_limit_days = 20
    promised_time_limit_days = 5
    result_name = factory.LazyAttribute(lambda o: f"{o.item.name}决定书")
    where_to_apply = "市民服务中心一楼综合窗口（榕城路 1 号）"
    office_hours = "工作日 9:00-12:00，13:30-17:00"
    consultation = "0591-12345678；12345 政务服务便民热线"
    complaint = "0591-87654321；12345 政务服务便民热线"


class PublicGuideMaterialFactory(_GuideLineDefaults):
    class Meta:
        model = GuideMaterial

    guide = factory.SubFactory(PublishedGuideRowFactory)
    name = factory.Sequence(lambda n: f"申请材料{n}")
    originals = 1


class PublicGuideStepFactory(_GuideLineDefaults):
    class Meta:
        model = GuideStep

    guide = factory.SubFactory(PublishedGuideRowFactory)
    name = "受理"


class SpecialProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialProcedure

    guide = factory.SubFactory(PublishedGuideRowFactory)
    kind = SpecialProcedure.Kind.SITE_INSPECTION
    time_limit_days = 10
    description = "对经营场所进行现场核查。"


class PublishedBundleFactory(_BundleDefaults):
    class Meta:
        model = Bundle

    code = factory.Sequence(lambda n: f"YJS-{n:03d}")
    promised_time_limit_days = 10
    status = Bundle.Status.PUBLISHED


class PublicBundleStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BundleStep

    bundle = factory.SubFactory(PublishedBundleFactory)
    item = factory.SubFactory(PublicServiceItemFactory)
    stage = 1


def published_item(
    name: str, *, keywords: str = "", materials: int = 0, item: dict | None = None, **guide
) -> ServiceItem:
    """An active item with a published guide (C5) and ``materials`` main materials."""
    obj = PublicServiceItemFactory(name=name, keywords=keywords, **(item or {}))
    published = PublishedGuideRowFactory(item=obj, **guide)
    for n in range(materials):
        PublicGuideMaterialFactory(guide=published, order=n, name=f"{name}材料{n + 1}")
    return obj
