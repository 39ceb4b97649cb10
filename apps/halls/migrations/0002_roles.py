"""Give the roles their hall permissions (issue #15; DOMAIN A13, S2, R5).

Window staff call numbers at the windows they are on duty at and take in 办不成事 cases;
supervisors and system administrators set up halls, windows, rotas and slots.
"""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

_READ = [
    "halls.view_hallprofile",
    "halls.view_windowgroup",
    "halls.view_windowprofile",
    "halls.view_rotashift",
    "halls.view_slot",
    "halls.view_appointment",
    "halls.view_ticket",
    "halls.view_hardcase",
    "halls.view_hallevent",
    "halls.view_extendedhours",
]
_MANAGE = [
    "halls.manage_halls",
    "halls.add_hallprofile",
    "halls.change_hallprofile",
    "halls.add_windowgroup",
    "halls.change_windowgroup",
    "halls.add_windowprofile",
    "halls.change_windowprofile",
    "halls.add_rotashift",
    "halls.change_rotashift",
    "halls.delete_rotashift",
    "halls.add_extendedhours",
    "halls.change_extendedhours",
    "halls.delete_extendedhours",
]

ROLE_PERMISSIONS = {
    Role.WINDOW_STAFF: [*_READ, "halls.operate_window", "halls.handle_hard_cases"],
    Role.SUPERVISOR: [*_READ, *_MANAGE, "halls.handle_hard_cases"],
    Role.SYSTEM_ADMIN: [*_READ, *_MANAGE],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="halls")
    for group in Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("halls", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
