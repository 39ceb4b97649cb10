"""The catalogue written out in the import format (docs/catalogue-format.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from apps.catalogue.models import Bundle, BundleStep, ServiceItem, Topic
from apps.catalogue.selectors import published_guides_prefetch
from apps.catalogue.transfer.departments import departments_export
from apps.catalogue.transfer.exchange_format import GUIDE_PUBLISHED, guide_to_dict


def _item_record(item: ServiceItem) -> dict[str, Any]:
    record: dict[str, Any] = {
        "code": item.code,
        "name": item.name,
        "item_type": item.item_type,
        "target": item.target,
        "competent_department": item.competent_department.code,
        "implementing_department": item.implementing_department.code,
        "legal_basis": item.legal_basis,
        "level": item.level,
        "topics": [t.code for t in item.topics.all()],
        "keywords": item.keywords,
        "risk_area": item.risk_area,
    }
    if item.published_guides:
        record["guide"] = {
            "status": GUIDE_PUBLISHED,
            **guide_to_dict(item.published_guides[0]),
        }
    return record


def catalogue_export() -> dict[str, Any]:
    """The catalogue as the import format: every department, all topics, active items (the
    basic catalogue) with their published guide (C5: drafts are never exported), published
    bundles. Re-importing it changes nothing."""
    items = (
        ServiceItem.objects.filter(is_active=True)
        .select_related("implementing_department", "competent_department")
        .prefetch_related("topics", published_guides_prefetch(with_parts=True))
        .order_by("code")
    )
    steps = BundleStep.objects.select_related("item").order_by("stage", "id")
    bundles = (
        Bundle.objects.filter(status=Bundle.Status.PUBLISHED)
        .select_related("lead_department")
        .prefetch_related("topics", Prefetch("steps", queryset=steps))
        .order_by("code")
    )
    return {
        "departments": departments_export(),
        "topics": [
            {"code": t.code, "name": t.name, "kind": t.kind, "order": t.order}
            for t in Topic.objects.all()
        ],
        "items": [_item_record(item) for item in items],
        "bundles": [
            {
                "code": b.code,
                "name": b.name,
                "name_en": b.name_en,
                "description": b.description,
                "target": b.target,
                "lead_department": b.lead_department.code,
                "promised_time_limit_days": b.promised_time_limit_days,
                "topics": [t.code for t in b.topics.all()],
                "steps": [{"item": s.item.code, "stage": s.stage} for s in b.steps.all()],
            }
            for b in bundles
        ],
    }
