"""Document numbers: one gap-free sequence per (department, kind, year)."""

from __future__ import annotations

from apps.documents.models import KIND_ABBREVIATIONS, DocumentSequence


def next_sequence(*, department, kind: str, year: int) -> int:
    """Take the next number; call inside a transaction.

    The sequence row stays locked until the caller's transaction ends, so concurrent
    issuers of the same department/kind/year queue here and numbers are never shared or
    skipped (a rolled-back issue gives its number back).
    """
    # INSERT … ON CONFLICT DO NOTHING: the first issuer of the year creates the row without
    # an IntegrityError that would poison the caller's transaction.
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(department=department, kind=kind, year=year)], ignore_conflicts=True
    )
    sequence = DocumentSequence.objects.select_for_update().get(
        department=department, kind=kind, year=year
    )
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value


def format_number(*, department, kind: str, year: int, sequence: int) -> str:
    """``榕市监受字〔2026〕第000123号``: department short name (or code), kind, year, number."""
    prefix = department.short_name or department.code
    return f"{prefix}{KIND_ABBREVIATIONS[kind]}字〔{year}〕第{sequence:06d}号"
