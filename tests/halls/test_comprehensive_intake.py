"""A11 一窗受理: staff on duty at a comprehensive window take in applications for any
department stationed in the hall; intake only — the owning department still accepts and
decides."""

from __future__ import annotations

import pytest

from apps.applications import hooks as application_hooks
from apps.applications import services as application_services
from apps.applications.workflow import State
from apps.common.errors import PermissionDeniedError
from tests.applications.factories import guide_for, main_material, pdf_upload
from tests.halls.conftest import NINE_THIRTY

pytestmark = pytest.mark.django_db


def _create(actor, citizen, guide, key):
    return application_services.application_window_create(
        actor=actor,
        applicant_id=citizen.pk,
        item_id=guide.item_id,
        idempotency_key=key,
        materials=[(main_material(guide).pk, pdf_upload())],
    )


def test_halls_registers_the_intake_provider():
    names = application_hooks.registered()["intake_departments"]
    assert names == ["apps.halls.integrations.intake_departments"]


def test_comprehensive_window_takes_in_another_departments_item_A11(
    setup, citizen, window_staff, other_department, other_dept_staff
):
    setup.center.departments.add(other_department)
    guide = guide_for(other_department)
    application = _create(window_staff, citizen, guide, "a11-1")
    assert application.department == other_department and application.state == State.SUBMITTED
    assert application.handled_by == window_staff
    assert _create(window_staff, citizen, guide, "a11-1").pk == application.pk  # retry
    with pytest.raises(PermissionDeniedError):  # intake only: the department accepts
        application_services.application_accept(application_id=application.pk, actor=window_staff)


def test_no_cross_department_intake_off_duty_or_outside_the_hall_A11(
    setup, citizen, second_window_staff, other_department, other_dept_staff, at_nine_thirty
):
    guide = guide_for(other_department)
    with pytest.raises(PermissionDeniedError):  # the department is not stationed in the hall
        _create(second_window_staff, citizen, guide, "a11-2")
    setup.center.departments.add(other_department)
    at_nine_thirty.move_to(NINE_THIRTY.replace(hour=20))  # the shift is over
    with pytest.raises(PermissionDeniedError):
        _create(second_window_staff, citizen, guide, "a11-3")
