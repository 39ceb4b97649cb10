"""Document numbers: one gap-free sequence per (department, kind, year)."""

from __future__ import annotations

from django.db import connection

from apps.documents.models import KIND_ABBREVIATIONS, DocumentSequence


def _take_sql() -> str:
    meta = DocumentSequence._meta
    table = connection.ops.quote_name(meta.db_table)
    department, kind, year, last = (
        connection.ops.quote_name(meta.get_field(name).column)
        for name in ("department", "kind", "year", "last_value")
    )
    # Only quoted identifiers are formatted in; the values are parameters.
    return (
        f"INSERT INTO {table} ({department}, {kind}, {year}, {last}) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({department}, {kind}, {year}) "
        f"DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )


def next_sequence(*, department, kind: str, year: int) -> int:
    """Take the next number; call inside a transaction.

    The sequence row stays locked until the caller's transaction ends, so concurrent
    issuers of the same department/kind/year queue here and numbers are never shared or
    skipped (a rolled-back issue gives its number back).
    """
    # One statement (issue 16: it was four): the first issuer of the year creates the row
    # with 1, later ones add 1 to it; ON CONFLICT … DO UPDATE locks the row as SELECT … FOR
    # UPDATE did, and raises no IntegrityError that would poison the caller's transaction.
    with connection.cursor() as cursor:
        cursor.execute(_take_sql(), [department.pk, kind, year])
        return cursor.fetchone()[0]


def format_number(*, department, kind: str, year: int, sequence: int) -> str:
    """``榕市监受字〔2026〕第000123号``: department short name (or code), kind, year, number."""
    prefix = department.short_name or department.code
    return f"{prefix}{KIND_ABBREVIATIONS[kind]}字〔{year}〕第{sequence:06d}号"
