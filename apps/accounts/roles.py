"""Roles are Django groups with real permissions (created and extended by migrations).

Every app that adds permissions for a role does so in a data migration calling
:func:`grant_permissions`, so a fresh database always has complete roles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.management import create_permissions
from django.db import models


class Role(models.TextChoices):
    CITIZEN = "citizen", "公众用户"
    COMPANY_AGENT = "company_agent", "法人经办人"
    WINDOW_STAFF = "window_staff", "窗口工作人员"
    DEPARTMENT_APPROVER = "department_approver", "部门审批负责人"
    HOTLINE_OPERATOR = "hotline_operator", "12345热线话务员"
    SUPERVISOR = "supervisor", "监督管理人员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"


STAFF_ROLES = frozenset(
    {
        Role.WINDOW_STAFF,
        Role.DEPARTMENT_APPROVER,
        Role.HOTLINE_OPERATOR,
        Role.SUPERVISOR,
        Role.SYSTEM_ADMIN,
    }
)


def group_name(role: Role | str) -> str:
    """Groups are named by the role's Chinese label: that is what admins read."""
    return Role(role).label


def _ensure_permissions_exist(apps) -> None:
    # Permissions are normally created after `migrate`; create them now so a data
    # migration can assign them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_permissions(apps, mapping: Mapping[Role | str, Iterable[str]]) -> None:
    """Give each role the permissions named ``"app_label.codename"`` (for data migrations)."""
    _ensure_permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in mapping.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)
