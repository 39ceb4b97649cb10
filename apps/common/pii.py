"""Personal data at rest and on screen (PIPL; GB/T 35273 §6.3; DOMAIN A17).

* Values are stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with keys from the
  environment; several keys may be configured so old ones can be rotated out.
* A keyed hash (HMAC-SHA256) sits beside each encrypted value for exact look-ups, so a
  phone number can be found without decrypting every row.
* Masking helpers give the form every role sees unless it needs the full value.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import validate_email
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PII_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(value: str) -> str:
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(tuple(settings.PII_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: fail loudly, never return ciphertext as data
        raise ImproperlyConfigured("Personal data cannot be decrypted with the keys set.") from exc


def keyed_hash(value: str) -> str:
    """Stable, non-reversible look-up key for an exact value."""
    return hmac.new(settings.PII_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """A text column whose database value is ciphertext; Python sees the clear value.

    History tables (django-simple-history) copy the field class, so they hold ciphertext too.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


class EncryptedEmailField(EncryptedCharField):
    """An e-mail address stored encrypted like a phone number; forms see an e-mail field."""

    default_validators = [validate_email]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.EmailField, "widget": None, **kwargs})


def email_lookup_key(value: str) -> str:
    """The keyed hash an address is found by: case does not matter in an address we match."""
    return keyed_hash(value.strip().lower()) if value else ""


def mask_id_number(value: str | None) -> str:
    """``110105199001011234`` → ``110105********1234`` (region kept, birth date hidden)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """``张三丰`` → ``张**``: for lists shown to people who do not handle the case."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
