"""Search finds what people type (issue #9; DOMAIN C5, C6): synonyms in both directions,
and the ranking rules — exact name, then the query as a word of the name, then keyword and
synonym matches, then the characters anywhere; for equal matches items people apply for
before enforcement items, more-applied-for items first; ties never by code."""

from __future__ import annotations

import pytest

from apps.catalogue.models import ServiceItem, SynonymGroup
from apps.catalogue.search import Tier, query_variants, search_items
from apps.catalogue.services import synonym_group_save
from tests.catalogue.factories import published_item
from tests.catalogue.ranking import assert_public_ranking_matches_orm

pytestmark = pytest.mark.django_db


def names(query: str) -> list[str]:
    """The names found, best first; the public search's SQL ranking finds the same (#16)."""
    found = list(search_items(query))
    assert assert_public_ranking_matches_orm(query) == [item.id for item in found]
    return [item.name for item in found]


def _item(name: str, code: str, *, keywords: str = "", item_type: str = "licensing", demand=0):
    item = published_item(name, keywords=keywords, item={"code": code, "item_type": item_type})
    ServiceItem.objects.filter(pk=item.pk).update(demand=demand)
    return item


def test_resident_id_items_come_before_a_certificate_that_merely_contains_the_characters():
    """身份证 is a word of 居民身份证申领 (居民 身份证 申领), not of 身份证明开具 (身份
    证明 开具). The certificate has the lowest code and starts with the characters."""
    _item("身份证明开具", "A001", item_type="public_service", demand=900)
    _item("居民身份证申领", "A002", item_type="confirmation", demand=50)
    _item("临时居民身份证申领", "A003", item_type="confirmation", demand=10)
    assert names("身份证") == ["居民身份证申领", "临时居民身份证申领", "身份证明开具"]
    ranks = {i.name: i.rank for i in search_items("身份证")}
    assert ranks == {
        "居民身份证申领": Tier.WORD,
        "临时居民身份证申领": Tier.WORD,
        "身份证明开具": Tier.TEXT,
    }


def test_exact_name_first_then_word_then_keyword_then_characters():
    _item("护照加注", "A001", demand=1000)  # characters? no: 护照 is a word here
    _item("港澳通行证签注", "A002", keywords="护照以外的证件")  # keyword
    _item("普通护照", "A003")  # exact match of the synonym's term? no: a word
    _item("护照", "A004")  # exact name
    _item("电子护照照片采集", "A005")  # 护照 is a word of it
    result = list(search_items("护照"))
    assert [(i.name, i.rank) for i in result] == [
        ("护照", Tier.EXACT),
        ("护照加注", Tier.WORD),
        ("普通护照", Tier.WORD),
        ("电子护照照片采集", Tier.WORD),
        ("港澳通行证签注", Tier.ALIAS),
    ]


def test_equal_matches_put_items_people_apply_for_before_inspection_and_penalty():
    _item("食品经营监督检查", "A001", item_type="inspection", demand=500)
    _item("食品经营违法行为处罚", "A002", item_type="penalty", demand=400)
    _item("食品经营许可", "A003", item_type="licensing")
    _item("食品经营备案", "A004", item_type="public_service")
    result = names("食品经营")
    assert set(result[:2]) == {"食品经营许可", "食品经营备案"}
    assert result[2:] == ["食品经营监督检查", "食品经营违法行为处罚"]  # then by demand


def test_more_applied_for_items_first_among_equal_matches():
    _item("护照签发", "A001", demand=5)
    _item("护照换发", "A002", demand=300)
    _item("护照补发", "A003", demand=40)
    assert names("护照") == ["护照换发", "护照补发", "护照签发"]


def test_ties_never_fall_back_to_the_code():
    """Equal tier, type and demand: the closer (shorter) name first; the codes are chosen
    so that code order would give the opposite."""
    _item("护照签发申请受理", "A001")
    _item("护照签发受理", "M500")
    _item("护照签发", "Z999")
    assert names("护照") == ["护照签发", "护照签发受理", "护照签发申请受理"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("社保", "社会保险参保登记"),  # common name → catalogue word
        ("社会保险", "社保卡挂失"),  # catalogue word → common name
        ("公积金", "住房公积金提取"),
        ("住房公积金", "公积金贷款"),
        ("医保", "医疗保障参保登记"),
        ("营业执照", "企业设立登记"),
        ("营业执照", "市场主体登记"),
        ("企业设立登记", "营业执照补领"),
        ("身份证", "居民身份证换领"),
    ],
)
def test_default_synonyms_apply_in_both_directions(query, expected):
    for n, name in enumerate(
        [
            "社会保险参保登记",
            "社保卡挂失",
            "住房公积金提取",
            "公积金贷款",
            "医疗保障参保登记",
            "企业设立登记",
            "市场主体登记",
            "营业执照补领",
            "居民身份证换领",
        ]
    ):
        _item(name, f"S{n:03d}")
    assert expected in names(query)


def test_a_synonym_match_ranks_as_an_alias_below_words_of_the_name():
    _item("社保卡申领", "A001")  # the characters of 社保, inside the word 社保卡
    _item("社会保险登记", "A002")  # the synonym 社会保险
    _item("社保缴费证明", "A003")  # 社保 is a word
    assert [(i.name, i.rank) for i in search_items("社保")] == [
        ("社保缴费证明", Tier.WORD),
        ("社会保险登记", Tier.ALIAS),
        ("社保卡申领", Tier.TEXT),
    ]


def test_a_group_added_in_the_admin_applies_at_once_and_an_inactive_one_does_not(
    system_admin,
):
    _item("残疾人联合会会员登记", "A001")
    assert names("残联") == []
    group = synonym_group_save(actor=system_admin, terms="残联,残疾人联合会")
    assert names("残联") == ["残疾人联合会会员登记"]
    synonym_group_save(actor=system_admin, group=group, terms=group.terms, is_active=False)
    assert names("残联") == []


def test_variants_replace_the_longest_term_of_a_group_in_the_query():
    groups = [["身份证", "居民身份证"], ["医保", "医疗保障"]]
    assert query_variants(["居民身份证", "医保报销", "护照"], groups) == {
        "居民身份证": ["身份证"],
        "医保报销": ["医疗保障报销"],
        "护照": [],
    }


def test_synonym_groups_refuse_too_few_words_and_words_of_another_group(system_admin):
    from apps.common.errors import ApplicationError

    with pytest.raises(ApplicationError, match="至少需要两个"):
        synonym_group_save(actor=system_admin, terms="社保")
    with pytest.raises(ApplicationError, match="已在其他同义词组中：社保"):
        synonym_group_save(actor=system_admin, terms="社保,社保局")
    with pytest.raises(ApplicationError, match="2至30个字"):
        synonym_group_save(actor=system_admin, terms="卡,社保卡片")


def test_only_system_administrators_edit_synonyms(approver):
    from apps.common.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        synonym_group_save(actor=approver, terms="残联,残疾人联合会")
    assert not SynonymGroup.objects.filter(terms__contains="残联").exists()


def test_pinyin_initials_still_find_and_rank_the_name():
    _item("食品经营许可", "A001")
    _item("食品生产许可", "A002")
    result = list(search_items("spjy"))
    assert [(i.name, i.rank) for i in result] == [("食品经营许可", Tier.WORD)]
    assert [i.rank for i in search_items("spjyxk")] == [Tier.EXACT]
