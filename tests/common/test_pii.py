"""Personal numbers at rest, in history, in logs and on screen (DOMAIN A17)."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import User
from apps.common.logging import MaskPersonalDataFilter, mask_text
from apps.common.pii import decrypt, encrypt, keyed_hash, mask_id_number, mask_name, mask_phone

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"
PASSWORD = "Xk#83kd!qp"


@pytest.fixture
def registered(db):
    return services.citizen_register(
        full_name="王小明", phone=PHONE, id_number=ID_NUMBER, password=PASSWORD
    )


def _raw(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_user_columns_hold_ciphertext_not_the_numbers_a17(registered):
    [(phone, id_number, phone_hash, id_hash)] = _raw(
        "SELECT phone, id_number, phone_hash, id_number_hash FROM accounts_user WHERE id = %s",
        [registered.pk],
    )

    assert PHONE not in phone and "5678" not in phone
    assert ID_NUMBER not in id_number
    assert decrypt(phone) == PHONE
    assert decrypt(id_number) == ID_NUMBER
    assert (phone_hash, id_hash) == (keyed_hash(PHONE), keyed_hash(ID_NUMBER))


def test_history_rows_hold_no_clear_numbers_a17(registered):
    services.user_personal_numbers_set(user=registered, phone="13566667777")

    rows = _raw(
        "SELECT phone, id_number, phone_hash FROM accounts_historicaluser WHERE id = %s",
        [registered.pk],
    )

    assert len(rows) == 2
    for phone, id_number, _phone_hash in rows:
        for clear in (PHONE, "13566667777", ID_NUMBER):
            assert clear not in phone
            assert clear not in id_number
    assert {decrypt(phone) for phone, _, _ in rows} == {PHONE, "13566667777"}


def test_same_number_encrypts_differently_each_time():
    assert encrypt(PHONE) != encrypt(PHONE)
    assert keyed_hash(PHONE) == keyed_hash(PHONE)


def test_rotated_key_still_reads_old_rows(registered, settings):
    old_keys = list(settings.PII_ENCRYPTION_KEYS)
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]

    assert User.objects.get(pk=registered.pk).phone == PHONE


def test_wrong_key_fails_loudly_instead_of_showing_ciphertext(registered, settings):
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ImproperlyConfigured):
        User.objects.get(pk=registered.pk)


def test_masking_formats_a17():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("110105199001011234") == "110105********1234"
    assert mask_name("王小明") == "王**"
    assert mask_phone("") == mask_id_number(None) == ""


def test_user_masked_properties(registered):
    assert registered.masked_phone == "138****5678"
    assert registered.masked_id_number == "110105********002X"


def test_log_filter_masks_numbers_that_slip_into_a_message():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "id=%s tel=%s", (ID_NUMBER, PHONE), None
    )

    MaskPersonalDataFilter().filter(record)

    assert record.getMessage() == "id=110105********002X tel=138****5678"
    assert mask_text("订单号 20261122123456789012") == "订单号 20261122123456789012"


def test_no_log_line_contains_a_clear_number_a17(db, caplog, settings):
    """Registering, failing registration, failing login, lockout and login log no number."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="axes")
    client = Client()
    data = {
        "full_name": "王小明",
        "phone": PHONE,
        "id_number": ID_NUMBER,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }

    client.post(reverse("accounts:register"), data)
    client.post(reverse("accounts:logout"))
    Client().post(reverse("accounts:register"), data)  # duplicate: refused
    Client().post(reverse("accounts:register"), {**data, "id_number": ID_NUMBER[:-1] + "1"})
    login = Client()
    for _ in range(6):
        login.post(reverse("accounts:login"), {"username": PHONE, "password": "wrong"})
    Client().post(reverse("accounts:login"), {"username": "13700000000", "password": "wrong"})

    messages = [record.getMessage() for record in caplog.records]
    assert any("citizen registered" in message for message in messages)
    assert any("AXES" in message for message in messages)
    for message in messages:
        for clear in (PHONE, ID_NUMBER, "13700000000", ID_NUMBER[:-1] + "1"):
            assert clear not in message
