"""Only a draft guide and its lines may change (DOMAIN C5)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.catalogue.models import ServiceGuide
from apps.common.errors import InvalidTransitionError


def lock_draft(guide: ServiceGuide) -> ServiceGuide:
    """Lock ``guide`` (with its item) for a change, refusing anything but a draft."""
    locked = ServiceGuide.objects.select_for_update().select_related("item").get(pk=guide.pk)
    if locked.status != ServiceGuide.Status.DRAFT:
        raise InvalidTransitionError(
            _("第%(version)s版办事指南已%(status)s，不能修改；请新建修订版")
            % {"version": locked.version, "status": locked.get_status_display()}
        )
    return locked
