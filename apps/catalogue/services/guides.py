"""Writes to service guides: drafts, their steps and special procedures, publishing
(DOMAIN C3–C5, C7, C10–C12, A7a)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue import hooks, rules
from apps.catalogue.guide_fields import GUIDE_FIELDS
from apps.catalogue.models import (
    GuideMaterial,
    GuideStep,
    ItemType,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
)
from apps.catalogue.selectors import guide_get_published, guide_material_ids
from apps.catalogue.services.drafts import lock_draft
from apps.catalogue.services.materials import MATERIAL_FIELDS
from apps.catalogue.services.permissions import assert_can_manage_item
from apps.catalogue.services.problems import full_clean, raise_problems, validation_problems
from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.common.services import model_update

STEP_FIELDS = ["order", "name", "description", "time_limit_days"]
PROCEDURE_FIELDS = ["kind", "time_limit_days", "description"]


def _copy_rows(rows, guide: ServiceGuide, fields: list[str]) -> list:
    return [type(r)(guide=guide, **{f: getattr(r, f) for f in fields}) for r in rows]


@transaction.atomic
def guide_create_draft(
    *, actor: User | None, item: ServiceItem, change_note: str = ""
) -> ServiceGuide:
    """Start version n+1 of ``item``'s guide (C5): a copy of the published guide with its
    materials, steps and special procedures, or an empty guide when none is published.
    One draft at a time: a second one would fork the next version."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    assert_can_manage_item(actor=actor, item=item)
    existing = item.guides.filter(status=ServiceGuide.Status.DRAFT).first()
    if existing is not None:
        raise ApplicationError(
            _("该事项已有草稿（第%(version)s版），请编辑或发布该草稿")
            % {"version": existing.version},
            code="draft_exists",
        )
    version = (item.guides.aggregate(v=Max("version"))["v"] or 0) + 1
    source = guide_get_published(item)
    if source is not None:
        data = {f: getattr(source, f) for f in GUIDE_FIELDS}
    else:
        default_days = (
            rules.LICENSING_DEFAULT_LEGAL_DAYS if item.item_type == ItemType.LICENSING else 0
        )
        data = {"legal_time_limit_days": default_days, "promised_time_limit_days": default_days}
    data["change_note"] = change_note
    guide = ServiceGuide.objects.create(item=item, version=version, **data)
    if source is not None:
        GuideMaterial.objects.bulk_create(
            _copy_rows(source.materials.all(), guide, MATERIAL_FIELDS)
        )
        GuideStep.objects.bulk_create(_copy_rows(source.steps.all(), guide, STEP_FIELDS))
        SpecialProcedure.objects.bulk_create(
            _copy_rows(source.special_procedures.all(), guide, PROCEDURE_FIELDS)
        )
    return guide


GUIDE_PARTS = (
    (GuideMaterial, "materials"),
    (GuideStep, "steps"),
    (SpecialProcedure, "special_procedures"),
)


def draft_content_problems(guide: ServiceGuide, item: ServiceItem, parts: dict) -> list[str]:
    """What even a draft may not hold: catch-all material wording (C4, refused when a guide
    is saved), promised over legal limit (C4), a pledge on a high-risk item (C12)."""
    problems = rules.guide_field_problems(guide, item)
    for material in parts["materials"]:
        problems += rules.material_problems(
            name=material.name,
            description=material.description,
            importance=material.importance,
            supplement_days=material.supplement_days,
        )
    kinds = [p.kind for p in parts["special_procedures"]]
    if len(set(kinds)) != len(kinds):
        problems.append(_("同一类特别程序只能列一次"))
    return problems


@transaction.atomic
def guide_create_from_content(
    *,
    actor: User | None,
    item: ServiceItem,
    fields: dict[str, Any],
    materials: list[dict[str, Any]],
    steps: list[dict[str, Any]],
    special_procedures: list[dict[str, Any]],
    change_note: str = "",
) -> ServiceGuide:
    """Start the next version of ``item``'s guide as a draft holding the given content: an
    implementation list that arrives after the basic catalogue (C2), e.g. by import.

    A draft may be incomplete; it is checked against every C3 element when it is published
    (:func:`guide_publish`). What no draft may hold is refused here (C4, C12). One draft
    at a time, as for :func:`guide_create_draft`.
    """
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    assert_can_manage_item(actor=actor, item=item)
    versions = item.guides.aggregate(
        last=Max("version"), draft=Max("version", filter=Q(status=ServiceGuide.Status.DRAFT))
    )
    if versions["draft"] is not None:
        raise ApplicationError(
            _("该事项已有草稿（第%(version)s版），请编辑或发布该草稿")
            % {"version": versions["draft"]},
            code="draft_exists",
        )
    guide = ServiceGuide(item=item, version=(versions["last"] or 0) + 1, change_note=change_note)
    _write_content(guide, item, fields, materials, steps, special_procedures)
    return guide


@transaction.atomic
def guide_replace_content(
    *,
    actor: User | None,
    guide: ServiceGuide,
    fields: dict[str, Any],
    materials: list[dict[str, Any]],
    steps: list[dict[str, Any]],
    special_procedures: list[dict[str, Any]],
    change_note: str = "",
) -> ServiceGuide:
    """Replace all the content of a draft, lines included (an import that brings the
    guide to publish for an item whose draft says otherwise). Only drafts change (C5)."""
    locked = lock_draft(guide)
    assert_can_manage_item(actor=actor, item=locked.item)
    for model, _key in GUIDE_PARTS:
        model.objects.filter(guide=locked).delete()
    if change_note:
        locked.change_note = change_note
    _write_content(locked, locked.item, fields, materials, steps, special_procedures)
    return locked


def _write_content(
    guide: ServiceGuide,
    item: ServiceItem,
    fields: dict[str, Any],
    materials: list[dict[str, Any]],
    steps: list[dict[str, Any]],
    special_procedures: list[dict[str, Any]],
) -> None:
    unknown = set(fields) - set(GUIDE_FIELDS)
    if unknown:
        raise TypeError(f"unknown guide fields: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(guide, field, value)
    rows = {"materials": materials, "steps": steps, "special_procedures": special_procedures}
    parts: dict[str, list[Any]] = {
        key: [model(guide=guide, **row) for row in rows[key]] for model, key in GUIDE_PARTS
    }
    raise_problems(draft_content_problems(guide, item, parts))
    # The check constraints (promised ≤ legal, tolerable lines' supplement days) are the
    # rules checked above; the database enforces them again on insert.
    blank = [f for f in GUIDE_FIELDS if getattr(guide, f) in ("", None)]
    full_clean(guide, exclude=["item", *blank], validate_unique=False, validate_constraints=False)
    guide.save()
    for model, key in GUIDE_PARTS:
        for order, row in enumerate(parts[key], start=1):
            row.guide = guide
            if hasattr(row, "order"):
                row.order = order
            full_clean(row, exclude=["guide"], validate_unique=False, validate_constraints=False)
        if parts[key]:
            model.objects.bulk_create(parts[key])


@transaction.atomic
def guide_update(*, actor: User | None, guide: ServiceGuide, data: dict[str, Any]) -> ServiceGuide:
    """Edit a draft's fields. Published and superseded versions never change (C5)."""
    locked = lock_draft(guide)
    assert_can_manage_item(actor=actor, item=locked.item)
    fields = [f for f in GUIDE_FIELDS if f in data]
    probe = copy.copy(locked)
    for field in fields:
        setattr(probe, field, data[field])
    raise_problems(rules.guide_field_problems(probe, locked.item))
    try:
        locked, _changed = model_update(instance=locked, fields=fields, data=data)
    except ValidationError as exc:
        raise_problems(validation_problems(exc))
    return locked


@transaction.atomic
def guide_part_save(
    *, actor: User | None, part: GuideStep | SpecialProcedure
) -> GuideStep | SpecialProcedure:
    """Save a step or a special procedure of a draft guide."""
    guide = lock_draft(part.guide)
    assert_can_manage_item(actor=actor, item=guide.item)
    full_clean(part, exclude=["guide"], validate_unique=False)
    part.save()
    return part


@transaction.atomic
def guide_part_delete(*, actor: User | None, part: GuideStep | SpecialProcedure) -> None:
    guide = lock_draft(part.guide)
    assert_can_manage_item(actor=actor, item=guide.item)
    type(part).objects.filter(pk=part.pk).delete()


@transaction.atomic
def guide_publish(*, actor: User | None, guide: ServiceGuide) -> ServiceGuide:
    """Publish a draft and supersede the published version (C3–C5, C10–C12, A7a).

    The item row is locked first, so concurrent publishes of one item queue up and the
    ``one_published_guide_per_item`` constraint always holds. Every problem is reported
    at once (``error.extra["problems"]``).
    """
    item = ServiceItem.objects.select_for_update().get(pk=guide.item_id)
    assert_can_manage_item(actor=actor, item=item)
    guide = ServiceGuide.objects.select_for_update().get(pk=guide.pk)
    guide.item = item
    if guide.status != ServiceGuide.Status.DRAFT:
        raise InvalidTransitionError(
            _("第%(version)s版办事指南已%(status)s，只有草稿可以发布")
            % {"version": guide.version, "status": guide.get_status_display()}
        )
    current = guide_get_published(item)
    if current is not None and current.version > guide.version:
        raise InvalidTransitionError(
            _("已发布第%(current)s版，不能再发布更早的第%(version)s版草稿")
            % {"current": current.version, "version": guide.version}
        )
    raise_problems(rules.guide_problems(guide), code="guide_not_publishable")
    if current is not None:
        current.status = ServiceGuide.Status.SUPERSEDED
        current.save(update_fields=["status", "updated_at"])
    guide.status = ServiceGuide.Status.PUBLISHED
    guide.published_at = timezone.now()
    guide.published_by = actor
    guide.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    hooks.publication_changed(guides=[g for g in (current, guide) if g is not None])
    return guide


def assert_guide_is_published(guide: ServiceGuide) -> None:
    """C5: applications are made only under the published version."""
    if guide.status != ServiceGuide.Status.PUBLISHED:
        raise ApplicationError(
            _("第%(version)s版办事指南%(status)s，不能据此申请或办理")
            % {"version": guide.version, "status": guide.get_status_display()},
            code="guide_not_published",
        )


def assert_materials_from_guide(guide: ServiceGuide, material_ids: Iterable[int]) -> None:
    """C7: staff may ask only for materials the guide lists."""
    unknown = set(material_ids) - guide_material_ids(guide)
    if unknown:
        raise ApplicationError(
            _("所列材料不在第%(version)s版办事指南中，不得要求申请人提供指南以外的材料")
            % {"version": guide.version},
            code="material_not_in_guide",
            extra={"material_ids": sorted(unknown)},
        )
