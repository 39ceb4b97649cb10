"""Raw values of a record turned into model field values, every bad one reported."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.catalogue.models import GuideMaterial, GuideStep, ServiceGuide, SpecialProcedure
from apps.catalogue.transfer.exchange_format import (
    GUIDE_SCALARS,
    MATERIAL_KEYS,
    PROCEDURE_KEYS,
    STEP_KEYS,
)
from apps.catalogue.transfer.report import RecordError


def _coerce(model, name: str, value: Any) -> Any:
    model_field = model._meta.get_field(name)
    if value is None or value == "":
        if model_field.null:
            return None
        if value is None:
            default = model_field.get_default()
            return default
    return model_field.to_python(value)


def normalise(model, keys: list[str], record: dict[str, Any], where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise RecordError([_("%(where)s应为对象") % {"where": where}])
    out: dict[str, Any] = {}
    errors = []
    for key in keys:
        model_field = model._meta.get_field(key)
        raw = record.get(key, model_field.get_default() if model_field.has_default() else None)
        try:
            out[key] = _coerce(model, key, raw)
        except ValidationError as exc:
            errors.append(f"{where}字段{key}的值“{raw}”无效：{'；'.join(exc.messages)}")
    if errors:
        raise RecordError(errors)
    return out


def normalise_guide(record: dict[str, Any]) -> dict[str, Any]:
    guide = normalise(ServiceGuide, GUIDE_SCALARS, record, "guide")
    for key, model, keys in (
        ("materials", GuideMaterial, MATERIAL_KEYS),
        ("steps", GuideStep, STEP_KEYS),
        ("special_procedures", SpecialProcedure, PROCEDURE_KEYS),
    ):
        rows = record.get(key) or []
        if not isinstance(rows, list):
            raise RecordError([_("guide.%(key)s应为列表") % {"key": key}])
        guide[key] = [normalise(model, keys, r, f"guide.{key}[{i}]") for i, r in enumerate(rows)]
    return guide
