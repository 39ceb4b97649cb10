"""The fields of the catalogue exchange format (docs/catalogue-format.md) and a guide in it."""

from __future__ import annotations

from typing import Any

from apps.catalogue.guide_fields import (
    GUIDE_FIELDS,
    GUIDE_JSON_FIELDS,
    ITEM_BASIC_FIELDS,
    MATERIAL_CONTENT_FIELDS,
)
from apps.catalogue.models import ServiceGuide

ITEM_COLUMNS = [*ITEM_BASIC_FIELDS, "topics", "keywords", "risk_area"]
# A department as the file carries it; ``parent`` is the parent's code.
DEPARTMENT_KEYS = [
    "code",
    "name",
    "name_en",
    "short_name",
    "credit_code",
    "parent",
    "level",
    "region_code",
    "phone",
    "address",
]
# ``guide.status``: only a guide marked published is checked against every C3 element and
# published; a draft is kept for staff to complete (C2, C5). Absent means published.
GUIDE_PUBLISHED = "published"
GUIDE_DRAFT = "draft"
GUIDE_STATUSES = (GUIDE_PUBLISHED, GUIDE_DRAFT)
# The guide's content fields as they travel in the file: every editable field except the
# edit note and uploaded files, which are not part of the exchange format.
GUIDE_SCALARS = [
    f for f in GUIDE_FIELDS if f not in {"change_note", "result_sample", *GUIDE_JSON_FIELDS}
]
MATERIAL_KEYS = ["name", *MATERIAL_CONTENT_FIELDS]
STEP_KEYS = ["name", "description", "time_limit_days"]
PROCEDURE_KEYS = ["kind", "time_limit_days", "description"]

REQUIRED_DEPARTMENT_KEYS = ["code", "name"]
REQUIRED_ITEM_KEYS = [
    "code",
    "name",
    "item_type",
    "target",
    "competent_department",
    "implementing_department",
    "legal_basis",
]


def guide_to_dict(guide: ServiceGuide) -> dict[str, Any]:
    """A guide's content in the import/export shape (no version, status or files)."""
    data: dict[str, Any] = {f: getattr(guide, f) for f in GUIDE_SCALARS}
    data["materials"] = [{k: getattr(m, k) for k in MATERIAL_KEYS} for m in guide.materials.all()]
    data["steps"] = [{k: getattr(s, k) for k in STEP_KEYS} for s in guide.steps.all()]
    data["special_procedures"] = [
        {k: getattr(p, k) for k in PROCEDURE_KEYS} for p in guide.special_procedures.all()
    ]
    for key in GUIDE_JSON_FIELDS:
        data[key] = getattr(guide, key)
    return data
