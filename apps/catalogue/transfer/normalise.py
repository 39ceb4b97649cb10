"""Raw values of a record turned into model field values, every bad one reported."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.catalogue.guide_fields import GUIDE_JSON_FIELDS
from apps.catalogue.models import GuideMaterial, GuideStep, ServiceGuide, SpecialProcedure
from apps.catalogue.transfer.exchange_format import (
    GUIDE_SCALARS,
    MATERIAL_KEYS,
    PROCEDURE_KEYS,
    STEP_KEYS,
)
from apps.catalogue.transfer.report import RecordError


@cache
def _field(model, name: str):
    return model._meta.get_field(name)


def _coerce(model, name: str, value: Any) -> Any:
    model_field = _field(model, name)
    if value is None or value == "":
        if model_field.null:
            return None
        if value is None or model_field.has_default():  # an empty cell takes the default
            return model_field.get_default()
    if isinstance(value, str):
        value = value.strip()
    return model_field.to_python(value)


def normalise(model, keys: list[str], record: dict[str, Any], where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise RecordError([_("%(where)s应为对象") % {"where": where}])
    out: dict[str, Any] = {}
    errors = []
    for key in keys:
        model_field = _field(model, key)
        raw = record.get(key, model_field.get_default() if model_field.has_default() else None)
        try:
            out[key] = _coerce(model, key, raw)
        except ValidationError as exc:
            errors.append(
                _("%(where)s字段%(key)s的值“%(raw)s”无效：%(reasons)s")
                % {"where": where, "key": key, "raw": raw, "reasons": "；".join(exc.messages)}
            )
    if errors:
        raise RecordError(errors)
    return out


def normalise_guide(record: dict[str, Any], *, draft: bool = False) -> dict[str, Any]:
    """The guide's content in the shape :func:`guide_to_dict` gives a stored guide. A draft
    may leave its time limits out; they are then 0, as in a draft started in the admin."""
    guide = normalise(ServiceGuide, GUIDE_SCALARS, record, "guide")
    if draft:
        for key in ("legal_time_limit_days", "promised_time_limit_days"):
            if guide[key] is None:
                guide[key] = 0
    for key, model, keys in (
        ("materials", GuideMaterial, MATERIAL_KEYS),
        ("steps", GuideStep, STEP_KEYS),
        ("special_procedures", SpecialProcedure, PROCEDURE_KEYS),
    ):
        rows = record.get(key) or []
        if not isinstance(rows, list):
            raise RecordError([_("guide.%(key)s应为列表") % {"key": key}])
        guide[key] = [normalise(model, keys, r, f"guide.{key}[{i}]") for i, r in enumerate(rows)]
    # The online form and result template: JSON documents, checked with the guide's rules.
    for key in GUIDE_JSON_FIELDS:
        default = ServiceGuide._meta.get_field(key).get_default()
        guide[key] = record.get(key) or default
    return guide
