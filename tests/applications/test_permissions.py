"""Role × action × ownership (CONVENTIONS: the permission matrix; DOMAIN A17)."""

from __future__ import annotations

import pytest

from apps.applications import selectors, services
from apps.applications.services import ApplicationNotFoundError
from apps.applications.workflow import State
from apps.common.errors import PermissionDeniedError
from tests.applications.factories import (
    ApplicationFactory,
    accepted_application,
    guide_for,
    upload_corrections,
)

ALLOWED = "allowed"
FORBIDDEN = "forbidden"  # 403
NOT_FOUND = "not_found"  # 404: the application's existence is not revealed


def _accept(app, actor):
    return services.application_accept(application_id=app.pk, actor=actor)


def _approve(app, actor):
    return services.application_approve(application_id=app.pk, actor=actor)


def _withdraw(app, actor):
    return services.application_withdraw(application_id=app.pk, actor=actor)


def _start_review(app, actor):
    return services.application_start_review(application_id=app.pk, actor=actor)


MATRIX = [
    # action, state, persona, expected
    (_accept, State.SUBMITTED, "window_staff", ALLOWED),
    (_accept, State.SUBMITTED, "approver", ALLOWED),
    (_accept, State.SUBMITTED, "other_dept_staff", FORBIDDEN),
    (_accept, State.SUBMITTED, "supervisor", FORBIDDEN),
    (_accept, State.SUBMITTED, "hotline_operator", FORBIDDEN),
    (_accept, State.SUBMITTED, "citizen", FORBIDDEN),
    (_accept, State.SUBMITTED, "other_citizen", FORBIDDEN),
    (_start_review, State.ACCEPTED, "window_staff", ALLOWED),
    (_start_review, State.ACCEPTED, "other_dept_staff", FORBIDDEN),
    (_approve, State.UNDER_REVIEW, "approver", ALLOWED),
    (_approve, State.UNDER_REVIEW, "window_staff", FORBIDDEN),
    (_approve, State.UNDER_REVIEW, "other_dept_staff", FORBIDDEN),
    (_approve, State.UNDER_REVIEW, "citizen", FORBIDDEN),
    (_approve, State.UNDER_REVIEW, "system_admin", ALLOWED),
    (_withdraw, State.SUBMITTED, "citizen", ALLOWED),
    (_withdraw, State.SUBMITTED, "other_citizen", NOT_FOUND),
    (_withdraw, State.SUBMITTED, "window_staff", NOT_FOUND),
]


@pytest.mark.parametrize(
    ("action", "state", "persona", "expected"),
    MATRIX,
    ids=[f"{a.__name__}-{p}" for a, _s, p, _e in MATRIX],
)
def test_role_action_ownership_matrix(request, guide, citizen, action, state, persona, expected):
    actor = request.getfixturevalue(persona)
    if state == State.SUBMITTED:
        app = ApplicationFactory(guide=guide, applicant=citizen)
    else:
        app = accepted_application(guide=guide, applicant=citizen, state=state)
    if expected == ALLOWED:
        assert action(app, actor).state != state
        return
    error = PermissionDeniedError if expected == FORBIDDEN else ApplicationNotFoundError
    with pytest.raises(error):
        action(app, actor)
    app.refresh_from_db()
    assert app.state == state


def test_company_agents_share_the_companys_applications(guide, company_agent, company):
    from apps.accounts.models import User
    from tests.accounts.factories import UserFactory

    colleague = UserFactory(kind=User.Kind.COMPANY_AGENT)
    colleague.companies.add(company)
    app = services.application_create_draft(
        actor=company_agent, item_id=guide.item_id, company_id=company.pk
    )
    assert selectors.application_get_for_applicant(user=colleague, application_id=app.pk)


# --- Selectors ------------------------------------------------------------------------------


def test_applicant_sees_only_own(guide, citizen, other_citizen):
    mine = ApplicationFactory(guide=guide, applicant=citizen)
    theirs = ApplicationFactory(guide=guide, applicant=other_citizen)
    assert list(selectors.application_list_for_applicant(user=citizen)) == [mine]
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.application_get_for_applicant(user=citizen, application_id=theirs.pk)


def test_staff_queue_is_scoped_to_their_departments(
    guide, citizen, window_staff, other_dept_staff, other_department, supervisor
):
    ours = ApplicationFactory(guide=guide, applicant=citizen)
    theirs = ApplicationFactory(guide=guide_for(other_department), applicant=citizen)
    assert list(selectors.application_queue_for_staff(user=window_staff, bucket="new")) == [ours]
    assert list(selectors.application_queue_for_staff(user=other_dept_staff)) == [theirs]
    assert set(selectors.application_scope_for_staff(user=supervisor)) == {ours, theirs}
    assert not selectors.application_list_for_applicant(user=window_staff).exists()


def test_queue_buckets(guide, citizen, window_staff):
    import datetime

    from apps.workdays.calendar import SHANGHAI

    start = datetime.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)
    soon = accepted_application(guide=guide, applicant=citizen, accepted_at=start)
    late = accepted_application(
        guide=guide, applicant=citizen, accepted_at=start - datetime.timedelta(days=30)
    )
    today = soon.yellow_on
    due_soon = selectors.application_queue_for_staff(
        user=window_staff, bucket="due_soon", today=today
    )
    overdue = selectors.application_queue_for_staff(
        user=window_staff, bucket="overdue", today=today
    )
    assert list(due_soon) == [soon] and list(overdue) == [late]
    assert overdue[0].level == "red" and due_soon[0].level == "yellow"


def test_corrections_returned_bucket(guide, citizen, window_staff):
    import datetime

    from django.utils import timezone

    from tests.applications.factories import main_material

    app = ApplicationFactory(guide=guide, applicant=citizen)
    services.application_request_correction(
        application_id=app.pk,
        actor=window_staff,
        deadline=timezone.localdate() + datetime.timedelta(days=9),
        items=[(main_material(guide).pk, "缺签字")],
    )
    upload_corrections(app, citizen)
    services.application_resubmit_correction(application_id=app.pk, actor=citizen)
    bucket = selectors.application_queue_for_staff(user=window_staff, bucket="corrections_returned")
    assert list(bucket) == [app]


def test_supervision_overview_only_for_supervisors(guide, citizen, supervisor, window_staff):
    import datetime

    from apps.workdays.calendar import SHANGHAI

    late = accepted_application(
        guide=guide,
        applicant=citizen,
        accepted_at=datetime.datetime(2026, 1, 5, 9, tzinfo=SHANGHAI),
    )
    assert list(selectors.supervision_overview(user=supervisor)["overdue"]) == [late]
    assert not selectors.supervision_overview(user=window_staff)["overdue"].exists()
    # The console's lists are the same without the level annotated.
    lists = selectors.supervision_lists(user=supervisor)
    assert list(lists["overdue"]) == [late] and not hasattr(lists["overdue"].get(), "level")
    assert not selectors.supervision_lists(user=window_staff)["overdue"].exists()


def test_queries_do_not_grow_with_rows(guide, citizen, window_staff, django_assert_max_num_queries):
    from apps.applications.api.serializers import ApplicationOutputSerializer

    for _ in range(15):
        accepted_application(guide=guide, applicant=citizen)
    window_staff = type(window_staff).objects.get(pk=window_staff.pk)
    with django_assert_max_num_queries(4):
        data = ApplicationOutputSerializer(
            selectors.application_list_for_applicant(user=citizen), many=True
        ).data
    assert len(data) == 15
    # Permissions, roles and departments of the user once, then one query per bucket.
    with django_assert_max_num_queries(8):
        rows = list(selectors.application_queue_for_staff(user=window_staff, bucket="overdue"))
        rows += list(selectors.application_queue_for_staff(user=window_staff, bucket="new"))
        ApplicationOutputSerializer(rows, many=True).data  # noqa: B018
