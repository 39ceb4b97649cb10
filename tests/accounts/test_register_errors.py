"""Registration tells every problem at once and keeps the consent to the
个人信息保护告知 with its time (issue #8, DOMAIN A1, A2)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import User
from apps.common.errors import ApplicationError
from tests.accounts.factories import make_credit_code, make_resident_id

PASSWORD = "Xk#83kd!qp"


def _data(**overrides):
    data = {
        "full_name": "王小明",
        "phone": "13812345678",
        "id_number": make_resident_id(),
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _wrong_check_digit() -> str:
    number = make_resident_id()
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_wrong_check_digit_weak_password_and_no_consent_are_told_together_a1(client, db):
    response = client.post(
        reverse("accounts:register"),
        _data(
            id_number=_wrong_check_digit(),
            password1="12345678",
            password2="12345678",
            privacy_consent=None,
        ),
    )

    errors = response.context["form"].errors
    assert set(errors) >= {"id_number", "password1", "privacy_consent"}
    assert "第18位" in errors["id_number"][0]
    body = response.content.decode()
    assert "校验位" in body and "个人信息保护告知" in body
    assert not User.objects.filter(full_name="王小明").exists()


def test_taken_phone_and_weak_password_are_told_together_a2(client, citizen):
    response = client.post(
        reverse("accounts:register"),
        _data(phone=citizen.phone, password1="12345678", password2="12345678"),
    )

    errors = response.context["form"].errors
    assert "已注册" in errors["phone"][0]
    assert errors["password1"]


def test_the_service_names_every_problem_for_any_channel_a1(db):
    with pytest.raises(ApplicationError) as exc:
        services.citizen_register(
            full_name="王小明",
            phone="12812345678",
            id_number=_wrong_check_digit(),
            password="12345678",
        )

    assert exc.value.code == "invalid_phone"
    assert set(exc.value.extra["errors"]) == {"phone", "id_number", "password"}


def test_consent_is_required_and_kept_with_its_time(client, db):
    page = client.get(reverse("accounts:register")).content.decode()
    assert 'name="privacy_consent"' in page
    assert reverse("accounts:privacy_notice") in page

    before = timezone.now()
    client.post(reverse("accounts:register"), _data())

    user = User.objects.get(full_name="王小明")
    assert user.privacy_consent_at is not None and user.privacy_consent_at >= before


def test_company_agent_consents_too(client, db):
    data = _data(company_name="榕城小吃有限公司", credit_code=make_credit_code())
    data.pop("privacy_consent")
    response = client.post(reverse("accounts:register_company"), data)
    assert "privacy_consent" in response.context["form"].errors

    client.post(reverse("accounts:register_company"), {**data, "privacy_consent": "on"})
    assert User.objects.get(full_name="王小明").privacy_consent_at is not None


def test_the_privacy_notice_is_a_page_in_chinese(client, db):
    response = client.get(reverse("accounts:privacy_notice"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "个人信息保护告知" in body and "保存期限" in body
