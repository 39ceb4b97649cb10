"""Give the roles their review permissions (issue #12; DOMAIN R3, R4, R7)."""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

_SEE = [
    "reviews.view_review",
    "reviews.view_serviceevent",
    "reviews.view_rectificationcase",
    "reviews.view_appeal",
]
_HANDLE = [*_SEE, "reviews.handle_review", "reviews.open_window_event"]

ROLE_PERMISSIONS = {
    Role.WINDOW_STAFF: _HANDLE,
    Role.DEPARTMENT_APPROVER: [*_HANDLE, "reviews.appeal_review"],
    Role.SUPERVISOR: [
        *_SEE,
        "reviews.view_reviewtag",
        "reviews.decide_appeal",
        "reviews.supervise_review",
    ],
    Role.HOTLINE_OPERATOR: ["reviews.record_review"],
    Role.SYSTEM_ADMIN: [
        *_SEE,
        "reviews.view_reviewtag",
        "reviews.add_reviewtag",
        "reviews.change_reviewtag",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="reviews")
    for group in Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
