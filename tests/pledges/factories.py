"""Pledge-eligible guides and pledged cases, made through the real services."""

from __future__ import annotations

import datetime

from apps.applications import services as app_services
from apps.catalogue.models import GuideMaterial, ServiceGuide
from apps.pledges import selectors, services
from apps.pledges.identity import applicant_subject
from apps.pledges.models import CreditRecord, PledgeableCertificate, SubjectKind
from tests.applications.factories import GuideMaterialFactory, guide_for, pdf_upload, png_upload

PLEDGE_TEXT = "本人承诺：申请人已具备本事项规定的全部许可条件，所填信息及所附材料真实有效。"
LIABILITY_TEXT = "承诺不实的，由行政机关依法撤销许可决定，申请人承担相应法律责任，并记入失信记录。"
CERTIFICATE = "健康证明"


def pledge_guide(department, *, verification_days: int = 10) -> ServiceGuide:
    """A published guide on the pledge list (C12) with a pledgeable certificate (P6)."""
    guide = guide_for(department)
    guide.pledge_enabled = True
    guide.pledge_text = PLEDGE_TEXT
    guide.pledge_liability_text = LIABILITY_TEXT
    guide.pledge_verification_days = verification_days
    guide.save()
    certificate = GuideMaterialFactory(guide=guide, name=CERTIFICATE, electronic_formats="pdf")
    PledgeableCertificate.objects.create(material=certificate, certified_matter="从业人员身体健康")
    return guide


def digest_of(guide: ServiceGuide) -> str:
    return selectors.pledge_digest(guide, selectors.certificates_of(guide))


def sign(guide, user, *, company=None, name=None, ip="10.0.0.8"):
    return services.pledge_start(
        actor=user,
        item_id=guide.item_id,
        company_id=company.pk if company else None,
        signed_name=user.full_name if name is None else name,
        text_sha256=digest_of(guide),
        ip_address=ip,
    )


def upload_materials(application, user) -> None:
    """Every material the applicant is still asked for (the pledged certificate is not)."""
    waived = services.waived_materials(application)
    for material in application.guide.materials.all():
        if material.pk in waived:
            continue
        upload = png_upload() if "平面图" in material.name else pdf_upload()
        app_services.application_attach_material(
            application_id=application.pk,
            actor=user,
            guide_material_id=material.pk,
            upload=upload,
        )


def submitted_pledge(guide, user, **kwargs):
    pledge = sign(guide, user, **kwargs)
    upload_materials(pledge.application, user)
    app_services.application_submit(application_id=pledge.application_id, actor=user)
    return pledge


def approved_pledge(guide, user, approver, **kwargs):
    pledge = submitted_pledge(guide, user, **kwargs)
    services.pledge_approve(application_id=pledge.application_id, actor=approver)
    return pledge


def credit_record_for(user, *, company=None, status=CreditRecord.Source.STAFF, days_ago=0):
    subject = applicant_subject(user, company)
    today = datetime.date.today() - datetime.timedelta(days=days_ago)
    return CreditRecord.objects.create(
        subject_kind=subject.kind,
        subject_hash=subject.hash,
        subject_name=subject.name,
        masked_identifier=subject.masked,
        source=status,
        basis="《政务服务管理办法》第二十三条",
        reason="曾作出虚假承诺",
        recorded_on=today,
        repairable_on=today,
        expires_on=today + datetime.timedelta(days=365),
    )


__all__ = ["GuideMaterial", "SubjectKind"]
