"""Demo data and the ``seed_demo`` command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from apps.accounts import demo
from apps.accounts.management.commands import seed_demo as command
from apps.accounts.models import Company, Department, ServiceCenter, ServiceWindow, User
from apps.accounts.roles import Role
from apps.accounts.selectors import department_ids_for, user_has_role
from apps.common.idnumbers import validate_credit_code, validate_resident_id
from apps.policies.demo import DEPARTMENTS as POLICY_DEPARTMENTS

EXPECTED_DEPARTMENTS = {
    "SZWFJ": "市政务服务和数据管理局",
    "SCJGJ": "市市场监督管理局",
    "GAJ": "市公安局",
    "RSJ": "市人力资源和社会保障局",
    "MZJ": "市民政局",
    "ZJJ": "市住房和城乡建设局",
    "WJW": "市卫生健康委员会",
    "JYJ": "市教育局",
    "SWJ": "国家税务总局市税务局",
    "YBJ": "市医疗保障局",
    "ZRZYJ": "市自然资源和规划局",
    "JTYSJ": "市交通运输局",
    "STHJJ": "市生态环境局",
    "WLJ": "市文化广电旅游局",
}


def _counts() -> dict[str, int]:
    return {
        "departments": Department.objects.count(),
        "centers": ServiceCenter.objects.count(),
        "windows": ServiceWindow.objects.count(),
        "users": User.objects.count(),
        "companies": Company.objects.count(),
        "memberships": User.groups.through.objects.count(),
        "user_departments": User.departments.through.objects.count(),
        "user_companies": User.companies.through.objects.count(),
        "window_departments": ServiceWindow.departments.through.objects.count(),
        "user_history": User.history.count(),
        "department_history": Department.history.count(),
    }


def test_seed_creates_the_department_codes_other_apps_rely_on(db):
    demo.seed_demo()

    assert dict(Department.objects.values_list("code", "name")) == EXPECTED_DEPARTMENTS


def test_seed_creates_the_three_levels_of_service_halls(db):
    demo.seed_demo()

    city = ServiceCenter.objects.get(kind=ServiceCenter.Kind.GOVERNMENT_SERVICE_CENTER)
    county = ServiceCenter.objects.get(kind=ServiceCenter.Kind.CONVENIENCE_CENTER)
    village = ServiceCenter.objects.get(kind=ServiceCenter.Kind.CONVENIENCE_STATION)
    assert (county.parent, village.parent) == (city, county)
    assert city.windows.count() == 6
    comprehensive = city.windows.get(is_comprehensive=True)
    assert comprehensive.departments.count() == len(EXPECTED_DEPARTMENTS)


def test_seed_users_have_their_roles_and_departments(db):
    demo.seed_demo()

    window_scjg = User.objects.get(username="window_scjg")
    assert user_has_role(window_scjg, Role.WINDOW_STAFF)
    assert department_ids_for(window_scjg) == {Department.objects.get(code="SCJGJ").pk}
    assert department_ids_for(User.objects.get(username="window_gaj")) == {
        Department.objects.get(code="GAJ").pk
    }
    assert user_has_role(User.objects.get(username="approver_scjg"), Role.DEPARTMENT_APPROVER)
    assert user_has_role(User.objects.get(username="hotline"), Role.HOTLINE_OPERATOR)
    assert department_ids_for(User.objects.get(username="supervisor")) is None
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_seed_public_users_have_valid_numbers_a1(db):
    demo.seed_demo()

    citizen = User.objects.get(full_name="王小明")
    agent = User.objects.get(full_name="钱经办")
    assert citizen.phone == "13800000001"
    assert agent.phone == "13800000002"
    validate_resident_id(citizen.id_number)
    validate_resident_id(agent.id_number)
    company = agent.companies.get()
    assert company.name == "榕城示范科技有限公司"
    validate_credit_code(company.credit_code)


@pytest.mark.parametrize(
    ("login", "path"),
    [("13800000001", "accounts:login"), ("window_scjg", "admin:login"), ("admin", "admin:login")],
)
def test_demo_logins_work_with_the_published_password(db, login, path):
    demo.seed_demo()
    client = Client()

    response = client.post(reverse(path), {"username": login, "password": "Demo#2026"})

    assert response.status_code == 302, response.content.decode()[:500]
    assert "_auth_user_id" in client.session


def test_seed_returns_the_login_table(db):
    rows = demo.seed_demo()

    logins = {login for _, login, _ in rows}
    assert {
        "13800000001",
        "13800000002",
        "window_scjg",
        "window_gaj",
        "approver_scjg",
        "hotline",
        "supervisor",
        "admin",
    } == logins
    assert {password for _, _, password in rows} == {"Demo#2026"}


def test_command_is_idempotent(db):
    call_command("seed_demo", stdout=StringIO())
    first = _counts()

    call_command("seed_demo", stdout=StringIO())

    assert _counts() == first
    assert first["departments"] == 14 + len(POLICY_DEPARTMENTS)  # policy-issuing bodies


def test_command_repairs_changed_demo_data(db):
    call_command("seed_demo", stdout=StringIO())
    Department.objects.filter(code="GAJ").update(name="改错的名字")
    user = User.objects.get(username="window_gaj")
    user.set_password("something-else")
    user.save()

    call_command("seed_demo", stdout=StringIO())

    assert Department.objects.get(code="GAJ").name == "市公安局"
    assert User.objects.get(username="window_gaj").check_password("Demo#2026")


def test_print_logins_writes_nothing(db):
    out = StringIO()

    call_command("seed_demo", "--print-logins", stdout=out)

    text = out.getvalue()
    assert "13800000001" in text
    assert "window_scjg" in text
    assert "Demo#2026" in text
    assert not Department.objects.exists()
    assert not User.objects.exists()


def test_command_skips_missing_seeders_and_runs_the_rest_in_order(db, monkeypatch):
    monkeypatch.setattr(
        command,
        "DEMO_SEEDERS",
        ["apps.accounts.demo", "apps.notthere.demo", "apps.accounts.nodemo"],
    )
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert Department.objects.count() == 14
    assert "Demo#2026" in out.getvalue()


def test_load_seeder_skips_only_what_is_missing():
    assert command.load_seeder("apps.accounts.demo") is demo
    assert command.load_seeder("apps.accounts.no_such_module") is None
    assert command.load_seeder("apps.not_installed_app.demo") is None


def test_a_seeder_with_a_broken_import_is_not_skipped_silently(monkeypatch, tmp_path):
    package = tmp_path / "brokenseed"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "demo.py").write_text("import does_not_exist_xyz  # noqa\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(command.apps, "is_installed", lambda name: True)

    with pytest.raises(ModuleNotFoundError):
        command.load_seeder("brokenseed.demo")
