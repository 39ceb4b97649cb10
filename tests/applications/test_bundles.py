"""一件事 (DOMAIN C8): one submission, member applications in each department's intake."""

from __future__ import annotations

import pytest

from apps.applications import selectors, services
from apps.applications.workflow import State
from apps.catalogue.models import Bundle
from apps.common.errors import ApplicationError


def test_one_submission_reaches_every_department(bundle, citizen, window_staff, other_dept_staff):
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=bundle.pk)
    assert group.number.startswith("YJS") and group.members.count() == 2
    members = services.application_bundle_submit(bundle_application_id=group.pk, actor=citizen)
    assert {m.state for m in members} == {State.SUBMITTED}
    again = services.application_bundle_submit(bundle_application_id=group.pk, actor=citizen)
    assert [m.pk for m in again] == [m.pk for m in members]
    ours = list(selectors.application_queue_for_staff(user=window_staff))
    theirs = list(selectors.application_queue_for_staff(user=other_dept_staff))
    assert len(ours) == len(theirs) == 1 and ours[0].bundle_application_id == group.pk
    assert theirs[0].bundle_application_id == group.pk


def test_others_cannot_submit_my_bundle(bundle, citizen, other_citizen):
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=bundle.pk)
    with pytest.raises(services.ApplicationNotFoundError):
        services.application_bundle_submit(bundle_application_id=group.pk, actor=other_citizen)


def test_unpublished_bundle_cannot_be_applied_for(bundle, citizen):
    Bundle.objects.filter(pk=bundle.pk).update(status=Bundle.Status.DRAFT)
    with pytest.raises(ApplicationError):
        services.application_bundle_create_drafts(actor=citizen, bundle_id=bundle.pk)


def test_admin_changelist_is_read_only_and_scoped(client, submitted, supervisor, other_dept_staff):
    """Supervisors see every department's applications in the admin; others only theirs."""
    client.force_login(supervisor)
    response = client.get("/admin/applications/application/")
    assert response.status_code == 200 and submitted.number in response.content.decode()
    assert client.get(f"/admin/applications/application/{submitted.pk}/change/").status_code == 200
    client.force_login(other_dept_staff)
    response = client.get("/admin/applications/application/")
    assert response.status_code == 200 and submitted.number not in response.content.decode()
