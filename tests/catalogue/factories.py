"""Factories for the catalogue domain tests (issue #3).

``ServiceGuideFactory`` builds a *publishable draft* by default: every C3 element filled,
one material and one step. Pass ``materials=3`` / ``steps=0`` to change the counts, or
``status=ServiceGuide.Status.PUBLISHED`` (see ``PublishedGuideFactory``).
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
    Topic,
)
from apps.catalogue.search import compute_search_fields
from tests.accounts.factories import DepartmentFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"分类{n}")
    kind = Topic.Kind.THEME


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"350100-CAT-XK-{n:04d}")
    name = factory.Sequence(lambda n: f"目录测试事项{n}")
    item_type = ItemType.LICENSING
    target = ServiceTarget.LEGAL_PERSON
    competent_department = factory.SubFactory(DepartmentFactory)
    implementing_department = factory.SelfAttribute("competent_department")
    legal_basis = "《中华人民共和国行政许可法》第十二条"
    keywords = ""
    search_text = factory.LazyAttribute(lambda o: compute_search_fields(o.name, o.keywords)[0])
    pinyin_initials = factory.LazyAttribute(lambda o: compute_search_fields(o.name, o.keywords)[1])

    @factory.post_generation
    def topics(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.topics.add(*extracted)


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


class GuideMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideMaterial

    guide = factory.SubFactory(ServiceGuideFactory, materials=0)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"营业执照副本{n}")
    originals = 1


class GuideStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideStep

    guide = factory.SubFactory(ServiceGuideFactory, steps=0)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"审查{n}")


class BundleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bundle
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"YJS-TEST-{n:03d}")
    name = factory.Sequence(lambda n: f"测试一件事{n}")
    target = ServiceTarget.LEGAL_PERSON
    lead_department = factory.SubFactory(DepartmentFactory)
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
