"""Demo departments, service halls and one account per role (idempotent).

Other apps' demo data refer to the department codes below; keep them stable.
Demo personal numbers are computed to be valid (GB 11643 / GB 32100) but belong to no one.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.contrib.auth.models import Group
from django.db import models, transaction
from stdnum.cn import ric, uscc

from apps.accounts.models import Company, Department, ServiceCenter, ServiceWindow, User
from apps.accounts.roles import Role, group_name
from apps.common.pii import keyed_hash

DEMO_PASSWORD = "Demo#2026"  # noqa: S105  (published demo credential)

DEPARTMENTS: list[tuple[str, str, str]] = [
    ("SZWFJ", "市政务服务和数据管理局", "政务服务局"),
    ("SCJGJ", "市市场监督管理局", "市场监管局"),
    ("GAJ", "市公安局", "公安局"),
    ("RSJ", "市人力资源和社会保障局", "人社局"),
    ("MZJ", "市民政局", "民政局"),
    ("ZJJ", "市住房和城乡建设局", "住建局"),
    ("WJW", "市卫生健康委员会", "卫健委"),
    ("JYJ", "市教育局", "教育局"),
    ("SWJ", "国家税务总局市税务局", "税务局"),
    ("YBJ", "市医疗保障局", "医保局"),
    ("ZRZYJ", "市自然资源和规划局", "自然资源局"),
    ("JTYSJ", "市交通运输局", "交通运输局"),
    ("STHJJ", "市生态环境局", "生态环境局"),
    ("WLJ", "市文化广电旅游局", "文旅局"),
]

# The English edition (issue #17): the departments' names on /en/ pages.
DEPARTMENT_ENGLISH: dict[str, str] = {
    "SZWFJ": "Municipal Government Services and Data Administration",
    "SCJGJ": "Municipal Administration for Market Regulation",
    "GAJ": "Municipal Public Security Bureau",
    "RSJ": "Municipal Human Resources and Social Security Bureau",
    "MZJ": "Municipal Civil Affairs Bureau",
    "ZJJ": "Municipal Housing and Urban-Rural Development Bureau",
    "WJW": "Municipal Health Commission",
    "JYJ": "Municipal Education Bureau",
    "SWJ": "Municipal Tax Service, State Taxation Administration",
    "YBJ": "Municipal Healthcare Security Administration",
    "ZRZYJ": "Municipal Natural Resources and Planning Bureau",
    "JTYSJ": "Municipal Transport Bureau",
    "STHJJ": "Municipal Ecology and Environment Bureau",
    "WLJ": "Municipal Culture, Radio, Television and Tourism Bureau",
}

CITY_CENTER_CODE = "ZWFW-CITY"
COUNTY_CENTER_CODE = "BMFW-GL"
VILLAGE_STATION_CODE = "BMFZ-GL-DJ"

# (number, name, comprehensive, department codes)
CITY_WINDOWS: list[tuple[str, str, bool, list[str]]] = [
    ("01", "综合受理窗口", True, [code for code, _, _ in DEPARTMENTS]),
    ("02", "市场主体登记窗口", False, ["SCJGJ"]),
    ("03", "户政出入境窗口", False, ["GAJ"]),
    ("04", "社保就业窗口", False, ["RSJ", "YBJ"]),
    ("05", "税务窗口", False, ["SWJ"]),
    ("06", "不动产与工程建设窗口", False, ["ZRZYJ", "ZJJ"]),
]

CITIZEN_PHONE = "13800000001"
AGENT_PHONE = "13800000002"
COMPANY_NAME = "榕城示范科技有限公司"


def _resident_id(body17: str) -> str:
    # stdnum's calc_check_digit expects the full 18 characters and ignores the last one.
    return body17 + ric.calc_check_digit(body17 + "0")


def _credit_code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


CITIZEN_ID_NUMBER = _resident_id("35010219900101123")
AGENT_ID_NUMBER = _resident_id("35010419850315021")
COMPANY_CREDIT_CODE = _credit_code("91350100MA2YD3M01")

# (role, login, full name, department codes, superuser)
STAFF: list[tuple[Role, str, str, list[str], bool]] = [
    (Role.WINDOW_STAFF, "window_scjg", "林窗口", ["SCJGJ"], False),
    (Role.WINDOW_STAFF, "window_gaj", "陈窗口", ["GAJ"], False),
    (Role.DEPARTMENT_APPROVER, "approver_scjg", "黄科长", ["SCJGJ"], False),
    (Role.HOTLINE_OPERATOR, "hotline", "郑话务", [], False),
    (Role.SUPERVISOR, "supervisor", "冯督查", [], False),
    (Role.SYSTEM_ADMIN, "admin", "系统管理员", [], True),
]


def demo_logins() -> list[tuple[str, str, str]]:
    """The (role, login, password) rows; reads nothing, writes nothing."""
    department_names = {code: name for code, name, _ in DEPARTMENTS}
    rows = [
        (Role.CITIZEN.label, CITIZEN_PHONE, DEMO_PASSWORD),
        (f"{Role.COMPANY_AGENT.label}（{COMPANY_NAME}）", AGENT_PHONE, DEMO_PASSWORD),
    ]
    for role, login, _, codes, _ in STAFF:
        label = role.label
        if codes:
            label += "（" + "、".join(department_names[c] for c in codes) + "）"
        rows.append((label, login, DEMO_PASSWORD))
    return rows


def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]):
    """Like ``update_or_create`` but saves only when something differs (no history noise)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        if any(f.name == "updated_at" for f in model._meta.fields):
            changed.append("updated_at")
        obj.save(update_fields=changed)
    return obj


def _seed_departments() -> dict[str, Department]:
    return {
        code: _upsert(
            Department,
            {"code": code},
            {
                "name": name,
                "name_en": DEPARTMENT_ENGLISH[code],
                "short_name": short,
                "level": Department.Level.CITY,
                "is_active": True,
            },
        )
        for code, name, short in DEPARTMENTS
    }


def _seed_centers(departments: dict[str, Department]) -> list[ServiceCenter]:
    hours = "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）"
    city = _upsert(
        ServiceCenter,
        {"code": CITY_CENTER_CODE},
        {
            "name": "市政务服务中心",
            "kind": ServiceCenter.Kind.GOVERNMENT_SERVICE_CENTER,
            "level": Department.Level.CITY,
            "address": "市民服务中心A座一至三层",
            "phone": "12345",
            "opening_hours": hours,
            "is_active": True,
        },
    )
    city.departments.set(departments.values())
    for number, name, comprehensive, codes in CITY_WINDOWS:
        window = _upsert(
            ServiceWindow,
            {"center": city, "number": number},
            {"name": name, "is_comprehensive": comprehensive},
        )
        window.departments.set([departments[c] for c in codes])
    county = _upsert(
        ServiceCenter,
        {"code": COUNTY_CENTER_CODE},
        {
            "name": "鼓楼区便民服务中心",
            "kind": ServiceCenter.Kind.CONVENIENCE_CENTER,
            "level": Department.Level.COUNTY,
            "parent": city,
            "address": "鼓楼区政务大楼一层",
            "opening_hours": hours,
            "is_active": True,
        },
    )
    county.departments.set([departments[c] for c in ("GAJ", "RSJ", "MZJ", "YBJ")])
    village = _upsert(
        ServiceCenter,
        {"code": VILLAGE_STATION_CODE},
        {
            "name": "东街社区便民服务站",
            "kind": ServiceCenter.Kind.CONVENIENCE_STATION,
            "level": Department.Level.VILLAGE,
            "parent": county,
            "address": "东街社区居委会一楼",
            "opening_hours": "周一至周六 8:30–17:30",
            "is_active": True,
        },
    )
    village.departments.set([departments[c] for c in ("MZJ", "YBJ")])
    return [city, county, village]


def _seed_user(
    *, lookup: dict[str, Any], values: dict[str, Any], role: Role, departments=()
) -> User:
    user = _upsert(User, lookup, values)
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=group_name(role)))
    if departments:
        user.departments.set(departments)
    return user


def _seed_users(departments: dict[str, Department]) -> list[User]:
    company = _upsert(
        Company,
        {"credit_code": COMPANY_CREDIT_CODE},
        {"name": COMPANY_NAME, "legal_representative": "钱法人", "address": "鼓楼区软件大道89号"},
    )
    citizen = _seed_user(
        lookup={"phone_hash": keyed_hash(CITIZEN_PHONE)},
        values={
            "username": "demo_citizen",
            "full_name": "王小明",
            "kind": User.Kind.CITIZEN,
            "phone": CITIZEN_PHONE,
            "id_number": CITIZEN_ID_NUMBER,
        },
        role=Role.CITIZEN,
    )
    agent = _seed_user(
        lookup={"phone_hash": keyed_hash(AGENT_PHONE)},
        values={
            "username": "demo_agent",
            "full_name": "钱经办",
            "kind": User.Kind.COMPANY_AGENT,
            "phone": AGENT_PHONE,
            "id_number": AGENT_ID_NUMBER,
        },
        role=Role.COMPANY_AGENT,
    )
    agent.companies.add(company)
    staff = [
        _seed_user(
            lookup={"username": login},
            values={
                "full_name": full_name,
                "kind": User.Kind.STAFF,
                "is_staff": True,
                "is_superuser": superuser,
                "is_active": True,
            },
            role=role,
            departments=[departments[c] for c in codes],
        )
        for role, login, full_name, codes, superuser in STAFF
    ]
    return [citizen, agent, *staff]


@transaction.atomic
def seed_demo(*, stdout: TextIO | None = None) -> list[tuple[str, str, str]]:
    """Create or refresh the accounts demo data; return the (role, login, password) rows."""
    departments = _seed_departments()
    centers = _seed_centers(departments)
    users = _seed_users(departments)
    if stdout is not None:
        stdout.write(
            f"账户与部门：{len(departments)}个部门，{len(centers)}个服务场所，"
            f"{len(CITY_WINDOWS)}个窗口，{len(users)}个演示账户。\n"
        )
    return demo_logins()
