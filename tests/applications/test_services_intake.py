"""Intake: the five outcomes of A4, one-time correction (A5), tolerant acceptance (T1),
immediate items (A6), submission and reuse (A3, C5, C7, A13)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.applications import services
from apps.applications.models import (
    Application,
    ApplicationMaterial,
    Channel,
    CorrectionRequest,
    TimelineEvent,
    ToleratedMaterial,
)
from apps.applications.workflow import State
from apps.catalogue.models import ServiceGuide
from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.notifications.models import Notification
from apps.workdays.calendar import add_working_days
from tests.applications.factories import (
    ApplicationFactory,
    guide_for,
    main_material,
    pdf_upload,
    png_upload,
    tolerable_material,
    upload_corrections,
)
from tests.notifications.callbacks import queued_work
from tests.tolerance.helpers import pledge_on_record


def _transition_rows(app):
    return list(
        TimelineEvent.objects.filter(
            application=app, kind=TimelineEvent.Kind.TRANSITION
        ).values_list("from_state", "to_state", "actor_id")
    )


def _with_main_material(app, actor):
    ApplicationMaterial.objects.create(
        application=app,
        guide_material=main_material(app.guide),
        e_licence_reference="L-1",
        uploaded_by=actor,
    )
    return app


# --- A4(1) accept -----------------------------------------------------------------------------


def test_accept_starts_clock_issues_receipt_and_tells_applicant(
    submitted, window_staff, django_capture_on_commit_callbacks
):
    """A4(1), A7: accept → clock from today, 受理通知书, applicant told by inbox and SMS."""
    with django_capture_on_commit_callbacks() as callbacks:
        app = services.application_accept(application_id=submitted.pk, actor=window_staff)
    assert app.state == State.ACCEPTED
    assert app.accepted_at is not None and app.intake_due_date is None
    assert app.due_date == add_working_days(timezone.localdate(), 10)
    assert _transition_rows(app) == [(State.SUBMITTED, State.ACCEPTED, window_staff.pk)]
    assert list(app.documents.values_list("kind", flat=True)) == ["acceptance_notice"]
    channels = set(
        Notification.objects.filter(recipient=app.applicant).values_list("channel", flat=True)
    )
    assert channels == {"inbox", "sms"}
    # After commit, once each: the SMS delivery and the receipt's PDF (rendered by a worker).
    assert len(queued_work(callbacks)) == 2
    assert app.documents.get().document.render_status == "pending"
    assert app.handled_by == window_staff


def test_accept_from_draft_is_a_forbidden_edge(guide, citizen, window_staff):
    app = ApplicationFactory(guide=guide, applicant=citizen, state=State.DRAFT)
    with pytest.raises(InvalidTransitionError, match="草稿"):
        services.application_accept(application_id=app.pk, actor=window_staff)
    assert not app.documents.exists()


# --- A4(2) not ours ---------------------------------------------------------------------------


def test_transfer_names_the_right_department(submitted, window_staff, other_department):
    """A4(2): say so, return materials, name the right department."""
    app = services.application_transfer_not_ours(
        application_id=submitted.pk,
        actor=window_staff,
        right_department_id=other_department.pk,
        reason="属于公安机关职权",
    )
    assert app.state == State.TRANSFERRED and app.transferred_to == other_department
    note = Notification.objects.get(
        recipient=app.applicant, channel="inbox", category="application"
    )
    assert other_department.name in note.body
    assert other_department.name in app.documents.get().document.body


def test_transfer_to_own_department_refused(submitted, window_staff, department):
    with pytest.raises(ApplicationError, match="其他部门"):
        services.application_transfer_not_ours(
            application_id=submitted.pk,
            actor=window_staff,
            right_department_id=department.pk,
            reason="x",
        )


# --- A4(3) correct on the spot ------------------------------------------------------------------


def test_correct_on_spot_records_the_correction_then_accepts(submitted, window_staff):
    app = services.application_correct_on_spot_and_accept(
        application_id=submitted.pk, actor=window_staff, corrections="申请书日期笔误，当场更正"
    )
    assert app.state == State.ACCEPTED
    kinds = list(app.timeline.values_list("kind", flat=True))
    assert kinds.index("corrected_on_spot") < kinds.index("transition")


# --- A4(4) tolerant acceptance (T1, T2) -------------------------------------------------------


def test_tolerant_acceptance_records_missing_materials_and_deadline(submitted, window_staff):
    """T1/T2: main materials complete, only tolerable ones missing, pledge signed."""
    _with_main_material(submitted, window_staff)
    pledge_on_record(submitted)  # the tolerance app's record of the signed pledge
    tolerable = tolerable_material(submitted.guide)
    app = services.application_accept_tolerant(
        application_id=submitted.pk,
        actor=window_staff,
        missing_material_ids=[tolerable.pk],
        pledge_signed=True,
    )
    assert app.state == State.TOLERANT_ACCEPTED and app.pledge_signed
    row = ToleratedMaterial.objects.get(application=app)
    assert row.guide_material == tolerable
    assert row.due_date == add_working_days(timezone.localdate(), 3) == app.supplement_due_date
    assert app.due_date is not None, "the clock runs from tolerant acceptance"


def test_tolerant_acceptance_needs_the_pledge(submitted, window_staff):
    _with_main_material(submitted, window_staff)
    with pytest.raises(ApplicationError, match="承诺"):
        services.application_accept_tolerant(
            application_id=submitted.pk,
            actor=window_staff,
            missing_material_ids=[tolerable_material(submitted.guide).pk],
            pledge_signed=False,
        )


def test_tolerant_acceptance_refuses_missing_main_material(guide, citizen, window_staff):
    """T1: a main material can never be tolerated."""
    submitted = ApplicationFactory(guide=guide, applicant=citizen, complete=False)
    with pytest.raises(ApplicationError, match="主要材料"):
        services.application_accept_tolerant(
            application_id=submitted.pk,
            actor=window_staff,
            missing_material_ids=[main_material(submitted.guide).pk],
            pledge_signed=True,
        )
    with pytest.raises(ApplicationError, match="不可容缺"):
        services.application_accept_tolerant(
            application_id=submitted.pk,
            actor=window_staff,
            missing_material_ids=[tolerable_material(submitted.guide).pk],
            pledge_signed=True,
        )
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED


# --- A4(5) reject ------------------------------------------------------------------------------


def test_reject_gives_reasons_and_remedies(submitted, window_staff):
    """A4(5), A9: a dated 不予受理通知书 with the reasons and the remedies."""
    app = services.application_reject(
        application_id=submitted.pk,
        actor=window_staff,
        ground="conditions_not_met",
        reasons="未取得营业执照",
    )
    assert app.state == State.REJECTED and app.outcome == State.REJECTED
    body = app.documents.get(kind="rejection_notice").document.body
    assert "未取得营业执照" in body and "行政复议" in body and "行政诉讼" in body


def test_reject_requires_reasons(submitted, window_staff):
    with pytest.raises(ApplicationError):
        services.application_reject(
            application_id=submitted.pk,
            actor=window_staff,
            ground="conditions_not_met",
            reasons="  ",
        )


# --- A5 one-time correction notice ----------------------------------------------------------------


def test_correction_lists_everything_at_once_and_resubmission_restarts_intake(
    submitted, window_staff, citizen
):
    """A5: every item at once with its reason and a deadline; the applicant resubmits."""
    guide = submitted.guide
    deadline = timezone.localdate() + datetime.timedelta(days=15)
    correction = services.application_request_correction(
        application_id=submitted.pk,
        actor=window_staff,
        deadline=deadline,
        items=[(main_material(guide).pk, "缺少签字"), (tolerable_material(guide).pk, "不清晰")],
    )
    app = Application.objects.get(pk=submitted.pk)
    assert app.state == State.CORRECTION_REQUESTED and app.intake_due_date is None
    assert correction.items.count() == 2 and correction.deadline == deadline
    assert correction.remind_on == add_working_days(deadline, -2)
    assert app.documents.get().kind == "correction_notice"

    upload_corrections(app, citizen)
    app = services.application_resubmit_correction(application_id=app.pk, actor=citizen)
    assert app.state == State.SUBMITTED
    assert app.intake_due_date == add_working_days(timezone.localdate(), 5)
    assert CorrectionRequest.objects.get(pk=correction.pk).answered_at is not None
    with pytest.raises(InvalidTransitionError):
        services.application_resubmit_correction(application_id=app.pk, actor=citizen)


def test_correction_only_names_guide_materials(submitted, window_staff, other_department):
    """C7: staff cannot ask for a material the guide does not list."""
    foreign = main_material(guide_for(other_department))
    with pytest.raises(ApplicationError) as err:
        services.application_request_correction(
            application_id=submitted.pk,
            actor=window_staff,
            deadline=timezone.localdate() + datetime.timedelta(days=10),
            items=[(foreign.pk, "请提供")],
        )
    assert err.value.code == "material_not_in_guide"
    assert not CorrectionRequest.objects.exists()


def test_correction_needs_items_reasons_and_a_future_deadline(submitted, window_staff):
    material = main_material(submitted.guide)
    today = timezone.localdate()
    for items, deadline in (
        ([], today + datetime.timedelta(days=5)),
        ([(material.pk, "")], today + datetime.timedelta(days=5)),
        ([(material.pk, "缺")], today),
    ):
        with pytest.raises(ApplicationError):
            services.application_request_correction(
                application_id=submitted.pk, actor=window_staff, items=items, deadline=deadline
            )


# --- A6 immediate items -----------------------------------------------------------------------


def test_immediate_item_is_accepted_and_decided_in_one_step(department, citizen, window_staff):
    guide = guide_for(department, is_immediate=True)
    app = ApplicationFactory(guide=guide, applicant=citizen)
    app = services.application_decide_immediately(application_id=app.pk, actor=window_staff)
    assert app.state == State.APPROVED and app.accepted_at == app.decided_at
    assert app.time_limit_days == 0 and app.due_date == timezone.localdate()
    assert [(f, t) for f, t, _a in _transition_rows(app)] == [
        (State.SUBMITTED, State.ACCEPTED),
        (State.ACCEPTED, State.APPROVED),
    ]
    kinds = set(app.documents.values_list("kind", flat=True))
    assert "acceptance_notice" not in kinds, "A4: no acceptance notice for on-the-spot items"
    assert "approval_decision" in kinds


def test_not_immediate_item_cannot_be_decided_at_once(submitted, window_staff):
    with pytest.raises(ApplicationError, match="即办件"):
        services.application_decide_immediately(application_id=submitted.pk, actor=window_staff)


# --- Submission (C5, C7, double submit) ----------------------------------------------------


def test_draft_uses_the_published_guide_and_submit_is_idempotent(guide, citizen):
    """C5: the application keeps the guide version; a double submit is one submission."""
    draft = services.application_create_draft(actor=citizen, item_id=guide.item_id)
    first = services.application_submit(
        application_id=draft.pk, actor=citizen, idempotency_key="k-1"
    )
    again = services.application_submit(
        application_id=draft.pk, actor=citizen, idempotency_key="k-1"
    )
    assert first.pk == again.pk and again.state == State.SUBMITTED
    assert len(_transition_rows(again)) == 1
    assert Notification.objects.filter(recipient=citizen).count() == 1
    assert first.intake_due_date == add_working_days(timezone.localdate(), 5)


def test_no_draft_without_a_published_guide(department, citizen):
    guide = guide_for(department)
    ServiceGuide.objects.filter(pk=guide.pk).update(status=ServiceGuide.Status.DRAFT)
    with pytest.raises(ApplicationError, match="已发布"):
        services.application_create_draft(actor=citizen, item_id=guide.item_id)


def test_submit_under_a_superseded_guide_refused(guide, citizen):
    """C5: unpublished content is never a basis for handling."""
    draft = services.application_create_draft(actor=citizen, item_id=guide.item_id)
    ServiceGuide.objects.filter(pk=guide.pk).update(status=ServiceGuide.Status.SUPERSEDED)
    with pytest.raises(ApplicationError, match="新版"):
        services.application_submit(application_id=draft.pk, actor=citizen)


def test_window_create_same_key_gives_one_application(guide, citizen, window_staff):
    """A13, C6: a walk-in application, entered twice by a double click, is one application."""
    kwargs = dict(
        actor=window_staff,
        applicant_id=citizen.pk,
        item_id=guide.item_id,
        idempotency_key="window-42",
        channel=Channel.ASSISTED,
        materials=[(main_material(guide).pk, pdf_upload())],
    )
    first = services.application_window_create(**kwargs)
    second = services.application_window_create(**{**kwargs, "materials": []})
    assert first.pk == second.pk
    assert Application.objects.count() == 1
    assert first.state == State.SUBMITTED and first.assisted_by == window_staff
    assert first.materials.count() == 1


def test_company_agent_applies_for_the_company(guide, company_agent, company):
    app = services.application_create_draft(
        actor=company_agent, item_id=guide.item_id, company_id=company.pk
    )
    assert app.company == company and app.applicant_name == company.name
    assert app.applicant_type == "legal_person"


# --- A3 nothing twice -----------------------------------------------------------------------------


def test_reuse_a_material_submitted_before(guide, citizen):
    """A3: a later application reuses an earlier submitted file; no copy is made."""
    earlier = services.application_create_draft(actor=citizen, item_id=guide.item_id)
    source = services.application_attach_material(
        application_id=earlier.pk,
        actor=citizen,
        guide_material_id=tolerable_material(guide).pk,
        upload=png_upload(),
    )
    services.application_submit(application_id=earlier.pk, actor=citizen)
    later = services.application_create_draft(actor=citizen, item_id=guide.item_id)
    reused = services.application_reuse_material(
        application_id=later.pk,
        actor=citizen,
        guide_material_id=tolerable_material(guide).pk,
        source_material_id=source.pk,
    )
    assert reused.reused_from == source and reused.file.name == source.file.name
    assert reused.sha256 == source.sha256


def test_reuse_checks_format_and_owner(guide, citizen, other_citizen):
    earlier = services.application_create_draft(actor=citizen, item_id=guide.item_id)
    png = services.application_attach_material(
        application_id=earlier.pk,
        actor=citizen,
        guide_material_id=tolerable_material(guide).pk,
        upload=png_upload(),
    )
    services.application_submit(application_id=earlier.pk, actor=citizen)
    later = services.application_create_draft(actor=citizen, item_id=guide.item_id)
    with pytest.raises(ApplicationError, match="格式"):
        services.application_reuse_material(
            application_id=later.pk,
            actor=citizen,
            guide_material_id=main_material(guide).pk,
            source_material_id=png.pk,
        )
    stranger = services.application_create_draft(actor=other_citizen, item_id=guide.item_id)
    with pytest.raises(ApplicationError, match="不存在"):
        services.application_reuse_material(
            application_id=stranger.pk,
            actor=other_citizen,
            guide_material_id=tolerable_material(guide).pk,
            source_material_id=png.pk,
        )


def test_a_second_notice_cannot_add_new_demands(submitted, window_staff, citizen):
    """A5 never piecemeal: after resubmission, a new notice may repeat what is still wrong or
    concern what was supplied since, but not ask for something it could have asked before."""
    guide = submitted.guide
    deadline = timezone.localdate() + datetime.timedelta(days=15)
    services.application_request_correction(
        application_id=submitted.pk,
        actor=window_staff,
        deadline=deadline,
        items=[(main_material(guide).pk, "缺少签字")],
    )
    upload_corrections(submitted, citizen)
    services.application_resubmit_correction(application_id=submitted.pk, actor=citizen)
    with pytest.raises(ApplicationError) as err:
        services.application_request_correction(
            application_id=submitted.pk,
            actor=window_staff,
            deadline=deadline,
            items=[(tolerable_material(guide).pk, "不清晰")],
        )
    assert err.value.code == "piecemeal_correction"
    correction = services.application_request_correction(
        application_id=submitted.pk,
        actor=window_staff,
        deadline=deadline,
        items=[(main_material(guide).pk, "签字仍缺")],
    )
    assert correction.items.count() == 1
