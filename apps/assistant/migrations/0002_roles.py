"""Catalogue managers (department approvers), the hotline centre (knowledge base) and
supervisors work through the unanswered questions and read the log (issue #18)."""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

STAFF = ["assistant.view_question", "assistant.handle_question", "assistant.view_passage"]
ROLE_PERMISSIONS = {
    Role.DEPARTMENT_APPROVER: STAFF,
    Role.HOTLINE_OPERATOR: STAFF,
    Role.SUPERVISOR: STAFF,
    Role.SYSTEM_ADMIN: STAFF,
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="assistant")
    for group in Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("assistant", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
