"""Factories for application tests: an item with a published guide, materials, procedures,
and applications placed directly in a given state (for tests of later transitions)."""

from __future__ import annotations

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.applications import services
from apps.applications.models import (
    ApplicantType,
    Application,
    ApplicationMaterial,
    Channel,
    CorrectionItem,
)
from apps.applications.services.clock import clock_dates
from apps.applications.workflow import State
from apps.catalogue.models import (
    GuideMaterial,
    ItemType,
    ServiceGuide,
    ServiceItem,
    ServiceTarget,
    SpecialProcedure,
)
from apps.workdays.calendar import add_working_days
from tests.accounts.factories import DepartmentFactory, UserFactory


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"350100-APP-XK-{n:05d}")
    name = factory.Sequence(lambda n: f"食品经营许可{n}")
    item_type = ItemType.LICENSING
    target = ServiceTarget.BOTH
    competent_department = factory.SubFactory(DepartmentFactory)
    implementing_department = factory.SelfAttribute("competent_department")
    legal_basis = "《中华人民共和国食品安全法》第三十五条"


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceGuide

    item = factory.SubFactory(ServiceItemFactory)
    version = 1
    status = ServiceGuide.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    acceptance_conditions = "申请人已取得营业执照。"
    review_standards = "材料齐全、符合法定形式。"
    legal_time_limit_days = 20
    promised_time_limit_days = 10
    result_name = "食品经营许可证"
    result_type = ServiceGuide.ResultType.LICENCE
    where_to_apply = "市民中心二楼"
    office_hours = "工作日 9:00-17:00"
    consultation = "12345"
    complaint = "12345"


class GuideMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideMaterial

    guide = factory.SubFactory(GuideFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"申请书{n}")
    electronic_formats = "pdf,jpg,png"
    max_size_mb = 1
    importance = GuideMaterial.Importance.MAIN


class SpecialProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialProcedure

    guide = factory.SubFactory(GuideFactory)
    kind = SpecialProcedure.Kind.SITE_INSPECTION
    time_limit_days = 5


def guide_for(department, *, promised: int = 10, is_immediate: bool = False) -> ServiceGuide:
    """A published guide of a new item of ``department`` with a main material (pdf only), a
    tolerable material (pdf/png, 3 working days to supply) and a site inspection."""
    item = ServiceItemFactory(competent_department=department)
    guide = GuideFactory(item=item, promised_time_limit_days=promised, is_immediate=is_immediate)
    GuideMaterialFactory(guide=guide, name="食品经营许可申请书", electronic_formats="pdf")
    GuideMaterialFactory(
        guide=guide,
        name="场所平面图",
        electronic_formats="pdf,png",
        importance=GuideMaterial.Importance.TOLERABLE,
        supplement_days=3,
    )
    SpecialProcedureFactory(guide=guide)
    return guide


def main_material(guide: ServiceGuide) -> GuideMaterial:
    return guide.materials.get(importance=GuideMaterial.Importance.MAIN)


def tolerable_material(guide: ServiceGuide) -> GuideMaterial:
    return guide.materials.get(importance=GuideMaterial.Importance.TOLERABLE)


# --- Files with known content ----------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def pdf_upload(name: str = "申请书.pdf", size: int | None = None) -> SimpleUploadedFile:
    content = PDF_BYTES if size is None else PDF_BYTES + b"0" * (size - len(PDF_BYTES))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "平面图.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def upload_corrections(application: Application, actor) -> None:
    """Upload a new file for every item of the open correction notice: what answering the
    one-time notice takes (A5), through the real upload service."""
    items = CorrectionItem.objects.filter(
        correction__application=application, correction__answered_at=None
    )
    for item in items:
        services.application_attach_material(
            application_id=application.pk,
            actor=actor,
            guide_material_id=item.guide_material_id,
            upload=pdf_upload("补正材料.pdf"),
        )


# --- Applications placed in a state ---------------------------------------------------------


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application row as the services would leave it in ``state`` (for later steps)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    class Params:
        received = factory.LazyFunction(timezone.now)

    number = factory.Sequence(lambda n: f"SQT{n:010d}")
    guide = factory.LazyAttribute(lambda o: guide_for(DepartmentFactory()))
    item = factory.SelfAttribute("guide.item")
    department = factory.LazyAttribute(lambda o: o.guide.item.implementing_department)
    applicant = factory.SubFactory(UserFactory)
    applicant_name = factory.SelfAttribute("applicant.full_name")
    applicant_type = ApplicantType.NATURAL_PERSON
    channel = Channel.ONLINE
    state = State.SUBMITTED
    is_immediate = factory.SelfAttribute("guide.is_immediate")
    submitted_at = factory.SelfAttribute("received")
    materials_received_at = factory.SelfAttribute("received")
    intake_due_date = factory.LazyAttribute(
        lambda o: (
            add_working_days(timezone.localdate(o.received), 5)
            if o.state == State.SUBMITTED
            else None
        )
    )

    @factory.post_generation
    def complete(obj, create, extracted, **kwargs):
        """A submitted application has its required materials (A4(1)): ``complete=False``
        leaves them out (to test what missing materials do)."""
        if not create or extracted is False or obj.state == State.DRAFT:
            return
        ApplicationMaterial.objects.bulk_create(
            ApplicationMaterial(
                application=obj, guide_material=m, e_licence_reference=f"TEST-{m.pk}"
            )
            for m in obj.guide.materials.filter(is_required=True)
        )


def accepted_application(
    *, accepted_at: datetime.datetime | None = None, state: State = State.ACCEPTED, **kwargs
) -> Application:
    """An application accepted at ``accepted_at`` with its clock set."""
    accepted_at = accepted_at or timezone.now()
    application = ApplicationFactory(state=state, received=accepted_at, **kwargs)
    application.accepted_at = accepted_at
    application.time_limit_days = application.guide.promised_time_limit_days
    application.due_date, application.yellow_on = clock_dates(
        accepted_at=accepted_at, time_limit_days=application.time_limit_days
    )
    application.save()
    return application
