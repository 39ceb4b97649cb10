"""Parsing and checking criteria: the documented JSON shape → validated conditions.

Shape (see ``docs/policy-criteria.md``): a JSON list of conditions, all of which must hold::

    [{"attribute": "industry", "operator": "prefix", "value": ["C39", "I65"]},
     {"attribute": "employees", "operator": "between", "value": [10, 300]},
     {"attribute": "high_tech", "operator": "eq", "value": true}]

Refused, with every problem named at once: an attribute not in the subject kind's registry,
an operator the attribute does not take, a value of the wrong type or outside its code
list, and conditions that contradict each other (no subject could ever meet them).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.common.errors import ApplicationError
from apps.policies.criteria.registry import (
    ATTRIBUTES,
    INDUSTRY_SECTIONS,
    Attribute,
    ValueKind,
    industry_code_problem,
)

MAX_CONDITIONS = 30
MAX_INTEGER = 10_000_000
_KEYS = {"attribute", "operator", "value"}


class CriteriaError(ApplicationError):
    def __init__(self, problems: list[str]) -> None:
        message = (
            problems[0]
            if len(problems) == 1
            else _("政策条件有%(n)d处问题：") % {"n": len(problems)} + "；".join(problems)
        )
        super().__init__(message, code="invalid_criteria", extra={"problems": problems})


@dataclass(frozen=True)
class Condition:
    """One validated condition. ``value`` is normalised: a tuple of codes, an int, a date,
    a bool, or a (low, high) pair for ``between``."""

    attribute: Attribute
    operator: str
    value: Any

    def as_json(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, tuple):
            value = [v.isoformat() if isinstance(v, datetime.date) else v for v in value]
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        return {"attribute": self.attribute.name, "operator": self.operator, "value": value}


def years_ago(today: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def whole_years_between(start: datetime.date, today: datetime.date) -> int:
    """Completed years from ``start`` to ``today`` (周岁): the birthday must have passed."""
    return today.year - start.year - ((today.month, today.day) < (start.month, start.day))


# --- values --------------------------------------------------------------------------------


class _Bad(Exception):
    pass


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _integer(value: Any) -> int:
    if not _is_int(value) or not 0 <= value <= MAX_INTEGER:
        raise _Bad(_("应为0至%(max)d之间的整数") % {"max": MAX_INTEGER})
    return value


def _date(value: Any) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Bad(_("应为“年-月-日”格式的日期，如 2024-01-01")) from None


def _pair(value: Any, convert) -> tuple:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise _Bad(_("“介于”需要两个值：下限和上限"))
    low, high = convert(value[0]), convert(value[1])
    if low > high:
        raise _Bad(_("下限大于上限，不会有任何对象符合"))
    return (low, high)


def _codes(attribute: Attribute, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not value:
        raise _Bad(_("应为至少包含一个代码的列表"))
    if not all(isinstance(v, str) for v in value):
        raise _Bad(_("代码应为文字"))
    codes = tuple(
        sorted(
            {v.strip().upper() if attribute.kind == ValueKind.PREFIX else v.strip() for v in value}
        )
    )
    for code in codes:
        if attribute.kind == ValueKind.PREFIX:
            problem = industry_code_problem(code)
            if problem:
                raise _Bad(problem.rstrip("。"))
        elif code not in attribute.choices:
            raise _Bad(_("“%(code)s”不是可选值") % {"code": code})
    return codes


def _value(attribute: Attribute, operator: str, value: Any) -> Any:
    kind = attribute.kind
    if kind in (ValueKind.PREFIX, ValueKind.CHOICE):
        return _codes(attribute, value)
    if kind == ValueKind.BOOLEAN:
        if not isinstance(value, bool):
            raise _Bad(_("应为 true（是）或 false（否）"))
        return value
    convert = _integer if kind == ValueKind.INTEGER else _date
    return _pair(value, convert) if operator == "between" else convert(value)


def _condition(kind: str, number: int, raw: Any) -> Condition:
    where = _("第%(n)d条条件") % {"n": number}
    if not isinstance(raw, dict):
        raise _Bad(where + _("应为包含 attribute、operator、value 的对象"))
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise _Bad(where + _("含有无法识别的项：%(keys)s") % {"keys": "、".join(unknown)})
    name = raw.get("attribute")
    attribute = ATTRIBUTES[kind].get(name) if isinstance(name, str) else None
    if attribute is None:
        raise _Bad(
            where
            + _("的条件项“%(name)s”不存在，可用的有：%(names)s")
            % {"name": name, "names": "、".join(ATTRIBUTES[kind])}
        )
    operator = raw.get("operator")
    if operator not in attribute.operators:
        raise _Bad(
            where
            + _("：“%(label)s”不能使用运算“%(op)s”，可用：%(ops)s")
            % {"label": attribute.label, "op": operator, "ops": "、".join(attribute.operators)}
        )
    if "value" not in raw:
        raise _Bad(where + _("缺少取值（value）"))
    try:
        value = _value(attribute, operator, raw["value"])
    except _Bad as exc:
        raise _Bad(where + f"（{attribute.label}）" + str(exc)) from None
    return Condition(attribute, operator, value)


# --- contradictions ------------------------------------------------------------------------


def column_interval(condition: Condition, today: datetime.date) -> tuple[Any, Any]:
    """The condition as an inclusive [low, high] range over its column (None = open)."""
    op, value = condition.operator, condition.value
    if op == "between":
        low, high = value
    else:
        low = value if op in ("gte", "eq", "on_or_after") else None
        high = value if op in ("lte", "eq", "on_or_before") else None
    if not condition.attribute.years_since:
        return low, high
    # "at least N years" = the date is N years ago or earlier, and so on.
    date_high = years_ago(today, low) if low is not None else None
    date_low = years_ago(today, high + 1) + datetime.timedelta(days=1) if high is not None else None
    return date_low, date_high


def _prefix_meet(left: list[str], right: list[str]) -> list[str]:
    """Codes in both prefix sets: where one prefix contains the other, the longer one."""
    return sorted(
        {
            a if len(a) >= len(b) else b
            for a in left
            for b in right
            if a.startswith(b) or b.startswith(a)
        }
    )


def _satisfiable(conditions: list[Condition], today: datetime.date) -> bool:
    kind = conditions[0].attribute.kind
    if kind in (ValueKind.INTEGER, ValueKind.DATE):
        lows, highs = zip(*(column_interval(c, today) for c in conditions), strict=True)
        low = max((v for v in lows if v is not None), default=None)
        high = min((v for v in highs if v is not None), default=None)
        return low is None or high is None or low <= high
    if kind == ValueKind.BOOLEAN:
        return len({c.value for c in conditions}) == 1
    if kind == ValueKind.CHOICE:
        allowed = set(conditions[0].attribute.choices)
        for c in conditions:
            allowed = allowed & set(c.value) if c.operator == "in" else allowed - set(c.value)
        return bool(allowed)
    allowed = list(INDUSTRY_SECTIONS)
    for c in conditions:
        if c.operator == "prefix":
            allowed = _prefix_meet(allowed, list(c.value))
    excluded = [code for c in conditions if c.operator == "not_prefix" for code in c.value]
    return any(not any(p.startswith(x) for x in excluded) for p in allowed)


def _contradictions(conditions: list[Condition], today: datetime.date) -> list[str]:
    groups: dict[str, list[tuple[int, Condition]]] = {}
    for number, condition in enumerate(conditions, start=1):
        groups.setdefault(condition.attribute.column, []).append((number, condition))
    problems = []
    for members in groups.values():
        if len(members) < 2 or _satisfiable([c for _n, c in members], today):
            continue
        labels = "、".join(dict.fromkeys(str(c.attribute.label) for _n, c in members))
        numbers = "、".join(str(n) for n, _c in members)
        problems.append(
            _("关于“%(labels)s”的条件（第%(numbers)s条）互相矛盾，不会有任何对象符合")
            % {"labels": labels, "numbers": numbers}
        )
    return problems


# --- entry point ---------------------------------------------------------------------------


def parse_criteria(kind: str, raw: Any, *, today: datetime.date | None = None) -> list[Condition]:
    """Validate ``raw`` (a list, or its JSON text) for subjects of ``kind``; return the
    normalised conditions or raise :class:`CriteriaError` listing every problem."""
    if kind not in ATTRIBUTES:
        raise CriteriaError([_("请先选择政策对象（企业或个人）。")])
    if isinstance(raw, str):
        try:
            raw = json.loads(raw or "[]")
        except ValueError:
            raise CriteriaError([_("政策条件不是有效的 JSON。")]) from None
    if not isinstance(raw, list):
        raise CriteriaError([_("政策条件应为条件列表。")])
    if len(raw) > MAX_CONDITIONS:
        raise CriteriaError([_("政策条件最多%(n)d条。") % {"n": MAX_CONDITIONS}])
    conditions, problems = [], []
    for number, item in enumerate(raw, start=1):
        try:
            conditions.append(_condition(kind, number, item))
        except _Bad as exc:
            problems.append(str(exc))
    if not problems:
        problems = _contradictions(conditions, today or timezone.localdate())
    if problems:
        raise CriteriaError(problems)
    return conditions


def criteria_json(conditions: list[Condition]) -> list[dict[str, Any]]:
    return [c.as_json() for c in conditions]
