"""Checking answers against a form definition: the ONE place where a field's value is
validated, for the web pages, the API and the staff console alike (DOMAIN C6, Q2).

:func:`check_answers` cleans every value into its stored shape, evaluates the declarative
conditions, and reports per field, in Chinese, what is wrong and what required field is
still empty. Saving a draft tolerates empty required fields (they are listed as
``missing``); a wrong value is always an error.

Stored shapes (JSON): text / textarea / id_number / uscc / phone / date (``YYYY-MM-DD``) /
number and money (canonical decimal strings) / choice (a string, a list when ``multiple``)
are strings; region is ``{"code": "350102", "detail": "…"}``; table is a list of row
objects; declaration is ``true``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.catalogue.application_forms import regions
from apps.catalogue.application_forms.definition import Field
from apps.common.idnumbers import validate_credit_code, validate_resident_id

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
DEFAULT_TEXT_LENGTH = 200
DEFAULT_TEXTAREA_LENGTH = 2000


class FieldError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class AnswerCheck:
    """The outcome of :func:`check_answers`."""

    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # key → message
    missing: list[Field] = field(default_factory=list)  # required and empty (and shown)
    labels: dict[str, str] = field(default_factory=dict)  # key → label, for messages

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def complete(self) -> bool:
        return not self.errors and not self.missing

    def message(self) -> str:
        """The specific reason, first: one error names its field; several are listed."""
        items = [f"{self.labels.get(k, k)}：{m}" for k, m in self.errors.items()]
        if len(items) == 1:
            return items[0]
        return _("有%(n)d项填写有误：") % {"n": len(items)} + "；".join(items)


def is_empty(value: Any) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(is_empty(v) for v in value)
    if isinstance(value, dict):
        return all(is_empty(v) for v in value.values())
    return False


# --- One value --------------------------------------------------------------------------


def _text(f: Field, value: Any, default_length: int) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise FieldError(_("应填写文字"))
    text = str(value).strip()
    limit = f.max_length or default_length
    if len(text) > limit:
        raise FieldError(_("不能超过%(n)d个字") % {"n": limit})
    if "\x00" in text:
        raise FieldError(_("含有不允许的字符"))
    return text


def _decimal(f: Field, value: Any, *, places: int, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError(_("应填写%(what)s") % {"what": what})
    raw = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise FieldError(_("应填写%(what)s") % {"what": what}) from None
    if not number.is_finite():
        raise FieldError(_("应填写%(what)s") % {"what": what})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise FieldError(_("应为整数") if places == 0 else _("最多保留%(n)d位小数") % {"n": places})
    if f.min is not None and number < Decimal(str(f.min)):
        raise FieldError(_("不能小于%(n)s") % {"n": f"{f.min:g}"})
    if f.max is not None and number > Decimal(str(f.max)):
        raise FieldError(_("不能大于%(n)s") % {"n": f"{f.max:g}"})
    return f"{number.quantize(Decimal(1).scaleb(-places)):f}"


def _date(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(_("应填写日期，例如 2026-05-01"))
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise FieldError(_("应填写日期，例如 2026-05-01")) from None


def _choice(f: Field, value: Any) -> str | list[str]:
    if f.multiple:
        chosen = value if isinstance(value, list) else [value]
        chosen = [str(v) for v in chosen if not is_empty(v)]
        bad = [v for v in chosen if v not in f.options]
        if bad:
            raise FieldError(_("“%(values)s”不是可选项") % {"values": "、".join(bad)})
        return [o for o in f.options if o in chosen]  # in the definition's order
    if not isinstance(value, str) or value not in f.options:
        raise FieldError(_("请从选项中选择"))
    return value


def _region(f: Field, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise FieldError(_("请选择省、市、区（县）"))
    code = str(value.get("code") or "").strip()
    if not regions.accepts(code, f.levels):
        level = {1: _("省"), 2: _("省、市"), 3: _("省、市、区（县）")}[f.levels]
        raise FieldError(_("请完整选择%(level)s") % {"level": level})
    cleaned = {"code": code}
    if f.detail:
        detail = _text(f, value.get("detail") or "", DEFAULT_TEXT_LENGTH)
        if not detail:
            raise FieldError(_("请填写详细地址（街道、门牌号）"))
        cleaned["detail"] = detail
    return cleaned


def _validated(check, value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(_("格式不正确"))
    try:
        return check(value)
    except ValidationError as exc:
        raise FieldError(exc.messages[0]) from None


def _phone(value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise FieldError(_("应填写电话号码"))
    number = re.sub(r"[\s()（）]", "", str(value))
    if not (_MOBILE.match(number) or _LANDLINE.match(number)):
        raise FieldError(_("应为11位手机号码或带区号的固定电话，例如 0591-87654321"))
    return number


def _table(f: Field, value: Any, partial: bool) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise FieldError(_("表格数据格式不正确"))
    rows = [r for r in value if not all(is_empty(r.get(c.key)) for c in f.columns)]
    if len(rows) > f.max_rows:
        raise FieldError(_("最多填写%(n)d行") % {"n": f.max_rows})
    cleaned = []
    for n, row in enumerate(rows, 1):
        out = {}
        for column in f.columns:
            cell = row.get(column.key)
            if is_empty(cell):
                if column.required and not partial:
                    raise FieldError(
                        _("第%(n)d行“%(label)s”未填写") % {"n": n, "label": column.label}
                    )
                continue
            try:
                out[column.key] = clean_value(column, cell, partial=partial)
            except FieldError as exc:
                raise FieldError(
                    _("第%(n)d行“%(label)s”%(message)s")
                    % {"n": n, "label": column.label, "message": exc.message}
                ) from None
        cleaned.append(out)
    if len(cleaned) < f.min_rows and not partial:
        raise FieldError(_("至少填写%(n)d行") % {"n": f.min_rows})
    return cleaned


def clean_value(f: Field, value: Any, *, partial: bool = False) -> Any:
    """The stored shape of a non-empty ``value`` for ``f``, or :class:`FieldError`."""
    kind = f.type
    if kind == "text":
        return _text(f, value, DEFAULT_TEXT_LENGTH)
    if kind == "textarea":
        return _text(f, value, DEFAULT_TEXTAREA_LENGTH)
    if kind == "number":
        return _decimal(f, value, places=f.decimals, what="数字")
    if kind == "money":
        return _decimal(f, value, places=2, what="金额（元）")
    if kind == "date":
        return _date(value)
    if kind == "choice":
        return _choice(f, value)
    if kind == "region":
        return _region(f, value)
    if kind == "id_number":
        return _validated(validate_resident_id, value)
    if kind == "uscc":
        return _validated(validate_credit_code, value)
    if kind == "phone":
        return _phone(value)
    if kind == "table":
        return _table(f, value, partial)
    if kind == "declaration":
        if value not in (True, "1", "true", "on", 1):
            raise FieldError(_("请阅读并勾选声明"))
        return True
    raise FieldError(_("未知的字段类型"))


# --- A whole form -----------------------------------------------------------------------


def check_answers(
    fields: Iterable[Field],
    raw: dict[str, Any],
    *,
    partial: bool,
    fixed: dict[str, Any] | None = None,
) -> AnswerCheck:
    """Clean ``raw`` against ``fields``.

    ``partial``: a draft being saved; empty required fields are listed in ``missing`` but
    are not errors. ``fixed``: values that override the input (prefilled fields that may
    not be edited, e.g. the name on the real-name account). Unknown keys are errors: an
    API client that misspells a key learns it at once.
    """
    fields = list(fields)
    by_key = {f.key: f for f in fields}
    result = AnswerCheck(labels={f.key: f.label for f in fields})
    if not isinstance(raw, dict):
        result.errors["_"] = _("应为以字段标识为键的对象")
        return result
    values = {**raw, **(fixed or {})}
    for key in values:
        if key not in by_key:
            result.errors[key] = _("本申请表没有这一项")
    # First every value on its own, then the conditions over the cleaned values.
    for f in fields:
        value = values.get(f.key)
        if is_empty(value):
            continue
        try:
            result.cleaned[f.key] = clean_value(f, value, partial=partial)
        except FieldError as exc:
            result.errors[f.key] = exc.message
    for f in fields:
        if f.show_if is not None and not f.show_if.holds(result.cleaned):
            result.cleaned.pop(f.key, None)
            result.errors.pop(f.key, None)
            continue
        required = f.required or (f.required_if is not None and f.required_if.holds(result.cleaned))
        if required and f.key not in result.cleaned and f.key not in result.errors:
            result.missing.append(f)
        _check_order(f, result)
    if not partial:
        for f in result.missing:
            result.errors.setdefault(f.key, _("必填"))
    return result


def _check_order(f: Field, result: AnswerCheck) -> None:
    if not f.not_before or f.key not in result.cleaned:
        return
    earlier = result.cleaned.get(f.not_before)
    if earlier and result.cleaned[f.key] < earlier:
        result.errors[f.key] = _("不能早于“%(label)s”") % {
            "label": result.labels.get(f.not_before, f.not_before)
        }
        result.cleaned.pop(f.key)


def shown(f: Field, answers: dict[str, Any]) -> bool:
    return f.show_if is None or f.show_if.holds(answers)
