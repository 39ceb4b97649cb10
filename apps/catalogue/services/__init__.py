"""Every write to the catalogue (DOMAIN C1–C12).

Functions are keyword-only, atomic, lock the row they change, and check the actor's right
to act with :func:`assert_can_manage_item` / :func:`assert_can_manage_bundle`. ``actor=None``
means the system itself (management commands, data migrations): never pass ``None`` on
behalf of a person. Domain errors are :class:`~apps.common.errors.ApplicationError` with
Chinese messages; a failed call leaves nothing half-saved.

One module a sub-domain; everything is re-exported here, so callers import
``apps.catalogue.services`` (or names from it) and not the modules below. Import and export
(:mod:`apps.catalogue.transfer`) sit above the services and call them.
"""

from __future__ import annotations

from apps.catalogue.guide_fields import GUIDE_FIELDS
from apps.catalogue.services.bundles import (
    BUNDLE_FIELDS,
    bundle_publish,
    bundle_save,
    bundle_withdraw,
)
from apps.catalogue.services.codes import departments_by_codes, items_by_codes
from apps.catalogue.services.demand import item_demand_refresh, item_demand_set
from apps.catalogue.services.guides import (
    PROCEDURE_FIELDS,
    STEP_FIELDS,
    assert_guide_is_published,
    assert_materials_from_guide,
    guide_create_draft,
    guide_create_from_content,
    guide_part_delete,
    guide_part_save,
    guide_publish,
    guide_replace_content,
    guide_update,
)
from apps.catalogue.services.items import ITEM_FIELDS, SEARCH_FIELDS, item_create, item_update
from apps.catalogue.services.materials import (
    MATERIAL_FIELDS,
    material_add,
    material_delete,
    material_update,
)
from apps.catalogue.services.permissions import (
    BUNDLE_PERMISSION,
    ITEM_PERMISSION,
    assert_can_manage_bundle,
    assert_can_manage_item,
    can_manage_bundle,
    can_manage_departments,
    can_manage_item,
)
from apps.catalogue.services.synonyms import (
    synonym_defaults_install,
    synonym_group_delete,
    synonym_group_save,
    synonym_terms_clean,
)
from apps.catalogue.services.topics import topic_save

__all__ = [
    "BUNDLE_FIELDS",
    "BUNDLE_PERMISSION",
    "GUIDE_FIELDS",
    "ITEM_FIELDS",
    "ITEM_PERMISSION",
    "MATERIAL_FIELDS",
    "PROCEDURE_FIELDS",
    "SEARCH_FIELDS",
    "STEP_FIELDS",
    "assert_can_manage_bundle",
    "assert_can_manage_item",
    "assert_guide_is_published",
    "assert_materials_from_guide",
    "bundle_publish",
    "bundle_save",
    "bundle_withdraw",
    "can_manage_bundle",
    "can_manage_departments",
    "can_manage_item",
    "departments_by_codes",
    "guide_create_draft",
    "guide_create_from_content",
    "guide_part_delete",
    "guide_part_save",
    "guide_publish",
    "guide_replace_content",
    "guide_update",
    "item_create",
    "item_demand_refresh",
    "item_demand_set",
    "item_update",
    "items_by_codes",
    "material_add",
    "material_delete",
    "material_update",
    "synonym_defaults_install",
    "synonym_group_delete",
    "synonym_group_save",
    "synonym_terms_clean",
    "topic_save",
]
