"""Registration and the audited reveal (DOMAIN A1, A2, A17)."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from apps.accounts import hooks, services
from apps.accounts.models import Company, PersonalDataAccess, User
from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.notifications.models import Notification
from apps.notifications.welcome import welcome_on_commit
from tests.accounts.factories import CompanyFactory, make_credit_code, make_resident_id

PASSWORD = "Xk#83kd!qp"


def _citizen_kwargs(**overrides):
    data = {
        "full_name": "王小明",
        "phone": "13812345678",
        "id_number": make_resident_id(),
        "password": PASSWORD,
    }
    data.update(overrides)
    return data


def _agent_kwargs(**overrides):
    data = {
        **_citizen_kwargs(phone="13912345678"),
        "company_name": "榕城示范科技有限公司",
        "credit_code": make_credit_code(),
        "legal_representative": "钱法人",
    }
    data.update(overrides)
    return data


def _login(phone: str, password: str):
    return authenticate(
        RequestFactory().post("/accounts/login/"), username=phone, password=password
    )


def test_citizen_register_creates_a_phone_login_with_the_citizen_role_a1_a2(db):
    user = services.citizen_register(**_citizen_kwargs(phone="138 1234 5678"))

    assert user.kind == User.Kind.CITIZEN
    assert user.phone == "13812345678"
    assert user_has_role(user, Role.CITIZEN)
    assert _login("13812345678", PASSWORD) == user


def test_citizen_register_stores_a_normalised_id_number_a1(db):
    number = next(n for seq in range(1000) if (n := make_resident_id(seq=seq)).endswith("X"))
    user = services.citizen_register(**_citizen_kwargs(id_number=f" {number.lower()} "))

    assert User.objects.get(pk=user.pk).id_number == number.upper()


def test_invalid_id_number_is_refused_with_the_wrong_part_named_a1(db):
    valid = make_resident_id()
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")

    with pytest.raises(ApplicationError) as exc:
        services.citizen_register(**_citizen_kwargs(id_number=wrong_check))

    assert "第18位" in exc.value.message
    assert exc.value.extra["field"] == "id_number"
    assert not User.objects.exists()


def test_bad_phone_format_is_refused(db):
    with pytest.raises(ApplicationError) as exc:
        services.citizen_register(**_citizen_kwargs(phone="12812345678"))

    assert exc.value.code == "invalid_phone"
    assert not User.objects.exists()


def test_same_phone_cannot_register_twice_a2(db):
    services.citizen_register(**_citizen_kwargs())

    with pytest.raises(ApplicationError) as exc:
        services.citizen_register(**_citizen_kwargs(id_number=make_resident_id()))

    assert exc.value.message.startswith("该手机号已注册")
    assert exc.value.extra["field"] == "phone"
    assert User.objects.count() == 1


def test_same_id_number_cannot_register_twice_one_identity_a2(db):
    number = make_resident_id()
    services.citizen_register(**_citizen_kwargs(id_number=number))

    with pytest.raises(ApplicationError) as exc:
        services.citizen_register(**_citizen_kwargs(phone="13700000000", id_number=number))

    assert exc.value.message.startswith("该身份证号码已注册")
    assert User.objects.count() == 1


def test_weak_password_is_refused_and_nothing_is_saved(db):
    with pytest.raises(ApplicationError) as exc:
        services.citizen_register(**_citizen_kwargs(password="12345678"))

    assert exc.value.extra["field"] == "password"
    assert not User.objects.exists()


def test_registration_queues_one_welcome_notification_after_commit(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user = services.citizen_register(**_citizen_kwargs())
    assert not Notification.objects.exists()  # nothing is sent before the commit

    for callback in callbacks:
        callback()

    welcome = Notification.objects.get()
    assert welcome.recipient == user
    assert welcome.category == "account"
    assert welcome.dedupe_key == f"welcome:{user.pk}"
    assert welcome.title == "欢迎使用政务服务网"


def test_the_welcome_is_registered_as_an_account_hook():
    """accounts sits below notifications: the welcome reaches it through a named hook."""
    assert welcome_on_commit in hooks.user_registered


def test_failed_registration_queues_no_notification(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ApplicationError):
        services.citizen_register(**_citizen_kwargs(phone="123"))

    assert callbacks == []


def test_company_agent_register_creates_company_and_agent_a1(db):
    code = make_credit_code()

    user = services.company_agent_register(**_agent_kwargs(credit_code=code.lower()))

    company = Company.objects.get(credit_code=code)
    assert company.name == "榕城示范科技有限公司"
    assert company.legal_representative == "钱法人"
    assert user.kind == User.Kind.COMPANY_AGENT
    assert list(user.companies.all()) == [company]
    assert user_has_role(user, Role.COMPANY_AGENT)
    assert not user_has_role(user, Role.CITIZEN)


def test_second_agent_joins_the_existing_company(db):
    company = CompanyFactory(name="榕城示范科技有限公司")

    user = services.company_agent_register(**_agent_kwargs(credit_code=company.credit_code))

    assert Company.objects.count() == 1
    assert list(user.companies.all()) == [company]


def test_credit_code_registered_under_another_name_is_refused(db):
    company = CompanyFactory(name="另一家有限公司")

    with pytest.raises(ApplicationError) as exc:
        services.company_agent_register(**_agent_kwargs(credit_code=company.credit_code))

    assert "另一家有限公司" in exc.value.message
    assert not User.objects.exists()


def test_invalid_credit_code_is_refused_and_nothing_is_created_a1(db):
    code = make_credit_code()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")

    with pytest.raises(ApplicationError) as exc:
        services.company_agent_register(**_agent_kwargs(credit_code=wrong))

    assert "第18位" in exc.value.message
    assert exc.value.extra["field"] == "credit_code"
    assert not Company.objects.exists()
    assert not User.objects.exists()


def test_agent_with_taken_phone_leaves_no_company_behind(db, citizen):
    with pytest.raises(ApplicationError):
        services.company_agent_register(**_agent_kwargs(phone=citizen.phone))

    assert not Company.objects.exists()


def test_reveal_returns_the_full_number_and_records_who_whom_why_a17(db, approver, citizen):
    value = services.personal_data_reveal(
        viewer=approver, subject=citizen, field="id_number", purpose="办件 2026-0001 核验身份"
    )

    assert value == citizen.id_number
    access = PersonalDataAccess.objects.get()
    assert (access.viewer, access.subject, access.field) == (approver, citizen, "id_number")
    assert access.purpose == "办件 2026-0001 核验身份"


def test_reveal_without_the_permission_is_refused_and_not_recorded_a17(
    db, window_staff, supervisor, citizen
):
    for viewer in (window_staff, supervisor, citizen):
        with pytest.raises(PermissionDeniedError):
            services.personal_data_reveal(
                viewer=viewer, subject=citizen, field="phone", purpose="核验"
            )

    assert not PersonalDataAccess.objects.exists()


def test_reveal_requires_a_purpose_a17(db, approver, citizen):
    with pytest.raises(ApplicationError) as exc:
        services.personal_data_reveal(viewer=approver, subject=citizen, field="phone", purpose=" ")

    assert exc.value.code == "purpose_required"
    assert not PersonalDataAccess.objects.exists()


def test_reveal_refuses_fields_that_are_not_personal_numbers(db, approver, citizen):
    with pytest.raises(ApplicationError):
        services.personal_data_reveal(
            viewer=approver, subject=citizen, field="password", purpose="核验身份"
        )

    assert not PersonalDataAccess.objects.exists()


def test_personal_numbers_set_changes_phone_and_keeps_lookup_working(db, citizen):
    services.user_personal_numbers_set(user=citizen, phone="13566667777")

    citizen.refresh_from_db()
    assert citizen.phone == "13566667777"
    assert _login("13566667777", "Portal#2026") == citizen


def test_personal_numbers_set_refuses_a_number_owned_by_someone_else_a2(db, citizen, other_citizen):
    with pytest.raises(ApplicationError):
        services.user_personal_numbers_set(user=citizen, id_number=other_citizen.id_number)

    citizen.refresh_from_db()
    assert citizen.id_number != other_citizen.id_number


def test_welcome_reaches_the_new_users_inbox_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.citizen_register(**_citizen_kwargs())
    with django_capture_on_commit_callbacks(execute=True):
        welcome_on_commit(user)  # a re-run (e.g. a retried hook) adds nothing

    welcome = Notification.objects.get(recipient=user, category="account")
    assert welcome.dedupe_key == f"welcome:{user.pk}"
    assert welcome.title == "欢迎使用政务服务网"
