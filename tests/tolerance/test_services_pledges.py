"""The written pledge and tolerant acceptance at the window (DOMAIN T1, T2, A4(4), C11)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone, translation

from apps.applications import services as app_services
from apps.applications.models import Application, ToleratedMaterial
from apps.applications.workflow import State
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.documents.models import DocumentKind
from apps.tolerance import services
from apps.tolerance.models import MaterialSupply, Pledge
from apps.tolerance.services.pledges import pledge_reading_aid
from apps.tolerance.workflow import SupplyState
from apps.workdays.calendar import add_working_days
from tests.applications.factories import (
    ApplicationFactory,
    GuideFactory,
    GuideMaterialFactory,
    main_material,
    pdf_upload,
    tolerable_material,
)
from tests.tolerance.helpers import accept, sign


def test_t1_online_pledge_stores_exact_text_identity_time_ip_and_a_document(submitted, citizen):
    pledge = sign(submitted, citizen)
    assert pledge.channel == Pledge.Channel.ONLINE
    assert pledge.signed_by == citizen and pledge.signer_name == submitted.applicant_name
    assert pledge.ip_address == "203.0.113.7" and pledge.signed_at is not None
    assert "场所平面图：自受理之日起 3 个工作日内补齐" in pledge.text
    assert pledge.text_sha256 == services.pledge_digest(pledge.text)
    assert pledge.material_ids == [tolerable_material(submitted.guide).pk]
    document = pledge.document
    assert document.kind == DocumentKind.APPLICATION_FORM and document.title == "容缺受理承诺书"
    assert document.body == pledge.text
    assert submitted.documents.filter(document=document).exists()


def test_t1_signed_pledge_can_never_be_edited(submitted, citizen):
    pledge = sign(submitted, citizen)
    with pytest.raises(DatabaseError), transaction.atomic():
        Pledge.objects.filter(pk=pledge.pk).update(text="改过的承诺")
    with pytest.raises(ApplicationError, match="不能修改") as refused:
        sign(submitted, citizen)
    assert refused.value.code == "pledge_already_signed"
    assert Pledge.objects.get(pk=pledge.pk).text == pledge.text


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"confirmed": False}, "pledge_unsigned"),
        ({"signer_name": "  "}, "pledge_unsigned"),
        ({"signer_name": "别人"}, "pledge_signer_mismatch"),
        ({"text_sha256": "0" * 64}, "pledge_text_changed"),
    ],
)
def test_t1_unsigned_or_changed_pledge_is_refused_and_changes_nothing(
    submitted, citizen, overrides, code
):
    with pytest.raises(ApplicationError) as refused:
        sign(submitted, citizen, **overrides)
    assert refused.value.code == code
    assert not Pledge.objects.exists()


def test_t1_pledge_text_changed_after_it_was_shown_is_refused(submitted, citizen):
    """The guide's tolerance note changes between reading and signing: sign again."""
    digest = services.pledge_digest(
        services.pledge_text(submitted, services.pledge_materials(submitted))
    )
    submitted.guide.tolerance_note = "新增：补交材料须加盖公章。"
    submitted.guide.save()
    with pytest.raises(ApplicationError, match="重新阅读"):
        sign(submitted, citizen, text_sha256=digest)
    assert not Pledge.objects.exists()


def test_c11_item_without_tolerable_materials_has_no_pledge(department, citizen):
    guide = GuideFactory(item__competent_department=department)
    GuideMaterialFactory(guide=guide, name="申请书", electronic_formats="pdf")
    app = ApplicationFactory(guide=guide, applicant=citizen)
    with pytest.raises(ApplicationError) as refused:
        sign(app, citizen)
    assert refused.value.code == "no_tolerable_materials"


def test_t1_main_material_missing_refuses_the_pledge(guide, citizen):
    app = ApplicationFactory(guide=guide, applicant=citizen, complete=False)
    with pytest.raises(ApplicationError, match="主要材料") as refused:
        sign(app, citizen)
    assert refused.value.code == "main_material_missing"


def test_t1_another_citizen_cannot_sign(submitted, other_citizen):
    with pytest.raises(ApplicationError) as refused:
        sign(submitted, other_citizen)
    assert refused.value.status_code == 404


def test_a4_4_tolerant_accept_on_the_online_pledge(submitted, citizen, window_staff):
    """A4(4), T2: accepted with the one-time notice; one supply per tolerated material."""
    app = accept(submitted, citizen, window_staff)
    assert app.state == State.TOLERANT_ACCEPTED
    tolerated = ToleratedMaterial.objects.get(application=app)
    supply = MaterialSupply.objects.get(tolerated=tolerated)
    assert supply.state == SupplyState.MISSING
    assert (
        supply.due_date
        == tolerated.due_date
        == add_working_days(timezone.localdate(app.accepted_at), 3)
    )
    notice = app.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE).document
    assert "场所平面图" in str(notice.extra["items"])


def test_a4_4_missing_material_not_tolerable_is_refused(submitted, citizen, window_staff):
    sign(submitted, citizen)
    with pytest.raises(ApplicationError) as refused:
        services.tolerant_accept(
            application_id=submitted.pk,
            actor=window_staff,
            missing_material_ids=[main_material(submitted.guide).pk],
        )
    assert refused.value.code in {"material_not_pledged", "material_not_tolerable"}
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED
    assert not MaterialSupply.objects.exists()


def test_t1_paper_pledge_needs_the_signature_and_its_scan(submitted, window_staff):
    tolerable = tolerable_material(submitted.guide)
    with pytest.raises(ApplicationError) as refused:
        services.tolerant_accept(
            application_id=submitted.pk,
            actor=window_staff,
            missing_material_ids=[tolerable.pk],
            signer_name=submitted.applicant_name,
        )
    assert refused.value.code == "pledge_unsigned"
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED

    app = services.tolerant_accept(
        application_id=submitted.pk,
        actor=window_staff,
        missing_material_ids=[tolerable.pk],
        signer_name=submitted.applicant_name,
        scan=pdf_upload("承诺书.pdf"),
    )
    pledge = Pledge.objects.get(application=app)
    assert pledge.channel == Pledge.Channel.PAPER and pledge.witnessed_by == window_staff
    assert pledge.scan.name and pledge.document is not None
    assert app.state == State.TOLERANT_ACCEPTED


def test_t1_other_department_cannot_accept(submitted, citizen, other_dept_staff):
    sign(submitted, citizen)
    with pytest.raises(PermissionDeniedError):
        services.tolerant_accept(
            application_id=submitted.pk,
            actor=other_dept_staff,
            missing_material_ids=[tolerable_material(submitted.guide).pk],
        )


def test_t1_every_channel_needs_a_recorded_pledge(submitted, window_staff):
    """The applications app's own 容缺受理 (console form, API) saying "pledge signed" is not
    enough: the tolerance app's record of the pledge is required (one rule, C6)."""
    with pytest.raises(ApplicationError) as refused:
        app_services.application_accept_tolerant(
            application_id=submitted.pk,
            actor=window_staff,
            missing_material_ids=[tolerable_material(submitted.guide).pk],
            pledge_signed=True,
        )
    assert refused.value.code == "pledge_required"
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED
    assert not MaterialSupply.objects.exists() and not ToleratedMaterial.objects.exists()


def test_t1_paper_pledge_is_not_kept_when_the_acceptance_is_refused(
    submitted, window_staff, private_files
):
    with pytest.raises(ApplicationError):
        services.tolerant_accept(
            application_id=submitted.pk,
            actor=window_staff,
            missing_material_ids=[main_material(submitted.guide).pk],
            signer_name=submitted.applicant_name,
            scan=pdf_upload("承诺书.pdf"),
        )
    assert not Pledge.objects.exists()
    assert not list((private_files / "tolerance").rglob("*.pdf"))


def test_t2_pledge_signed_on_the_english_page_stores_the_chinese_text(submitted, citizen):
    """Issue #17: the binding pledge and its document stay Chinese in the English edition;
    the English reader gets a translation beside it, and the digest they sign still matches."""
    materials = services.pledge_materials(submitted)
    with translation.override("en"):
        shown = services.pledge_text(submitted, materials)
        aid = pledge_reading_aid(submitted, materials)
        pledge = sign(submitted, citizen, text_sha256=services.pledge_digest(shown))

    assert "场所平面图：自受理之日起 3 个工作日内补齐" in pledge.text
    assert pledge.text == shown
    assert pledge.document.title == "容缺受理承诺书" and pledge.document.body == pledge.text
    assert "to be supplied within 3 working days of acceptance" in aid
    assert pledge_reading_aid(submitted, materials) == ""
