"""The attributes policy criteria may name, per kind of subject (DOMAIN PO3).

A criterion names an attribute from this fixed registry; anything else is refused. Each
attribute says which profile column it reads, what kind of value it is, and so which
operators apply. Choice lists are the codes data sharing supplies (GB/T 4754 industries,
GB/T 2260 districts, the 纳税信用 grades …).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    COMPANY = "company", _("企业")
    PERSON = "person", _("个人")


class ValueKind(enum.StrEnum):
    PREFIX = "prefix"  # a hierarchical code matched by its leading characters
    CHOICE = "choice"
    INTEGER = "integer"
    DATE = "date"
    BOOLEAN = "boolean"


OPERATORS: dict[ValueKind, tuple[str, ...]] = {
    ValueKind.PREFIX: ("prefix", "not_prefix"),
    ValueKind.CHOICE: ("in", "not_in"),
    ValueKind.INTEGER: ("gte", "lte", "between", "eq"),
    ValueKind.DATE: ("on_or_after", "on_or_before", "between"),
    ValueKind.BOOLEAN: ("eq",),
}

OPERATOR_LABELS = {
    "prefix": _("属于"),
    "not_prefix": _("不属于"),
    "in": _("为以下之一"),
    "not_in": _("不为以下任何一个"),
    "gte": _("不少于"),
    "lte": _("不超过"),
    "between": _("介于"),
    "eq": _("等于"),
    "on_or_after": _("不早于"),
    "on_or_before": _("不晚于"),
}


class Scale(models.TextChoices):
    """企业规模 (工信部联企业〔2011〕300号)."""

    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class TaxCreditGrade(models.TextChoices):
    """纳税信用级别 (国家税务总局公告2014年第40号, 2018年第8号)."""

    A = "A", "A"
    B = "B", "B"
    M = "M", "M"
    C = "C", "C"
    D = "D", "D"


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("在职")
    UNEMPLOYED = "unemployed", _("登记失业")
    FLEXIBLE = "flexible", _("灵活就业")
    RETIRED = "retired", _("退休")
    STUDENT = "student", _("在校学生")


class HouseholdStatus(models.TextChoices):
    ORDINARY = "ordinary", _("一般家庭")
    LOW_INCOME = "low_income", _("低收入家庭")
    SUBSISTENCE = "subsistence", _("最低生活保障家庭")
    EXTREME_POVERTY = "extreme_poverty", _("特困供养人员")


# The city's districts (GB/T 2260, 福州市). Profiles may carry any valid region code; the
# criteria editor offers these.
DISTRICTS: dict[str, str] = {
    "350102": "鼓楼区",
    "350103": "台江区",
    "350104": "仓山区",
    "350105": "马尾区",
    "350111": "晋安区",
    "350112": "长乐区",
    "350121": "闽侯县",
    "350122": "连江县",
    "350123": "罗源县",
    "350124": "闽清县",
    "350125": "永泰县",
    "350181": "福清市",
}

# GB/T 4754-2017 门类 → the range of its two-digit 大类 codes.
INDUSTRY_SECTIONS: dict[str, tuple[str, int, int]] = {
    "A": ("农、林、牧、渔业", 1, 5),
    "B": ("采矿业", 6, 12),
    "C": ("制造业", 13, 43),
    "D": ("电力、热力、燃气及水生产和供应业", 44, 46),
    "E": ("建筑业", 47, 50),
    "F": ("批发和零售业", 51, 52),
    "G": ("交通运输、仓储和邮政业", 53, 60),
    "H": ("住宿和餐饮业", 61, 62),
    "I": ("信息传输、软件和信息技术服务业", 63, 65),
    "J": ("金融业", 66, 69),
    "K": ("房地产业", 70, 70),
    "L": ("租赁和商务服务业", 71, 72),
    "M": ("科学研究和技术服务业", 73, 75),
    "N": ("水利、环境和公共设施管理业", 76, 79),
    "O": ("居民服务、修理和其他服务业", 80, 82),
    "P": ("教育", 83, 83),
    "Q": ("卫生和社会工作", 84, 85),
    "R": ("文化、体育和娱乐业", 86, 90),
    "S": ("公共管理、社会保障和社会组织", 91, 96),
    "T": ("国际组织", 97, 97),
}
_INDUSTRY_CODE = re.compile(r"^([A-T])(\d{2}(\d{1,2})?)?$")


def industry_code_problem(code: str, *, full: bool = False) -> str | None:
    """Why ``code`` is not a GB/T 4754 code (a prefix: section letter, then 2–4 digits), or
    ``None``. ``full`` asks for a company's own code: section and at least the division."""
    match = _INDUSTRY_CODE.match(code or "")
    if match is None or (full and match.group(2) is None):
        return str(
            _("行业代码“%(code)s”格式不正确，应为门类字母加2至4位数字，如 I6513。") % {"code": code}
        )
    section, digits = match.group(1), match.group(2)
    if digits:
        _name, low, high = INDUSTRY_SECTIONS[section]
        if not low <= int(digits[:2]) <= high:
            return str(
                _("行业代码“%(code)s”的大类%(division)s不属于门类%(section)s。")
                % {"code": code, "division": digits[:2], "section": section}
            )
    return None


def industry_label(code: str) -> str:
    """``I65`` → ``I65（信息传输、软件和信息技术服务业）``: the code with its 门类."""
    section = INDUSTRY_SECTIONS.get((code or " ")[0])
    return f"{code}（{section[0]}）" if section else code


@dataclass(frozen=True)
class Attribute:
    name: str
    label: str
    kind: ValueKind
    column: str  # the profile column read
    choices: Mapping[str, str] = field(default_factory=dict)
    # Whole years elapsed since the date in ``column`` (age, years since establishment).
    years_since: bool = False
    unit: str = ""

    @property
    def operators(self) -> tuple[str, ...]:
        return OPERATORS[self.kind]


COMPANY_ATTRIBUTES: dict[str, Attribute] = {
    a.name: a
    for a in (
        Attribute("industry", _("所属行业"), ValueKind.PREFIX, "industry_code"),
        Attribute("scale", _("企业规模"), ValueKind.CHOICE, "scale", dict(Scale.choices)),
        Attribute("district", _("注册地"), ValueKind.CHOICE, "district_code", DISTRICTS),
        Attribute("established_on", _("成立日期"), ValueKind.DATE, "established_on"),
        Attribute(
            "company_age",
            _("成立年限"),
            ValueKind.INTEGER,
            "established_on",
            years_since=True,
            unit=_("年"),
        ),
        Attribute("employees", _("从业人数"), ValueKind.INTEGER, "employees", unit=_("人")),
        Attribute("high_tech", _("高新技术企业"), ValueKind.BOOLEAN, "high_tech"),
        Attribute(
            "tax_credit_grade",
            _("纳税信用级别"),
            ValueKind.CHOICE,
            "tax_credit_grade",
            dict(TaxCreditGrade.choices),
        ),
    )
}

PERSON_ATTRIBUTES: dict[str, Attribute] = {
    a.name: a
    for a in (
        Attribute(
            "age", _("年龄"), ValueKind.INTEGER, "birth_date", years_since=True, unit=_("周岁")
        ),
        Attribute("district", _("户籍或居住地"), ValueKind.CHOICE, "district_code", DISTRICTS),
        Attribute(
            "employment_status",
            _("就业状态"),
            ValueKind.CHOICE,
            "employment_status",
            dict(EmploymentStatus.choices),
        ),
        Attribute("disability", _("持有残疾人证"), ValueKind.BOOLEAN, "has_disability"),
        Attribute(
            "household",
            _("家庭情况"),
            ValueKind.CHOICE,
            "household_status",
            dict(HouseholdStatus.choices),
        ),
    )
}

ATTRIBUTES: dict[str, dict[str, Attribute]] = {
    SubjectKind.COMPANY: COMPANY_ATTRIBUTES,
    SubjectKind.PERSON: PERSON_ATTRIBUTES,
}


def registry_as_json() -> dict:
    """The registry for the criteria editor's script (labels, operators, choices)."""
    return {
        kind: [
            {
                "name": a.name,
                "label": str(a.label),
                "kind": a.kind.value,
                "unit": str(a.unit),
                "operators": [
                    {"value": op, "label": str(OPERATOR_LABELS[op])} for op in a.operators
                ],
                "choices": [{"value": k, "label": str(v)} for k, v in a.choices.items()],
            }
            for a in attributes.values()
        ]
        for kind, attributes in ATTRIBUTES.items()
    }
