"""Create the seven roles as groups with their permissions (issue #2).

Later apps extend these groups from their own migrations with ``grant_permissions``.
"""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

ROLE_PERMISSIONS = {
    Role.CITIZEN: [],
    Role.COMPANY_AGENT: [],
    Role.WINDOW_STAFF: [
        "accounts.view_department",
        "accounts.view_servicecenter",
        "accounts.view_servicewindow",
        "accounts.view_company",
    ],
    Role.DEPARTMENT_APPROVER: [
        "accounts.view_department",
        "accounts.view_servicecenter",
        "accounts.view_servicewindow",
        "accounts.view_company",
        "accounts.view_user",
        "accounts.view_full_personal_data",
    ],
    Role.HOTLINE_OPERATOR: [
        "accounts.view_department",
        "accounts.view_servicecenter",
    ],
    Role.SUPERVISOR: [
        "accounts.view_department",
        "accounts.view_servicecenter",
        "accounts.view_servicewindow",
        "accounts.view_personaldataaccess",
        "accounts.view_user",
    ],
    Role.SYSTEM_ADMIN: [
        f"accounts.{action}_{model}"
        for model in ("department", "servicecenter", "servicewindow", "company", "user")
        for action in ("add", "change", "view")
    ]
    + ["auth.view_group", "accounts.view_personaldataaccess", "accounts.view_full_personal_data"],
}


def create_roles(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
