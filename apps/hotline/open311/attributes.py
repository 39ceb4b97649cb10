"""The attributes every service definition offers (GeoReport v2 ``attributes``): what the
hotline needs beyond the standard fields. None is required, so plain clients work."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from apps.hotline.open311.errors import Open311Error
from apps.hotline.workflow import TicketType, Urgency


def definitions() -> list[dict]:
    return [
        {
            "variable": True,
            "code": "request_type",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("诉求类型，缺省为求助。"),
            "order": 1,
            "description": _("诉求类型"),
            "values": [{"key": v, "name": str(label)} for v, label in TicketType.choices],
        },
        {
            "variable": True,
            "code": "urgency",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("紧急程度，缺省为一般。"),
            "order": 2,
            "description": _("紧急程度"),
            "values": [{"key": v, "name": str(label)} for v, label in Urgency.choices],
        },
        {
            "variable": True,
            "code": "district",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("事发区县；缺省时从地址中识别。"),
            "order": 3,
            "description": _("所属区县"),
            "values": [{"key": d, "name": d} for d in settings.HOTLINE_DISTRICTS],
        },
    ]


def parse(params: dict[str, str]) -> dict[str, str]:
    """``attribute[code]=value`` pairs, checked against the definitions."""
    allowed = {d["code"]: {v["key"] for v in d["values"]} for d in definitions()}
    values = {"request_type": TicketType.HELP, "urgency": Urgency.NORMAL, "district": ""}
    for key, value in params.items():
        if not (key.startswith("attribute[") and key.endswith("]")):
            continue
        code = key[len("attribute[") : -1]
        if code not in allowed:
            raise Open311Error(400, _("未知的属性：%(code)s") % {"code": code[:32]})
        if value and value not in allowed[code]:
            raise Open311Error(400, _("属性 %(code)s 的取值无效。") % {"code": code})
        if value:
            values[code] = value
    return values
