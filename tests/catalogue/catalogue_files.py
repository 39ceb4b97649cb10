"""Records of the catalogue exchange format (docs/catalogue-format.md) for import tests."""

from __future__ import annotations

from typing import Any


def guide_record(**overrides: Any) -> dict[str, Any]:
    """A complete guide: publishable as it is (C3)."""
    guide: dict[str, Any] = {
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
    guide.update(overrides)
    return guide


def item_record(
    code: str, name: str, *, dept: str = "SCJGJ", guide: dict | None = None, **overrides: Any
) -> dict[str, Any]:
    """A basic-catalogue record (C2), with ``guide`` when given."""
    record: dict[str, Any] = {
        "code": code,
        "name": name,
        "item_type": "licensing",
        "target": "legal_person",
        "competent_department": dept,
        "implementing_department": dept,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "level": "city",
        "topics": [],
        "keywords": "",
        "risk_area": "",
    }
    record.update(overrides)
    if guide is not None:
        record["guide"] = guide
    return record
