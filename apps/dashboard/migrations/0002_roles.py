"""Supervisors (and system administrators) see the dashboard and export it (issue #12)."""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

ROLE_PERMISSIONS = {
    Role.SUPERVISOR: ["dashboard.view_dashboard", "dashboard.export_dashboard"],
    Role.SYSTEM_ADMIN: ["dashboard.view_dashboard", "dashboard.export_dashboard"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="dashboard")
    for group in Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
