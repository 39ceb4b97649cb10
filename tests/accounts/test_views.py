"""Public account pages: register, log in, lockout, profile (DOMAIN A1, A2, A17)."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Company, User
from tests.accounts.factories import StaffFactory, make_credit_code, make_resident_id
from tests.conftest import DEFAULT_PASSWORD

PASSWORD = "Xk#83kd!qp"


def _register_data(**overrides):
    data = {
        "full_name": "王小明",
        "phone": "13812345678",
        "id_number": make_resident_id(),
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_register_page_has_labelled_fields(client, db):
    response = client.get(reverse("accounts:register"))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_phone">手机号</label>' in body
    assert '<label for="id_id_number">身份证号码</label>' in body
    assert 'class="btn btn-primary"' in body


def test_citizen_registers_and_lands_on_profile_logged_in_a1(client, db):
    response = client.post(reverse("accounts:register"), _register_data(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    body = response.content.decode()
    assert "注册成功" in body
    assert "138****5678" in body
    assert "13812345678" not in body
    user = User.objects.get()
    assert response.context["user"] == user


def test_register_with_wrong_check_digit_shows_chinese_error_and_saves_nothing_a1(client, db):
    valid = make_resident_id()
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")

    response = client.post(reverse("accounts:register"), _register_data(id_number=wrong))

    assert response.status_code == 200
    assert "第18位" in response.content.decode()
    assert not User.objects.exists()


def test_register_with_mismatched_passwords_saves_nothing(client, db):
    response = client.post(reverse("accounts:register"), _register_data(password2="Other#9999x"))

    assert "两次输入的密码不一致" in response.content.decode()
    assert not User.objects.exists()


def test_register_with_taken_phone_shows_the_error_at_the_phone_field_a2(client, citizen):
    response = client.post(reverse("accounts:register"), _register_data(phone=citizen.phone))

    assert response.status_code == 200
    assert "该手机号已注册" in str(response.context["form"].errors["phone"])
    assert User.objects.count() == 1


def test_register_with_weak_password_shows_it_at_the_password_field(client, db):
    response = client.post(
        reverse("accounts:register"), _register_data(password1="12345678", password2="12345678")
    )

    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_company_agent_registers_for_a_company_a1(client, db):
    code = make_credit_code()
    data = _register_data(
        company_name="榕城示范科技有限公司", credit_code=code, legal_representative=""
    )

    response = client.post(reverse("accounts:register_company"), data, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    user = User.objects.get()
    assert user.kind == User.Kind.COMPANY_AGENT
    assert user.companies.get().credit_code == code
    assert "榕城示范科技有限公司" in response.content.decode()


def test_company_register_with_forbidden_letter_in_credit_code_saves_nothing(client, db):
    code = make_credit_code()
    data = _register_data(company_name="某公司", credit_code=code[:10] + "O" + code[11:])

    response = client.post(reverse("accounts:register_company"), data)

    assert "不使用I、O、Z、S、V" in response.content.decode()
    assert not Company.objects.exists()
    assert not User.objects.exists()


def test_login_page_labels_the_username_field_as_phone(client, db):
    response = client.get(reverse("accounts:login"))

    assert '<label for="id_username">手机号</label>' in response.content.decode()


def test_citizen_logs_in_with_phone_and_password(client, citizen):
    response = _login(client, citizen.phone, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == citizen


def test_wrong_password_shows_chinese_error(client, citizen):
    response = _login(client, citizen.phone, "wrong-password")

    assert response.status_code == 200
    assert "手机号或密码不正确" in response.content.decode()


def test_staff_cannot_log_in_on_the_public_page(client, db):
    StaffFactory(username="13900001111", password=DEFAULT_PASSWORD)

    response = _login(client, "13900001111", DEFAULT_PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_username_is_not_a_phone_and_is_refused_on_the_public_page(client, window_staff):
    response = _login(client, window_staff.username, DEFAULT_PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sixth_attempt_with_the_right_password_is_locked_out(client, citizen):
    for _ in range(5):
        _login(client, citizen.phone, "wrong-password")

    response = _login(client, citizen.phone, DEFAULT_PASSWORD)

    assert response.status_code == 429
    body = response.content.decode()
    assert "登录失败次数过多" in body
    assert "30 分钟后再试" in body
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_login_name_not_per_address(client, citizen, other_citizen):
    for _ in range(5):
        _login(client, citizen.phone, "wrong-password")

    response = _login(client, other_citizen.phone, DEFAULT_PASSWORD)

    assert response.status_code == 302


def test_axes_tables_hold_no_phone_number_in_clear_a17(client, citizen, other_citizen):
    for _ in range(6):
        _login(client, citizen.phone, "wrong-password")
    _login(Client(), other_citizen.phone, DEFAULT_PASSWORD)  # success → AccessLog
    _login(Client(), "13700000000", "wrong-password")  # unknown number

    rows = [
        *AccessAttempt.objects.values_list("username", "get_data", "post_data"),
        *AccessLog.objects.values_list("username"),
        *AccessFailureLog.objects.values_list("username"),
    ]
    assert len(rows) >= 3
    for row in rows:
        for column in row:
            for phone in (citizen.phone, other_citizen.phone, "13700000000"):
                assert phone not in (column or "")
    assert AccessAttempt.objects.filter(username__startswith="phone:").count() == 2
    assert AccessLog.objects.filter(username=other_citizen.username).count() == 1


def test_successful_login_clears_earlier_failures(client, citizen):
    for _ in range(4):
        _login(client, citizen.phone, "wrong-password")
    assert _login(client, citizen.phone, DEFAULT_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    for _ in range(4):
        _login(client, citizen.phone, "wrong-password")
    response = _login(client, citizen.phone, DEFAULT_PASSWORD)

    assert response.status_code == 302  # 8 failures in all, but never 5 in a row


def test_logout_requires_post(client, citizen):
    client.force_login(citizen)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_profile_requires_login(client, db):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_profile_shows_numbers_masked_only_a17(client, db):
    user = User.objects.create_user(
        full_name="王小明", phone="13812345678", id_number="11010519491231002X"
    )
    client.force_login(user)

    body = client.get(reverse("accounts:profile")).content.decode()

    assert "138****5678" in body
    assert "110105********002X" in body
    assert "13812345678" not in body
    assert "11010519491231002X" not in body
