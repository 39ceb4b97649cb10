"""A GIN index over the character bigrams of ServiceItem.search_text (apps.catalogue.search).

Most Chinese queries are two characters (护照, 社保, 食品), and the pg_trgm index of 0002
cannot serve them: a two-character pattern has no trigram, so ``LIKE '%社保%'`` scanned the
table. ``catalogue_bigrams(text)`` lists the two-character pieces of a text; an expression
index over it lets ``catalogue_bigrams(search_text) @> ARRAY['社保']`` — true exactly when
the text contains 社保, so nothing is rechecked — use the index. Postgres keeps the index
current on every write, so no service, bulk import or data migration can forget it.

Postgres only, guarded by the connection vendor like 0002: SQLite (``make run``) keeps the
plain substring match over its small table.
"""

from django.db import migrations

# COST: the function builds an array per row, some thousand times the work of a simple
# operator; priced as such, the planner never evaluates it row by row over the table (a seq
# scan) when the index answers the same question.
FUNCTION = """
CREATE OR REPLACE FUNCTION catalogue_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    SELECT ARRAY(SELECT substr(value, i, 2) FROM generate_series(1, char_length(value) - 1) AS i)
$$
"""
INDEX = "catalogue_item_search_bigram"


def create_bigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalogue_serviceitem "
        "USING gin (catalogue_bigrams(search_text))"
    )


def drop_bigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS catalogue_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0008_item_english_name_summary"),
    ]

    operations = [
        migrations.RunPython(create_bigram_index, drop_bigram_index, elidable=False),
    ]
