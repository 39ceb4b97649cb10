"""E-mail addresses are stored encrypted like phone numbers (issue 16; PIPL, GB/T 35273
§6.3, DOMAIN A17): the database column holds ciphertext, the account reads the address,
a keyed hash finds it, and the data migration encrypts the rows already there."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection

from apps.accounts.admin import UserAdminChangeForm
from apps.accounts.models import User
from apps.common.pii import decrypt, email_lookup_key
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("apps.accounts.migrations.0005_encrypt_email")
ADDRESS = "Li.Xiaoyan@example.com"


def _raw(table: str, column: str, where: str, pk: int) -> str:
    with connection.cursor() as cursor:
        # Names are this module's constants; the value is a parameter.
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_database_column_does_not_hold_the_address():
    user = UserFactory(email=ADDRESS)

    stored = _raw("accounts_user", "email", "id", user.pk)
    assert "@" not in stored and "xiaoyan" not in stored.lower()
    assert decrypt(stored) == ADDRESS
    assert User.objects.get(pk=user.pk).email == ADDRESS
    history = user.history.latest()
    assert "@" not in _raw("accounts_historicaluser", "email", "history_id", history.pk)


def test_an_address_is_found_by_its_keyed_hash_whatever_its_case():
    user = UserFactory(email=ADDRESS)
    UserFactory(email="other@example.com")

    found = User.objects.filter(email_hash=email_lookup_key("li.xiaoyan@EXAMPLE.com"))

    assert list(found) == [user]
    assert _raw("accounts_user", "email_hash", "id", user.pk) != ADDRESS


def test_changing_only_the_address_keeps_its_hash_in_step():
    user = UserFactory(email=ADDRESS)
    user.email = "new@example.com"
    user.save(update_fields=["email"])

    user.refresh_from_db()
    assert user.email_hash == email_lookup_key("new@example.com")


def test_the_data_migration_encrypts_rows_stored_in_clear_once():
    user = UserFactory(email="")
    with connection.cursor() as cursor:  # a row as it was before the migration
        cursor.execute("UPDATE accounts_user SET email = %s WHERE id = %s", [ADDRESS, user.pk])
    editor = SimpleNamespace(connection=connection)

    migration.encrypt_emails(django_apps, editor)
    once = _raw("accounts_user", "email", "id", user.pk)
    migration.encrypt_emails(django_apps, editor)  # a second run changes nothing

    assert "@" not in once and _raw("accounts_user", "email", "id", user.pk) == once
    user.refresh_from_db()
    assert user.email == ADDRESS and user.email_hash == email_lookup_key(ADDRESS)

    migration.decrypt_emails(django_apps, editor)  # and back, for a rollback
    assert _raw("accounts_user", "email", "id", user.pk) == ADDRESS


def test_staff_still_edit_the_address_as_an_email_field(window_staff):
    form = UserAdminChangeForm(instance=window_staff)
    assert form.fields["email"].widget.input_type == "email"

    data = {**form.initial, "email": "not-an-address"}
    bound = UserAdminChangeForm(data=data, instance=window_staff)
    assert not bound.is_valid()
    assert "email" in bound.errors
