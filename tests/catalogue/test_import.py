"""Catalogue import/export (docs/catalogue-format.md; DOMAIN C4, C5, C8)."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.catalogue.models import Bundle, GuideMaterial, ServiceGuide, ServiceItem, Topic
from apps.catalogue.transfer import (
    catalogue_export,
    catalogue_export_csv,
    catalogue_import,
    catalogue_import_csv,
)


def _item(n: int, dept: str = "SCJGJ", **guide_overrides) -> dict:
    guide = {
        "acceptance_conditions": "已取得营业执照。",
        "review_standards": "材料齐全、符合法定形式。",
        "legal_time_limit_days": 20,
        "promised_time_limit_days": 5,
        "is_immediate": False,
        "result_name": "食品经营许可证",
        "result_type": "licence",
        "fee_required": False,
        "fee_standard": "不收费",
        "fee_basis": "",
        "online_available": True,
        "window_available": True,
        "mobile_available": True,
        "post_available": False,
        "tongban_scope": "city",
        "appointment": "支持网上预约",
        "max_visits": 0,
        "where_to_apply": "市民服务中心一楼",
        "office_hours": "工作日 9:00-17:00",
        "consultation": "0591-12345678",
        "complaint": "12345",
        "tolerance_note": "",
        "pledge_enabled": False,
        "pledge_text": "",
        "pledge_liability_text": "",
        "pledge_verification_days": None,
        "materials": [
            {
                "name": "食品经营许可申请书",
                "description": "",
                "originals": 1,
                "copies": 0,
                "electronic_formats": "pdf,jpg,png",
                "max_size_mb": 10,
                "is_required": True,
                "importance": "main",
                "supplement_days": None,
                "reuse": "none",
                "e_licence_type": "",
            }
        ],
        "steps": [{"name": "申请", "description": "", "time_limit_days": None}],
        "special_procedures": [
            {"kind": "site_inspection", "time_limit_days": 10, "description": "现场核查"}
        ],
    }
    guide.update(guide_overrides)
    return {
        "code": f"350100-{dept}-XK-{n:04d}",
        "name": f"导入事项{n}",
        "item_type": "licensing",
        "target": "legal_person",
        "competent_department": dept,
        "implementing_department": dept,
        "legal_basis": "《食品安全法》第三十五条",
        "level": "city",
        "topics": ["company_open"],
        "keywords": "开饭店",
        "risk_area": "",
        "guide": guide,
    }


@pytest.fixture
def catalogue_file(department):
    return {
        "topics": [
            {"code": "company_open", "name": "企业开办", "kind": "company_stage", "order": 1}
        ],
        "items": [_item(n) for n in range(1, 4)],
        "bundles": [
            {
                "code": "YJS-QYKB",
                "name": "企业开办一件事",
                "name_en": "Starting a business",
                "description": "",
                "target": "legal_person",
                "lead_department": "SCJGJ",
                "promised_time_limit_days": 10,
                "topics": ["company_open"],
                "steps": [
                    {"item": "350100-SCJGJ-XK-0001", "stage": 1},
                    {"item": "350100-SCJGJ-XK-0002", "stage": 2},
                ],
            }
        ],
    }


def _snapshot() -> tuple:
    return (
        list(ServiceItem.objects.order_by("pk").values_list("pk", "updated_at")),
        list(ServiceGuide.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        list(Bundle.objects.order_by("pk").values_list("pk", "updated_at")),
        list(Topic.objects.order_by("pk").values_list("pk", "updated_at")),
        ServiceItem.history.count(),
        ServiceGuide.history.count(),
        GuideMaterial.objects.count(),
    )


def test_import_creates_items_published_guides_and_bundles(catalogue_file):
    report = catalogue_import(catalogue_file)
    assert report.ok, report.errors
    assert (report.items.created, report.guides_published, report.bundles.created) == (3, 3, 1)
    assert [o.public for o in report.outcomes] == [True, True, True]
    item = ServiceItem.objects.get(code="350100-SCJGJ-XK-0001")
    assert item.search_text.startswith("导入事项1")
    guide = item.guides.get()
    assert guide.status == ServiceGuide.Status.PUBLISHED
    assert guide.materials.get().name == "食品经营许可申请书"
    assert guide.special_procedures.get().time_limit_days == 10
    assert Bundle.objects.get().status == Bundle.Status.PUBLISHED


def test_import_twice_is_idempotent(catalogue_file):
    assert catalogue_import(catalogue_file).ok
    before = _snapshot()
    report = catalogue_import(copy.deepcopy(catalogue_file))
    assert report.ok, report.errors
    assert not report.changed
    assert (report.topics.unchanged, report.items.unchanged, report.bundles.unchanged) == (1, 3, 1)
    assert _snapshot() == before


def test_c4_import_with_one_bad_row_changes_nothing_and_names_the_row(catalogue_file):
    catalogue_file["items"][2]["guide"]["materials"][0]["name"] = "身份证明等"
    catalogue_file["items"][1]["competent_department"] = "NOPE"
    report = catalogue_import(catalogue_file)
    assert not report.ok
    assert (
        "items[2] (350100-SCJGJ-XK-0003) guide.materials[0] "
        "材料名称“身份证明等”含有兜底表述“等”，请逐项列明"
    ) in report.errors
    assert "items[1] (350100-SCJGJ-XK-0002) 部门编码“NOPE”不存在" in report.errors
    assert not ServiceItem.objects.exists()
    assert not Topic.objects.exists()
    assert not Bundle.objects.exists()


def test_c3_import_reports_guide_problems_with_position(catalogue_file):
    catalogue_file["items"][0]["guide"]["consultation"] = ""
    catalogue_file["items"][0]["guide"]["promised_time_limit_days"] = 30
    report = catalogue_import(catalogue_file)
    errors = [e for e in report.errors if e.startswith("items[0]")]
    assert any("须填写咨询方式" in e for e in errors)
    assert any("不得超过法定办结时限" in e for e in errors)
    assert not ServiceItem.objects.exists()


def test_c8_import_refuses_bundle_over_computed_limit(catalogue_file):
    catalogue_file["bundles"][0]["promised_time_limit_days"] = 11
    report = catalogue_import(catalogue_file)
    assert any(e.startswith("bundles[0] (YJS-QYKB)") and "超过" in e for e in report.errors)
    assert not ServiceItem.objects.exists()


def test_c5_changed_guide_publishes_a_new_version(catalogue_file):
    catalogue_import(catalogue_file)
    catalogue_file["items"][0]["guide"]["promised_time_limit_days"] = 3
    report = catalogue_import(catalogue_file)
    assert report.ok, report.errors
    assert report.guides_published == 1
    guides = ServiceGuide.objects.filter(item__code="350100-SCJGJ-XK-0001").order_by("version")
    assert [(g.version, g.status) for g in guides] == [
        (1, ServiceGuide.Status.SUPERSEDED),
        (2, ServiceGuide.Status.PUBLISHED),
    ]


def test_duplicate_codes_are_reported(catalogue_file):
    catalogue_file["items"].append(copy.deepcopy(catalogue_file["items"][0]))
    report = catalogue_import(catalogue_file)
    assert "items[3] (350100-SCJGJ-XK-0001) 编码重复" in report.errors


def test_export_round_trips(catalogue_file):
    catalogue_import(catalogue_file)
    exported = catalogue_export()
    assert [i["code"] for i in exported["items"]] == [i["code"] for i in catalogue_file["items"]]
    # A guide without an online form exports the format's defaults for it.
    no_form = {"application_form": {}, "result_fields": [], "incomplete_submission_allowed": True}
    assert exported["items"][0]["guide"] == {
        "status": "published",
        **no_form,
        **catalogue_file["items"][0]["guide"],
    }
    assert exported["bundles"] == catalogue_file["bundles"]
    before = _snapshot()
    report = catalogue_import(json.loads(json.dumps(exported)))
    assert report.ok and not report.changed
    assert _snapshot() == before


def test_csv_round_trip_and_line_numbers(catalogue_file):
    catalogue_import(catalogue_file)
    text = catalogue_export_csv()
    before = _snapshot()
    report = catalogue_import_csv(text)
    assert report.ok, report.errors
    assert not report.changed
    assert _snapshot() == before

    bad = text.replace("食品经营许可申请书", "其他材料", 1)
    report = catalogue_import_csv(bad)
    assert not report.ok
    assert report.errors[0].startswith("第2行 (350100-SCJGJ-XK-0001) guide.materials[0]")
    assert "其他材料" in report.errors[0]


def test_csv_with_unknown_department_reports_the_line(department):
    text = (
        "code,name,item_type,target,competent_department,implementing_department,legal_basis\n"
        "A-1,事项一,licensing,legal_person,SCJGJ,SCJGJ,依据\n"
        "A-2,事项二,licensing,legal_person,XXX,SCJGJ,依据\n"
    )
    report = catalogue_import_csv(text)
    assert report.errors == ["第3行 (A-2) 部门编码“XXX”不存在"]
    assert not ServiceItem.objects.exists()


def test_import_command_exits_non_zero_with_the_report(tmp_path, catalogue_file, capsys):
    catalogue_file["items"][0]["guide"]["materials"][0]["name"] = "相关材料"
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue_file, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="未做任何修改"):
        call_command("import_catalogue", str(path))
    assert "items[0] (350100-SCJGJ-XK-0001)" in capsys.readouterr().err
    assert not ServiceItem.objects.exists()


def test_import_and_export_commands(tmp_path, catalogue_file, capsys):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue_file, ensure_ascii=False), encoding="utf-8")
    call_command("import_catalogue", str(path))
    assert "导入完成" in capsys.readouterr().out
    out = tmp_path / "export.csv"
    call_command("export_catalogue", "--format", "csv", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("code,name,item_type")
    call_command("import_catalogue", str(out))
    assert ServiceGuide.objects.count() == 3


def test_import_command_reports_invalid_json(tmp_path, db):
    path = tmp_path / "broken.json"
    path.write_text('{"items": [}', encoding="utf-8")
    with pytest.raises(CommandError, match="JSON 格式错误：第1行"):
        call_command("import_catalogue", str(path))
