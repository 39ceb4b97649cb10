"""The same criteria evaluated in Python, for one profile: "why do I match" (DOMAIN PO4).

Applies exactly the rules of :mod:`.compile` — including "missing data never matches" — so
the reasons a person reads agree with the match the database made (a test compares the two
over generated profiles). Also the row-by-row baseline of the matching benchmark.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from apps.policies.criteria.conditions import Condition, whole_years_between
from apps.policies.criteria.registry import OPERATOR_LABELS, ValueKind, industry_label


def condition_met(condition: Condition, values: Mapping[str, Any], today: datetime.date) -> bool:
    attribute = condition.attribute
    actual = values.get(attribute.column)
    if actual is None:
        return False
    if attribute.years_since:
        actual = whole_years_between(actual, today)
    op, value = condition.operator, condition.value
    if op == "prefix":
        return any(actual.startswith(p) for p in value)
    if op == "not_prefix":
        return not any(actual.startswith(p) for p in value)
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    if op == "eq":
        return actual == value
    if op in ("gte", "on_or_after"):
        return actual >= value
    if op in ("lte", "on_or_before"):
        return actual <= value
    low, high = value  # between
    return low <= actual <= high


def criteria_met(
    conditions: list[Condition], values: Mapping[str, Any], today: datetime.date
) -> bool:
    return all(condition_met(c, values, today) for c in conditions)


def _shown(condition: Condition, value: Any) -> str:
    attribute = condition.attribute
    if attribute.kind == ValueKind.BOOLEAN:
        return _("是") if value else _("否")
    if attribute.kind == ValueKind.PREFIX:
        return industry_label(value)
    if attribute.kind == ValueKind.CHOICE:
        return str(attribute.choices.get(value, value))
    if isinstance(value, datetime.date):
        return f"{value:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月")
    return f"{value}{attribute.unit}"


def describe(condition: Condition) -> str:
    """The condition in words, e.g. "从业人数 介于 10人 至 300人"."""
    label, op, value = condition.attribute.label, condition.operator, condition.value
    if condition.attribute.kind == ValueKind.BOOLEAN:
        return f"{label}：{_shown(condition, value)}"
    if op == "between":
        return _("%(label)s 介于 %(low)s 至 %(high)s") % {
            "label": label,
            "low": _shown(condition, value[0]),
            "high": _shown(condition, value[1]),
        }
    if isinstance(value, tuple):
        shown = "、".join(_shown(condition, v) for v in value)
    else:
        shown = _shown(condition, value)
    return f"{label} {OPERATOR_LABELS[op]} {shown}"


@dataclass(frozen=True)
class Reason:
    """One criterion, whether the profile meets it, and the profile's own value."""

    text: str
    met: bool
    actual: str


def explain(
    conditions: list[Condition], values: Mapping[str, Any], today: datetime.date
) -> list[Reason]:
    reasons = []
    for condition in conditions:
        raw = values.get(condition.attribute.column)
        if raw is None:
            actual = _("无数据")
        elif condition.attribute.years_since:
            actual = f"{whole_years_between(raw, today)}{condition.attribute.unit}"
        else:
            actual = _shown(condition, raw)
        reasons.append(Reason(describe(condition), condition_met(condition, values, today), actual))
    return reasons
