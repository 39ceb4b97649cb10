"""Roles' hotline permissions, the default time limits of DOMAIN H9, and pg_trgm indexes on
the knowledge base's search columns (Postgres only; SQLite scans the small table)."""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions

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

# H9: urgent the same day; enquiries and requests for help within 3 working days;
# complaints, reports and suggestions within 15 working days. Sign-off within 2 hours
# (urgent: 1 hour). Every row can be changed in the admin, per category too.
DEFAULT_LIMITS = [
    # (ticket_type, urgency, sign_hours, reply_hours, reply_working_days)
    ("", "urgent", 1, 8, None),
    ("", "normal", 2, None, 5),
    ("enquiry", "normal", 2, None, 3),
    ("help", "normal", 2, None, 3),
    ("complaint", "normal", 2, None, 15),
    ("report", "normal", 2, None, 15),
    ("suggestion", "normal", 2, None, 15),
    ("praise", "normal", 2, None, 5),
]

TRGM = {
    "hotline_kb_search_trgm": "search_text",
    "hotline_kb_pinyin_trgm": "pinyin_initials",
}


def forwards(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)
    TimeLimit = apps.get_model("hotline", "TimeLimit")
    for ticket_type, urgency, sign, hours, days in DEFAULT_LIMITS:
        TimeLimit.objects.get_or_create(
            category=None,
            ticket_type=ticket_type,
            urgency=urgency,
            defaults={"sign_hours": sign, "reply_hours": hours, "reply_working_days": days},
        )
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
