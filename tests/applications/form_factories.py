"""A published guide with an online form and a result template, for the 在线填报 tests."""

from __future__ import annotations

import copy

from apps.catalogue.models import ServiceGuide
from tests.applications.factories import guide_for

FORM = {
    "title": "食品经营许可申请书",
    "fills_material": "食品经营许可申请书",
    "sections": [
        {
            "title": "经营者",
            "fields": [
                {
                    "key": "applicant_name",
                    "label": "申请人",
                    "type": "text",
                    "required": True,
                    "prefill": "account.full_name",
                    "editable": False,
                },
                {
                    "key": "company_uscc",
                    "label": "统一社会信用代码",
                    "type": "uscc",
                    "prefill": "company.credit_code",
                    "key_field": True,
                },
                {
                    "key": "contact_phone",
                    "label": "联系电话",
                    "type": "phone",
                    "required": True,
                    "prefill": "account.phone",
                    "key_field": True,
                },
                {
                    "key": "business_address",
                    "label": "经营场所",
                    "type": "region",
                    "required": True,
                },
                {
                    "key": "shop_name",
                    "label": "店名",
                    "type": "text",
                    "required": True,
                    "key_field": True,
                },
                {
                    "key": "declaration",
                    "label": "申请人声明",
                    "type": "declaration",
                    "required": True,
                    "text": "本人承诺所填报内容真实。",
                },
            ],
        }
    ],
}
RESULT_FIELDS = [
    {"key": "approved_items", "label": "经营项目", "type": "text", "required": True},
    {"key": "valid_from", "label": "有效期自", "type": "date", "required": True},
    {
        "key": "valid_to",
        "label": "有效期至",
        "type": "date",
        "required": True,
        "not_before": "valid_from",
    },
]
ADDRESS = {"code": "350102", "detail": "五四路100号"}


def form_guide(department, *, incomplete_allowed: bool = True, form=None) -> ServiceGuide:
    """``guide_for`` (main 食品经营许可申请书, tolerable 场所平面图) with the online form that
    fills the 申请书 and a result template with 经营项目 and validity dates."""
    guide = guide_for(department)
    guide.application_form = copy.deepcopy(form or FORM)
    guide.result_fields = copy.deepcopy(RESULT_FIELDS)
    guide.incomplete_submission_allowed = incomplete_allowed
    guide.save()
    return guide


def complete_answers(**overrides) -> dict:
    return {
        "business_address": ADDRESS,
        "shop_name": "榕城小馆",
        "contact_phone": "13900000009",
        "declaration": True,
        **overrides,
    }


DECISION = {
    "approved_items": "热食类食品制售",
    "valid_from": "2026-12-01",
    "valid_to": "2031-11-30",
}
