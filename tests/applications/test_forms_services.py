"""在线填报 through the services: answers saved with one validator, prefill, the check
before submitting, the 申请书, acceptance refused with a main material missing, decision
fields of the result template (DOMAIN A3, A4(1), A5, A17, C5, C6, Q2)."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.completeness import answers_of, application_completeness
from apps.applications.models import (
    Application,
    ApplicationAnswers,
    ApplicationKeyField,
    TimelineEvent,
)
from apps.applications.workflow import State
from apps.common.errors import ApplicationError
from apps.common.pii import keyed_hash
from apps.documents.models import DocumentKind
from tests.applications.factories import (
    accepted_application,
    main_material,
    pdf_upload,
    png_upload,
    tolerable_material,
)
from tests.applications.form_factories import (
    ADDRESS,
    DECISION,
    complete_answers,
    form_guide,
)


@pytest.fixture
def fguide(department):
    return form_guide(department)


def _draft(guide, user, company=None):
    return services.application_create_draft(
        actor=user, item_id=guide.item_id, company_id=company.pk if company else None
    )


def test_new_draft_is_prefilled_from_the_account_q2(fguide, citizen):
    draft = _draft(fguide, citizen)
    record = ApplicationAnswers.objects.get(application=draft)
    assert record.values == {"applicant_name": citizen.full_name, "contact_phone": citizen.phone}
    assert record.prefill_sources == {"applicant_name": "account", "contact_phone": "account"}


def test_agent_draft_is_prefilled_with_the_company(fguide, company_agent, company):
    draft = _draft(fguide, company_agent, company)
    assert answers_of(draft)["company_uscc"] == company.credit_code
    assert ApplicationAnswers.objects.get(application=draft).prefill_sources["company_uscc"] == (
        "company"
    )


def test_earlier_answers_prefill_the_same_field_but_never_the_declaration_a3(fguide, citizen):
    first = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=first.pk, actor=citizen, answers=complete_answers()
    )
    services.application_submit(application_id=first.pk, actor=citizen)
    second = _draft(fguide, citizen)
    values = answers_of(second)
    assert values["shop_name"] == "榕城小馆" and values["business_address"] == ADDRESS
    assert "declaration" not in values
    sources = ApplicationAnswers.objects.get(application=second).prefill_sources
    assert sources["shop_name"] == "history"


def test_save_answers_checks_every_value_and_saves_nothing_on_error(fguide, citizen):
    draft = _draft(fguide, citizen)
    with pytest.raises(ApplicationError) as exc:
        services.application_save_answers(
            application_id=draft.pk,
            actor=citizen,
            answers={"contact_phone": "12345", "business_address": {"code": "350100"}},
        )
    assert exc.value.code == "invalid_answers"
    assert set(exc.value.extra) == {"contact_phone", "business_address"}
    assert exc.value.message.startswith("有2项填写有误：")
    assert answers_of(Application.objects.get(pk=draft.pk)) == {
        "applicant_name": citizen.full_name,
        "contact_phone": citizen.phone,
    }


def test_save_answers_keeps_the_account_value_of_a_locked_field(fguide, citizen):
    draft = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=draft.pk,
        actor=citizen,
        answers=complete_answers(applicant_name="别人的名字"),
    )
    values = answers_of(Application.objects.get(pk=draft.pk))
    assert values["applicant_name"] == citizen.full_name  # editable: false
    assert values["contact_phone"] == "13900000009"  # editable
    event = TimelineEvent.objects.filter(
        application=draft, kind=TimelineEvent.Kind.FORM_SAVED
    ).get()
    assert event.actor == citizen and not event.visible_to_applicant


def test_answers_are_encrypted_and_key_fields_hashed_a17(fguide, citizen):
    draft = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers=complete_answers()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "select data from applications_applicationanswers where application_id = %s",
            [draft.pk],
        )
        raw = cursor.fetchone()[0]
    assert "榕城小馆" not in raw and "13900000009" not in raw
    keys = dict(ApplicationKeyField.objects.filter(application=draft).values_list("key", "value"))
    assert keys["shop_name"] == "榕城小馆"
    assert keys["contact_phone"] == keyed_hash("13900000009")


def test_answers_of_someone_else_are_refused(fguide, citizen, other_citizen):
    draft = _draft(fguide, citizen)
    with pytest.raises(ApplicationError) as exc:
        services.application_save_answers(
            application_id=draft.pk, actor=other_citizen, answers=complete_answers()
        )
    assert exc.value.status_code == 404


def test_answers_are_locked_once_submitted(fguide, citizen):
    draft = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers=complete_answers()
    )
    services.application_submit(application_id=draft.pk, actor=citizen)
    with pytest.raises(ApplicationError) as exc:
        services.application_save_answers(
            application_id=draft.pk, actor=citizen, answers=complete_answers(shop_name="改")
        )
    assert exc.value.code == "answers_locked"


# --- The check before submitting ------------------------------------------------------------


def test_summary_names_every_missing_field_and_material(fguide, citizen):
    draft = _draft(fguide, citizen)
    completeness = application_completeness(draft)
    assert [f.key for f in completeness.missing_fields] == [
        "business_address",
        "shop_name",
        "declaration",
    ]
    assert [m.name for m in completeness.missing_materials] == ["场所平面图"]
    names = completeness.missing_names()
    assert (
        names[0] == "食品经营许可申请书（经营场所、店名、申请人声明）" and names[1] == "场所平面图"
    )
    assert completeness.main_missing == ["食品经营许可申请书"]  # the form is the main material


def test_online_submission_needs_the_declaration(fguide, citizen):
    draft = _draft(fguide, citizen)
    with pytest.raises(ApplicationError) as exc:
        services.application_submit(application_id=draft.pk, actor=citizen)
    assert exc.value.code == "declaration_required"
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT


def test_incomplete_submission_goes_in_where_the_guide_allows_it_a5(
    fguide, citizen, django_capture_on_commit_callbacks
):
    draft = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers={"declaration": True}
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.application_submit(application_id=draft.pk, actor=citizen)
    app = Application.objects.get(pk=draft.pk)
    assert app.state == State.SUBMITTED
    event = app.timeline.get(to_state=State.SUBMITTED)
    assert "提交时尚缺" in event.reason and "场所平面图" in event.reason
    assert event.payload["missing"] == 2
    assert callbacks  # the 申请书's render and the notification are queued after commit


def test_incomplete_submission_is_refused_where_the_guide_does_not_allow_it(department, citizen):
    guide = form_guide(department, incomplete_allowed=False)
    draft = _draft(guide, citizen)
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers=complete_answers()
    )
    with pytest.raises(ApplicationError) as exc:
        services.application_submit(application_id=draft.pk, actor=citizen)
    assert exc.value.code == "incomplete_submission" and "场所平面图" in exc.value.message
    services.application_attach_material(
        application_id=draft.pk,
        actor=citizen,
        guide_material_id=tolerable_material(guide).pk,
        upload=png_upload(),
    )
    assert services.application_submit(application_id=draft.pk, actor=citizen).state == (
        State.SUBMITTED
    )


def test_submission_issues_the_unsealed_application_form_q2(fguide, citizen, render_documents):
    draft = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers=complete_answers()
    )
    services.application_submit(application_id=draft.pk, actor=citizen)
    link = draft.documents.get(kind=DocumentKind.APPLICATION_FORM)
    document = link.document
    assert document.title == "食品经营许可申请书" and not document.is_sealed
    assert ["店名", "榕城小馆"] in document.extra["fields"]
    assert ["经营场所", "福建省福州市鼓楼区五四路100号"] in document.extra["fields"]
    assert document.extra["signed_by"] == citizen.full_name
    render_documents()
    document.refresh_from_db()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", document.pdf.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    compact = "".join(text.split())
    assert "本人承诺所填报内容真实" in compact and "榕城小馆" in compact
    assert "声明时间" in compact and "加盖电子印章" not in compact


def test_a_paper_form_uploaded_at_the_window_stands_in_for_the_online_form(
    fguide, citizen, window_staff
):
    app = services.application_window_create(
        actor=window_staff,
        applicant_id=citizen.pk,
        item_id=fguide.item_id,
        idempotency_key="walk-in-1",
        materials=[(main_material(fguide).pk, pdf_upload())],
    )
    completeness = application_completeness(app)
    assert not completeness.form_applies and completeness.main_missing == []
    assert not app.documents.filter(kind=DocumentKind.APPLICATION_FORM).exists()


# --- Intake: plain 受理 needs the main materials (A4(1)) --------------------------------------


def test_accept_is_refused_while_a_main_material_is_missing_a4_1(fguide, citizen, window_staff):
    draft = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers={"declaration": True}
    )
    services.application_submit(application_id=draft.pk, actor=citizen)
    with pytest.raises(ApplicationError) as exc:
        services.application_accept(application_id=draft.pk, actor=window_staff)
    assert exc.value.code == "main_material_missing"
    assert "食品经营许可申请书" in exc.value.message and "一次性告知" in exc.value.message
    with pytest.raises(ApplicationError):
        services.application_correct_on_spot_and_accept(
            application_id=draft.pk, actor=window_staff, corrections="改正错别字"
        )
    with pytest.raises(ApplicationError, match="不可容缺"):
        services.application_accept_tolerant(
            application_id=draft.pk,
            actor=window_staff,
            missing_material_ids=[tolerable_material(fguide).pk],
            pledge_signed=True,
        )
    assert Application.objects.get(pk=draft.pk).state == State.SUBMITTED


def test_accept_goes_through_once_the_form_is_complete(fguide, citizen, window_staff):
    draft = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers=complete_answers()
    )
    services.application_submit(application_id=draft.pk, actor=citizen)
    # Only the tolerable 场所平面图 is missing: plain 受理 is allowed, as is tolerant intake.
    app = services.application_accept(application_id=draft.pk, actor=window_staff)
    assert app.state == State.ACCEPTED


# --- Decision fields of the result template ------------------------------------------------


def test_approval_requires_and_prints_the_decision_fields(fguide, approver, render_documents):
    app = accepted_application(guide=fguide, state=State.UNDER_REVIEW)
    with pytest.raises(ApplicationError) as exc:
        services.application_approve(
            application_id=app.pk, actor=approver, decision={"approved_items": "热食类"}
        )
    assert exc.value.code == "invalid_decision" and "有效期自" in exc.value.message
    bad_order = {**DECISION, "valid_to": "2026-01-01"}
    with pytest.raises(ApplicationError, match="不能早于"):
        services.application_approve(application_id=app.pk, actor=approver, decision=bad_order)
    assert Application.objects.get(pk=app.pk).state == State.UNDER_REVIEW
    services.application_approve(application_id=app.pk, actor=approver, decision=DECISION)
    licence = app.documents.get(kind=DocumentKind.LICENCE).document
    assert ["经营项目", "热食类食品制售"] in licence.extra["fields"]
    assert ["有效期至", "2031-11-30"] in licence.extra["fields"]
    event = app.timeline.get(to_state=State.APPROVED)
    assert ["经营项目", "热食类食品制售"] in event.payload["decision_rows"]
    render_documents()
    licence.refresh_from_db()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", licence.pdf.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "热食类食品制售" in "".join(text.split())


# --- A5: a correction of the form is answered in the form ----------------------------------


def test_correction_of_the_form_is_answered_by_saving_it_again_a5(
    client, fguide, citizen, window_staff
):
    draft = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers=complete_answers()
    )
    services.application_submit(application_id=draft.pk, actor=citizen)
    services.application_request_correction(
        application_id=draft.pk,
        actor=window_staff,
        items=[(main_material(fguide).pk, "店名与营业执照不一致")],
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    with pytest.raises(ApplicationError) as exc:
        services.application_resubmit_correction(application_id=draft.pk, actor=citizen)
    assert exc.value.code == "correction_incomplete"
    client.force_login(citizen)
    html = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert 'name="f_shop_name"' in html  # corrected in the form, not by a new upload
    assert f'name="file_{main_material(fguide).pk}"' not in html
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers=complete_answers(shop_name="榕城食府")
    )
    app = services.application_resubmit_correction(application_id=draft.pk, actor=citizen)
    assert app.state == State.SUBMITTED
    forms = app.documents.filter(kind=DocumentKind.APPLICATION_FORM).order_by("pk")
    assert forms.count() == 2
    assert ["店名", "榕城食府"] in forms.last().document.extra["fields"]
