"""Demo tolerant cases for ``manage.py seed_demo`` (DOMAIN T1–T3): every demo role has
something to act on —

* 王小明 (citizen): 市内户口迁移, accepted tolerantly, waiting for his supplement;
* 钱经办 (company agent): 营业执照变更登记, supplement handed in, waiting for the window
  (window_scjg checks it);
* 钱经办: 农民专业合作社设立登记, deadline tomorrow: about to lapse (the sweep reminds
  now and revokes after tomorrow unless it is supplied).

Made through the real services (pledge signed online, tolerant acceptance at the window,
supplement upload). The one exception is the lapsing case's deadline: services count it
from today, so the demo moves it to the next working day, as if accepted days ago.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.applications import services as application_services
from apps.applications.completeness import answers_of
from apps.applications.demo import DEMO_PDF
from apps.applications.models import Application, ToleratedMaterial
from apps.catalogue.application_forms import parse_form
from apps.catalogue.application_forms.printable import sample_values
from apps.catalogue.models import ServiceItem
from apps.catalogue.selectors import guide_get_published
from apps.tolerance import services
from apps.tolerance.models import MaterialSupply, Pledge
from apps.workdays.calendar import add_working_days

KEY = "demo-tolerance-{code}"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", DEMO_PDF, "application/pdf")


def _submitted_without_tolerable(applicant: User, code: str, *, company: bool) -> Application:
    item = ServiceItem.objects.get(code=code)
    company_id = applicant.companies.values_list("id", flat=True).first() if company else None
    draft = application_services.application_create_draft(
        actor=applicant, item_id=item.pk, company_id=company_id
    )
    guide = guide_get_published(item)
    form = parse_form(guide.application_form)
    if form is not None:
        application_services.application_save_answers(
            application_id=draft.pk,
            actor=applicant,
            answers={
                **sample_values(form),
                **answers_of(draft),
                **({"declaration": True} if form.get("declaration") else {}),
            },
        )
    for material in guide.materials.all():
        if material.is_tolerable or (form is not None and material.name == form.fills_material):
            continue
        application_services.application_attach_material(
            application_id=draft.pk,
            actor=applicant,
            guide_material_id=material.pk,
            upload=_pdf(material.name),
        )
    return application_services.application_submit(
        application_id=draft.pk, actor=applicant, idempotency_key=KEY.format(code=code)
    )


def _tolerantly_accepted(applicant: User, window: User, code: str, *, company: bool):
    application = _submitted_without_tolerable(applicant, code, company=company)
    materials = services.pledge_materials(application)
    services.pledge_sign_online(
        application_id=application.pk,
        actor=applicant,
        signer_name=application.applicant_name,
        text_sha256=services.pledge_digest(services.pledge_text(application, materials)),
        confirmed=True,
        ip_address="127.0.0.1",
    )
    services.tolerant_accept(
        application_id=application.pk,
        actor=window,
        missing_material_ids=[m.pk for m in materials],
    )
    return application, materials


def seed_demo(*, stdout=None) -> None:
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    citizen = User.objects.filter(kind=User.Kind.CITIZEN, full_name="王小明").first()
    agent = User.objects.filter(kind=User.Kind.COMPANY_AGENT, full_name="钱经办").first()
    window_scjg, window_gaj = users.get("window_scjg"), users.get("window_gaj")
    if not all((citizen, agent, window_scjg, window_gaj)):
        return  # the accounts demo did not run
    if Pledge.objects.filter(application__applicant__in=[citizen, agent]).exists():
        if stdout:
            stdout.write("容缺受理：演示办件已存在，未改动。")
        return
    with transaction.atomic():
        _tolerantly_accepted(citizen, window_gaj, "350100-GAJ-QR-0004", company=False)
        application, materials = _tolerantly_accepted(
            agent, window_scjg, "350100-SCJGJ-XK-0002", company=True
        )
        for material in materials:
            services.supplement_submit(
                application_id=application.pk,
                guide_material_id=material.pk,
                actor=agent,
                upload=_pdf(material.name),
            )
        lapsing, _materials = _tolerantly_accepted(
            agent, window_scjg, "350100-SCJGJ-XK-0005", company=True
        )
        tomorrow = add_working_days(timezone.localdate(), 1)
        ToleratedMaterial.objects.filter(application=lapsing).update(due_date=tomorrow)
        MaterialSupply.objects.filter(application=lapsing).update(due_date=tomorrow)
        services.sweep_tolerated_materials()
    if stdout:
        stdout.write("容缺受理：3件演示办件（待补齐、待核验、明日到期）。")
