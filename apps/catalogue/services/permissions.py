"""Who may change which part of the catalogue (DOMAIN C1, C8).

``user=None`` / ``actor=None`` is the system itself (see :mod:`apps.catalogue.services`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue.models import Bundle, ServiceItem
from apps.catalogue.selectors import is_catalogue_admin
from apps.common.errors import PermissionDeniedError

ITEM_PERMISSION = "catalogue.change_serviceitem"
BUNDLE_PERMISSION = "catalogue.change_bundle"


def can_manage_departments(user: User | None, department_ids: Iterable[int], perm: str) -> bool:
    if user is None:
        return True  # the system itself (see module doc)
    if is_catalogue_admin(user):
        return True
    if not (user.is_active and user.is_staff and user.has_perm(perm)):
        return False
    mine = set(user.departments.values_list("pk", flat=True))
    return bool(mine & {d for d in department_ids if d})


def can_manage_item(user: User | None, item: ServiceItem) -> bool:
    """System admins, and staff of the item's implementing or competent department holding
    ``catalogue.change_serviceitem``."""
    return can_manage_departments(
        user, [item.implementing_department_id, item.competent_department_id], ITEM_PERMISSION
    )


def assert_can_manage_item(*, actor: User | None, item: ServiceItem) -> None:
    if not can_manage_item(actor, item):
        raise PermissionDeniedError(_("您无权维护该部门的事项目录。"))


def can_manage_bundle(user: User | None, bundle: Bundle) -> bool:
    return can_manage_departments(user, [bundle.lead_department_id], BUNDLE_PERMISSION)


def assert_can_manage_bundle(*, actor: User | None, bundle: Bundle) -> None:
    if not can_manage_bundle(actor, bundle):
        raise PermissionDeniedError(_("您无权维护该一件事，须由牵头部门或系统管理员维护。"))
