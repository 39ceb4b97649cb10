"""预审 (DOMAIN Q2, A3, C7): each uploaded file is checked after the upload commits, and the
findings are plain warnings on the 核对并提交 page and the staff application page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from apps.applications import hooks as application_hooks
from apps.applications import services
from apps.applications.models import ApplicationAnswers, ApplicationMaterial
from apps.assistant.models import MaterialCheck
from apps.assistant.prechecks.findings import application_findings
from apps.assistant.prechecks.services import material_precheck, materials_precheck_pending
from apps.catalogue.models import GuideMaterial
from apps.documents.models import DocumentKind, IssuedDocument
from tests.accounts.factories import make_resident_id
from tests.applications.factories import GuideMaterialFactory, guide_for


def pdf_with_text(*lines: str, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        for i, line in enumerate(lines):
            page.drawString(72, 760 - 20 * i, line)
        page.showPage()
    page.save()
    return buffer.getvalue()


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_with_text("secret")))
    writer.encrypt("open-sesame")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image(width: int, height: int, *, blank: bool = False) -> bytes:
    picture = Image.new("L", (width, height), 255)
    if not blank:
        for x in range(0, width, 7):
            for y in range(0, height, 11):
                picture.putpixel((x, y), (x * y) % 256)
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def guide(department):
    guide = guide_for(department)
    GuideMaterialFactory(guide=guide, name="身份证照片", electronic_formats="png,jpg", order=9)
    GuideMaterial.objects.filter(guide=guide).update(max_size_mb=5)
    return guide


@pytest.fixture
def draft(guide, citizen):
    return services.application_create_draft(actor=citizen, item_id=guide.item_id)


def main_material(guide) -> GuideMaterial:
    return guide.materials.get(name="食品经营许可申请书")


def _upload(draft, citizen, material, name, data, callbacks=None):
    return services.application_attach_material(
        application_id=draft.pk,
        actor=citizen,
        guide_material_id=material.pk,
        upload=SimpleUploadedFile(name, data),
    )


def _warnings(draft) -> list[str]:
    return [w for f in application_findings(draft) for w in f.warnings]


def test_the_assistant_is_registered_in_the_applications_hooks():
    registered = application_hooks.registered()
    assert (
        "apps.assistant.integrations.precheck_after_commit"
        in registered["material_added_listeners"]
    )
    assert "apps.assistant.integrations.precheck_panel" in registered["review_panels"]
    assert "apps.assistant.integrations.precheck_panel" in registered["staff_panels"]


def test_an_upload_is_prechecked_after_commit_q2(
    draft, citizen, guide, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        material = _upload(draft, citizen, main_material(guide), "申请书.pdf", pdf_with_text("ok"))
    assert [c.__qualname__ for c in callbacks] == [
        "publish_after_commit[apps.assistant.tasks.precheck_material]"
    ]
    assert not MaterialCheck.objects.exists()  # nothing read while the upload's lock is held
    findings = application_findings(draft)
    assert findings[0].pending
    material_precheck(material_id=material.pk)
    material_precheck(material_id=material.pk)  # idempotent
    check = MaterialCheck.objects.get()
    assert check.pages == 1 and check.findings == []


def test_the_sweep_checks_what_a_lost_message_left(draft, citizen, guide):
    _upload(draft, citizen, main_material(guide), "申请书.pdf", pdf_with_text("ok"))
    assert materials_precheck_pending() == 1
    assert materials_precheck_pending() == 0
    assert MaterialCheck.objects.count() == 1


def test_page_count_and_a_clean_pdf_q2(draft, citizen, guide):
    material = _upload(
        draft, citizen, main_material(guide), "申请书.pdf", pdf_with_text("申请书", pages=3)
    )
    material_precheck(material_id=material.pk)
    [result] = application_findings(draft)
    assert result.notes == ["共3页"] and result.warnings == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (blank_pdf(), "可能是空白文件"),
        (encrypted_pdf(), "已加密"),
        (b"%PDF-1.4\n%broken" + b"\x00" * 200, "已损坏"),
    ],
    ids=["blank", "encrypted", "broken"],
)
def test_a_blank_encrypted_or_broken_pdf_is_flagged_q2(draft, citizen, guide, data, expected):
    material = _upload(draft, citizen, main_material(guide), "申请书.pdf", data)
    material_precheck(material_id=material.pk)
    assert any(expected in w for w in _warnings(draft))


def test_a_small_or_blank_image_is_flagged_and_a_good_one_is_not_q2(draft, citizen, guide):
    photo = guide.materials.get(name="身份证照片")
    for name, data in (
        ("小.png", image(320, 200)),
        ("白.png", image(1200, 800, blank=True)),
        ("好.png", image(1200, 800)),
    ):
        material_precheck(material_id=_upload(draft, citizen, photo, name, data).pk)
    results = application_findings(draft)
    by_file = {r.material.original_filename: r.warnings for r in results}
    assert any("分辨率较低（320×200像素）" in w for w in by_file["小.png"])
    assert any("空白" in w for w in by_file["白.png"])
    assert by_file["好.png"] == []


def test_an_id_number_in_the_file_that_differs_from_the_form_is_flagged_q2(draft, citizen, guide):
    """The file's text carries an ID number: it must be the applicant's or one the form
    states; the warning shows it masked (A17)."""
    citizen.id_number = make_resident_id(region="350102")
    citizen.save()
    other = make_resident_id(region="350103")
    material = _upload(
        draft, citizen, main_material(guide), "申请书.pdf", pdf_with_text(f"ID {other}")
    )
    material_precheck(material_id=material.pk)
    [warning] = _warnings(draft)
    assert "身份证号码" in warning and other not in warning and other[-4:] in warning
    # the number is stored only as a keyed hash and its masked form
    assert other not in str(MaterialCheck.objects.get().numbers)

    ApplicationAnswers.objects.create(application=draft, data=f'{{"agent_id": "{other}"}}')
    assert _warnings(draft) == []  # now the form states it: no warning


def test_the_applicants_own_number_raises_no_warning(draft, citizen, guide):
    citizen.id_number = make_resident_id(region="350102")
    citizen.save()
    material = _upload(
        draft, citizen, main_material(guide), "申请书.pdf", pdf_with_text(citizen.id_number)
    )
    material_precheck(material_id=material.pk)
    assert _warnings(draft) == []


def test_the_same_file_for_two_materials_is_flagged(draft, citizen, guide):
    data = pdf_with_text("same")
    first = main_material(guide)
    second = guide.materials.exclude(pk=first.pk).exclude(name="身份证照片").get()
    for material in (first, second):
        material_precheck(material_id=_upload(draft, citizen, material, "a.pdf", data).pk)
    assert any(f"与“{first.name}”上传的是同一个文件" in w for w in _warnings(draft))


def test_the_warnings_read_in_the_english_edition(draft, citizen, guide):
    """Issue #17: what depends on the application is worded when the page is read, so an
    applicant reading in English gets it in English."""
    data = pdf_with_text("same")
    first = main_material(guide)
    second = guide.materials.exclude(pk=first.pk).exclude(name="身份证照片").get()
    for material in (first, second):
        material_precheck(material_id=_upload(draft, citizen, material, "a.pdf", data).pk)

    with translation.override("en"):
        warnings = _warnings(draft)
        notes = [n for f in application_findings(draft) for n in f.notes]

    assert f"This is the same file as the one uploaded for “{first.name}”." in " ".join(warnings)
    assert notes[:2] == ["1 page", "1 page"]


def _licence(department, number: str, *, until: datetime.date, revoked: bool = False):
    return IssuedDocument.objects.create(
        number=number,
        kind=DocumentKind.LICENCE,
        department=department,
        year=2025,
        sequence=int(number[-7:-1]),
        applicant_name="林一",
        title="食品经营许可证",
        body="食品经营许可证。",
        extra={"fields": [["证照名称", "食品经营许可证"], ["有效期至", until.isoformat()]]},
        issued_at=timezone.now(),
        verification_token=f"t-{number}",
        status="revoked" if revoked else "valid",
        revoked_at=timezone.now() if revoked else None,
    )


def test_an_expired_or_revoked_e_licence_is_flagged_a3_q2(draft, citizen, guide, department):
    today = timezone.localdate()
    _licence(department, "榕市监许字〔2025〕第000001号", until=today - datetime.timedelta(days=1))
    _licence(department, "榕市监许字〔2025〕第000002号", until=today + datetime.timedelta(days=300))
    _licence(
        department,
        "榕市监许字〔2025〕第000003号",
        until=today + datetime.timedelta(days=300),
        revoked=True,
    )
    material = main_material(guide)
    GuideMaterial.objects.filter(pk=material.pk).update(reuse=GuideMaterial.Reuse.E_LICENCE)
    for n in (1, 2, 3):
        services.application_reuse_material(
            application_id=draft.pk,
            actor=citizen,
            guide_material_id=material.pk,
            e_licence_reference=f"榕市监许字〔2025〕第00000{n}号",
        )
    warnings = _warnings(draft)
    assert any("第000001号已于" in w and "过期" in w for w in warnings)
    assert any("第000003号已被撤销" in w for w in warnings)
    assert not any("第000002号" in w for w in warnings)


def test_the_review_page_and_the_staff_page_show_the_findings_q2(
    client, draft, citizen, guide, window_staff, django_assert_max_num_queries
):
    material = _upload(draft, citizen, main_material(guide), "申请书.pdf", blank_pdf())
    material_precheck(material_id=material.pk)
    client.force_login(citizen)
    page = client.get(reverse("applications:review", args=[draft.pk])).content.decode()
    assert "材料预审" in page and "可能是空白文件" in page
    with django_assert_max_num_queries(8):
        application_findings(ApplicationMaterial.objects.get(pk=material.pk).application)

    services.application_submit(application_id=draft.pk, actor=citizen)
    client.force_login(window_staff)
    staff_page = client.get(reverse("admin:applications_application_change", args=[draft.pk]))
    assert staff_page.status_code == 200
    assert "可能是空白文件" in staff_page.content.decode()


def test_a_file_shared_across_a_bundle_is_prechecked_too_c8_q2(
    draft, citizen, guide, department, django_capture_on_commit_callbacks
):
    from apps.applications.services.materials import share_material

    other_guide = guide_for(department)
    other = services.application_create_draft(actor=citizen, item_id=other_guide.item_id)
    root = _upload(draft, citizen, main_material(guide), "申请书.pdf", pdf_with_text("ok"))
    with django_capture_on_commit_callbacks() as callbacks:
        shared = share_material(root, other, main_material(other_guide), actor=citizen)
    assert [c.__qualname__ for c in callbacks] == [
        "publish_after_commit[apps.assistant.tasks.precheck_material]"
    ]
    material_precheck(material_id=shared.pk)
    assert application_findings(other)[0].notes == ["共1页"]
