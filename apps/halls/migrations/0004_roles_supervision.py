"""Social supervisors and their opinions (S1): the hall management reads and appoints."""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

ROLE_PERMISSIONS = {
    Role.SUPERVISOR: [
        "halls.view_socialsupervisor",
        "halls.add_socialsupervisor",
        "halls.change_socialsupervisor",
        "halls.view_opinion",
    ],
    Role.SYSTEM_ADMIN: ["halls.view_socialsupervisor", "halls.view_opinion"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("halls", "0003_social_supervisors")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
