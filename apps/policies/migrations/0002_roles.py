"""Give the roles their policy permissions (issue #14; DOMAIN PO1–PO5, A17).

Department approvers manage their department's policies: draft, publish, ask to halt (PO5),
grant and pay 免申即享 entitlements, look at profiles (each look logged). Supervisors
approve halts and read the figures. Importing shared data belongs to the system
administrators (the data-management bureau).
"""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

_READ = [
    "policies.view_policy",
    "policies.view_policyevent",
    "policies.view_entitlement",
    "policies.view_policyclaim",
    "policies.view_policymatch",
    "policies.view_policypush",
    "policies.view_policyhaltrequest",
]
_PROFILES = ["policies.view_companyprofile", "policies.view_personprofile"]

ROLE_PERMISSIONS = {
    Role.WINDOW_STAFF: ["policies.view_policy", "policies.view_entitlement", "policies.view_policyclaim"],
    Role.HOTLINE_OPERATOR: ["policies.view_policy"],
    Role.DEPARTMENT_APPROVER: [
        *_READ,
        *_PROFILES,
        "policies.add_policy",
        "policies.change_policy",
        "policies.publish_policy",
        "policies.request_policy_halt",
        "policies.add_policyhaltrequest",
        "policies.manage_entitlements",
        "policies.change_entitlement",
        "policies.view_policy_figures",
    ],
    Role.SUPERVISOR: [
        *_READ,
        "policies.approve_policy_halt",
        "policies.change_policyhaltrequest",
        "policies.view_policy_figures",
        "policies.view_profileaccess",
    ],
    Role.SYSTEM_ADMIN: [
        *_READ,
        *_PROFILES,
        "policies.view_profileimport",
        "policies.add_profileimport",
        "policies.import_profiles",
        "policies.view_profileaccess",
        "policies.view_policy_figures",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="policies")
    for group in Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
