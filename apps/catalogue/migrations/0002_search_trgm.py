"""pg_trgm GIN indexes on ServiceItem.search_text and pinyin_initials (apps.catalogue.search).

Postgres only: SQLite (the ``make run`` default) scans the small table instead. The indexes
are not part of the model state, so ``makemigrations`` never sees them; the operations are
guarded by the connection vendor so the same migration graph runs on both databases.
"""

from django.db import migrations

INDEXES = {
    "catalogue_item_search_trgm": "search_text",
    "catalogue_item_pinyin_trgm": "pinyin_initials",
}


def create_trgm_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON catalogue_serviceitem "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_trgm_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trgm_index, drop_trgm_index, elidable=False),
    ]
