"""Criteria → one database filter (DOMAIN PO3: matching runs in the database).

:func:`criteria_q` turns validated conditions into a single ``Q`` over the profile table, so
matching a policy is one ``INSERT … SELECT`` however many profiles there are.

The missing-data rule (documented in ``docs/policy-criteria.md``): a condition on a value
the profile does not have (NULL) is **not met**, whatever the operator — "not in 鼓楼区"
does not match a company whose district is unknown, and "高新技术企业: 否" does not match
one whose status is unknown. Positive comparisons get this from SQL (NULL compares to
unknown); the negative operators add ``IS NOT NULL`` explicitly.
"""

from __future__ import annotations

import datetime
import operator
from functools import reduce

from django.db.models import Q

from apps.policies.criteria.conditions import Condition, column_interval


def _any_prefix(column: str, prefixes: tuple[str, ...]) -> Q:
    return reduce(operator.or_, (Q(**{f"{column}__startswith": p}) for p in prefixes))


def _range(column: str, low, high) -> Q:
    q = Q()
    if low is not None:
        q &= Q(**{f"{column}__gte": low})
    if high is not None:
        q &= Q(**{f"{column}__lte": high})
    return q


def condition_q(condition: Condition, today: datetime.date) -> Q:
    column, op, value = condition.attribute.column, condition.operator, condition.value
    present = Q(**{f"{column}__isnull": False})
    if op == "prefix":
        return present & _any_prefix(column, value)
    if op == "not_prefix":
        return present & ~_any_prefix(column, value)
    if op == "in":
        return present & Q(**{f"{column}__in": value})
    if op == "not_in":
        return present & ~Q(**{f"{column}__in": value})
    if condition.attribute.kind == "boolean":
        return present & Q(**{column: value})
    # Integers and dates (and whole years since a date) are ranges over their column.
    return present & _range(column, *column_interval(condition, today))


def criteria_q(conditions: list[Condition], today: datetime.date) -> Q:
    """All conditions must hold; an empty list matches every profile of the kind."""
    return reduce(operator.and_, (condition_q(c, today) for c in conditions), Q())
