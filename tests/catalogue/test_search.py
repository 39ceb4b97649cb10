"""Catalogue search: Chinese substrings, pinyin initials, ranking, only published (C5, C6)."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.catalogue.models import ServiceGuide, ServiceItem
from apps.catalogue.public_selectors import item_public_search
from apps.catalogue.search import compute_search_fields, cut_name_words, search_items
from tests.accounts.factories import DepartmentFactory
from tests.catalogue.factories import (
    PublicServiceItemFactory,
    PublishedGuideRowFactory,
    published_item,
)
from tests.catalogue.ranking import assert_public_ranking_matches_orm

pytestmark = pytest.mark.django_db


def names(qs) -> list[str]:
    return [item.name for item in qs]


@pytest.fixture
def catalogue():
    """A small catalogue with look-alike names, as in a real city's list."""
    items = {}
    for code, name, keywords in [
        # codes chosen so that ranking, not code order, puts the best match first
        ("A001", "小作坊食品生产登记", "食品小作坊"),
        ("A002", "食品生产许可", "SC证,生产许可证"),
        ("A003", "食品经营许可", "食品经营许可证,开饭店,餐饮"),
        ("A004", "食品经营许可变更", ""),
        ("A005", "普通护照签发", "护照,出国"),
        ("A006", "护照换发", "护照到期"),
        ("A007", "社会保险登记", "社保,参保"),
        ("A008", "社保卡申领", "社会保障卡"),
        ("A009", "营业执照设立登记", "开公司,营业执照"),
        ("A010", "个体工商户注册登记", "营业执照,个体户"),
        ("A011", "结婚登记", "领证"),
    ]:
        items[name] = published_item(name, keywords=keywords, item={"code": code})
    return items


def test_compute_search_fields_lowercases_and_adds_pinyin_initials():
    text, initials, words = compute_search_fields("食品经营许可", "食品经营许可证,开饭店，ICP备案")
    assert text == "食品经营许可 食品经营许可证 开饭店 icp备案"
    assert initials.split() == ["spjyxk", "spjyxkz", "kfd", "icpba"]
    assert words == "食品 经营 许可"


def test_compute_search_fields_empty_keywords():
    assert compute_search_fields("护照换发", "") == ("护照换发", "hzhf", "护照 换发")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        # A compound the dictionary keeps whole is split where both halves are words.
        ("居民身份证申领", "居民 身份证 申领"),
        ("临时居民身份证申领", "临时 居民 身份证 申领"),
        # 身份证明 is 身份 + 证明: 身份证 is not one of its words.
        ("身份证明开具", "身份 证明 开具"),
        ("营业执照设立登记", "营业 执照 设立 登记"),
        ("ICP备案", "icp 备案"),
    ],
)
def test_names_are_cut_into_words(name, words):
    assert cut_name_words(name) == words


def test_food_query_ranks_food_business_licence_first_among_food_items(catalogue):
    """食品 → 食品经营许可 first: its name starts with the query and its keywords (the
    aliases citizens use) contain it, which outranks a name-only hit with a lower code."""
    result = names(search_items("食品"))
    assert result[0] == "食品经营许可"
    assert set(result) == {
        "小作坊食品生产登记",
        "食品生产许可",
        "食品经营许可",
        "食品经营许可变更",
    }


def test_exact_name_ranks_first(catalogue):
    result = list(search_items("食品经营许可"))
    assert result[0].name == "食品经营许可"
    assert result[0].rank > result[1].rank
    assert names(result) == ["食品经营许可", "食品经营许可变更"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("护照", {"普通护照签发", "护照换发"}),
        ("社保", {"社会保险登记", "社保卡申领"}),
        ("营业", {"营业执照设立登记", "个体工商户注册登记"}),
        ("食品", {"小作坊食品生产登记", "食品生产许可", "食品经营许可", "食品经营许可变更"}),
    ],
)
def test_two_character_queries_find_items_by_name_or_keyword(catalogue, query, expected):
    assert set(names(search_items(query))) == expected


def test_keyword_and_synonym_match_outranks_characters_inside_another_word(catalogue):
    """社会保险登记 has 社保 as a keyword (and 社会保险 is its synonym); 社保卡申领 only has
    the characters, inside the word 社保卡."""
    assert names(search_items("社保")) == ["社会保险登记", "社保卡申领"]


def test_pinyin_initials_find_item(catalogue):
    result = names(search_items("spjy"))
    assert result[:2] == ["食品经营许可", "食品经营许可变更"]
    assert "食品生产许可" not in result


def test_pinyin_initials_are_case_insensitive_and_exact_token_ranks_first(catalogue):
    assert names(search_items("SPJYXK"))[0] == "食品经营许可"


def test_all_terms_must_be_present(catalogue):
    assert names(search_items("食品 变更")) == ["食品经营许可变更"]
    assert names(search_items("食品 护照")) == []


def test_empty_and_unknown_queries_find_nothing(catalogue):
    assert names(search_items("")) == []
    assert names(search_items("   ")) == []
    assert names(search_items("火星移民")) == []


def test_like_wildcards_in_query_are_literal(catalogue):
    assert names(search_items("%")) == []
    assert names(search_items("_")) == []


PARITY_QUERIES = [
    "食品",
    "食品经营",
    "食品经营许可",
    "护照",
    "社保",
    "营业执照",
    "登记",
    "许可证",
    "spjy",
    "SPJYXK",
    "hz",
    "kfd",
    "食品 许可",
    "许可 食品 登记",
    "食品 食品",
    "%",
    "_",
    "许可%",
    "a_b",
    "Abc食品",
    "sc证",
    "<i>",
    "社会保险 登记",
    "开公司",
    "火星移民",
    "a b c d e f",
    "照签",
    "执照",
    "经营 许可",
    "%登",
    "品%",
]


@pytest.mark.parametrize("query", PARITY_QUERIES)
def test_public_search_sql_ranks_as_the_orm(catalogue, query):
    """The public search page ranks in one SQL statement (issue 16): the same items in the
    same order and the same total as search_items, wildcards and case included."""
    published_item("ABC食品%登记", keywords="a_b,许可%,<i>许可</i>", item={"code": "B001"})
    published_item("食品抽样监督检查", item={"code": "B002", "item_type": "inspection"})
    published_item("护照", keywords="护照,HZ", item={"code": "B003"})
    assert_public_ranking_matches_orm(query)


def test_items_without_published_guide_are_not_found():
    """C5: a draft guide, a superseded-only item and an inactive item stay out of search."""
    draft = PublicServiceItemFactory(name="护照加注")
    PublishedGuideRowFactory(item=draft, status=ServiceGuide.Status.DRAFT, published_at=None)
    old = PublicServiceItemFactory(name="护照补发")
    PublishedGuideRowFactory(item=old, status=ServiceGuide.Status.SUPERSEDED)
    PublicServiceItemFactory(name="护照挂失")  # no guide at all
    published_item("护照签注", item={"is_active": False})
    visible = published_item("护照换发")

    assert list(search_items("护照")) == [visible]


def test_item_with_superseded_and_published_versions_appears_once():
    item = published_item("护照换发", version=2)
    PublishedGuideRowFactory(item=item, version=1, status=ServiceGuide.Status.SUPERSEDED)
    assert list(search_items("护照")) == [item]


def test_given_queryset_is_searched_as_is():
    """Staff search passes its own scope, e.g. items still in draft."""
    draft = PublicServiceItemFactory(name="护照加注")
    result = search_items("护照", queryset=ServiceItem.objects.all())
    assert list(result) == [draft]
    assert result[0].rank > 0


def test_trigram_index_exists_on_postgres():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalogue_item_search_trgm'"
        )
        (indexdef,) = cursor.fetchone()
    assert "gin_trgm_ops" in indexdef


# --- Two-character queries on Postgres: the bigram index (issue 16) --------------------------

SUBJECTS = ["食品", "药品", "建筑", "道路", "医疗", "教师", "排污", "发票", "纳税", "婚姻"]
ACTIONS = ["经营许可", "变更登记", "注销登记", "证明开具", "信息查询", "年度报告", "补贴申领"]
BULK_ITEMS = 3000


@pytest.fixture
def large_catalogue():
    """3,000 published items, 6 of them about passports: 护照 is a rare two-character word."""
    department = DepartmentFactory()
    items = []
    for n in range(BULK_ITEMS):
        subject = "护照" if n % 500 == 0 else SUBJECTS[n % len(SUBJECTS)]
        name = f"{subject}{ACTIONS[n % len(ACTIONS)]}{n}"
        items.append(
            PublicServiceItemFactory.build(
                code=f"350100-BULK-{n:05d}",
                name=name,
                competent_department=department,
                implementing_department=department,
                **compute_search_fields(name, "")._asdict(),
            )
        )
    ServiceItem.objects.bulk_create(items, batch_size=1000)
    ServiceGuide.objects.bulk_create(
        [PublishedGuideRowFactory.build(item=item) for item in items], batch_size=1000
    )
    with connection.cursor() as cursor:
        # What autovacuum does to a live table: statistics, and the new rows moved from the
        # GIN indexes' pending lists into the indexes proper.
        cursor.execute("ANALYZE catalogue_serviceitem")
        cursor.execute("ANALYZE catalogue_serviceguide")
        for index in ("catalogue_item_search_bigram", "catalogue_item_search_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    return items


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_two_character_query_uses_the_bigram_index(large_catalogue):
    """C5: the most common Chinese query, two characters, is looked up in the bigram index
    instead of scanning the catalogue, and finds exactly the items that contain it."""
    results = item_public_search("护照")

    assert "catalogue_item_search_bigram" in _plan(results[:20])
    assert sorted(item.name for item in results) == sorted(
        item.name for item in large_catalogue if "护照" in item.name
    )
    assert len(results) == BULK_ITEMS // 500


def test_two_character_synonym_is_looked_up_in_the_bigram_index(large_catalogue):
    """C6: 社会保险 also matches its common name 社保, two characters: both sides indexed."""
    plan = _plan(item_public_search("社会保险")[:20])

    assert "catalogue_item_search_bigram" in plan
    assert "catalogue_item_search_trgm" in plan


def test_bigrams_match_exactly_what_a_substring_match_finds(catalogue):
    """The index path and the substring match agree, whitespace between words included:
    餐饮 (a keyword) is found, 可开 (across the space between name and keyword) is not."""
    everything = ServiceItem.objects.all()
    for query in ["餐饮", "可开", "许可", "护照", "%_"]:
        expected = {i.name for i in everything if query in i.search_text}
        assert {i.name for i in search_items(query)} == expected, query
