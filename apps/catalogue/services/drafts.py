"""Only a draft guide and its lines may change (DOMAIN C5)."""

from __future__ import annotations

from apps.catalogue.models import ServiceGuide
from apps.common.errors import InvalidTransitionError


def lock_draft(guide: ServiceGuide) -> ServiceGuide:
    """Lock ``guide`` (with its item) for a change, refusing anything but a draft."""
    locked = ServiceGuide.objects.select_for_update().select_related("item").get(pk=guide.pk)
    if locked.status != ServiceGuide.Status.DRAFT:
        raise InvalidTransitionError(
            f"第{locked.version}版办事指南已{locked.get_status_display()}，不能修改；请新建修订版（C5）"
        )
    return locked
