"""Demo shared data: a few thousand realistic company and person profiles, generated the same
way every run (a fixed seed), as CSV files the real import reads (DOMAIN PO3).

The numbers are computed to be valid (GB 11643 / GB 32100) but belong to no one. The demo
company 榕城示范科技有限公司 and the demo citizen 王小明 are among them, so their accounts
find their policies.
"""

from __future__ import annotations

import csv
import datetime
import io
import random

from stdnum.cn import ric, uscc

from apps.accounts.demo import CITIZEN_ID_NUMBER, COMPANY_CREDIT_CODE, COMPANY_NAME
from apps.policies.criteria.registry import DISTRICTS
from apps.policies.services.imports import COMPANY_COLUMNS, PERSON_COLUMNS

COMPANIES = 1500
PEOPLE = 2500
SEED = 20260101

_PLACE_PAIRS = "榕城闽江福州鼓山三坊海峡东南马尾乌山西湖金山仓山台江晋安长乐闽侯旗山屏山"
_PLACES = [_PLACE_PAIRS[i : i + 2] for i in range(0, len(_PLACE_PAIRS), 2)]
# (GB/T 4754 class, words for the name, suffix)
_TRADES = [
    ("I6513", "软件", "科技有限公司"),
    ("I6511", "信息", "技术有限公司"),
    ("I6421", "网络", "科技有限公司"),
    ("C3911", "电子", "设备制造有限公司"),
    ("C3971", "光电", "科技有限公司"),
    ("C1810", "服饰", "有限公司"),
    ("C1331", "食品", "有限公司"),
    ("C2614", "化工", "有限公司"),
    ("F5123", "茶业", "贸易有限公司"),
    ("F5261", "汽车", "销售服务有限公司"),
    ("E4710", "建筑", "工程有限公司"),
    ("G5430", "物流", "有限公司"),
    ("H6110", "酒店", "管理有限公司"),
    ("H6210", "餐饮", "管理有限公司"),
    ("M7320", "检测", "技术服务有限公司"),
    ("M7520", "生物", "科技有限公司"),
    ("L7212", "企业", "管理咨询有限公司"),
    ("R8710", "文化", "传媒有限公司"),
    ("Q8411", "口腔", "门诊部有限公司"),
    ("O8010", "家政", "服务有限公司"),
]
_SCALES = [
    ("micro", 55, (1, 19)),
    ("small", 30, (20, 299)),
    ("medium", 12, (300, 999)),
    ("large", 3, (1000, 5000)),
]
_GRADES = [("A", 25), ("B", 45), ("M", 20), ("C", 7), ("D", 3)]
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余叶程魏苏吕丁卢"
)
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华"
    "建国志强文婷玉兰海燕晓东子涵梓萱浩然宇轩雨桐欣怡"
)


def _weighted(rng: random.Random, options: list) -> tuple:
    return rng.choices(options, weights=[o[1] for o in options])[0]


def _credit_code(rng: random.Random, district: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + district + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _resident_id(district: str, birth: datetime.date, seq: int) -> str:
    body = f"{district}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _maybe(rng: random.Random, value, missing: float = 0.05):
    """Shared data has gaps: about one value in twenty is missing."""
    return "" if rng.random() < missing else value


def _company(rng: random.Random, as_of: datetime.date, today: datetime.date) -> dict:
    district = rng.choice(list(DISTRICTS))
    code, word, suffix = rng.choice(_TRADES)
    scale, _w, (low, high) = _weighted(rng, _SCALES)
    founded = today - datetime.timedelta(days=rng.randint(60, 30 * 365))
    return {
        "credit_code": _credit_code(rng, district),
        "name": f"{rng.choice(_PLACES)}{rng.choice(_PLACES)}{word}{suffix}",
        "industry_code": _maybe(rng, code),
        "scale": _maybe(rng, scale),
        "district_code": district,
        "established_on": founded.isoformat(),
        "employees": _maybe(rng, rng.randint(low, high)),
        "high_tech": _maybe(rng, "是" if rng.random() < 0.12 else "否"),
        "tax_credit_grade": _maybe(rng, _weighted(rng, _GRADES)[0]),
        "data_as_of": as_of.isoformat(),
    }


def _employment(rng: random.Random, age: int) -> str:
    if age < 22:
        return "student" if rng.random() < 0.8 else "flexible"
    if age >= 60:
        return "retired" if rng.random() < 0.9 else "flexible"
    return rng.choices(["employed", "flexible", "unemployed"], weights=[78, 14, 8])[0]


def _person(rng: random.Random, seq: int, as_of: datetime.date, today: datetime.date) -> dict:
    district = rng.choice(list(DISTRICTS))
    birth = today - datetime.timedelta(days=rng.randint(16 * 365, 95 * 365))
    age = today.year - birth.year
    household = rng.choices(
        ["ordinary", "low_income", "subsistence", "extreme_poverty"], weights=[88, 5, 5, 2]
    )[0]
    return {
        "id_number": _resident_id(district, birth, seq % 1000),
        "name": rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice([1, 2]))),
        "district_code": _maybe(rng, district),
        "employment_status": _maybe(rng, _employment(rng, age)),
        "has_disability": _maybe(rng, "是" if rng.random() < 0.05 else "否"),
        "household_status": _maybe(rng, household),
        "data_as_of": as_of.isoformat(),
    }


DEMO_COMPANY = {
    "credit_code": COMPANY_CREDIT_CODE,
    "name": COMPANY_NAME,
    "industry_code": "I6513",
    "scale": "small",
    "district_code": "350102",
    "established_on": "2019-06-18",
    "employees": 86,
    "high_tech": "是",
    "tax_credit_grade": "A",
}
DEMO_CITIZEN = {
    "id_number": CITIZEN_ID_NUMBER,
    "name": "王小明",
    "district_code": "350102",
    "employment_status": "employed",
    "has_disability": "否",
    "household_status": "ordinary",
}


def _csv(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def demo_files(today: datetime.date) -> tuple[bytes, bytes]:
    """(companies CSV, people CSV): the same content all month (data as of the 1st)."""
    as_of = today.replace(day=1)
    rng = random.Random(SEED)
    companies = [{**DEMO_COMPANY, "data_as_of": as_of.isoformat()}]
    codes = {COMPANY_CREDIT_CODE}
    while len(companies) < COMPANIES:
        row = _company(rng, as_of, as_of)
        if row["credit_code"] not in codes:
            codes.add(row["credit_code"])
            companies.append(row)
    people = [{**DEMO_CITIZEN, "data_as_of": as_of.isoformat()}]
    numbers = {CITIZEN_ID_NUMBER}
    seq = 0
    while len(people) < PEOPLE:
        seq += 1
        row = _person(rng, seq, as_of, as_of)
        if row["id_number"] not in numbers:
            numbers.add(row["id_number"])
            people.append(row)
    return _csv(COMPANY_COLUMNS, companies), _csv(PERSON_COLUMNS, people)
