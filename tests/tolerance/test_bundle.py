"""T3 with C8: a 一件事 member revoked for a missed supplement completes its bundle."""

from __future__ import annotations

import datetime

from apps.applications import services as app_services
from apps.applications.models import Application, ApplicationMaterial
from apps.applications.workflow import State
from apps.catalogue.models import Bundle, BundleStep
from apps.tolerance import services
from tests.applications.factories import guide_for, main_material
from tests.tolerance.helpers import accept, supply


def test_t3_revoked_member_completes_its_bundle(
    department, other_department, citizen, window_staff, other_approver
):
    first, second = guide_for(department), guide_for(other_department)
    bundle = Bundle.objects.create(
        code="YJS-TOL",
        name="我要开餐馆",
        target="both",
        lead_department=department,
        promised_time_limit_days=10,
        status=Bundle.Status.PUBLISHED,
    )
    BundleStep.objects.create(bundle=bundle, item=first.item, stage=1)
    BundleStep.objects.create(bundle=bundle, item=second.item, stage=1)
    group = app_services.application_bundle_create_drafts(actor=citizen, bundle_id=bundle.pk)
    app_services.application_bundle_submit(bundle_application_id=group.pk, actor=citizen)
    ours = Application.objects.get(bundle_application=group, department=department)
    theirs = Application.objects.get(bundle_application=group, department=other_department)
    Application.objects.filter(pk=theirs.pk).update(state=State.UNDER_REVIEW)
    app_services.application_approve(application_id=theirs.pk, actor=other_approver)
    ApplicationMaterial.objects.create(
        application=ours, guide_material=main_material(first), e_licence_reference="L-1"
    )
    accept(ours, citizen, window_staff)
    group.refresh_from_db()
    assert group.completed_at is None

    services.sweep_tolerated_materials(today=supply(ours).due_date + datetime.timedelta(days=1))
    ours.refresh_from_db()
    group.refresh_from_db()
    assert ours.state == State.REVOKED
    assert group.completed_at is not None
