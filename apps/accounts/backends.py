"""Public users log in with phone number + password; staff with username + password."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from apps.accounts.access import user_access
from apps.accounts.models import User
from apps.common.pii import keyed_hash

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    return digits[3:] if digits.startswith("+86") else digits


class CachedPermissionsMixin:
    """``ModelBackend``'s permission sets from :func:`apps.accounts.access.user_access` (kept in
    Redis between requests) instead of two queries per request. Superusers, whose sets are
    every permission there is, and the cases ``ModelBackend`` answers with none keep its own
    look-up. The sets are kept on the user instance under ``ModelBackend``'s names, so the
    backends after this one in ``AUTHENTICATION_BACKENDS`` answer from them too."""

    def _get_permissions(self, user_obj, obj, from_name):
        everything_or_nothing = (
            user_obj.is_superuser
            or not user_obj.is_active
            or user_obj.is_anonymous
            or obj is not None
        )
        if everything_or_nothing:
            return super()._get_permissions(user_obj, obj, from_name)
        perm_cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, perm_cache_name):
            access = user_access(user_obj)
            perms = access.user_permissions if from_name == "user" else access.group_permissions
            setattr(user_obj, perm_cache_name, set(perms))
        return getattr(user_obj, perm_cache_name)


class PhonePasswordBackend(CachedPermissionsMixin, ModelBackend):
    """Citizens' and company agents' login by phone number; it is the first backend that
    answers permission checks, from the cached sets (:class:`CachedPermissionsMixin`)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ):
        phone = normalize_phone(username or "")
        if not MOBILE_RE.match(phone) or password is None:
            return None
        user = (
            User.objects.filter(phone_hash=keyed_hash(phone)).exclude(kind=User.Kind.STAFF).first()
        )
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_login_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """What django-axes records and locks on: never a phone number in clear.

    After a successful login axes passes the account's username (not what was typed) to reset
    the failures; the typed phone number is still in the POST, so both paths give one key.
    """
    typed = getattr(request, "POST", {}).get("username", "") if request is not None else ""
    candidates = [(credentials or {}).get("username") or "", typed]
    for value in candidates:
        phone = normalize_phone(value)
        if MOBILE_RE.match(phone):
            return "phone:" + keyed_hash(phone)[:32]
    return next((value for value in candidates if value), "")
