"""Every write to the catalogue (DOMAIN C1–C12).

Functions are keyword-only, atomic, lock the row they change, and check the actor's right
to act with :func:`assert_can_manage_item` / :func:`assert_can_manage_bundle`. ``actor=None``
means the system itself (management commands, data migrations): never pass ``None`` on
behalf of a person. Domain errors are :class:`~apps.common.errors.ApplicationError` with
Chinese messages; a failed call leaves nothing half-saved.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.catalogue import rules
from apps.catalogue.guide_fields import GUIDE_FIELDS
from apps.catalogue.models import (
    Bundle,
    BundleStep,
    GuideMaterial,
    GuideStep,
    ItemType,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
    Topic,
)
from apps.catalogue.search import compute_search_fields
from apps.catalogue.selectors import (
    guide_get_published,
    guide_material_ids,
    is_catalogue_admin,
)
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.common.services import model_update

ITEM_PERMISSION = "catalogue.change_serviceitem"
BUNDLE_PERMISSION = "catalogue.change_bundle"

ITEM_FIELDS = [
    "code",
    "name",
    "item_type",
    "target",
    "competent_department",
    "implementing_department",
    "legal_basis",
    "level",
    "keywords",
    "risk_area",
    "is_active",
]
MATERIAL_FIELDS = [
    "order",
    "name",
    "description",
    "originals",
    "copies",
    "electronic_formats",
    "max_size_mb",
    "is_required",
    "importance",
    "supplement_days",
    "reuse",
    "e_licence_type",
    "blank_form",
    "sample",
]
STEP_FIELDS = ["order", "name", "description", "time_limit_days"]
PROCEDURE_FIELDS = ["kind", "time_limit_days", "description"]
BUNDLE_FIELDS = [
    "code",
    "name",
    "description",
    "target",
    "lead_department",
    "promised_time_limit_days",
]


# --- Permissions -------------------------------------------------------------------------


def can_manage_departments(user: User | None, department_ids: Iterable[int], perm: str) -> bool:
    if user is None:
        return True  # the system itself (see module doc)
    if is_catalogue_admin(user):
        return True
    if not (user.is_active and user.is_staff and user.has_perm(perm)):
        return False
    mine = set(user.departments.values_list("pk", flat=True))
    return bool(mine & {d for d in department_ids if d})


def can_manage_item(user: User | None, item: ServiceItem) -> bool:
    """System admins, and staff of the item's implementing or competent department holding
    ``catalogue.change_serviceitem``."""
    return can_manage_departments(
        user, [item.implementing_department_id, item.competent_department_id], ITEM_PERMISSION
    )


def assert_can_manage_item(*, actor: User | None, item: ServiceItem) -> None:
    if not can_manage_item(actor, item):
        raise PermissionDeniedError("您无权维护该部门的事项目录。")


def can_manage_bundle(user: User | None, bundle: Bundle) -> bool:
    return can_manage_departments(user, [bundle.lead_department_id], BUNDLE_PERMISSION)


def assert_can_manage_bundle(*, actor: User | None, bundle: Bundle) -> None:
    if not can_manage_bundle(actor, bundle):
        raise PermissionDeniedError("您无权维护该一件事，须由牵头部门或系统管理员维护。")


def _raise_problems(problems: Sequence[str], *, code: str = "invalid") -> None:
    if problems:
        raise ApplicationError("；".join(problems), code=code, extra={"problems": list(problems)})


def _validation_message(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}：{'；'.join(msgs)}" for field, msgs in exc.message_dict.items()]
    return list(exc.messages)


def _full_clean(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        _raise_problems(_validation_message(exc))


# --- Items -------------------------------------------------------------------------------


def _refresh_search_fields(item: ServiceItem) -> None:
    item.search_text, item.pinyin_initials = compute_search_fields(item.name, item.keywords)


@transaction.atomic
def item_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    item_type: str,
    target: str,
    competent_department: Department,
    implementing_department: Department,
    legal_basis: str,
    level: str = Department.Level.CITY,
    keywords: str = "",
    risk_area: str = "",
    is_active: bool = True,
    topics: Iterable[Topic] = (),
) -> ServiceItem:
    """Add an item to the basic catalogue (C1, C2)."""
    item = ServiceItem(
        code=code.strip(),
        name=name.strip(),
        item_type=item_type,
        target=target,
        competent_department=competent_department,
        implementing_department=implementing_department,
        legal_basis=legal_basis,
        level=level,
        keywords=keywords,
        risk_area=risk_area or "",
        is_active=is_active,
    )
    assert_can_manage_item(actor=actor, item=item)
    _full_clean(item)
    _refresh_search_fields(item)
    item.save()
    item.topics.set(list(topics))
    return item


@transaction.atomic
def item_update(*, actor: User | None, item: ServiceItem, data: dict[str, Any]) -> ServiceItem:
    """Change basic-catalogue fields (and ``topics``) of ``item``; returns the fresh row.

    The actor must manage the item before and after the change (a department cannot hand an
    item to another one it does not belong to). A high-risk area cannot be set while the
    published guide uses 告知承诺 (C12).
    """
    locked = ServiceItem.objects.select_for_update().get(pk=item.pk)
    assert_can_manage_item(actor=actor, item=locked)
    fields = [f for f in ITEM_FIELDS if f in data]
    locked, changed = model_update(instance=locked, fields=fields, data=data)
    if changed:
        assert_can_manage_item(actor=actor, item=locked)
        if locked.risk_area:
            published = guide_get_published(locked)
            if published is not None and published.pledge_enabled:
                raise ApplicationError(
                    "已发布的办事指南适用告知承诺制，事项不能设为高风险领域；"
                    "请先发布不适用告知承诺的修订版（C12）"
                )
        search = compute_search_fields(locked.name, locked.keywords)
        if search != (locked.search_text, locked.pinyin_initials):
            locked.search_text, locked.pinyin_initials = search
            locked.save(update_fields=["search_text", "pinyin_initials"])
    if "topics" in data:
        new_ids = {t.pk for t in data["topics"]}
        if new_ids != set(locked.topics.values_list("pk", flat=True)):
            locked.topics.set(list(data["topics"]))
    return locked


# --- Guides ------------------------------------------------------------------------------


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
            f"该事项已有草稿（第{existing.version}版），请编辑或发布该草稿", code="draft_exists"
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


def _lock_draft(guide: ServiceGuide) -> ServiceGuide:
    locked = ServiceGuide.objects.select_for_update().select_related("item").get(pk=guide.pk)
    if locked.status != ServiceGuide.Status.DRAFT:
        raise InvalidTransitionError(
            f"第{locked.version}版办事指南已{locked.get_status_display()}，不能修改；请新建修订版（C5）"
        )
    return locked


@transaction.atomic
def guide_update(*, actor: User | None, guide: ServiceGuide, data: dict[str, Any]) -> ServiceGuide:
    """Edit a draft's fields. Published and superseded versions never change (C5)."""
    locked = _lock_draft(guide)
    assert_can_manage_item(actor=actor, item=locked.item)
    fields = [f for f in GUIDE_FIELDS if f in data]
    probe = copy.copy(locked)
    for field in fields:
        setattr(probe, field, data[field])
    _raise_problems(rules.guide_field_problems(probe, locked.item))
    try:
        locked, _changed = model_update(instance=locked, fields=fields, data=data)
    except ValidationError as exc:
        _raise_problems(_validation_message(exc))
    return locked


def _material_check(material: GuideMaterial) -> None:
    _raise_problems(
        rules.material_problems(
            name=material.name,
            description=material.description,
            importance=material.importance,
            supplement_days=material.supplement_days,
        ),
        code="vague_material",
    )
    _full_clean(material, exclude=["guide"])


@transaction.atomic
def material_add(*, actor: User | None, guide: ServiceGuide, **fields: Any) -> GuideMaterial:
    """Add one material to a draft; catch-all wording is refused here, at save (C4, C11)."""
    guide = _lock_draft(guide)
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
    guide = _lock_draft(material.guide)
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
    guide = _lock_draft(material.guide)
    assert_can_manage_item(actor=actor, item=guide.item)
    GuideMaterial.objects.filter(pk=material.pk).delete()


@transaction.atomic
def guide_part_save(
    *, actor: User | None, part: GuideStep | SpecialProcedure
) -> GuideStep | SpecialProcedure:
    """Save a step or a special procedure of a draft guide."""
    guide = _lock_draft(part.guide)
    assert_can_manage_item(actor=actor, item=guide.item)
    _full_clean(part, exclude=["guide"], validate_unique=False)
    part.save()
    return part


@transaction.atomic
def guide_part_delete(*, actor: User | None, part: GuideStep | SpecialProcedure) -> None:
    guide = _lock_draft(part.guide)
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
            f"第{guide.version}版办事指南已{guide.get_status_display()}，只有草稿可以发布"
        )
    current = guide_get_published(item)
    if current is not None and current.version > guide.version:
        raise InvalidTransitionError(
            f"已发布第{current.version}版，不能再发布更早的第{guide.version}版草稿"
        )
    _raise_problems(rules.guide_problems(guide), code="guide_not_publishable")
    if current is not None:
        current.status = ServiceGuide.Status.SUPERSEDED
        current.save(update_fields=["status", "updated_at"])
    guide.status = ServiceGuide.Status.PUBLISHED
    guide.published_at = timezone.now()
    guide.published_by = actor
    guide.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return guide


def assert_guide_is_published(guide: ServiceGuide) -> None:
    """C5: applications are made only under the published version."""
    if guide.status != ServiceGuide.Status.PUBLISHED:
        raise ApplicationError(
            f"第{guide.version}版办事指南{guide.get_status_display()}，不能据此申请或办理（C5）",
            code="guide_not_published",
        )


def assert_materials_from_guide(guide: ServiceGuide, material_ids: Iterable[int]) -> None:
    """C7: staff may ask only for materials the guide lists."""
    unknown = set(material_ids) - guide_material_ids(guide)
    if unknown:
        raise ApplicationError(
            f"所列材料不在第{guide.version}版办事指南中，不得要求申请人提供指南以外的材料（C7）",
            code="material_not_in_guide",
            extra={"material_ids": sorted(unknown)},
        )


# --- Bundles -----------------------------------------------------------------------------


def _set_bundle_steps(bundle: Bundle, steps: Sequence[tuple[ServiceItem, int]]) -> None:
    items = [item.pk for item, _stage in steps]
    if len(items) != len(set(items)):
        raise ApplicationError("同一事项在一件事中只能出现一次")
    BundleStep.objects.filter(bundle=bundle).exclude(item_id__in=items).delete()
    existing = {s.item_id: s for s in BundleStep.objects.filter(bundle=bundle)}
    for item, stage in steps:
        step = existing.get(item.pk)
        if step is None:
            BundleStep.objects.create(bundle=bundle, item=item, stage=stage)
        elif step.stage != stage:
            step.stage = stage
            step.save(update_fields=["stage"])


@transaction.atomic
def bundle_save(
    *,
    actor: User | None,
    bundle: Bundle | None = None,
    data: dict[str, Any],
    steps: Sequence[tuple[ServiceItem, int]] | None = None,
    topics: Iterable[Topic] | None = None,
) -> Bundle:
    """Create (``bundle=None``) or change a bundle; ``steps`` is ``[(item, stage), …]`` and
    replaces the current steps when given (C8). A configured limit above the computed one
    is refused as soon as every item has a published guide; a published bundle must stay
    publishable after the change."""
    if bundle is None:
        bundle = Bundle(**{f: data[f] for f in BUNDLE_FIELDS if f in data})
        assert_can_manage_bundle(actor=actor, bundle=bundle)
        _full_clean(bundle)
        bundle.save()
    else:
        bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
        assert_can_manage_bundle(actor=actor, bundle=bundle)
        fields = [f for f in BUNDLE_FIELDS if f in data]
        try:
            bundle, _changed = model_update(instance=bundle, fields=fields, data=data)
        except ValidationError as exc:
            _raise_problems(_validation_message(exc))
        assert_can_manage_bundle(actor=actor, bundle=bundle)
    if steps is not None:
        _set_bundle_steps(bundle, steps)
    if topics is not None:
        bundle.topics.set(list(topics))
    if bundle.status == Bundle.Status.PUBLISHED:
        _raise_problems(rules.bundle_problems(bundle))
    else:
        limit = rules.bundle_limit(bundle)
        if not limit.items_without_guide and bundle.steps.exists():
            _raise_problems(
                rules.bundle_limit_problems(bundle.promised_time_limit_days, limit.computed_days)
            )
    return bundle


@transaction.atomic
def bundle_publish(*, actor: User | None, bundle: Bundle) -> Bundle:
    """Publish a bundle whose items all have published guides and whose limit is within the
    computed one (C8)."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    assert_can_manage_bundle(actor=actor, bundle=bundle)
    if bundle.status == Bundle.Status.PUBLISHED:
        raise InvalidTransitionError("该一件事已发布")
    _raise_problems(rules.bundle_problems(bundle), code="bundle_not_publishable")
    bundle.status = Bundle.Status.PUBLISHED
    bundle.save(update_fields=["status", "updated_at"])
    return bundle


@transaction.atomic
def bundle_withdraw(*, actor: User | None, bundle: Bundle) -> Bundle:
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    assert_can_manage_bundle(actor=actor, bundle=bundle)
    if bundle.status != Bundle.Status.PUBLISHED:
        raise InvalidTransitionError("只有已发布的一件事可以下线")
    bundle.status = Bundle.Status.WITHDRAWN
    bundle.save(update_fields=["status", "updated_at"])
    return bundle


# --- Topics ------------------------------------------------------------------------------


@transaction.atomic
def topic_save(*, actor: User | None, code: str, name: str, kind: str, order: int = 0) -> Topic:
    """Create or update a topic by code (system administrators only)."""
    if actor is not None and not is_catalogue_admin(actor):
        raise PermissionDeniedError("只有系统管理员可以维护办事分类。")
    topic = Topic.objects.select_for_update().filter(code=code).first()
    if topic is None:
        topic = Topic(code=code, name=name, kind=kind, order=order)
        _full_clean(topic)
        topic.save()
        return topic
    try:
        topic, _changed = model_update(
            instance=topic,
            fields=["name", "kind", "order"],
            data={"name": name, "kind": kind, "order": order},
        )
    except ValidationError as exc:
        _raise_problems(_validation_message(exc))
    return topic


def items_by_codes(codes: Iterable[str]) -> dict[str, ServiceItem]:
    return {i.code: i for i in ServiceItem.objects.filter(code__in=list(codes))}


def departments_by_codes(codes: Iterable[str]) -> dict[str, Department]:
    return {d.code: d for d in Department.objects.filter(code__in=list(codes))}


# Import/export live in their own module; exposed here as services.
from apps.catalogue.transfer import (  # noqa: E402
    ImportReport,
    catalogue_export,
    catalogue_import,
)

__all__ = [
    "ImportReport",
    "assert_can_manage_bundle",
    "assert_can_manage_item",
    "assert_guide_is_published",
    "assert_materials_from_guide",
    "bundle_publish",
    "bundle_save",
    "bundle_withdraw",
    "can_manage_bundle",
    "can_manage_item",
    "catalogue_export",
    "catalogue_import",
    "guide_create_draft",
    "guide_part_delete",
    "guide_part_save",
    "guide_publish",
    "guide_update",
    "item_create",
    "item_update",
    "material_add",
    "material_delete",
    "material_update",
    "topic_save",
]
