"""A form definition bound to values and errors, ready for ``catalogue/forms/_form.html``
(the one template that draws an application form: the citizen's pages, the 一件事 page and
the catalogue manager's live preview), and the reverse: the posted inputs read back into
answers. Reading the post only reshapes it; :mod:`.answers` decides what is valid.

Inputs are named ``f_<key>``; a region ``f_<key>__province|city|district|detail``; a table
cell ``f_<key>__<row>__<column>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.catalogue.application_forms import regions
from apps.catalogue.application_forms.definition import Field, FormDefinition

PREFIX = "f_"
SOURCE_LABELS = {
    "account": gettext_lazy("已从实名账户预填"),
    "company": gettext_lazy("已从单位信息预填"),
    "history": gettext_lazy("已从您此前的申请预填"),
}
BLANK_TABLE_ROWS = 1


@dataclass
class BoundField:
    field: Field
    name: str
    value: Any
    error: str = ""
    source: str = ""  # account / company / history: shown as prefilled
    locked: bool = False  # prefilled and not editable
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source, ""))

    @property
    def condition(self) -> dict[str, str]:
        c = self.field.show_if
        if c is None:
            return {}
        values = [c.equals] if c.equals is not None else list(c.values)
        return {"field": PREFIX + c.field, "values": "|".join(values), "filled": str(c.filled)}

    @property
    def condition_text(self) -> str:
        c = self.field.show_if
        return c.describe(self.extra.get("condition_label", c.field)) if c else ""


@dataclass
class BoundSection:
    title: str
    fields: list[BoundField]


def _region_extra(f: Field, value: Any) -> dict[str, Any]:
    code = (value or {}).get("code", "") if isinstance(value, dict) else ""
    chain = [r.code for r in regions.path(code)] or [
        r.code for r in regions.path(settings.FORM_DEFAULT_REGION)
    ]
    selected = chain + [""] * (3 - len(chain))
    levels = [
        ("province", _("省"), regions.children("")),
        ("city", _("市"), regions.children(selected[0]) if selected[0] else []),
        ("district", _("区（县）"), regions.children(selected[1]) if selected[1] else []),
    ][: f.levels]
    return {
        "levels": [
            {"part": part, "label": label, "options": options, "selected": selected[i]}
            for i, (part, label, options) in enumerate(levels)
        ],
        "detail": (value or {}).get("detail", "") if isinstance(value, dict) else "",
    }


def _table_extra(f: Field, value: Any) -> dict[str, Any]:
    rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    count = max(len(rows) + BLANK_TABLE_ROWS, f.min_rows)
    count = min(count, f.max_rows)
    padded = rows + [{}] * (count - len(rows))
    return {
        "rows": [[{"column": c, "value": row.get(c.key, "")} for c in f.columns] for row in padded],
        "next_index": count,
    }


def bind(
    form: FormDefinition,
    values: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    sources: dict[str, str] | None = None,
    locked: set[str] | frozenset[str] = frozenset(),
) -> list[BoundSection]:
    errors, sources = errors or {}, sources or {}
    labels = {f.key: f.label for f in form.fields}
    out = []
    for section in form.sections:
        bound = []
        for f in section.fields:
            value = values.get(f.key)
            extra: dict[str, Any] = {}
            if f.show_if is not None:
                extra["condition_label"] = labels.get(f.show_if.field, f.show_if.field)
            if f.type == "region":
                extra.update(_region_extra(f, value))
            elif f.type == "table":
                extra.update(_table_extra(f, value))
            bound.append(
                BoundField(
                    field=f,
                    name=PREFIX + f.key,
                    value=value,
                    error=errors.get(f.key, ""),
                    source=sources.get(f.key, ""),
                    locked=f.key in locked,
                    extra=extra,
                )
            )
        out.append(BoundSection(title=section.title, fields=bound))
    return out


def _table_from_post(f: Field, data: QueryDict) -> list[dict[str, str]]:
    prefix = f"{PREFIX}{f.key}__"
    indexes = sorted(
        {
            int(k[len(prefix) :].split("__")[0])
            for k in data
            if k.startswith(prefix) and k[len(prefix) :].split("__")[0].isdigit()
        }
    )
    rows = []
    for i in indexes[: f.max_rows + 20]:
        rows.append({c.key: data.get(f"{prefix}{i}__{c.key}", "") for c in f.columns})
    return rows


def answers_from_post(form: FormDefinition, data: QueryDict) -> dict[str, Any]:
    """The answers a posted form gives, in the stored shapes (not yet validated)."""
    answers: dict[str, Any] = {}
    for f in form.fields:
        name = PREFIX + f.key
        if f.type == "region":
            parts = [data.get(f"{name}__{p}", "") for p in ("province", "city", "district")]
            code = next((p for p in reversed(parts[: f.levels]) if p), "")
            answers[f.key] = {"code": code, "detail": data.get(f"{name}__detail", "")}
        elif f.type == "table":
            answers[f.key] = _table_from_post(f, data)
        elif f.type == "choice" and f.multiple:
            answers[f.key] = data.getlist(name)
        elif f.type == "declaration":
            answers[f.key] = data.get(name) == "1"
        else:
            answers[f.key] = data.get(name, "")
    return answers
