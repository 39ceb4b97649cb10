"""Steps of a tolerant case through the real services, for the tolerance tests."""

from __future__ import annotations

from django.utils import timezone

from apps.applications.models import Application, ApplicationMaterial
from apps.tolerance import services
from apps.tolerance.models import MaterialSupply, Pledge, Supplement
from tests.applications.factories import (
    ApplicationFactory,
    main_material,
    png_upload,
    tolerable_material,
)


def incomplete_application(guide, citizen, **kwargs) -> Application:
    """Submitted, the main material in, the tolerable one missing."""
    app = ApplicationFactory(guide=guide, applicant=citizen, complete=False, **kwargs)
    ApplicationMaterial.objects.create(
        application=app, guide_material=main_material(guide), e_licence_reference="L-1"
    )
    return app


def sign(app: Application, citizen, **overrides):
    app.refresh_from_db()
    materials = services.pledge_materials(app)
    text = services.pledge_text(app, materials)
    values = {
        "application_id": app.pk,
        "actor": citizen,
        "signer_name": app.applicant_name,
        "text_sha256": services.pledge_digest(text),
        "confirmed": True,
        "ip_address": "203.0.113.7",
    }
    values.update(overrides)
    return services.pledge_sign_online(**values)


def accept(app: Application, citizen, staff) -> Application:
    """Signed online, then accepted tolerantly at the window."""
    sign(app, citizen)
    return services.tolerant_accept(
        application_id=app.pk,
        actor=staff,
        missing_material_ids=[tolerable_material(app.guide).pk],
    )


def supply(app: Application) -> MaterialSupply:
    return MaterialSupply.objects.select_related("tolerated").get(application=app)


def submit(app: Application, citizen) -> Supplement:
    return services.supplement_submit(
        application_id=app.pk,
        guide_material_id=tolerable_material(app.guide).pk,
        actor=citizen,
        upload=png_upload(),
    )


def pledge_on_record(app: Application) -> Pledge:
    """The applicant's signed pledge for every tolerable material of the guide, as the
    tolerance app records it: what the applications app's own tests of tolerant acceptance
    need since the acceptance requires a recorded pledge (T1)."""
    ids = list(app.guide.materials.filter(importance="tolerable").values_list("pk", flat=True))
    text = "测试承诺书"
    return Pledge.objects.create(
        application=app,
        channel=Pledge.Channel.ONLINE,
        text=text,
        text_sha256=services.pledge_digest(text),
        material_ids=ids,
        signer_name=app.applicant_name,
        signed_by=app.applicant,
        signed_at=timezone.now(),
    )
