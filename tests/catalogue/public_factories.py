"""Small factories for the public catalogue tests (search, pages).

Rows are created directly, not through the catalogue services: these tests are about what
the public sees of a given catalogue state, including states (superseded guides, inactive
items) that take several service calls to reach.
"""

from __future__ import annotations

import factory
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


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"topic{n}")
    name = factory.Sequence(lambda n: f"主题{n}")
    kind = Topic.Kind.THEME


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"350100-TEST-{n:05d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    item_type = ItemType.LICENSING
    target = ServiceTarget.BOTH
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


class ServiceGuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceGuide

    item = factory.SubFactory(ServiceItemFactory)
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


class GuideMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideMaterial

    guide = factory.SubFactory(ServiceGuideFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"申请材料{n}")
    originals = 1


class GuideStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideStep

    guide = factory.SubFactory(ServiceGuideFactory)
    order = factory.Sequence(lambda n: n)
    name = "受理"


class SpecialProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialProcedure

    guide = factory.SubFactory(ServiceGuideFactory)
    kind = SpecialProcedure.Kind.SITE_INSPECTION
    time_limit_days = 10
    description = "对经营场所进行现场核查。"


class BundleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bundle

    code = factory.Sequence(lambda n: f"YJS-{n:03d}")
    name = factory.Sequence(lambda n: f"测试一件事{n}")
    target = ServiceTarget.LEGAL_PERSON
    lead_department = factory.SubFactory(DepartmentFactory)
    promised_time_limit_days = 10
    status = Bundle.Status.PUBLISHED


class BundleStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BundleStep

    bundle = factory.SubFactory(BundleFactory)
    item = factory.SubFactory(ServiceItemFactory)
    stage = 1


def published_item(
    name: str, *, keywords: str = "", materials: int = 0, item: dict | None = None, **guide
) -> ServiceItem:
    """An active item with a published guide (C5) and ``materials`` main materials."""
    obj = ServiceItemFactory(name=name, keywords=keywords, **(item or {}))
    published = ServiceGuideFactory(item=obj, **guide)
    for n in range(materials):
        GuideMaterialFactory(guide=published, order=n, name=f"{name}材料{n + 1}")
    return obj
