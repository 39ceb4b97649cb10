"""Who may see what: department scoping reused by web, API and admin in every app.

Convention for :func:`department_ids_for`:

* ``None``  — unrestricted: supervisors, system administrators and superusers see every
  department's records.
* a set     — the ids of the departments the user belongs to (staff). An empty set means the
  user sees no department-scoped records at all (citizens, company agents, anonymous users,
  staff not yet assigned to a department).

:func:`scope_by_department` applies that convention to any queryset, so callers never
branch on roles themselves.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from apps.accounts.access import user_access
from apps.accounts.models import User
from apps.accounts.roles import Role, group_name

M = TypeVar("M", bound=Model)

UNRESTRICTED_ROLES = frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN})


def _role_names(user) -> frozenset[str]:
    # Kept on the instance and in Redis (apps.accounts.access): no query per check.
    return user_access(user).role_names


def user_has_role(user, role: Role | str) -> bool:
    """Whether ``user`` (possibly anonymous) holds ``role`` (a group named by its label)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return group_name(role) in _role_names(user)


def department_ids_for(user) -> set[int] | None:
    """Departments whose records ``user`` may see; ``None`` means all (see module doc)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser or any(user_has_role(user, role) for role in UNRESTRICTED_ROLES):
        return None
    if user.kind != User.Kind.STAFF:
        return set()
    return set(user_access(user).department_ids)


def scope_by_department(qs: QuerySet[M], user, field: str = "department") -> QuerySet[M]:
    """Limit ``qs`` to rows whose ``field`` (a department FK or a path to one) the user may see.

    ``field`` may cross relations (``"item__department"``) or point to a to-many relation
    (``"departments"``); rows are never duplicated.
    """
    ids = department_ids_for(user)
    if ids is None:
        return qs
    if not ids:
        return qs.none()
    lookup = {f"{field}__in": ids}
    if "__" not in field and qs.model._meta.get_field(field).many_to_one:
        return qs.filter(**lookup)
    # Through a to-many path a plain filter repeats rows; a semi-join does not.
    return qs.filter(pk__in=qs.model._base_manager.filter(**lookup).values("pk"))
