"""Supplying the tolerated materials, the window's check and the withheld result (T1–T3)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from apps.applications import services as app_services
from apps.applications.hooks import registered
from apps.applications.selectors import application_documents
from apps.applications.workflow import State
from apps.common.errors import ApplicationError
from apps.documents.models import DocumentKind
from apps.notifications.models import Notification
from apps.tolerance import services
from apps.tolerance.models import Supplement
from apps.tolerance.selectors import RESULT_PENDING, result_withheld_reason
from apps.tolerance.workflow import SupplyState
from tests.applications.factories import main_material, png_upload
from tests.tolerance.helpers import accept, submit, supply


def test_hooks_are_registered():
    hooks = registered()
    assert "apps.tolerance.integrations.withhold_result" in hooks["result_release_guards"]
    assert (
        "apps.tolerance.integrations.on_tolerant_acceptance"
        in hooks["tolerant_acceptance_listeners"]
    )


def test_t1_supplement_accepted(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    supplement = submit(app, citizen)
    assert supply(app).state == SupplyState.SUBMITTED
    services.supplement_accept(supplement_id=supplement.pk, actor=window_staff)
    row = supply(app)
    assert row.state == SupplyState.ACCEPTED and row.supplied_on_time is True
    assert row.tolerated.supplied_at == supplement.created_at
    assert result_withheld_reason(app) is None
    assert Notification.objects.filter(recipient=citizen, title="容缺材料已补齐").exists()


def test_t3_supplement_rejected_then_accepted_deadline_unchanged(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    due = supply(app).due_date
    first = submit(app, citizen)
    with pytest.raises(ApplicationError) as refused:
        services.supplement_reject(supplement_id=first.pk, actor=window_staff, reason=" ")
    assert refused.value.code == "reason_required"
    services.supplement_reject(supplement_id=first.pk, actor=window_staff, reason="平面图未标尺寸")
    row = supply(app)
    assert row.state == SupplyState.REJECTED and row.reason == "平面图未标尺寸"
    assert row.due_date == row.tolerated.due_date == due
    assert Notification.objects.filter(recipient=citizen, body__contains="平面图未标尺寸").exists()
    second = submit(app, citizen)
    services.supplement_accept(supplement_id=second.pk, actor=window_staff)
    assert supply(app).state == SupplyState.ACCEPTED
    with pytest.raises(ApplicationError) as again:
        services.supplement_accept(supplement_id=second.pk, actor=window_staff)
    assert again.value.code == "already_checked"


def test_t1_supplement_for_a_material_not_tolerated_is_refused(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    with pytest.raises(ApplicationError) as refused:
        services.supplement_submit(
            application_id=app.pk,
            guide_material_id=main_material(app.guide).pk,
            actor=citizen,
            upload=png_upload(),
        )
    assert refused.value.code == "material_not_tolerated"
    assert not Supplement.objects.exists()


def test_t1_second_upload_after_acceptance_or_while_pending_is_refused(
    submitted, citizen, window_staff
):
    app = accept(submitted, citizen, window_staff)
    supplement = submit(app, citizen)
    with pytest.raises(ApplicationError) as pending:
        submit(app, citizen)
    assert pending.value.code == "supplement_pending"
    services.supplement_accept(supplement_id=supplement.pk, actor=window_staff)
    with pytest.raises(ApplicationError) as refused:
        submit(app, citizen)
    assert refused.value.code == "already_supplied"
    assert Supplement.objects.count() == 1


def test_t3_supplement_late_is_refused(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    due = supply(app).due_date
    on_deadline = timezone.make_aware(datetime.datetime.combine(due, datetime.time(16)))
    day_after = on_deadline + datetime.timedelta(days=1)
    with time_machine.travel(day_after, tick=False), pytest.raises(ApplicationError) as refused:
        submit(app, citizen)
    assert refused.value.code == "supplement_late"
    with time_machine.travel(on_deadline, tick=False):  # the deadline day itself counts
        submit(app, citizen)
    assert supply(app).state == SupplyState.SUBMITTED


def test_t1_others_cannot_supply_or_check(
    submitted, citizen, other_citizen, window_staff, other_dept_staff
):
    app = accept(submitted, citizen, window_staff)
    with pytest.raises(ApplicationError) as hidden:
        submit(app, other_citizen)
    assert hidden.value.status_code == 404
    supplement = submit(app, citizen)
    with pytest.raises(ApplicationError) as denied:
        services.supplement_accept(supplement_id=supplement.pk, actor=other_dept_staff)
    assert denied.value.status_code == 403
    with pytest.raises(ApplicationError) as denied_citizen:
        services.supplement_accept(supplement_id=supplement.pk, actor=citizen)
    assert denied_citizen.value.status_code == 403


def test_t1_result_withheld_until_every_supplement_is_accepted(
    submitted, citizen, window_staff, approver
):
    """The approver may decide; the decision and licence are not released until then."""
    app = accept(submitted, citizen, window_staff)
    app_services.application_start_review(application_id=app.pk, actor=window_staff)
    app_services.application_approve(application_id=app.pk, actor=approver)
    app.refresh_from_db()
    assert app.state == State.APPROVED
    links = application_documents(application=app, for_applicant=True)
    results = [link for link in links if link.kind == DocumentKind.APPROVAL_DECISION]
    assert results and results[0].withheld == RESULT_PENDING
    supplement = submit(app, citizen)
    services.supplement_accept(supplement_id=supplement.pk, actor=window_staff)
    links = application_documents(application=app, for_applicant=True)
    assert all(link.withheld == "" for link in links)
    assert Notification.objects.filter(recipient=citizen, body__contains="办理结果已发放").exists()


def test_withdrawn_case_closes_its_supplies(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    app_services.application_withdraw(application_id=app.pk, actor=citizen, reason="不办了")
    assert supply(app).state == SupplyState.CLOSED
    with pytest.raises(ApplicationError) as refused:
        submit(app, citizen)
    assert refused.value.code == "case_closed"
