"""Give the roles their application permissions (issue #4; DOMAIN A4, A7, A15)."""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

_HANDLE = [
    "applications.view_application",
    "applications.add_application",
    "applications.change_application",
    "applications.intake_application",
]

ROLE_PERMISSIONS = {
    Role.CITIZEN: [],
    Role.COMPANY_AGENT: [],
    Role.WINDOW_STAFF: _HANDLE,
    Role.DEPARTMENT_APPROVER: [
        *_HANDLE,
        "applications.decide_application",
        "applications.approve_extension",
    ],
    Role.SUPERVISOR: ["applications.view_application", "applications.view_all_applications"],
    Role.HOTLINE_OPERATOR: ["applications.view_application"],
    Role.SYSTEM_ADMIN: ["applications.view_application", "applications.view_all_applications"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="applications")
    for group in Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
