"""One way to end a case (DOMAIN A4, A6, A9, A10, A12, C8) and the hooks later apps use.

Every final transition goes through ``close_case``: it sets the decision time and the
outcome, closes a running special procedure, clears the intake deadline, issues the written
documents, tells the applicant, calls the registered ``case_closed_listeners`` once, and
completes the 一件事.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.applications import hooks, services
from apps.applications.models import Application, Suspension
from apps.applications.services import RejectionGround
from apps.applications.services.supervision import supervise_applications
from apps.applications.workflow import FINISHED_STATES, State
from apps.common.errors import InvalidTransitionError
from apps.documents.models import DocumentKind
from tests.accounts.factories import StaffFactory
from tests.applications.factories import (
    ApplicationFactory,
    accepted_application,
    guide_for,
    main_material,
)


@pytest.fixture
def closed_cases(monkeypatch):
    """A listener registered the way a later app does it (``hooks.register`` in ready())."""
    calls: list[tuple[int, str, int | None]] = []

    def listener(application, actor):
        calls.append((application.pk, application.state, actor.pk if actor else None))

    monkeypatch.setattr(hooks, "case_closed_listeners", [])
    hooks.register(hooks.case_closed_listeners, listener)
    hooks.register(hooks.case_closed_listeners, listener)  # ready() twice: still once
    return calls


def _suspended(guide, citizen, window_staff):
    app = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    services.application_suspend(
        application_id=app.pk, actor=window_staff, kind="site_inspection", reason="现场勘验"
    )
    return Application.objects.get(pk=app.pk)


ENDINGS = {
    "approve": lambda a, p: services.application_approve(application_id=a.pk, actor=p["approver"]),
    "deny": lambda a, p: services.application_deny(
        application_id=a.pk, actor=p["approver"], reasons="不符合法定条件"
    ),
    "revoke": lambda a, p: services.application_revoke_acceptance(
        application_id=a.pk, actor=p["approver"], reason="申请人隐瞒有关情况"
    ),
    "withdraw": lambda a, p: services.application_withdraw(
        application_id=a.pk, actor=p["citizen"], reason="不再需要"
    ),
}


@pytest.mark.parametrize("name", sorted(ENDINGS))
def test_every_ending_of_a_reviewed_case_goes_through_close_case(
    name, guide, citizen, approver, closed_cases
):
    """A9, A10: decision time, outcome, the listener once, the applicant told."""
    app = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    ENDINGS[name](app, {"approver": approver, "citizen": citizen})
    app.refresh_from_db()
    assert app.state in FINISHED_STATES and app.outcome == app.state
    assert app.decided_at is not None
    assert closed_cases == [(app.pk, app.state, (citizen if name == "withdraw" else approver).pk)]


@pytest.mark.parametrize("name", ["revoke", "withdraw"])
def test_ending_a_suspended_case_closes_its_special_procedure(
    name, guide, citizen, window_staff, approver, closed_cases
):
    """A8: a case that ends during a procedure leaves no procedure running."""
    app = _suspended(guide, citizen, window_staff)
    ENDINGS[name](app, {"approver": approver, "citizen": citizen})
    suspension = Suspension.objects.get(application=app)
    assert suspension.ended_on == timezone.localdate()
    assert len(closed_cases) == 1


def test_intake_endings_go_through_close_case(
    submitted, guide, citizen, window_staff, other_department, closed_cases
):
    """A4(2), A4(5): transfer and refusal clear the intake deadline and end the case."""
    services.application_transfer_not_ours(
        application_id=submitted.pk,
        actor=window_staff,
        right_department_id=other_department.pk,
        reason="属于公安部门职权",
    )
    other = ApplicationFactory(guide=guide, applicant=citizen)
    services.application_reject(
        application_id=other.pk,
        actor=window_staff,
        ground=RejectionGround.CONDITIONS_NOT_MET,
        reasons="不符合受理条件",
    )
    for app in Application.objects.filter(pk__in=[submitted.pk, other.pk]):
        assert app.intake_due_date is None and app.decided_at is not None
    assert [state for _pk, state, _actor in closed_cases] == [State.TRANSFERRED, State.REJECTED]


def test_immediate_decision_is_decided_at_acceptance(
    department, citizen, window_staff, closed_cases
):
    """A6: accepted and decided in one step, at one moment, through close_case."""
    guide = guide_for(department, is_immediate=True)
    app = ApplicationFactory(guide=guide, applicant=citizen)
    app = services.application_decide_immediately(application_id=app.pk, actor=window_staff)
    assert app.state == State.APPROVED and app.decided_at == app.accepted_at
    kinds = set(app.documents.values_list("kind", flat=True))
    assert kinds == {DocumentKind.APPROVAL_DECISION, DocumentKind.LICENCE}
    assert closed_cases == [(app.pk, State.APPROVED, window_staff.pk)]


def test_deemed_withdrawal_goes_through_close_case(submitted, window_staff, closed_cases):
    """A5: the supervision pass ends a lapsed correction notice's case the same way."""
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    services.application_request_correction(
        application_id=submitted.pk,
        actor=window_staff,
        deadline=deadline,
        items=[(main_material(submitted.guide).pk, "缺少签字")],
    )
    supervise_applications(today=deadline + datetime.timedelta(days=1))
    assert closed_cases == [(submitted.pk, State.WITHDRAWN, None)]


# --- Leaving a suspension goes only through resume (A8) --------------------------------------


def test_start_review_on_a_suspended_case_is_refused_and_moves_nothing(
    guide, citizen, window_staff
):
    """A8: start-review does not leave a special procedure; the due date stays, and a second
    suspension is refused with a message, not a database error."""
    app = _suspended(guide, citizen, window_staff)
    due = app.due_date
    with pytest.raises(InvalidTransitionError, match="特别程序中"):
        services.application_start_review(application_id=app.pk, actor=window_staff)
    with pytest.raises(InvalidTransitionError):
        services.application_suspend(
            application_id=app.pk, actor=window_staff, kind="site_inspection", reason="再次勘验"
        )
    app.refresh_from_db()
    assert app.state == State.SUSPENDED and app.due_date == due
    assert Suspension.objects.filter(application=app, ended_on=None).count() == 1


def test_start_review_on_a_suspended_case_over_the_api_is_409(guide, citizen, window_staff):
    app = _suspended(guide, citizen, window_staff)
    client = APIClient()
    client.force_authenticate(window_staff)
    response = client.post(f"/api/v1/applications/{app.pk}/start-review")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


# --- Deciding an extension: 404 for an unknown id, only the department's approver -----------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("approver", 404), ("window_staff", 403), ("citizen", 403), ("other_dept_staff", 403)],
)
def test_deciding_an_unknown_extension(db, request, persona, status):
    """A7: never a 500; an approver learns it does not exist, others may not decide."""
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(persona))
    response = client.post("/api/v1/applications/extensions/987654/decide", {"approved": True})
    assert response.status_code == status
    assert response.json()["error"]["code"] in {"not_found", "permission_denied"}


def test_only_the_approver_of_the_department_decides_an_extension(
    guide, citizen, window_staff, approver, other_department
):
    """A7/A7a: the head of the body that handles the case, not another department's."""
    app = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    extension = services.application_request_extension(
        application_id=app.pk, actor=window_staff, days=5, reason="需要补充调查"
    )
    stranger = StaffFactory(role=Role.DEPARTMENT_APPROVER, departments=[other_department])
    client = APIClient()
    client.force_authenticate(stranger)
    url = f"/api/v1/applications/extensions/{extension.pk}/decide"
    assert client.post(url, {"approved": True}).status_code == 403
    client.force_authenticate(approver)
    assert client.post(url, {"approved": True}).status_code == 200


# --- The result waits while a later app's guard holds it back (T1) --------------------------


def test_a_release_guard_withholds_the_result_from_the_applicant_only(
    client, guide, citizen, approver, monkeypatch, render_documents
):
    """The tolerance app's rule in miniature: decided, but the result is not downloadable
    by the applicant until the guard lets it go; staff always see it."""
    held = {"reason": "结果待容缺材料补齐后发放"}
    monkeypatch.setattr(hooks, "result_release_guards", [lambda application: held["reason"]])
    app = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    services.application_approve(application_id=app.pk, actor=approver)
    render_documents()
    decision = app.documents.get(kind=DocumentKind.APPROVAL_DECISION)
    url = reverse("applications:document", args=[app.pk, decision.document_id])

    client.force_login(citizen)
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "结果待容缺材料补齐后发放" in page and url not in page
    assert client.get(url).status_code == 404
    client.force_login(approver)
    assert client.get(url).status_code == 200

    held["reason"] = None
    client.force_login(citizen)
    assert client.get(url).status_code == 200
