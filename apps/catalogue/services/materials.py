"""Writes to the materials a draft guide lists (DOMAIN C4, C11)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from apps.accounts.models import User
from apps.catalogue import rules
from apps.catalogue.guide_fields import MATERIAL_CONTENT_FIELDS
from apps.catalogue.models import GuideMaterial, ServiceGuide
from apps.catalogue.services.drafts import lock_draft
from apps.catalogue.services.permissions import assert_can_manage_item
from apps.catalogue.services.problems import full_clean, raise_problems

MATERIAL_FIELDS = ["order", "name", *MATERIAL_CONTENT_FIELDS, "blank_form", "sample"]


def _material_check(material: GuideMaterial) -> None:
    raise_problems(
        rules.material_problems(
            name=material.name,
            description=material.description,
            importance=material.importance,
            supplement_days=material.supplement_days,
        ),
        code="vague_material",
    )
    full_clean(material, exclude=["guide"])


@transaction.atomic
def material_add(*, actor: User | None, guide: ServiceGuide, **fields: Any) -> GuideMaterial:
    """Add one material to a draft; catch-all wording is refused here, at save (C4, C11)."""
    guide = lock_draft(guide)
    assert_can_manage_item(actor=actor, item=guide.item)
    unknown = set(fields) - set(MATERIAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown material fields: {sorted(unknown)}")
    if "order" not in fields:
        fields["order"] = (guide.materials.aggregate(o=Max("order"))["o"] or 0) + 1
    material = GuideMaterial(guide=guide, **fields)
    _material_check(material)
    material.save()
    return material


@transaction.atomic
def material_update(
    *, actor: User | None, material: GuideMaterial, data: dict[str, Any]
) -> GuideMaterial:
    guide = lock_draft(material.guide)
    assert_can_manage_item(actor=actor, item=guide.item)
    locked = GuideMaterial.objects.select_for_update().get(pk=material.pk)
    for field in MATERIAL_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    _material_check(locked)
    locked.save()
    return locked


@transaction.atomic
def material_delete(*, actor: User | None, material: GuideMaterial) -> None:
    guide = lock_draft(material.guide)
    assert_can_manage_item(actor=actor, item=guide.item)
    GuideMaterial.objects.filter(pk=material.pk).delete()
