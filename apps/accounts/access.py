"""What a signed-in user may do, read once and kept in Redis between requests (issue 16).

Every staff console page asks, before its own work, for the user's permissions (Django's
``ModelBackend``: two queries), roles (the groups: one query) and departments (one query).
These change only when someone edits a role, a user's roles, permissions or departments, so
they are read together, kept in the shared cache and used until such a change:

* the copy of a user's access carries two tokens, the user's own and everyone's; a copy whose
  tokens are not the current ones is never used;
* a change to one user's roles, permissions or departments draws a new token for that user,
  a change that can touch many (a role's permissions, a renamed or deleted group, a deleted
  permission or department, a migration) draws a new token for everyone
  (``apps.accounts.receivers``). The token is drawn when the change is made and again once
  its transaction commits, so a request that read the rows before the commit cannot leave
  a copy that outlives it: the next request reads the new rows;
* the user row itself (active, superuser, staff, kind) is not kept here: it is read on every
  request, so deactivating an account takes effect on its next request as before;
* Redis errors never fail a request (the rows answer), and a copy is kept at most
  ``ACCESS_CACHE_SECONDS``, so a change made while Redis was unreachable shows within minutes.
  Without Redis (``ACCESS_CACHE_SECONDS = 0``) each request reads the rows once.

Within a request the answer is kept on the user instance, as Django keeps its permission sets.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)

_MEMO = "_accounts_access"
_PREFIX = "accounts.access.v1."
EVERYONE_TOKEN_KEY = _PREFIX + "everyone"
# A token outlives the copies it guards; should it expire first, the copies are redone.
TOKEN_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Access:
    """A user's permissions (``"app_label.codename"``), role (group) names and department ids."""

    user_permissions: frozenset[str]
    group_permissions: frozenset[str]
    role_names: frozenset[str]
    department_ids: frozenset[int]


def user_access(user) -> Access:
    """``user``'s access: from this request's user instance, Redis or the database."""
    # getattr/setattr, not the instance's __dict__: request.user is a lazy object whose
    # attributes are the user's own.
    access = getattr(user, _MEMO, None)
    if access is None:
        access = _cached(user) if settings.ACCESS_CACHE_SECONDS else _read(user)
        setattr(user, _MEMO, access)
    return access


def access_forget(user) -> None:
    """Drop the answer kept on this instance (its roles or departments were just changed)."""
    if hasattr(user, _MEMO):
        delattr(user, _MEMO)


def access_changed(*, user_id: int | None = None) -> None:
    """The access of user ``user_id`` (``None``: of everyone) may have changed: no copy kept
    so far is used again, now and once the current transaction commits."""
    if not settings.ACCESS_CACHE_SECONDS:
        return
    key = EVERYONE_TOKEN_KEY if user_id is None else _token_key(user_id)
    _draw_token(key)
    transaction.on_commit(lambda: _draw_token(key))


def _read(user) -> Access:
    # From the primary, even inside replica_reads: a copy kept for later requests must not be
    # one a lagging replica gave.
    db = DEFAULT_DB_ALIAS
    roles = list(user.groups.using(db).values_list("pk", "name"))
    group_ids = [pk for pk, _ in roles]
    return Access(
        user_permissions=_dotted(user.user_permissions.using(db)),
        # The same sets as ModelBackend's (a user in no role: no query for the roles' ones).
        group_permissions=(
            _dotted(Permission.objects.using(db).filter(group__in=group_ids))
            if group_ids
            else frozenset()
        ),
        role_names=frozenset(name for _, name in roles),
        department_ids=frozenset(
            user.departments.using(db).order_by().values_list("pk", flat=True)
        ),
    )


def _dotted(permissions) -> frozenset[str]:
    """``"app_label.codename"`` of each permission, as ``ModelBackend`` names them."""
    rows = permissions.values_list("content_type__app_label", "codename").order_by()
    return frozenset(f"{app_label}.{codename}" for app_label, codename in rows)


def _token_key(user_id: int) -> str:
    return f"{_PREFIX}{user_id}.token"


def _cached(user) -> Access:
    copy_key = f"{_PREFIX}{user.pk}"
    token_key = _token_key(user.pk)
    try:
        found = cache.get_many([EVERYONE_TOKEN_KEY, token_key, copy_key])
    except Exception:  # Redis unreachable: the rows answer
        logger.warning("Access cache unreachable; reading the user's access from the database")
        return _read(user)
    everyone = found.get(EVERYONE_TOKEN_KEY) or _first_token(EVERYONE_TOKEN_KEY)
    own = found.get(token_key) or _first_token(token_key)
    copy = found.get(copy_key)
    if isinstance(copy, tuple) and len(copy) == 6 and copy[:2] == (everyone, own):
        return Access(*(frozenset(part) for part in copy[2:]))
    # The tokens were read before the rows: a change committed in between drew new ones.
    access = _read(user)
    parts = (
        access.user_permissions,
        access.group_permissions,
        access.role_names,
        access.department_ids,
    )
    try:
        cache.set(
            copy_key,
            (everyone, own, *(tuple(sorted(part)) for part in parts)),
            settings.ACCESS_CACHE_SECONDS,
        )
    except Exception:
        logger.warning("Access cache unreachable; the user's access was not kept")
    return access


def _first_token(key: str) -> str:
    """The token at ``key``, drawn now if there is none (a new user, a flushed cache)."""
    token = secrets.token_hex(8)
    try:
        if not cache.add(key, token, TOKEN_SECONDS):
            token = cache.get(key) or token
    except Exception:
        logger.warning("Access cache unreachable; no token kept")
    return token


def _draw_token(key: str) -> None:
    try:
        cache.set(key, secrets.token_hex(8), TOKEN_SECONDS)
    except Exception:
        logger.warning(
            "Access cache unreachable; a change of access shows within %s s",
            settings.ACCESS_CACHE_SECONDS,
        )
