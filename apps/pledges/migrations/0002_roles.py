"""Give the roles their pledge permissions (issue #11; DOMAIN P2–P4, A17).

Department approvers decide pledged cases directly (P2), terminate a case whose pledge is
found false, verify afterwards and revoke (P3); window staff may verify; supervisors decide
credit repairs (P4), enter credit records and read the figures.
"""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

_READ = [
    "pledges.view_pledge",
    "pledges.view_verificationtask",
    "pledges.view_verificationcheck",
    "pledges.view_rectificationorder",
    "pledges.view_pledgeevent",
    "pledges.view_pledgeablecertificate",
    "pledges.view_creditrecord",
    "pledges.view_creditrepairrequest",
]

ROLE_PERMISSIONS = {
    Role.WINDOW_STAFF: [*_READ, "pledges.verify_pledge"],
    Role.DEPARTMENT_APPROVER: [
        *_READ,
        "pledges.approve_pledged_application",
        "pledges.terminate_pledged_application",
        "pledges.verify_pledge",
        "pledges.revoke_pledged_decision",
        "pledges.record_credit",
        "pledges.add_pledgeablecertificate",
        "pledges.change_pledgeablecertificate",
        "pledges.view_pledge_figures",
    ],
    Role.SUPERVISOR: [
        *_READ,
        "pledges.decide_credit_repair",
        "pledges.record_credit",
        "pledges.view_pledge_figures",
    ],
    Role.SYSTEM_ADMIN: [*_READ, "pledges.view_pledge_figures"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="pledges")
    for group in Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
