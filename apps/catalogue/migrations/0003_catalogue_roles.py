"""Catalogue permissions for the roles (issue #3).

Window staff, hotline operators and supervisors read the catalogue. Department approvers
act as their department's catalogue managers (scoped to their departments by the services
and the admin) and, with system administrators, may add and change items, guides and
bundles. Nobody deletes an item, a guide or a bundle: items are deactivated and guides
superseded (C5). Deleting the lines of a *draft* (a material, a step, a special procedure,
a bundle step) is part of editing it, so that is granted.
"""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

READ = [
    f"catalogue.view_{model}"
    for model in (
        "topic",
        "serviceitem",
        "serviceguide",
        "guidematerial",
        "guidestep",
        "specialprocedure",
        "bundle",
        "bundlestep",
    )
]
MANAGED = (
    "serviceitem",
    "serviceguide",
    "guidematerial",
    "guidestep",
    "specialprocedure",
    "bundle",
    "bundlestep",
)
DRAFT_LINES = ("guidematerial", "guidestep", "specialprocedure", "bundlestep")
MANAGE = (
    READ
    + [f"catalogue.{action}_{model}" for model in MANAGED for action in ("add", "change")]
    + [f"catalogue.delete_{model}" for model in DRAFT_LINES]
)

ROLE_PERMISSIONS = {
    Role.WINDOW_STAFF: READ,
    Role.HOTLINE_OPERATOR: READ,
    Role.SUPERVISOR: READ,
    Role.DEPARTMENT_APPROVER: MANAGE,
    Role.SYSTEM_ADMIN: [*MANAGE, "catalogue.add_topic", "catalogue.change_topic"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="catalogue")
    for group in Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_search_trgm"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
