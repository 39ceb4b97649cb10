"""Steps of an application as the applicant takes them, through the real services."""

from __future__ import annotations

from apps.accounts.models import User
from apps.applications import services
from apps.applications.models import Application
from apps.catalogue.models import ServiceGuide
from tests.applications.factories import main_material, pdf_upload


def submit_online(
    applicant: User, guide: ServiceGuide, *, filename: str = "申请书.pdf"
) -> Application:
    """A draft under ``guide`` with its main material uploaded, submitted (A4)."""
    draft = services.application_create_draft(actor=applicant, item_id=guide.item_id)
    services.application_attach_material(
        application_id=draft.pk,
        actor=applicant,
        guide_material_id=main_material(guide).pk,
        upload=pdf_upload(filename),
    )
    return services.application_submit(application_id=draft.pk, actor=applicant)
