"""The application form of a guide version, and the decision fields of its result template
(DOMAIN C3, C5, Q2): parsed from the JSON documented in docs/application-forms.md.

A definition is checked in two steps: its shape against the JSON Schema shipped beside
this module (``form-definition.schema.json``), then what a schema cannot say (keys unique,
conditions naming fields that exist, a prefill that fits the field's type, the material it
fills being one the guide lists). Every problem comes back at once, in Chinese.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

SCHEMA_PATH = Path(__file__).with_name("form-definition.schema.json")

TYPE_LABELS = {
    "text": "单行文字",
    "textarea": "多行文字",
    "number": "数字",
    "money": "金额（元）",
    "date": "日期",
    "choice": "选项",
    "region": "省市区",
    "id_number": "身份证号码",
    "uscc": "统一社会信用代码",
    "phone": "电话号码",
    "table": "表格（可多行）",
    "declaration": "声明",
}
# Types whose value is one short string: these can be searched in the staff queue.
SCALAR_TYPES = frozenset(
    {"text", "number", "money", "date", "choice", "id_number", "uscc", "phone"}
)
# Which field types a prefill source may fill.
PREFILL_TYPES = {
    "account.full_name": {"text"},
    "account.id_number": {"id_number"},
    "account.phone": {"phone"},
    "account.email": {"text"},
    "company.name": {"text"},
    "company.credit_code": {"uscc"},
    "company.address": {"text", "textarea"},
    "company.legal_representative": {"text"},
}


@dataclass(frozen=True)
class Condition:
    """Declarative: another field equals a value, is one of values, or is filled."""

    field: str
    equals: str | None = None
    values: tuple[str, ...] = ()
    filled: bool = False

    def holds(self, answers: dict[str, Any]) -> bool:
        value = answers.get(self.field)
        given = value if isinstance(value, list) else [value]
        given = [str(v) for v in given if v not in (None, "", False)]
        if self.filled:
            return bool(given)
        wanted = {self.equals} if self.equals is not None else set(self.values)
        return any(v in wanted for v in given)

    def describe(self, label: str) -> str:
        if self.filled:
            return _("填写了“%(label)s”时") % {"label": label}
        wanted = self.equals if self.equals is not None else _("或").join(self.values)
        return _("“%(label)s”为“%(value)s”时") % {"label": label, "value": wanted}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    sample: Any = None
    prefill: str = ""
    editable: bool = True
    key_field: bool = False
    show_if: Condition | None = None
    required_if: Condition | None = None
    max_length: int | None = None
    min: float | None = None
    max: float | None = None
    decimals: int = 0
    not_before: str = ""
    options: tuple[str, ...] = ()
    multiple: bool = False
    levels: int = 3
    detail: bool = True
    columns: tuple[Field, ...] = ()
    min_rows: int = 0
    max_rows: int = 50
    text: str = ""

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class FormDefinition:
    title: str
    sections: tuple[Section, ...]
    fills_material: str = ""
    by_key: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    @property
    def fields(self) -> list[Field]:
        return [f for s in self.sections for f in s.fields]

    def get(self, key: str) -> Field | None:
        return self.by_key.get(key)

    @property
    def key_fields(self) -> list[Field]:
        return [f for f in self.fields if f.key_field]


# --- Parsing ----------------------------------------------------------------------------


def _condition(data: dict | None) -> Condition | None:
    if not data:
        return None
    return Condition(
        field=data["field"],
        equals=data.get("equals"),
        values=tuple(data.get("in") or ()),
        filled=bool(data.get("filled")),
    )


def parse_field(data: dict[str, Any]) -> Field:
    return Field(
        key=data["key"],
        label=data["label"],
        type=data["type"],
        required=bool(data.get("required", False)),
        help=data.get("help", ""),
        sample=data.get("sample"),
        prefill=data.get("prefill", ""),
        editable=bool(data.get("editable", True)),
        key_field=bool(data.get("key_field", False)),
        show_if=_condition(data.get("show_if")),
        required_if=_condition(data.get("required_if")),
        max_length=data.get("max_length"),
        min=data.get("min"),
        max=data.get("max"),
        decimals=int(data.get("decimals", 0)),
        not_before=data.get("not_before", ""),
        options=tuple(data.get("options") or ()),
        multiple=bool(data.get("multiple", False)),
        levels=int(data.get("levels", 3)),
        detail=bool(data.get("detail", True)),
        columns=tuple(parse_field(c) for c in data.get("columns") or ()),
        min_rows=int(data.get("min_rows", 0)),
        max_rows=int(data.get("max_rows", 50)),
        text=data.get("text", ""),
    )


def parse_form(data: dict[str, Any] | None) -> FormDefinition | None:
    """The form of a *valid* definition (see :func:`form_definition_problems`); ``None``
    when the guide has no online form."""
    if not data:
        return None
    sections = tuple(
        Section(title=s["title"], fields=tuple(parse_field(f) for f in s["fields"]))
        for s in data["sections"]
    )
    by_key = {f.key: f for s in sections for f in s.fields}
    return FormDefinition(
        title=data["title"],
        sections=sections,
        fills_material=data.get("fills_material", ""),
        by_key=by_key,
    )


def parse_result_fields(data: list[dict[str, Any]] | None) -> tuple[Field, ...]:
    return tuple(parse_field(f) for f in data or ())


# --- Checking ---------------------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _where(error: SchemaError, root: str) -> str:
    parts = [root]
    for part in error.absolute_path:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts)


def _schema_message(error: SchemaError) -> str:
    """jsonschema's messages are English; these say the same in Chinese."""
    v, value = error.validator, error.validator_value
    if v == "required":
        missing = [p for p in value if isinstance(error.instance, dict) and p not in error.instance]
        return _("缺少“%(keys)s”") % {"keys": "、".join(missing) or value}
    if v in ("additionalProperties", "unevaluatedProperties"):
        return _("含有格式不认识的键（见 docs/application-forms.md）")
    if v == "enum":
        return _("取值应为以下之一：%(values)s") % {"values": "、".join(str(x) for x in value)}
    if v == "const":
        return _("取值只能是 %(value)s") % {"value": json.dumps(value)}
    if v == "type":
        names = {"object": _("对象"), "array": _("列表"), "string": _("文字")}
        wanted = value if isinstance(value, list) else [value]
        return _("类型应为%(types)s") % {"types": _("或").join(names.get(t, t) for t in wanted)}
    if v == "pattern":
        return _("标识只能用小写英文字母开头，由小写字母、数字和下划线组成，不超过40个字符")
    if v in ("minItems", "minLength"):
        return _("不能为空") if value == 1 else _("至少需要%(n)s项") % {"n": value}
    if v in ("maxLength", "maxItems", "maximum", "minimum"):
        return _("超出允许范围（%(rule)s %(value)s）") % {"rule": v, "value": value}
    if v == "uniqueItems":
        return _("选项不能重复")
    if v == "oneOf":
        return _("条件须且只能写 equals、in、filled 中的一种")
    if v == "not":
        return _("表格的列、决定事项不能使用条件、预填、检索或嵌套表格")
    return error.message


def _schema_problems(data: Any, root: str, schema_ref: str | None = None) -> list[str]:
    validator = _validator()
    if schema_ref is not None:
        validator = validator.evolve(schema={"$ref": schema_ref, **_ref_base()})
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    found: list[tuple[str, SchemaError]] = []
    for error in errors:
        leaves = [error]
        if error.validator in ("allOf", "anyOf") and error.context:
            leaves = [e for e in error.context if e.validator not in ("allOf", "if")]
        found += [(_where(leaf, root), leaf) for leaf in leaves or [error]]
    # A failed branch hides which keys it knew: "unknown key" only where nothing else failed.
    other = {where for where, e in found if e.validator not in _UNKNOWN_KEY}
    problems: list[str] = []
    for where, error in found:
        if error.validator in _UNKNOWN_KEY and where in other:
            continue
        text = f"{where}：{_schema_message(error)}"
        if text not in problems:
            problems.append(text)
    return problems


_UNKNOWN_KEY = ("additionalProperties", "unevaluatedProperties")


@cache
def _ref_base() -> dict[str, Any]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return {"$schema": schema["$schema"], "$defs": schema["$defs"]}


def _field_problems(f: Field, where: str, keys: dict[str, Field]) -> list[str]:
    problems = []

    def add(message: str, **params: Any) -> None:
        problems.append(f"{where}：" + (message % params if params else message))

    if f.min is not None and f.max is not None and f.min > f.max:
        add(_("最小值大于最大值"))
    if f.type == "table" and f.max_rows < f.min_rows:
        add(_("最多行数小于最少行数"))
    if f.key_field and f.type not in SCALAR_TYPES:
        add(_("只有单值字段可以作为检索字段（key_field）"))
    if f.key_field and f.type == "choice" and f.multiple:
        add(_("多选字段不能作为检索字段（key_field）"))
    if f.prefill and f.type not in PREFILL_TYPES[f.prefill]:
        add(
            _("预填来源 %(source)s 与字段类型“%(type)s”不相符"),
            source=f.prefill,
            type=f.type_label,
        )
    if not f.editable and not f.prefill:
        add(_("不可修改（editable: false）的字段须有预填来源（prefill）"))
    if f.type == "declaration" and not f.required:
        add(_("声明须为必填（required: true）"))
    if f.not_before and (f.type != "date" or keys.get(f.not_before, f).type != "date"):
        add(_("not_before 只能用于日期字段，且须指向另一个日期字段"))
    elif f.not_before and f.not_before not in keys:
        add(_("not_before 指向的字段“%(key)s”不存在"), key=f.not_before)
    for name, condition in (("show_if", f.show_if), ("required_if", f.required_if)):
        if condition is None:
            continue
        target = keys.get(condition.field)
        if target is None or target.key == f.key:
            add(_("%(name)s 指向的字段“%(key)s”不存在或是本字段"), name=name, key=condition.field)
            continue
        wanted = {condition.equals} if condition.equals is not None else set(condition.values)
        if target.type == "choice" and not wanted <= set(target.options):
            add(_("%(name)s 的取值不在“%(label)s”的选项中"), name=name, label=target.label)
    column_keys = [c.key for c in f.columns]
    if len(set(column_keys)) != len(column_keys):
        add(_("表格的列标识重复"))
    return problems


def form_definition_problems(
    data: Any, *, material_names: Iterable[str] | None = None
) -> list[str]:
    """Every problem of an application form definition; ``[]`` when it is usable.

    ``material_names``: the guide's materials; the material the form fills must be one.
    An empty definition (``{}``) means "no online form" and has no problems.
    """
    if data in (None, {}):
        return []
    problems = _schema_problems(data, _("申请表"))
    if problems:
        return problems
    form = parse_form(data)
    assert form is not None
    seen: dict[str, Field] = {}
    for i, section in enumerate(form.sections):
        for j, f in enumerate(section.fields):
            if f.key in seen:
                problems.append(
                    f"申请表.sections[{i}].fields[{j}]："
                    + _("字段标识“%(key)s”重复") % {"key": f.key}
                )
            seen.setdefault(f.key, f)
    for i, section in enumerate(form.sections):
        for j, f in enumerate(section.fields):
            problems += _field_problems(f, f"申请表.sections[{i}].fields[{j}]（{f.label}）", seen)
    names = set(material_names) if material_names is not None else None
    if form.fills_material and names is not None and form.fills_material not in names:
        problems.append(
            _("申请表：fills_material“%(name)s”不是本指南列明的申请材料")
            % {"name": form.fills_material}
        )
    return problems


def result_fields_problems(data: Any) -> list[str]:
    """Every problem of a result template's decision fields (a list of fields)."""
    if data in (None, []):
        return []
    problems = _schema_problems(data, "决定事项", "#/$defs/result_fields")
    if problems:
        return problems
    fields = parse_result_fields(data)
    keys = {f.key: f for f in fields}
    if len(keys) != len(fields):
        problems.append(_("决定事项：字段标识重复"))
    for i, f in enumerate(fields):
        problems += _field_problems(f, f"决定事项[{i}]（{f.label}）", keys)
    return problems
