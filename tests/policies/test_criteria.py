"""DOMAIN PO3: criteria are a small validated structure — unknown attributes, wrong operators,
bad values and self-contradictions are refused with every problem named; the database and
the Python explanation agree on every profile."""

from __future__ import annotations

import datetime
import random

import pytest

from apps.policies.criteria import (
    CriteriaError,
    SubjectKind,
    criteria_met,
    criteria_q,
    describe,
    explain,
    parse_criteria,
)
from apps.policies.models import CompanyProfile, PersonProfile
from tests.accounts.factories import make_resident_id
from tests.policies.factories import CompanyProfileFactory, PersonProfileFactory

TODAY = datetime.date(2026, 6, 15)
COMPANY, PERSON = SubjectKind.COMPANY, SubjectKind.PERSON


def _c(attribute, operator, value):
    return {"attribute": attribute, "operator": operator, "value": value}


def _problems(kind, raw) -> list[str]:
    with pytest.raises(CriteriaError) as info:
        parse_criteria(kind, raw, today=TODAY)
    return info.value.extra["problems"]


def test_unknown_attribute_is_refused_with_the_available_ones_po3():
    [problem] = _problems(COMPANY, [_c("revenue", "gte", 1)])
    assert "第1条条件" in problem and "revenue" in problem and "employees" in problem


def test_person_attribute_on_a_company_policy_is_unknown():
    [problem] = _problems(COMPANY, [_c("age", "gte", 60)])
    assert "“age”不存在" in problem


def test_operator_the_attribute_does_not_take_is_refused():
    [problem] = _problems(COMPANY, [_c("high_tech", "gte", 1)])
    assert "高新技术企业" in problem and "不能使用运算" in problem


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        (_c("employees", "gte", "ten"), "整数"),
        (_c("employees", "gte", True), "整数"),
        (_c("employees", "gte", -1), "整数"),
        (_c("employees", "between", [300]), "两个值"),
        (_c("employees", "between", [300, 10]), "下限大于上限"),
        (_c("established_on", "on_or_after", "2024/13/01"), "日期"),
        (_c("scale", "in", []), "至少包含一个"),
        (_c("scale", "in", ["huge"]), "“huge”不是可选值"),
        (_c("district", "in", ["999999"]), "不是可选值"),
        (_c("industry", "prefix", ["Z99"]), "格式不正确"),
        (_c("industry", "prefix", ["C65"]), "不属于门类C"),
        (_c("high_tech", "eq", "yes"), "true"),
    ],
)
def test_bad_values_are_refused_and_named(condition, fragment):
    [problem] = _problems(COMPANY, [condition])
    assert fragment in problem, problem


def test_every_problem_is_reported_at_once():
    problems = _problems(COMPANY, [_c("revenue", "gte", 1), _c("scale", "in", ["huge"]), {"x": 1}])
    assert len(problems) == 3
    assert [p[:4] for p in problems] == ["第1条条", "第2条条", "第3条条"]


@pytest.mark.parametrize(
    "criteria",
    [
        [_c("employees", "gte", 100), _c("employees", "lte", 50)],
        [_c("employees", "eq", 10), _c("employees", "between", [11, 20])],
        [_c("high_tech", "eq", True), _c("high_tech", "eq", False)],
        [_c("scale", "in", ["small"]), _c("scale", "in", ["micro"])],
        [_c("scale", "in", ["small"]), _c("scale", "not_in", ["small", "micro"])],
        [_c("industry", "prefix", ["I65"]), _c("industry", "prefix", ["C39"])],
        [_c("industry", "prefix", ["I65"]), _c("industry", "not_prefix", ["I"])],
        # 成立满5年 and founded this year at the same time.
        [_c("company_age", "gte", 5), _c("established_on", "on_or_after", "2026-01-01")],
    ],
)
def test_contradictions_are_refused_po3(criteria):
    [problem] = _problems(COMPANY, criteria)
    assert "互相矛盾" in problem and "第1、2条" in problem


def test_compatible_conditions_on_one_attribute_are_accepted():
    conditions = parse_criteria(
        COMPANY,
        [
            _c("industry", "prefix", ["I", "C39"]),
            _c("industry", "prefix", ["I65"]),
            _c("industry", "not_prefix", ["I6512"]),
            _c("employees", "gte", 10),
            _c("employees", "lte", 10),
        ],
        today=TODAY,
    )
    assert len(conditions) == 5


def test_json_text_is_accepted_and_garbage_refused():
    assert parse_criteria(COMPANY, '[{"attribute":"high_tech","operator":"eq","value":true}]')
    assert _problems(COMPANY, "{not json") == ["政策条件不是有效的 JSON。"]
    assert _problems(COMPANY, {"all": []}) == ["政策条件应为条件列表。"]
    assert parse_criteria(COMPANY, "") == []


def test_conditions_read_in_chinese():
    [between, prefix, grade] = parse_criteria(
        COMPANY,
        [
            _c("employees", "between", [10, 300]),
            _c("industry", "prefix", ["I65"]),
            _c("tax_credit_grade", "in", ["A", "B"]),
        ],
    )
    assert describe(between) == "从业人数 介于 10人 至 300人"
    assert describe(prefix) == "所属行业 属于 I65（信息传输、软件和信息技术服务业）"
    assert describe(grade) == "纳税信用级别 为以下之一 A、B"


def test_explanation_shows_each_criterion_and_the_profile_value():
    conditions = parse_criteria(
        COMPANY, [_c("employees", "gte", 20), _c("high_tech", "eq", True)], today=TODAY
    )
    values = {"employees": 50, "high_tech": None}
    reasons = explain(conditions, values, TODAY)
    assert [(r.met, r.actual) for r in reasons] == [(True, "50人"), (False, "无数据")]


# --- the database and Python agree (the explanation never contradicts the match) --------------


def _random_company_criteria(rng: random.Random) -> list[dict]:
    pool = [
        lambda: _c(
            "industry",
            rng.choice(["prefix", "not_prefix"]),
            [rng.choice(["I", "I65", "C", "C39", "F51"])],
        ),
        lambda: _c(
            "scale",
            rng.choice(["in", "not_in"]),
            rng.sample(["micro", "small", "medium", "large"], 2),
        ),
        lambda: _c("employees", rng.choice(["gte", "lte", "eq"]), rng.choice([0, 9, 10, 50, 300])),
        lambda: _c("employees", "between", sorted(rng.sample([0, 10, 50, 300, 1000], 2))),
        lambda: _c("company_age", rng.choice(["gte", "lte"]), rng.randint(0, 8)),
        lambda: _c(
            "established_on",
            rng.choice(["on_or_after", "on_or_before"]),
            rng.choice(["2020-03-01", "2023-06-15"]),
        ),
        lambda: _c("high_tech", "eq", rng.choice([True, False])),
        lambda: _c("tax_credit_grade", rng.choice(["in", "not_in"]), ["A"]),
        lambda: _c("district", rng.choice(["in", "not_in"]), ["350102", "350104"]),
    ]
    return [rng.choice(pool)() for _ in range(rng.randint(1, 3))]


def _random_company(rng: random.Random) -> CompanyProfile:
    def maybe(value):
        return None if rng.random() < 0.2 else value

    return CompanyProfileFactory(
        industry_code=maybe(rng.choice(["I6513", "I6311", "C3911", "F5123"])),
        scale=maybe(rng.choice(["micro", "small", "medium", "large"])),
        employees=maybe(rng.choice([0, 9, 10, 11, 50, 299, 300, 301])),
        established_on=maybe(TODAY - datetime.timedelta(days=rng.randint(0, 3500))),
        high_tech=maybe(rng.random() < 0.5),
        tax_credit_grade=maybe(rng.choice(["A", "B", "M"])),
        district_code=maybe(rng.choice(["350102", "350103", "350104"])),
    )


@pytest.mark.django_db
def test_sql_and_python_evaluation_agree_on_generated_data_po3():
    rng = random.Random(20260615)
    for _ in range(80):
        _random_company(rng)
    rows = list(CompanyProfile.objects.values())
    checked = 0
    while checked < 60:
        try:
            conditions = parse_criteria(COMPANY, _random_company_criteria(rng), today=TODAY)
        except CriteriaError:
            continue  # a random contradiction: refused before it gets here
        in_sql = set(
            CompanyProfile.objects.filter(criteria_q(conditions, TODAY)).values_list(
                "pk", flat=True
            )
        )
        in_python = {row["id"] for row in rows if criteria_met(conditions, row, TODAY)}
        assert in_sql == in_python, [c.as_json() for c in conditions]
        checked += 1


@pytest.mark.django_db
def test_sql_and_python_agree_on_ages_around_birthdays():
    for days in range(-3, 4):
        for years in (17, 18, 60):
            birth = datetime.date(TODAY.year - years, TODAY.month, TODAY.day) + datetime.timedelta(
                days=days
            )
            PersonProfileFactory(id_number=make_resident_id(region="350102", birth=birth))
    PersonProfileFactory(
        id_number=make_resident_id(region="350102", birth=datetime.date(2008, 2, 29))
    )
    rows = list(PersonProfile.objects.values("id", "birth_date"))
    for op, value in (("gte", 18), ("lte", 17), ("eq", 60), ("between", [18, 60])):
        conditions = parse_criteria(PERSON, [_c("age", op, value)], today=TODAY)
        in_sql = set(
            PersonProfile.objects.filter(criteria_q(conditions, TODAY)).values_list("pk", flat=True)
        )
        in_python = {r["id"] for r in rows if criteria_met(conditions, r, TODAY)}
        assert in_sql == in_python, (op, value)
