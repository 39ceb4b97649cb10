"""Public catalogue pages (DOMAIN C3, C5, C8, C9, C10, C11, C12)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.catalogue.models import (
    Bundle,
    GuideMaterial,
    ItemType,
    ServiceGuide,
    ServiceTarget,
    Topic,
)
from tests.accounts.factories import DepartmentFactory
from tests.catalogue.factories import (
    PublicBundleStepFactory,
    PublicGuideMaterialFactory,
    PublicGuideStepFactory,
    PublicServiceItemFactory,
    PublicTopicFactory,
    PublishedBundleFactory,
    PublishedGuideRowFactory,
    SpecialProcedureFactory,
    published_item,
)

pytestmark = pytest.mark.django_db

C3_LABELS = [
    "事项名称",
    "事项编码",
    "事项类型",
    "设定依据",
    "实施主体",
    "受理条件",
    "服务对象",
    "法定办结时限",
    "承诺办结时限",
    "结果名称",
    "结果样本",
    "收费标准",
    "收费依据",
    "申请材料",
    "容缺受理",
    "办理流程",
    "办理形式",
    "审查标准",
    "通办范围",
    "预约办理",
    "咨询方式",
    "监督投诉方式",
]


def text(response) -> str:
    return response.content.decode()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def dept():
    return DepartmentFactory(code="SCJGJ", name="市市场监督管理局", short_name="市场监管")


@pytest.fixture
def food_licence(dept):
    """食品经营许可 with every guide element filled in, as the import format describes."""
    topic = PublicTopicFactory(code="company_open", name="开办", kind=Topic.Kind.COMPANY_STAGE)
    item = PublicServiceItemFactory(
        code="350100-SCJGJ-XK-0001",
        name="食品经营许可",
        keywords="食品经营许可证,开饭店,餐饮",
        target=ServiceTarget.LEGAL_PERSON,
        competent_department=dept,
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        topics=[topic],
    )
    guide = PublishedGuideRowFactory(
        item=item,
        version=2,
        legal_time_limit_days=20,
        promised_time_limit_days=5,
        result_name="食品经营许可证",
        result_type=ServiceGuide.ResultType.LICENCE,
        tongban_scope="city",
        mobile_available=True,
        appointment="支持网上预约",
        acceptance_conditions="已取得营业执照的市场主体。",
        review_standards="经营场所与食品经营相适应。",
    )
    PublicGuideMaterialFactory(guide=guide, order=1, name="食品经营许可申请书", originals=1)
    PublicGuideMaterialFactory(
        guide=guide,
        order=2,
        name="营业执照",
        originals=0,
        copies=0,
        reuse=GuideMaterial.Reuse.E_LICENCE,
        e_licence_type="营业执照电子证照",
    )
    PublicGuideMaterialFactory(
        guide=guide,
        order=3,
        name="食品安全管理制度文本",
        importance=GuideMaterial.Importance.TOLERABLE,
        supplement_days=7,
        copies=1,
    )
    PublicGuideStepFactory(guide=guide, order=1, name="网上申请", description="登录网站提交申请。")
    PublicGuideStepFactory(guide=guide, order=2, name="审查决定", time_limit_days=4)
    SpecialProcedureFactory(guide=guide, time_limit_days=10)
    # The previous version: its content must never be shown (C5).
    old = PublishedGuideRowFactory(
        item=item,
        version=1,
        status=ServiceGuide.Status.SUPERSEDED,
        where_to_apply="旧址：榕城老市场大楼",
    )
    PublicGuideMaterialFactory(guide=old, name="已废止的旧表格")
    return item


# ---- Item page -------------------------------------------------------------------------


def test_item_page_shows_every_c3_guide_element(client, food_licence):
    """C3: every guide element has its label on the public page."""
    response = client.get(reverse("catalogue:item", args=[food_licence.code]))
    assert response.status_code == 200
    body = text(response)
    missing = [label for label in C3_LABELS if label not in body]
    assert missing == []
    for value in [
        "食品经营许可",
        "350100-SCJGJ-XK-0001",
        "行政许可",
        "《中华人民共和国食品安全法》第三十五条",
        "市市场监督管理局",
        "已取得营业执照的市场主体。",
        "经营场所与食品经营相适应。",
        "法人",
        "全市通办",
        "网上办理、窗口办理、掌上办理",
        "食品经营许可证",
        "网上申请",
        "审查决定",
        "现场勘验",
        "支持网上预约",
        "0591-12345678",
        "0591-87654321",
        "开办",
    ]:
        assert value in body, value


def test_item_page_shows_legal_and_promised_limits_in_working_days(client, food_licence):
    body = text(client.get(reverse("catalogue:item", args=[food_licence.code])))
    assert re.search(r"法定办结时限</dt><dd>20 个工作日", body)
    assert re.search(r"承诺办结时限</dt><dd>5 个工作日", body)
    assert "即办件" not in body


def test_immediate_item_shows_badge(client):
    item = published_item("居民身份证临时证明", is_immediate=True, promised_time_limit_days=0)
    body = text(client.get(reverse("catalogue:item", args=[item.code])))
    assert "即办件" in body


def test_tolerable_material_is_marked_with_supplement_days(client, food_licence):
    """C11/T4: the tolerable material and its supplement limit are published."""
    body = text(client.get(reverse("catalogue:item", args=[food_licence.code])))
    row = re.search(r'<tr[^>]*class="is-tolerable">.*?</tr>', body, re.S).group(0)
    assert "食品安全管理制度文本" in row
    assert "可容缺" in row
    assert "受理后 7 个工作日内补齐" in row
    assert "食品安全管理制度文本（7 个工作日内补齐）" in body


def test_material_reuse_is_noted(client, food_licence):
    """A3: an e-licence material is marked as not to be submitted again."""
    body = text(client.get(reverse("catalogue:item", args=[food_licence.code])))
    assert "免提交" in body
    assert "电子证照调取（营业执照电子证照）" in body


def test_superseded_guide_content_is_not_shown(client, food_licence):
    """C5: only the published version is a basis for handling."""
    body = text(client.get(reverse("catalogue:item", args=[food_licence.code])))
    assert "已废止的旧表格" not in body
    assert "旧址" not in body
    assert "第 2 版" in body


@pytest.mark.parametrize(
    "status", [ServiceGuide.Status.DRAFT, ServiceGuide.Status.SUPERSEDED, None]
)
def test_item_without_published_guide_is_404(client, status):
    """C5: unpublished content is never shown."""
    item = PublicServiceItemFactory(name="护照加注")
    if status:
        PublishedGuideRowFactory(item=item, status=status)
    assert client.get(reverse("catalogue:item", args=[item.code])).status_code == 404


def test_inactive_item_is_404(client):
    item = published_item("护照加注", item={"is_active": False})
    assert client.get(reverse("catalogue:item", args=[item.code])).status_code == 404


def test_apply_button_shown_only_when_online(client, food_licence):
    body = text(client.get(reverse("catalogue:item", args=[food_licence.code])))
    assert f'href="/applications/new/{food_licence.code}/"' in body
    assert "在线申请" in body

    offline = published_item("房屋维修资金使用核准", online_available=False)
    body = text(client.get(reverse("catalogue:item", args=[offline.code])))
    assert "/applications/new/" not in body
    assert "在线申请" not in body
    assert "暂不支持网上申请" in body


def test_fee_item_shows_standard_and_basis(client):
    """C10: a fee is published with its standard and legal basis; otherwise 不收费."""
    item = published_item(
        "机动车驾驶证补领",
        fee_required=True,
        fee_standard="工本费每证 10 元",
        fee_basis="《国家发展改革委 财政部关于机动车驾驶证工本费标准的通知》",
    )
    body = text(client.get(reverse("catalogue:item", args=[item.code])))
    assert "工本费每证 10 元" in body
    assert "机动车驾驶证工本费标准" in body

    free = published_item("结婚登记")
    assert "不收费" in text(client.get(reverse("catalogue:item", args=[free.code])))


def test_pledge_section_shows_text_and_liability_when_enabled(client, food_licence):
    """C12/P1: pledge text and the liability for a false pledge are published."""
    assert "告知承诺" not in text(client.get(reverse("catalogue:item", args=[food_licence.code])))
    item = published_item(
        "公共场所卫生许可",
        pledge_enabled=True,
        pledge_text="本单位承诺符合公共场所卫生条件。",
        pledge_liability_text="虚假承诺的，撤销许可并记入信用记录。",
        pledge_verification_days=30,
    )
    body = text(client.get(reverse("catalogue:item", args=[item.code])))
    assert "本单位承诺符合公共场所卫生条件。" in body
    assert "虚假承诺的，撤销许可并记入信用记录。" in body
    assert "审批后 30 个工作日内进行核查" in body


def test_item_page_query_count_does_not_grow_with_materials(client, django_assert_max_num_queries):
    small = published_item("护照换发", materials=3)
    large = published_item("护照签发", materials=30)
    n = count_queries(client, reverse("catalogue:item", args=[small.code]))
    with django_assert_max_num_queries(n):
        client.get(reverse("catalogue:item", args=[large.code]))


def test_item_page_body_comes_from_the_cache_and_follows_catalogue_changes(client, food_licence):
    """The guide's row and body are the same for everyone: the second visit reads neither
    (issue 16); a change to the item or its 一件事 shows on the next visit (C5)."""
    url = reverse("catalogue:item", args=[food_licence.code])
    first = count_queries(client, url)
    # the guide with its item, materials, steps, procedures, topics, 一件事
    assert count_queries(client, url) <= first - 6

    food_licence.legal_basis = "《中华人民共和国食品安全法》第三十五条（2021年修正）"
    food_licence.name = "食品经营许可（新办）"
    food_licence.save()
    PublicBundleStepFactory(bundle=PublishedBundleFactory(name="开餐馆一件事"), item=food_licence)
    body = text(client.get(url))
    assert "2021年修正" in body and "开餐馆一件事" in body and "食品经营许可（新办）" in body
    assert "食品安全管理制度文本" in body and "可容缺受理" in body


# ---- Downloads -------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_blank_form_download_has_chinese_filename(client, media, food_licence):
    material = GuideMaterial.objects.get(name="食品经营许可申请书")
    material.blank_form.save("form.docx", ContentFile(b"blank form"), save=True)
    body = text(client.get(reverse("catalogue:item", args=[food_licence.code])))
    url = reverse("catalogue:material_file", args=[material.id, "blank_form"])
    assert url in body

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"blank form"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert quote("食品经营许可申请书（空白表格）.docx") in disposition


def test_download_of_unpublished_guide_file_is_404(client, media):
    """C5: files attached to a draft or superseded guide are not public."""
    item = PublicServiceItemFactory(name="护照加注")
    draft = PublishedGuideRowFactory(item=item, status=ServiceGuide.Status.DRAFT)
    material = PublicGuideMaterialFactory(guide=draft)
    material.sample.save("sample.pdf", ContentFile(b"%PDF"), save=True)
    url = reverse("catalogue:material_file", args=[material.id, "sample"])
    assert client.get(url).status_code == 404


def test_download_of_missing_file_or_unknown_kind_is_404(client, media, food_licence):
    material = GuideMaterial.objects.get(name="食品经营许可申请书")
    assert (
        client.get(reverse("catalogue:material_file", args=[material.id, "blank_form"])).status_code
        == 404
    )
    assert (
        client.get(reverse("catalogue:material_file", args=[material.id, "guide"])).status_code
        == 404
    )


def test_result_sample_download(client, media, food_licence):
    guide = ServiceGuide.objects.get(item=food_licence, status=ServiceGuide.Status.PUBLISHED)
    url = reverse("catalogue:result_sample", args=[food_licence.code])
    assert client.get(url).status_code == 404
    guide.result_sample.save("licence.pdf", ContentFile(b"%PDF-1.4"), save=True)
    response = client.get(url)
    assert response.status_code == 200
    assert quote("食品经营许可证（样本）.pdf") in response["Content-Disposition"]


# ---- Search page ---------------------------------------------------------------------


def test_search_page_highlights_query_and_shows_item_facts(client, food_licence):
    response = client.get(reverse("catalogue:search"), {"q": "食品"})
    body = text(response)
    assert response.status_code == 200
    assert "<mark>食品</mark>经营许可" in body
    assert "行政许可" in body
    assert "市市场监督管理局" in body
    assert re.search(r"承诺时限\s*<strong>5</strong>", body)
    assert "可网上办" in body


def test_search_page_escapes_query(client, food_licence):
    body = text(client.get(reverse("catalogue:search"), {"q": "<script>食品"}))
    assert "<script>食品" not in body
    assert "&lt;script&gt;食品" in body


def test_search_page_empty_query_has_help(client):
    body = text(client.get(reverse("catalogue:search")))
    assert "请输入要办理的事项名称或关键词" in body


def test_search_page_no_results_has_help(client, food_licence):
    body = text(client.get(reverse("catalogue:search"), {"q": "火星移民"}))
    assert "没有找到与“火星移民”相关的事项" in body
    assert "12345" in body


def test_search_page_paginates(client, dept):
    for n in range(25):
        published_item(f"护照业务{n:02d}", item={"competent_department": dept})
    first = text(client.get(reverse("catalogue:search"), {"q": "护照"}))
    assert "找到 25 个" in first
    assert "第 1 页，共 2 页" in first
    assert "?q=%E6%8A%A4%E7%85%A7&amp;page=2" in first
    second = text(client.get(reverse("catalogue:search"), {"q": "护照", "page": 2}))
    assert second.count('class="item-row"') == 5


def test_search_page_hides_unpublished_items(client):
    draft = PublicServiceItemFactory(name="护照加注")
    PublishedGuideRowFactory(item=draft, status=ServiceGuide.Status.DRAFT)
    body = text(client.get(reverse("catalogue:search"), {"q": "护照"}))
    assert "护照加注" not in body


def test_search_results_come_from_the_cache_and_follow_catalogue_changes(client, dept):
    """A query's results are the same for everyone: the second search reads neither the
    ranking query nor the guides (issue 16); a newly published item, a department's new
    name and a superseded guide show on the next search (C5)."""
    passport = published_item("护照签发", item={"competent_department": dept})
    url = reverse("catalogue:search") + "?q=" + quote("护照")
    first = count_queries(client, url)
    assert count_queries(client, url) <= first - 2

    published_item("护照加注", item={"competent_department": dept})
    dept.name = "市市场监管局"
    dept.save()
    body = text(client.get(url))
    assert "找到 2 个" in body and "</mark>加注" in body and "市市场监管局" in body

    guide = passport.guides.get()
    guide.status = ServiceGuide.Status.SUPERSEDED
    guide.save()
    body = text(client.get(url))
    assert "找到 1 个" in body and "</mark>签发" not in body


def test_search_for_a_personal_number_is_not_cached(client, food_licence):
    """An ID card or phone number typed into the search box never goes into the cache
    shared by everyone: the search runs each time."""
    url = reverse("catalogue:search") + "?q=13800138000"
    client.get(url)  # the synonym list is read once per catalogue version
    first = count_queries(client, url)
    assert first >= 1  # the search itself
    assert count_queries(client, url) == first
    assert "没有找到与“13800138000”相关的事项" in text(client.get(url))


# ---- Lists ----------------------------------------------------------------------------


def test_person_and_company_lists_filter_by_target(client):
    published_item("结婚登记", item={"target": ServiceTarget.NATURAL_PERSON})
    published_item("企业设立登记", item={"target": ServiceTarget.LEGAL_PERSON})
    published_item("不动产登记", item={"target": ServiceTarget.BOTH})
    person = text(client.get(reverse("catalogue:audience", args=["person"])))
    company = text(client.get(reverse("catalogue:audience", args=["company"])))
    assert "结婚登记" in person and "不动产登记" in person and "企业设立登记" not in person
    assert "企业设立登记" in company and "不动产登记" in company and "结婚登记" not in company
    assert client.get(reverse("catalogue:audience", args=["alien"])).status_code == 404


def test_audience_list_filters_by_type(client):
    published_item("结婚登记", item={"item_type": ItemType.CONFIRMATION})
    published_item("护照签发", item={"item_type": ItemType.LICENSING})
    body = text(
        client.get(reverse("catalogue:audience", args=["person"]), {"type": "confirmation"})
    )
    assert "结婚登记" in body and "护照签发" not in body


def test_department_page_lists_its_published_items(client, dept, food_licence):
    other = DepartmentFactory(code="GAJ", name="市公安局")
    published_item("护照签发", item={"competent_department": other})
    body = text(client.get(reverse("catalogue:department", args=["SCJGJ"])))
    assert "食品经营许可" in body and "护照签发" not in body
    assert client.get(reverse("catalogue:department", args=["NOPE"])).status_code == 404


def test_topic_page_lists_items_and_bundles(client, food_licence):
    bundle = PublishedBundleFactory(name="企业开办一件事")
    bundle.topics.add(Topic.objects.get(code="company_open"))
    body = text(client.get(reverse("catalogue:topic", args=["company_open"])))
    assert "食品经营许可" in body and "企业开办一件事" in body


def test_item_type_page(client, food_licence):
    body = text(client.get(reverse("catalogue:item_type", args=["licensing"])))
    assert "食品经营许可" in body
    assert client.get(reverse("catalogue:item_type", args=["nope"])).status_code == 404


def test_home_page_blocks(client, dept, food_licence):
    PublicTopicFactory(code="birth", name="出生", kind=Topic.Kind.LIFE_EVENT)
    PublishedBundleFactory(name="企业开办一件事")
    PublishedBundleFactory(name="草稿一件事", status=Bundle.Status.DRAFT)
    PublishedGuideRowFactory(
        item=PublicServiceItemFactory(name="草稿事项", competent_department=dept),
        status=ServiceGuide.Status.DRAFT,
    )
    response = client.get(reverse("home"))
    body = text(response)
    assert response.status_code == 200
    assert 'action="/search/"' in body
    for block in ["个人办事", "法人办事", "按部门查找", "按事项类型查找", "热门事项", "12345"]:
        assert block in body, block
    assert "出生" in body and "开办" in body
    assert "企业开办一件事" in body and "草稿一件事" not in body
    # Department count only counts public items (C5).
    assert re.search(r"市场监管<span class=\"count\">1</span>", body)
    assert re.search(r"行政许可<span class=\"count\">1</span>", body)


def test_home_page_shows_a_catalogue_change_at_once(client, dept, food_licence):
    """The home page's catalogue sections come from the cache (issue 16) and change with the
    catalogue: a newly published item, a renamed department, a withdrawn bundle."""
    bundle = PublishedBundleFactory(name="企业开办一件事")
    assert re.search(r"市场监管<span class=\"count\">1</span>", text(client.get(reverse("home"))))
    assert re.search(r"市场监管<span class=\"count\">1</span>", text(client.get(reverse("home"))))

    PublishedGuideRowFactory(
        item=PublicServiceItemFactory(name="食品小作坊登记", competent_department=dept)
    )
    dept.short_name = "市场监管局"
    dept.save()
    bundle.status = Bundle.Status.DRAFT
    bundle.save()
    body = text(client.get(reverse("home")))
    assert re.search(r"市场监管局<span class=\"count\">2</span>", body)
    assert "企业开办一件事" not in body


LIST_URLS = [
    ("home", {}),
    ("catalogue:search", {"q": "护照"}),
    ("catalogue:audience:person", {}),
    ("catalogue:audience:company", {}),
    ("catalogue:department", {}),
    ("catalogue:topic", {}),
    ("catalogue:item_type", {}),
    ("catalogue:bundles", {}),
]


def _url(name: str) -> str:
    if name.startswith("catalogue:audience:"):
        return reverse("catalogue:audience", args=[name.rsplit(":", 1)[1]])
    args = {
        "catalogue:department": ["SCJGJ"],
        "catalogue:topic": ["birth"],
        "catalogue:item_type": ["licensing"],
    }.get(name, [])
    return reverse(name, args=args)


def _seed(n: int, dept, topics) -> None:
    start = ServiceGuide.objects.count()
    for i in range(start, start + n):
        item = published_item(
            f"护照事项{i:03d}",
            keywords="护照,出国",
            materials=2,
            item={
                "competent_department": dept,
                "target": ServiceTarget.BOTH,
                "topics": topics,
            },
        )
        bundle = PublishedBundleFactory(lead_department=dept)
        PublicBundleStepFactory(bundle=bundle, item=item)
        bundle.topics.add(*topics)


@pytest.mark.parametrize(("name", "params"), LIST_URLS)
def test_list_pages_run_constant_queries_for_5_and_50_items(
    client, dept, name, params, django_assert_max_num_queries
):
    topics = [
        PublicTopicFactory(code="birth", name="出生", kind=Topic.Kind.LIFE_EVENT),
        PublicTopicFactory(code="company_open", name="开办", kind=Topic.Kind.COMPANY_STAGE),
    ]
    _seed(5, dept, topics)
    url = _url(name)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    with_5 = len(ctx.captured_queries)
    _seed(45, dept, topics)
    with django_assert_max_num_queries(with_5):
        assert client.get(url, params).status_code == 200


# ---- Bundles --------------------------------------------------------------------------


def test_bundle_page_shows_serial_and_parallel_stages(client, dept):
    """C8: stages run in order; steps of one stage run in parallel."""
    a = published_item("企业设立登记", promised_time_limit_days=1)
    b = published_item("公章刻制备案", promised_time_limit_days=1)
    c = published_item("申领发票", promised_time_limit_days=2)
    bundle = PublishedBundleFactory(
        code="YJS-QYKB", name="企业开办一件事", promised_time_limit_days=3
    )
    PublicBundleStepFactory(bundle=bundle, item=a, stage=1)
    PublicBundleStepFactory(bundle=bundle, item=b, stage=2)
    PublicBundleStepFactory(bundle=bundle, item=c, stage=2)
    body = text(client.get(reverse("catalogue:bundle", args=["YJS-QYKB"])))
    assert "第 1 阶段" in body and "第 2 阶段" in body
    assert "并联办理" in body and "单项办理" in body
    assert "本阶段最长 2 个工作日" in body
    assert "按各阶段最长时限累计不超过 3 个工作日" in body
    assert body.index("企业设立登记") < body.index("公章刻制备案")

    listing = text(client.get(reverse("catalogue:bundles")))
    assert "企业开办一件事" in listing and "3 个事项" in listing


def test_unpublished_bundle_is_404(client):
    PublishedBundleFactory(code="YJS-DRAFT", status=Bundle.Status.DRAFT)
    assert client.get(reverse("catalogue:bundle", args=["YJS-DRAFT"])).status_code == 404
    assert "YJS-DRAFT" not in text(client.get(reverse("catalogue:bundles")))


def test_bundle_page_query_count_does_not_grow_with_steps(client, django_assert_max_num_queries):
    small = PublishedBundleFactory()
    large = PublishedBundleFactory()
    for n in range(3):
        PublicBundleStepFactory(bundle=small, item=published_item(f"甲事项{n}"), stage=n % 2 + 1)
    for n in range(20):
        PublicBundleStepFactory(bundle=large, item=published_item(f"乙事项{n}"), stage=n % 4 + 1)
    queries = count_queries(client, reverse("catalogue:bundle", args=[small.code]))
    with django_assert_max_num_queries(queries):
        client.get(reverse("catalogue:bundle", args=[large.code]))


def test_bundle_page_offers_one_online_application_c8(client, db):
    """C8: a bundle is applied for in one submission, from its own page."""
    from tests.catalogue.factories import PublishedBundleFactory

    bundle = PublishedBundleFactory()
    response = client.get(f"/bundles/{bundle.code}/")
    assert f'href="/applications/new/bundle/{bundle.code}/"' in response.content.decode()
