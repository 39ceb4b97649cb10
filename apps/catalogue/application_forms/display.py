"""Answers as people read them: on the summary page, the staff console and the 申请书 PDF."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from apps.catalogue.application_forms import regions
from apps.catalogue.application_forms.answers import is_empty, shown
from apps.catalogue.application_forms.definition import Field, FormDefinition


def display_value(f: Field, value: Any) -> str:
    if is_empty(value):
        return ""
    if f.type == "region":
        text = regions.full_name(value.get("code", ""))
        return f"{text}{value.get('detail', '')}"
    if f.type == "choice" and isinstance(value, list):
        return "、".join(value)
    if f.type == "money":
        return f"{value} 元"
    if f.type == "declaration":
        return "已阅读并确认：" + f.text
    if f.type == "table":
        lines = []
        for n, row in enumerate(value, 1):
            cells = [f"{c.label} {display_value(c, row.get(c.key))}" for c in f.columns]
            lines.append(f"{n}. " + "；".join(c for c in cells if c.split(" ", 1)[1]))
        return "\n".join(lines)
    return str(value)


@dataclass(frozen=True)
class Row:
    field: Field
    value: str
    missing: bool


@dataclass(frozen=True)
class SectionRows:
    title: str
    rows: tuple[Row, ...]


def answer_sections(
    form: FormDefinition, answers: dict[str, Any], *, missing: Iterable[str] = ()
) -> list[SectionRows]:
    """Every shown field with its answer, section by section (hidden fields left out)."""
    missing = set(missing)
    out = []
    for section in form.sections:
        rows = tuple(
            Row(field=f, value=display_value(f, answers.get(f.key)), missing=f.key in missing)
            for f in section.fields
            if shown(f, answers)
        )
        if rows:
            out.append(SectionRows(title=section.title, rows=rows))
    return out


def document_fields(form: FormDefinition, answers: dict[str, Any]) -> list[list[str]]:
    """``[label, value]`` rows for a document's fields table (declarations excluded: the
    document prints the declaration as its body)."""
    return [
        [row.field.label, row.value or "—"]
        for section in answer_sections(form, answers)
        for row in section.rows
        if row.field.type != "declaration"
    ]


def decision_rows(fields: Iterable[Field], values: dict[str, Any]) -> list[list[str]]:
    return [[f.label, display_value(f, values.get(f.key))] for f in fields if f.key in values]
