"""Rows looked up by their catalogue codes, as the import refers to them."""

from __future__ import annotations

from collections.abc import Iterable

from apps.accounts.models import Department
from apps.catalogue.models import ServiceItem


def items_by_codes(codes: Iterable[str]) -> dict[str, ServiceItem]:
    return {i.code: i for i in ServiceItem.objects.filter(code__in=list(codes))}


def departments_by_codes(codes: Iterable[str]) -> dict[str, Department]:
    return {d.code: d for d in Department.objects.filter(code__in=list(codes))}
