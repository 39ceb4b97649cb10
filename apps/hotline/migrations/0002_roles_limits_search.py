"""Roles' hotline permissions, the default time limits of DOMAIN H9, and pg_trgm indexes on
the knowledge base's search columns (Postgres only; SQLite scans the small table)."""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions
from apps.hotline.defaults import seed_default_time_limits

_DEPARTMENT = [
    "hotline.view_ticket",
    "hotline.handle_ticket",
    "hotline.view_knowledgearticle",
    "hotline.add_knowledgearticle",
    "hotline.change_knowledgearticle",
]
_CENTRE = [
    "hotline.view_ticket",
    "hotline.add_ticket",
    "hotline.take_call",
    "hotline.view_all_tickets",
    "hotline.view_caller_identity",
    "hotline.view_category",
    "hotline.view_timelimit",
    "hotline.view_knowledgearticle",
    "hotline.view_hotline_analysis",
]

ROLE_PERMISSIONS = {
    Role.WINDOW_STAFF: _DEPARTMENT,
    Role.DEPARTMENT_APPROVER: _DEPARTMENT,
    Role.HOTLINE_OPERATOR: _CENTRE,
    Role.SUPERVISOR: [
        *_CENTRE,
        "hotline.decide_extension",
        "hotline.review_article",
        "hotline.change_category",
        "hotline.add_category",
        "hotline.change_timelimit",
        "hotline.add_timelimit",
    ],
    Role.SYSTEM_ADMIN: [
        "hotline.view_ticket",
        "hotline.view_all_tickets",
        "hotline.view_category",
        "hotline.add_category",
        "hotline.change_category",
        "hotline.view_timelimit",
        "hotline.add_timelimit",
        "hotline.change_timelimit",
        "hotline.view_open311apikey",
        "hotline.add_open311apikey",
        "hotline.change_open311apikey",
        "hotline.view_knowledgearticle",
    ],
}

TRGM = {
    "hotline_kb_search_trgm": "search_text",
    "hotline_kb_pinyin_trgm": "pinyin_initials",
}


def forwards(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)
    seed_default_time_limits(apps.get_model("hotline", "TimeLimit"))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in TRGM.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON hotline_knowledgearticle "
                f"USING gin ({column} gin_trgm_ops)"
            )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="hotline")
    for group in Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS]):
        group.permissions.remove(*perms)
    if schema_editor.connection.vendor == "postgresql":
        for name in TRGM:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
