"""A district's catalogue as it is published (DOMAIN C1, C2, C3, C5): departments first, the
basic catalogue before its guides, drafts kept for staff, any code the platform issued."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from stdnum.cn import uscc

from apps.accounts.models import Department
from apps.catalogue.models import ServiceGuide, ServiceItem
from apps.catalogue.publication import item_worklist, publication_of
from apps.catalogue.search import search_items
from apps.catalogue.transfer import catalogue_export, catalogue_import
from tests.catalogue.catalogue_files import guide_record, item_record

pytestmark = pytest.mark.django_db


def _credit_code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


DISTRICT_CREDIT = _credit_code("11350102003591339")
BUREAU_CREDIT = _credit_code("11350102MB0123456")


def _departments() -> list[dict]:
    # The child comes first, as real lists are often sorted by code.
    return [
        {
            "code": "GL-SCJGJ",
            "name": "鼓楼区市场监督管理局",
            "short_name": "区市场监管局",
            "credit_code": BUREAU_CREDIT,
            "parent": "GL",
            "level": "county",
            "region_code": "350102",
        },
        {
            "code": "GL",
            "name": "鼓楼区人民政府",
            "name_en": "Gulou District People's Government",
            "credit_code": DISTRICT_CREDIT,
            "level": "county",
            "region_code": "350102",
        },
    ]


def test_c2_departments_are_imported_with_codes_parent_and_region():
    report = catalogue_import({"departments": _departments()})
    assert report.ok, report.errors
    assert report.departments.created == 2
    bureau = Department.objects.select_related("parent").get(code="GL-SCJGJ")
    assert bureau.parent.code == "GL"
    assert (bureau.credit_code, bureau.region_code, bureau.level) == (
        BUREAU_CREDIT,
        "350102",
        "county",
    )
    # The English edition's name (issue #17); absent is blank (the Chinese name, marked).
    assert bureau.parent.name_en == "Gulou District People's Government"
    assert bureau.name_en == ""
    history = Department.history.count()
    again = catalogue_import({"departments": _departments()})
    assert again.ok and not again.changed
    assert again.departments.unchanged == 2
    assert Department.history.count() == history


def test_departments_then_items_in_one_file_load_a_district_from_nothing():
    data = {
        "departments": _departments(),
        "items": [item_record("350102-SCJG-XK-0001", "食品经营许可", dept="GL-SCJGJ")],
    }
    report = catalogue_import(data)
    assert report.ok, report.errors
    assert ServiceItem.objects.get().implementing_department.code == "GL-SCJGJ"
    assert catalogue_export()["departments"][1] == {
        "code": "GL-SCJGJ",
        "name": "鼓楼区市场监督管理局",
        "name_en": "",
        "short_name": "区市场监管局",
        "credit_code": BUREAU_CREDIT,
        "parent": "GL",
        "level": "county",
        "region_code": "350102",
        "phone": "",
        "address": "",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"parent": "NOPE"}, "上级部门编码“NOPE”不存在"),
        ({"credit_code": "11350102MB1234567X"}, "统一社会信用代码"),
        ({"region_code": "3501"}, "行政区划代码“3501”应为6、9或12位数字"),
        ({"level": "galaxy"}, "level"),
        ({"name": ""}, "缺少字段：name"),
    ],
)
def test_bad_department_records_are_reported_and_nothing_changes(change, message):
    departments = _departments()
    departments[0].update(change)
    report = catalogue_import({"departments": departments})
    assert not report.ok
    assert any(e.startswith("departments[0] (GL-SCJGJ)") and message in e for e in report.errors)
    assert not Department.objects.exists()


def test_a_department_cannot_become_its_own_ancestor():
    assert catalogue_import({"departments": _departments()}).ok
    looped = _departments()
    looped[1]["parent"] = "GL-SCJGJ"
    report = catalogue_import({"departments": looped})
    assert any("循环隶属" in e for e in report.errors)
    assert Department.objects.get(code="GL").parent is None


@pytest.fixture
def two_layer_file(department):
    """A basic-catalogue item, one with an incomplete draft, one with a published guide."""
    draft = guide_record(status="draft", acceptance_conditions="", materials=[], steps=[])
    del draft["legal_time_limit_days"], draft["promised_time_limit_days"]
    return {
        "items": [
            item_record("A-0001", "居民身份证申领", item_type="confirmation"),
            item_record("A-0002", "居民身份证换领", item_type="confirmation", guide=draft),
            item_record("A-0003", "食品经营许可", guide=guide_record()),
        ]
    }


def test_c2_c5_items_without_a_guide_or_with_a_draft_are_imported_but_not_public(
    two_layer_file, client
):
    report = catalogue_import(two_layer_file)
    assert report.ok, report.errors
    assert (report.items.created, report.guides_published, report.drafts_saved) == (3, 1, 1)
    outcomes = {o.code: o for o in report.outcomes}
    assert outcomes["A-0003"].public and outcomes["A-0003"].lacks == ()
    assert not outcomes["A-0001"].public
    assert outcomes["A-0001"].lacks == ("尚无办事指南（实施清单）",)
    lacks = outcomes["A-0002"].lacks
    assert lacks[0] == "第1版办事指南为草稿，尚未发布"
    assert "须填写受理条件" in lacks
    assert "申请材料不能为空（仅即办件可无需材料）" in lacks
    assert "办理流程至少包含一个环节" in lacks
    draft = ServiceGuide.objects.get(item__code="A-0002")
    assert draft.status == ServiceGuide.Status.DRAFT
    assert (draft.legal_time_limit_days, draft.promised_time_limit_days) == (0, 0)
    # Not public anywhere (C5).
    api = APIClient()
    for code in ("A-0001", "A-0002"):
        assert client.get(reverse("catalogue:item", args=[code])).status_code == 404
        assert api.get(f"/api/v1/catalogue/items/{code}/").status_code == 404
    assert [i.code for i in search_items("身份证")] == []
    assert "未公开" in report.summary() and "A-0002 居民身份证换领" in report.outcome_lines()[1]


def test_c5_worklist_lists_what_each_unpublished_item_lacks(two_layer_file, system_admin):
    catalogue_import(two_layer_file)
    rows = [publication_of(item) for item in item_worklist(user=system_admin)]
    assert [(r.item.code, r.label) for r in rows] == [
        ("A-0002", "未公开：草稿（第1版）"),
        ("A-0001", "未公开：仅基本目录"),
    ]
    assert rows[1].lacks == ("尚无办事指南（实施清单）",)


def test_c3_a_guide_marked_published_is_published_only_when_complete(department):
    incomplete = guide_record(consultation="", steps=[])
    report = catalogue_import({"items": [item_record("A-0001", "食品经营许可", guide=incomplete)]})
    assert not report.ok
    assert "items[0] (A-0001) 须填写咨询方式" in report.errors
    assert "items[0] (A-0001) 办理流程至少包含一个环节" in report.errors
    assert not ServiceItem.objects.exists()


def test_c5_completing_a_draft_by_a_later_file_publishes_it(two_layer_file):
    catalogue_import(two_layer_file)
    draft = ServiceGuide.objects.get(item__code="A-0002")
    two_layer_file["items"][1]["guide"] = guide_record()
    report = catalogue_import(two_layer_file)
    assert report.ok, report.errors
    assert report.guides_published == 1
    assert report.items.updated == 1 and report.items.unchanged == 2
    assert any("第1版草稿已按文件内容更新并发布" in n for n in report.notes)
    draft.refresh_from_db()
    assert draft.status == ServiceGuide.Status.PUBLISHED
    assert draft.materials.count() == 1
    assert {o.code: o.public for o in report.outcomes}["A-0002"] is True


def test_a_draft_in_the_file_never_overwrites_the_draft_staff_are_editing(two_layer_file):
    catalogue_import(two_layer_file)
    draft = ServiceGuide.objects.get(item__code="A-0002")
    ServiceGuide.objects.filter(pk=draft.pk).update(acceptance_conditions="窗口已补充的条件")
    report = catalogue_import(two_layer_file)
    assert report.ok and not report.changed
    assert report.notes == [
        "items[1] (A-0002) 已有第1版草稿且与文件内容不同，文件中的草稿未导入；请在后台编辑该草稿"
    ]
    draft.refresh_from_db()
    assert draft.acceptance_conditions == "窗口已补充的条件"


def test_a_draft_of_a_published_item_leaves_it_public(two_layer_file):
    catalogue_import(two_layer_file)
    two_layer_file["items"][2]["guide"] = guide_record(status="draft", promised_time_limit_days=3)
    report = catalogue_import(two_layer_file)
    assert report.drafts_saved == 1
    versions = ServiceGuide.objects.filter(item__code="A-0003").order_by("version")
    assert [(g.version, g.status) for g in versions] == [(1, "published"), (2, "draft")]
    assert {o.code: o.public for o in report.outcomes}["A-0003"] is True


def test_a_draft_may_not_hold_catch_all_materials(department):
    """C4 is refused when a guide is saved, draft or not."""
    draft = guide_record(status="draft")
    draft["materials"][0]["name"] = "其他相关材料"
    report = catalogue_import({"items": [item_record("A-0001", "食品经营许可", guide=draft)]})
    assert any("guide.materials[0]" in e and "兜底表述" in e for e in report.errors)


def test_unknown_guide_status_is_refused(department):
    guide = guide_record(status="approved")
    report = catalogue_import({"items": [item_record("A-0001", "事项", guide=guide)]})
    assert report.errors == [
        "items[0] (A-0001) guide.status 应为 published 或 draft，而不是“approved”"
    ]


REAL_CODES = [
    "11350100003591339C335011700100001",  # 实施编码 with its 业务办理项 suffix
    "000172009000",  # a national basic-catalogue code
    "XK-350102-0001",  # a platform's own prefix
    "350000ZJ-QT-0042",  # a provincial area code
    "gl.scjg_2024-07",  # lowercase, dots and underscores
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_code_the_issuing_platform_used_is_accepted_and_served(department, client, code):
    report = catalogue_import({"items": [item_record(code, "食品经营许可", guide=guide_record())]})
    assert report.ok, report.errors
    assert client.get(reverse("catalogue:item", args=[code])).status_code == 200
    api = APIClient().get(reverse("catalogue-api:item-detail", args=[code]))
    assert api.status_code == 200 and api.json()["code"] == code


def test_codes_are_unique_per_catalogue(department):
    report = catalogue_import(
        {"items": [item_record("X-1", "事项一"), item_record("X-1", "事项二")]}
    )
    assert report.errors == ["items[1] (X-1) 编码重复"]


def _doc_example() -> str:
    from django.conf import settings

    text = (settings.BASE_DIR / "docs" / "catalogue-format.md").read_text(encoding="utf-8")
    section = text.split("## A basic-catalogue-only file", 1)[1]
    return section.split("```json", 1)[1].split("```", 1)[0]


def test_the_documented_basic_catalogue_file_imports_as_documented(tmp_path, capsys, db):
    from django.core.management import call_command

    path = tmp_path / "basic.json"
    path.write_text(_doc_example(), encoding="utf-8")
    report_path = tmp_path / "report.csv"
    call_command("import_catalogue", str(path), "--report", str(report_path))
    out = capsys.readouterr().out
    assert "本次文件中的事项已公开0项，未公开2项。" in out
    assert "000172009000 居民身份证申领（鼓楼公安分局）未公开：尚无办事指南（实施清单）" in out
    lines = report_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "事项编码,事项名称,实施部门,是否公开,尚缺"
    assert lines[1] == "000172009000,居民身份证申领,鼓楼公安分局,否,尚无办事指南（实施清单）"
    assert Department.objects.get(code="GL-GAJ").parent.code == "GL"


def test_csv_departments_file_and_draft_rows_round_trip(tmp_path, db):
    from django.core.management import call_command

    from apps.catalogue.transfer import CSV_COLUMNS, catalogue_export_csv, catalogue_import_csv

    departments = (
        "code,name,name_en,short_name,credit_code,parent,level,region_code,phone,address\n"
        f"GL-SCJGJ,鼓楼区市场监督管理局,,,,GL,county,350102,,\n"
        "GL,鼓楼区人民政府,Gulou District People's Government,,"
        f"{DISTRICT_CREDIT},,county,350102,,\n"
    )
    report = catalogue_import_csv(departments)
    assert report.ok, report.errors
    assert report.departments.created == 2
    assert Department.objects.get(code="GL").name_en == "Gulou District People's Government"
    out = tmp_path / "departments.csv"
    call_command("export_catalogue", "--format", "csv", "--departments", "-o", str(out))
    assert "GL,鼓楼区人民政府,Gulou District People's Government," in out.read_text(
        encoding="utf-8"
    )
    assert catalogue_import_csv(out.read_text(encoding="utf-8")).departments.unchanged == 2

    data = {
        "items": [
            item_record("C-1", "食品经营许可", dept="GL-SCJGJ", guide=guide_record()),
            item_record("C-2", "食品经营许可变更", dept="GL-SCJGJ"),
        ]
    }
    assert catalogue_import(data).ok
    header = catalogue_export_csv().splitlines()[0].split(",")
    assert header[11] == "guide_status"
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update(
        {
            "code": "C-2",
            "name": "食品经营许可变更",
            "item_type": "licensing",
            "target": "legal_person",
            "competent_department": "GL-SCJGJ",
            "implementing_department": "GL-SCJGJ",
            "legal_basis": "《食品安全法》第三十五条",
            "guide_status": "draft",
            "result_name": "食品经营许可证（变更）",
        }
    )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerow(row)
    report = catalogue_import_csv(buffer.getvalue())
    assert report.ok, report.errors
    assert report.drafts_saved == 1
    draft = ServiceGuide.objects.get(item__code="C-2")
    assert (draft.status, draft.result_name) == ("draft", "食品经营许可证（变更）")
    assert {o.code: o.public for o in report.outcomes} == {"C-2": False}


def test_new_items_are_created_together_with_their_history(department):
    data = {
        "items": [
            item_record("B-1", "食品经营许可", guide=guide_record()),
            item_record("B-2", "食品经营许可变更", guide=guide_record(status="draft")),
            item_record("B-3", "食品经营许可注销"),
        ]
    }
    report = catalogue_import(data)
    assert report.ok, report.errors
    assert ServiceItem.history.filter(history_type="+").count() == 3
    assert ServiceGuide.history.filter(history_type="+").count() == 2
    published = ServiceGuide.objects.get(item__code="B-1")
    assert (published.status, published.version, published.change_note) == (
        "published",
        1,
        "批量导入",
    )
    assert published.published_at is not None
    assert [m.order for m in published.materials.all()] == [1]
    assert ServiceItem.objects.get(code="B-1").name_words == "食品 经营 许可"


def test_a_bad_new_item_is_reported_at_its_place_and_nothing_is_created(department):
    data = {
        "items": [
            item_record("B-1", "食品经营许可"),
            item_record("B-2", "食品经营许可变更", item_type="nonsense"),
        ]
    }
    report = catalogue_import(data)
    assert len(report.errors) == 1
    assert report.errors[0].startswith("items[1] (B-2) item_type：")
    assert not ServiceItem.objects.exists()
