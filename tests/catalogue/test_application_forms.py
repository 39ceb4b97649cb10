"""Online form definitions and their one validator (Q2, C5, C6): the JSON Schema and the
rules beyond it, every field type checked on the server, conditions, merging for a 一件事
(C8), the region table and the printable blank form and sample."""

from __future__ import annotations

import copy
import subprocess

import pytest

from apps.catalogue.application_forms import (
    check_answers,
    form_definition_problems,
    merge_forms,
    parse_form,
    parse_result_fields,
    regions,
    result_fields_problems,
    shared_keys,
)
from apps.catalogue.application_forms.answers import FieldError, clean_value
from apps.catalogue.application_forms.definition import parse_field
from apps.catalogue.application_forms.printable import form_pdf, sample_values
from apps.catalogue.demo import demo_catalogue, demo_forms

FORM = {
    "title": "食品经营许可申请书",
    "fills_material": "食品经营许可申请书",
    "sections": [
        {
            "title": "经营者",
            "fields": [
                {"key": "company_name", "label": "单位名称", "type": "text", "required": True},
                {
                    "key": "online_sales",
                    "label": "网络经营",
                    "type": "choice",
                    "options": ["是", "否"],
                    "required": True,
                },
                {
                    "key": "platform",
                    "label": "平台名称",
                    "type": "text",
                    "required": True,
                    "show_if": {"field": "online_sales", "equals": "是"},
                },
                {
                    "key": "note",
                    "label": "备注",
                    "type": "text",
                    "required_if": {"field": "online_sales", "equals": "否"},
                },
                {
                    "key": "declaration",
                    "label": "声明",
                    "type": "declaration",
                    "required": True,
                    "text": "所填属实",
                },
            ],
        }
    ],
}


def test_a_valid_definition_has_no_problems():
    assert form_definition_problems(FORM, material_names=["食品经营许可申请书"]) == []
    assert form_definition_problems({}) == []  # no online form


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["sections"][0]["fields"][0].update(colour="red"), "不认识的键"),
        (lambda d: d["sections"][0]["fields"][1].pop("options"), "缺少“options”"),
        (lambda d: d["sections"][0]["fields"][0].update(key="Company"), "小写英文字母开头"),
        (lambda d: d["sections"][0]["fields"][0].update(type="colour"), "取值应为以下之一"),
        (lambda d: d.pop("title"), "缺少“title”"),
        (lambda d: d["sections"][0]["fields"][2]["show_if"].update(equals="也许"), "不在"),
        (lambda d: d["sections"][0]["fields"][2]["show_if"].update(field="nope"), "不存在"),
        (lambda d: d["sections"][0]["fields"][1].update(key="company_name"), "重复"),
        (lambda d: d["sections"][0]["fields"][0].update(prefill="account.id_number"), "不相符"),
        (lambda d: d["sections"][0]["fields"][0].update(editable=False), "须有预填来源"),
        (lambda d: d["sections"][0]["fields"][4].pop("required"), "声明须为必填"),
        (lambda d: d.update(fills_material="营业执照"), "不是本指南列明的申请材料"),
    ],
)
def test_definition_problems_are_named_in_chinese(change, expected):
    definition = copy.deepcopy(FORM)
    change(definition)
    problems = form_definition_problems(definition, material_names=["食品经营许可申请书"])
    assert any(expected in p for p in problems), problems


def test_result_fields_problems():
    good = [{"key": "valid_to", "label": "有效期至", "type": "date", "required": True}]
    assert result_fields_problems(good) == []
    assert result_fields_problems([{"key": "x", "label": "地址", "type": "region"}])
    assert result_fields_problems(
        [{"key": "x", "label": "y", "type": "text", "show_if": {"field": "a", "filled": True}}]
    )


def _field(**kwargs):
    return parse_field({"key": "k", "label": "项目", **kwargs})


@pytest.mark.parametrize(
    ("spec", "value", "cleaned"),
    [
        ({"type": "text", "max_length": 5}, "  六个字的内容 ", FieldError),
        ({"type": "text"}, " 榕城 ", "榕城"),
        ({"type": "textarea"}, "第一行\n第二行", "第一行\n第二行"),
        ({"type": "number", "min": 1, "max": 10}, "11", FieldError),
        ({"type": "number"}, "1.5", FieldError),
        ({"type": "number", "decimals": 1}, "1.5", "1.5"),
        ({"type": "number"}, "abc", FieldError),
        ({"type": "money"}, "1,250.5", "1250.50"),
        ({"type": "money"}, "1.005", FieldError),
        ({"type": "date"}, "2026-02-30", FieldError),
        ({"type": "date"}, "2026-02-28", "2026-02-28"),
        ({"type": "choice", "options": ["是", "否"]}, "也许", FieldError),
        ({"type": "choice", "options": ["A", "B", "C"], "multiple": True}, ["C", "A"], ["A", "C"]),
        ({"type": "choice", "options": ["A"], "multiple": True}, ["Z"], FieldError),
        ({"type": "region"}, {"code": "350100", "detail": "五四路"}, FieldError),  # no district
        ({"type": "region"}, {"code": "350102", "detail": ""}, FieldError),  # no street
        (
            {"type": "region"},
            {"code": "350102", "detail": "五四路1号"},
            {"code": "350102", "detail": "五四路1号"},
        ),
        ({"type": "region", "levels": 2, "detail": False}, {"code": "310100"}, {"code": "310100"}),
        (
            {"type": "region"},
            {"code": "441900", "detail": "某路"},
            {"code": "441900", "detail": "某路"},
        ),
        ({"type": "id_number"}, "350102199001011234", FieldError),  # check digit
        ({"type": "id_number"}, "350102199001011238", "350102199001011238"),
        ({"type": "uscc"}, "91350100M000100Y44", FieldError),
        ({"type": "uscc"}, "91350100m000100y43", "91350100M000100Y43"),
        ({"type": "phone"}, "1380000000", FieldError),
        ({"type": "phone"}, "138 0000 0001", "13800000001"),
        ({"type": "phone"}, "0591-87654321", "0591-87654321"),
        ({"type": "declaration", "text": "属实"}, "yes", FieldError),
        ({"type": "declaration", "text": "属实"}, "1", True),
    ],
)
def test_every_field_type_is_checked_on_the_server(spec, value, cleaned):
    field = _field(**spec)
    if cleaned is FieldError:
        with pytest.raises(FieldError):
            clean_value(field, value)
    else:
        assert clean_value(field, value) == cleaned


def test_table_rows_are_checked_cell_by_cell_and_blank_rows_dropped():
    table = _field(
        type="table",
        min_rows=1,
        columns=[
            {"key": "name", "label": "姓名", "type": "text", "required": True},
            {"key": "id", "label": "身份证号", "type": "id_number"},
        ],
    )
    assert clean_value(table, [{"name": "张三", "id": ""}, {"name": "", "id": ""}]) == [
        {"name": "张三"}
    ]
    with pytest.raises(FieldError, match="第1行“身份证号”"):
        clean_value(table, [{"name": "张三", "id": "350102199001011234"}])
    with pytest.raises(FieldError, match="第1行“姓名”未填写"):
        clean_value(table, [{"name": "", "id": "350102199001011238"}])
    with pytest.raises(FieldError, match="至少填写1行"):
        clean_value(table, [])


def test_conditions_show_and_require_fields():
    form = parse_form(FORM)
    online = check_answers(form.fields, {"online_sales": "是", "note": "x"}, partial=True)
    assert [f.key for f in online.missing] == ["company_name", "platform", "declaration"]
    offline = check_answers(form.fields, {"online_sales": "否", "platform": "美团"}, partial=True)
    assert "platform" not in offline.cleaned  # hidden: its answer is dropped
    assert "note" in [f.key for f in offline.missing]  # required_if holds


def test_a_draft_tolerates_missing_fields_but_never_a_wrong_value():
    form = parse_form(FORM)
    draft = check_answers(form.fields, {"online_sales": "也许"}, partial=True)
    assert draft.errors == {"online_sales": "请从选项中选择"}
    assert draft.message() == "网络经营：请从选项中选择"
    final = check_answers(form.fields, {"nope": "1"}, partial=False)
    assert final.errors["nope"] == "本申请表没有这一项" and final.errors["company_name"] == "必填"
    assert final.message().startswith(f"有{len(final.errors)}项填写有误：")


def test_not_before_orders_two_dates():
    fields = parse_result_fields(
        [
            {"key": "valid_from", "label": "有效期自", "type": "date"},
            {"key": "valid_to", "label": "有效期至", "type": "date", "not_before": "valid_from"},
        ]
    )
    check = check_answers(
        fields, {"valid_from": "2026-12-01", "valid_to": "2026-11-30"}, partial=False
    )
    assert check.errors == {"valid_to": "不能早于“有效期自”"}


def test_fixed_values_override_what_is_posted():
    form = parse_form(FORM)
    check = check_answers(
        form.fields, {"company_name": "冒名"}, partial=True, fixed={"company_name": "真名"}
    )
    assert check.cleaned["company_name"] == "真名"


def test_merged_form_asks_a_shared_field_once_c8():
    other = copy.deepcopy(FORM)
    other["title"] = "户外招牌设置备案表"
    other["sections"][0]["fields"].append({"key": "sign_text", "label": "招牌", "type": "text"})
    first, second = parse_form(FORM), parse_form(other)
    merged = merge_forms("一件事申请表", [("食品经营许可", first), ("户外招牌设置备案", second)])
    keys = [f.key for f in merged.fields]
    assert keys.count("company_name") == 1 and keys[-1] == "sign_text"
    assert merged.sections[1].title.startswith("户外招牌设置备案")
    assert "company_name" in shared_keys([first, second])


def test_region_table_from_gb_t_2260():
    assert [r.name for r in regions.children("350000")][:2] == ["福州市", "厦门市"]
    assert "鼓楼区" in [r.name for r in regions.children("350100")]
    assert regions.full_name("350102") == "福建省福州市鼓楼区"
    # Municipalities: one city level, named after the municipality.
    assert [r.code for r in regions.children("110000")] == ["110100"]
    assert regions.full_name("110101") == "北京市东城区"
    assert regions.get("350120") is None  # abolished 市区 grouping code


def test_blank_form_and_sample_print_from_the_definition(tmp_path):
    form = parse_form(demo_forms()["350100-SCJGJ-XK-0006"]["application_form"])
    blank = tmp_path / "blank.pdf"
    sample = tmp_path / "sample.pdf"
    blank.write_bytes(form_pdf(form, subtitle="空白表格"))
    sample.write_bytes(form_pdf(form, subtitle="填写样本", values=sample_values(form)))
    for path, expected in ((blank, "空白表格"), (sample, "热食类食品制售")):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "食品经营许可申请书" in text and "经营场所" in text and expected in text


ONLINE_WORDS = ("在线填写", "在线填报", "在线签署", "在线提交", "在线选择")


def test_every_demo_guide_filled_in_online_has_its_form():
    """Done when: every published demo guide that says 在线填写 has its form, checked by the
    same rules as publishing, with a sample that passes the validator."""
    checked = 0
    for item in demo_catalogue()["items"]:
        guide = item.get("guide") or {}
        online = [
            m["name"]
            for m in guide.get("materials", [])
            if "在线填写" in m.get("description", "")
            or (
                any(w in m.get("description", "") for w in ONLINE_WORDS)
                and "审批监管平台" not in m.get("description", "")
            )
        ]
        if not online:
            continue
        definition = guide.get("application_form")
        assert definition, item["code"]
        names = [m["name"] for m in guide["materials"]]
        assert form_definition_problems(definition, material_names=names) == [], item["code"]
        assert definition["fills_material"] in online, item["code"]
        form = parse_form(definition)
        sample = {**sample_values(form), "declaration": True}
        assert check_answers(form.fields, sample, partial=False).ok, item["code"]
        checked += 1
    assert checked >= 23
