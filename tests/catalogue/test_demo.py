"""The demo catalogue (issue #3): it goes through the real importer and shows every
catalogue rule at work — exact materials (C4), tolerable materials (C11, T1), pledge-eligible
items never in a high-risk area (C12, P5), bundle limits (C8) — and seeding twice changes
nothing (C5)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse

from apps.accounts.demo import seed_demo as accounts_seed_demo
from apps.catalogue import rules
from apps.catalogue.demo import demo_catalogue, seed_demo
from apps.catalogue.models import (
    Bundle,
    GuideMaterial,
    ItemType,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
)
from apps.catalogue.publication import item_worklist, publication_of
from apps.catalogue.transfer import catalogue_import

NAMED_ITEMS = [
    "企业设立登记",
    "食品经营许可",
    "建筑工程施工许可证核发",
    "失业保险金申领",
    "社会保障卡申领",
    "居民身份证换领",
    "出生医学证明首次签发",
    "普通护照签发",
    "营业执照变更登记",
    "企业注销登记",
    "职工基本医疗保险参保登记",
    "结婚登记",
    "职工基本养老保险待遇申领",
    "新生儿入户（出生登记）",
    "城乡居民基本医疗保险参保登记",
    "义务教育阶段新生入学登记",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed once for the module (the import takes a while) and roll everything back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        accounts_seed_demo()  # the departments the catalogue refers to
        seed_demo()
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo")
# How a guide says a material is filled in on the portal (在线填写 and its variants).
ONLINE_WORDS = ("在线填写", "在线填报", "在线签署", "在线提交", "在线选择")


def _published():
    return ServiceGuide.objects.filter(status=ServiceGuide.Status.PUBLISHED)


@pytest.mark.django_db
def test_every_demo_item_with_a_guide_to_publish_has_exactly_its_published_guide():
    records = demo_catalogue()["items"]
    to_publish = [r for r in records if r.get("guide", {}).get("status", "published") != "draft"]
    to_publish = [r for r in to_publish if "guide" in r]
    items = ServiceItem.objects.all()
    assert items.count() >= 120
    assert items.count() == len(records)
    assert _published().count() == len(to_publish)
    assert set(_published().values_list("item__code", flat=True)) == {r["code"] for r in to_publish}


@pytest.mark.django_db
def test_demo_work_list_has_basic_catalogue_items_and_a_draft(system_admin):
    """C2: a few items arrive in the basic catalogue only, one with a draft guide, so the
    catalogue managers' work list has something to do."""
    rows = [publication_of(item) for item in item_worklist(user=system_admin)]
    labels = {r.item.name: r.label for r in rows}
    assert labels["计量器具型式批准"] == "未公开：仅基本目录"
    assert labels["食品小作坊登记"] == "未公开：草稿（第1版）"
    assert not any(r.public for r in rows)


@pytest.mark.django_db
def test_demo_spreads_over_departments_and_all_item_types():
    used = set(ServiceItem.objects.values_list("implementing_department__code", flat=True))
    assert len(used) >= 12
    assert set(ServiceItem.objects.values_list("item_type", flat=True)) == set(ItemType.values)
    # Penalties and compulsory measures are listed for completeness, never applied for online.
    assert (
        not _published()
        .filter(item__item_type__in=[ItemType.PENALTY, ItemType.COMPULSION], online_available=True)
        .exists()
    )


@pytest.mark.django_db
def test_demo_contains_the_named_items():
    names = set(ServiceItem.objects.values_list("name", flat=True))
    assert [n for n in NAMED_ITEMS if n not in names] == []


@pytest.mark.django_db
def test_demo_guides_are_publishable_and_limits_hold():
    guides = (
        _published()
        .select_related("item")
        .prefetch_related("materials", "steps", "special_procedures")
    )
    problems = {g.item.code: rules.guide_problems(g) for g in guides}
    assert {code: p for code, p in problems.items() if p} == {}
    assert not guides.filter(promised_time_limit_days__gt=F("legal_time_limit_days")).exists()
    immediate = guides.filter(is_immediate=True)
    assert immediate.count() >= 20
    assert not immediate.exclude(promised_time_limit_days=0).exists()
    assert SpecialProcedure.objects.values("kind").distinct().count() == len(
        SpecialProcedure.Kind.values
    )


@pytest.mark.django_db
def test_demo_materials_are_exact_and_reuse_shared_data():
    materials = GuideMaterial.objects.filter(guide__status=ServiceGuide.Status.PUBLISHED)
    vague = [m.name for m in materials if rules.find_vague_wording(m.name)]
    assert vague == []
    assert materials.filter(reuse=GuideMaterial.Reuse.E_LICENCE).exclude(e_licence_type="").exists()
    assert materials.filter(reuse=GuideMaterial.Reuse.SHARED_DATA).exists()


@pytest.mark.django_db
def test_demo_has_tolerable_materials_with_supplement_rules():
    guides = _published().annotate(
        tolerable=Count("materials", filter=Q(materials__importance="tolerable"))
    )
    with_tolerable = guides.filter(tolerable__gt=0)
    assert with_tolerable.count() >= 15
    assert not with_tolerable.filter(tolerance_note="").exists()
    tolerable = GuideMaterial.objects.filter(
        guide__in=with_tolerable, importance=GuideMaterial.Importance.TOLERABLE
    )
    assert all(m.supplement_days and m.supplement_days > 0 for m in tolerable)


@pytest.mark.django_db
def test_demo_pledge_items_are_never_high_risk():
    pledged = _published().filter(pledge_enabled=True).select_related("item")
    assert pledged.count() >= 10
    assert [g.item.name for g in pledged if g.item.risk_area] == []
    for guide in pledged:
        assert guide.pledge_text and guide.pledge_liability_text
        assert guide.pledge_verification_days
    assert ServiceItem.objects.exclude(risk_area="").count() >= 8


@pytest.mark.django_db
def test_demo_bundles_follow_c8():
    bundles = Bundle.objects.filter(status=Bundle.Status.PUBLISHED).prefetch_related("steps__item")
    assert bundles.count() >= 3
    for bundle in bundles:
        limit = rules.bundle_limit(bundle)
        assert limit.items_without_guide == ()
        # Independently: serial stages add up, parallel steps take the longest (C8).
        longest: dict[int, int] = {}
        for step in bundle.steps.all():
            promised = _published().get(item=step.item).promised_time_limit_days
            longest[step.stage] = max(longest.get(step.stage, 0), promised)
        assert limit.computed_days == sum(longest.values())
        assert bundle.promised_time_limit_days <= limit.computed_days
        assert rules.bundle_problems(bundle) == []
    names = set(bundles.values_list("name", flat=True))
    assert {"企业开办一件事", "新生儿出生一件事", "退休一件事"} <= names


@pytest.mark.django_db
def test_seeding_the_demo_again_changes_nothing():
    guides_before = ServiceGuide.objects.count()
    report = catalogue_import(demo_catalogue(), actor=None)
    assert report.ok, report.summary()
    assert not report.changed, report.summary()
    seed_demo()
    assert ServiceGuide.objects.count() == guides_before
    assert not ServiceGuide.objects.filter(version__gt=1).exists()


@pytest.mark.django_db
def test_every_published_guide_filled_in_online_has_its_form_and_its_downloads_c3_q1(client):
    """Issue #8, done when: every published demo guide that says 在线填写 has its form, and
    the item page offers that material's 空白表格 and 填写样本 (printed from the form), or
    the files the guide itself lists."""
    said_online = Q()
    for words in ONLINE_WORDS:
        said_online |= Q(materials__description__contains=words)
    guides = (
        _published()
        .filter(said_online)
        .exclude(materials__description__contains="审批监管平台")
        .distinct()
        .select_related("item")
        .prefetch_related("materials")
    )
    assert guides.count() >= 23
    for guide in guides:
        code = guide.item.code
        online = [m for m in guide.materials.all() if any(w in m.description for w in ONLINE_WORDS)]
        assert guide.application_form, code
        assert guide.application_form["fills_material"] in {m.name for m in online}, code
        page = client.get(reverse("catalogue:item", args=[code])).content.decode()
        for kind in ("blank", "sample"):
            assert reverse("catalogue:form_printable", args=[code, kind]) in page, code
        for material in guide.materials.all():
            for kind in ("blank_form", "sample"):
                if getattr(material, kind):
                    url = reverse("catalogue:material_file", args=[material.id, kind])
                    assert url in page, (code, material.name)
    # The printed forms are real PDFs (one item of each kind; they share one renderer).
    first = guides.first().item.code
    for kind in ("blank", "sample"):
        response = client.get(reverse("catalogue:form_printable", args=[first, kind]))
        assert response.status_code == 200 and b"".join(response).startswith(b"%PDF")
