"""The staff console in the admin (issue #4): queues (A4a, A15), the application page and
its action forms (A4, A5, A6, A7, A8, A9, A12, C7), walk-in entry (A13) and electronic
supervision (A15).

Every action goes through one service; the page shows the service's Chinese message when
it refuses, and nothing changes.
"""

from __future__ import annotations

import datetime
import html
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.applications import hooks, selectors, services
from apps.applications.admin import views as admin_views
from apps.applications.models import (
    Application,
    ApplicationMaterial,
    CorrectionRequest,
    Extension,
    TimelineEvent,
)
from apps.applications.workflow import State
from apps.catalogue.models import SpecialProcedure
from apps.workdays.calendar import add_working_days
from tests.applications.factories import (
    ApplicationFactory,
    accepted_application,
    guide_for,
    main_material,
    pdf_upload,
    tolerable_material,
    upload_corrections,
)
from tests.notifications.callbacks import queued_work
from tests.tolerance.helpers import pledge_on_record

QUEUE = "/admin/applications/application/queue/"
SUPERVISION = "/admin/applications/application/supervision/"
WINDOW = "/admin/applications/application/window-create/"

# A Wednesday morning in a normal working week (no holidays nearby).
NOW = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def detail(app) -> str:
    return f"/admin/applications/application/{app.pk}/change/"


def action(app, name: str) -> str:
    return f"/admin/applications/application/{app.pk}/action/{name}/"


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def state_of(app) -> str:
    return Application.objects.values_list("state", flat=True).get(pk=app.pk)


def transitions(app) -> list[tuple[str, str]]:
    return list(
        TimelineEvent.objects.filter(application=app, kind=TimelineEvent.Kind.TRANSITION)
        .order_by("id")
        .values_list("from_state", "to_state")
    )


# --- Queues (A4a, A15) ---------------------------------------------------------------------


def test_queue_shows_own_departments_only_with_masked_names(
    client, submitted, window_staff, other_dept_staff, supervisor
):
    """Staff see their departments' new applications; supervisors see all; names masked."""
    client.force_login(window_staff)
    body = client.get(QUEUE).content.decode()
    assert submitted.number in body
    assert "王**" in body and "王小明" not in body

    client.force_login(other_dept_staff)
    assert submitted.number not in client.get(QUEUE).content.decode()
    assert client.get(detail(submitted)).status_code == 404

    client.force_login(supervisor)
    assert submitted.number in client.get(QUEUE + "?tab=all").content.decode()


def test_citizen_cannot_open_the_console(client, submitted, citizen):
    client.force_login(citizen)
    assert client.get(QUEUE).status_code == 302  # to the admin login
    assert client.get(detail(submitted)).status_code == 302


def test_queue_warns_of_the_intake_deadline(client, frozen, guide, citizen, window_staff):
    """A4a: 5 days to decide intake; "受理期限剩X个工作日" turns yellow near it, red on the day."""
    today = timezone.localdate()
    due_today = ApplicationFactory(guide=guide, applicant=citizen, intake_due_date=today)
    due_in_two = ApplicationFactory(
        guide=guide, applicant=citizen, intake_due_date=add_working_days(today, 2)
    )
    client.force_login(window_staff)
    body = client.get(QUEUE + "?tab=new").content.decode()
    assert due_today.number in body and due_in_two.number in body
    assert '<span class="gs-badge gs-red">今日到期</span>' in body
    assert '<span class="gs-badge gs-yellow">受理期限剩2个工作日</span>' in body


def test_queue_tabs_follow_the_clock(client, frozen, guide, citizen, window_staff):
    """A7/A15: overdue in red under 已超期, near the deadline in yellow under 即将到期."""
    overdue = accepted_application(
        guide=guide, applicant=citizen, accepted_at=timezone.now() - datetime.timedelta(days=40)
    )
    soon = accepted_application(
        guide=guide, applicant=citizen, accepted_at=timezone.now() - datetime.timedelta(days=12)
    )
    fresh = accepted_application(guide=guide, applicant=citizen)
    client.force_login(window_staff)
    body = client.get(QUEUE + "?tab=overdue").content.decode()
    assert overdue.number in body and soon.number not in body
    assert '<span class="gs-badge gs-red">超期</span>' in body
    body = client.get(QUEUE + "?tab=due_soon").content.decode()
    assert soon.number in body and overdue.number not in body and fresh.number not in body
    assert '<span class="gs-badge gs-yellow">临期</span>' in body


def test_queue_lists_corrections_returned(client, guide, citizen, window_staff):
    """A5: a resubmitted correction comes back to the window under 补正已返回."""
    app = ApplicationFactory(guide=guide, applicant=citizen)
    services.application_request_correction(
        application_id=app.pk,
        actor=window_staff,
        items=[(main_material(guide).pk, "签名缺失")],
        deadline=add_working_days(timezone.localdate(), 5),
    )
    upload_corrections(app, citizen)
    services.application_resubmit_correction(application_id=app.pk, actor=citizen)
    client.force_login(window_staff)
    assert app.number in client.get(QUEUE + "?tab=corrections_returned").content.decode()


@pytest.mark.parametrize("tab", ["new", "all"])
def test_queue_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, guide, citizen, window_staff, tab
):
    ApplicationFactory.create_batch(3, guide=guide, applicant=citizen)
    client.force_login(window_staff)
    client.get(QUEUE + f"?tab={tab}")  # warm caches (calendar snapshot, session)
    with CaptureQueriesContext(connection) as three:
        assert client.get(QUEUE + f"?tab={tab}").status_code == 200
    ApplicationFactory.create_batch(27, guide=guide, applicant=citizen)
    with django_assert_max_num_queries(len(three)):
        response = client.get(QUEUE + f"?tab={tab}")
    assert response.content.decode().count('/change/">SQT') == 30


def test_detail_page_query_count_is_bounded(
    client, django_assert_max_num_queries, guide, citizen, window_staff
):
    app = ApplicationFactory(guide=guide, applicant=citizen)
    client.force_login(window_staff)
    client.get(detail(app))
    # Issue 16: the guide's materials, the extensions and the answers are read with the
    # application, not again by each part of the page; whether it has 容缺材料, corrections,
    # special procedures or a later app's record (容缺, 政策兑现, 帮办代办) is asked in the
    # same query, so an empty section costs nothing. Session, user, permissions, roles and
    # departments are 6 of these; the 非本部门 form's departments 1.
    with django_assert_max_num_queries(15):
        assert client.get(detail(app)).status_code == 200


def test_detail_sections_that_are_usually_empty_show_as_soon_as_they_have_rows(
    client, django_assert_max_num_queries, guide, citizen, window_staff
):
    """Issue 16: the page asks with the application whether it has 补正告知 or 延期申请
    rows; the section shows on the next load after one is written, and the page stays
    within its query budget."""
    app = accepted_application(guide=guide, applicant=citizen)
    client.force_login(window_staff)
    body = client.get(detail(app)).content.decode()
    assert "<h2>延期申请</h2>" not in body and "<h2>补正告知</h2>" not in body
    services.application_request_extension(
        application_id=app.pk, actor=window_staff, days=3, reason="需现场核查"
    )
    CorrectionRequest.objects.create(
        application=app,
        requested_by=window_staff,
        deadline=timezone.localdate(),
        remind_on=timezone.localdate(),
    )
    with django_assert_max_num_queries(17):
        body = client.get(detail(app)).content.decode()
    assert "<h2>延期申请</h2>" in body and "需现场核查" in body
    assert "<h2>补正告知</h2>" in body


def test_detail_documents_show_once_the_intake_decision_issued_one(
    client, django_assert_max_num_queries, guide, citizen, window_staff
):
    """Issue 16: whether a case has documents is asked with the other section flags; the
    acceptance notice shows on the next load after 受理, within the page's budget."""
    app = ApplicationFactory(guide=guide, applicant=citizen)
    client.force_login(window_staff)
    assert "尚未出具文书。" in client.get(detail(app)).content.decode()
    services.application_accept(application_id=app.pk, actor=window_staff)
    with django_assert_max_num_queries(15):
        body = client.get(detail(app)).content.decode()
    assert "尚未出具文书。" not in body and "受理通知书" in body


def test_accept_post_stays_within_its_statement_budget(
    client,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    guide,
    citizen,
    window_staff,
):
    """A4(1) 受理 through the console, as the window does it (the page first, then the
    POST), in a fixed number of statements (issue 16: 19 before). The user and the case's
    scoped keys 2; the transaction's start and end 2; the bundle lock, the row lock with its
    guide, item, department and applicant, and the guide's and the case's materials 4; the
    case's changed columns, its history row, the receipt's number, row and history row, its
    link, the two timeline rows in one INSERT and the applicant's messages 8. The receipt's
    PDF and the SMS go out after commit."""
    app = ApplicationFactory(guide=guide, applicant=citizen)
    client.force_login(window_staff)
    client.get(detail(app))  # the window reads the page first (access kept, as in production)
    with (
        django_assert_max_num_queries(16),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        response = client.post(action(app, "accept"), {"note": "材料齐全"})
    assert response.status_code == 302 and response["Location"] == detail(app)
    assert flash(response) == ["已受理，受理通知书已出具。"]
    assert state_of(app) == State.ACCEPTED
    # The receipt's render, the SMS's delivery.
    assert [c.__name__ for c in queued_work(callbacks)] == ["<lambda>", "publish_after_commit"]
    events = TimelineEvent.objects.filter(application=app).order_by("created_at", "id")
    assert [(e.kind, e.to_state, e.actor_id, e.reason) for e in events] == [
        (TimelineEvent.Kind.TRANSITION, State.ACCEPTED, window_staff.pk, "材料齐全"),
        (TimelineEvent.Kind.DOCUMENT_ISSUED, "", window_staff.pk, "受理通知书"),
    ]
    history = app.history.order_by("-history_date", "-history_id").first()
    assert history.state == State.ACCEPTED and history.history_user_id == window_staff.pk


def test_staff_page_reads_compiled_once_give_the_querysets_rows(guide, citizen, window_staff):
    """Issue 16: the staff page's timeline and documents, compiled once per process, are the
    rows (in the order) of ``application_timeline`` and of the case's documents."""
    app = ApplicationFactory(guide=guide, applicant=citizen)
    services.application_accept(application_id=app.pk, actor=window_staff)
    app = Application.objects.get(pk=app.pk)
    events = selectors.application_timeline_for_staff(application=app)
    expected = list(selectors.application_timeline(application=app, for_applicant=False))
    assert [e.pk for e in events] == [e.pk for e in expected] and len(events) >= 2
    assert [e.actor for e in events] == [e.actor for e in expected]
    links = selectors.application_documents(application=app, for_applicant=False)
    theirs = selectors.application_documents(application=app, for_applicant=True)
    assert [link.pk for link in links] == [link.pk for link in theirs] and links
    with CaptureQueriesContext(connection) as captured:
        assert all(link.application is app and link.document for link in links)
    assert not captured.captured_queries


def test_every_staff_page_flag_names_a_model_with_an_application_key():
    """The staff page asks each later app's flag as ``EXISTS`` over the model's
    ``application`` column (``hooks.staff_page_flags``)."""
    flags = hooks.staff_page_flag_models()
    assert {"tolerance_has_supplies", "tolerance_has_pledge", "policies_has_claim"} <= set(flags)
    for model in flags.values():
        assert model._meta.get_field("application").related_model is Application


# --- The application page ------------------------------------------------------------------


def test_detail_shows_full_name_masked_numbers_and_intake_actions(
    client, submitted, window_staff, citizen
):
    ApplicationMaterial.objects.create(
        application=submitted,
        guide_material=main_material(submitted.guide),
        file=pdf_upload(),
        original_filename="申请书.pdf",
    )
    client.force_login(window_staff)
    body = client.get(detail(submitted)).content.decode()
    assert "王小明" in body
    assert citizen.masked_phone in body and citizen.phone not in body
    assert citizen.id_number not in body
    assert f"/applications/{submitted.pk}/materials/" in body
    for label in ("受理", "非本部门", "当场更正后受理", "容缺受理", "不予受理", "一次性告知补正"):
        assert f'value="{label}"' in body
    # Not an immediate item, and decisions are for approvers (A6, A9).
    assert 'value="即办件办结"' not in body and 'value="准予"' not in body


def test_detail_offers_decisions_to_approver_only(client, guide, citizen, window_staff, approver):
    app = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    client.force_login(window_staff)
    body = client.get(detail(app)).content.decode()
    assert 'value="特别程序中止"' in body and 'value="准予"' not in body
    client.force_login(approver)
    body = client.get(detail(app)).content.decode()
    assert 'value="准予"' in body and 'value="不予许可"' in body and 'value="撤销受理"' in body
    assert 'value="受理"' not in body


def _tolerant_ready(app):
    ApplicationMaterial.objects.create(
        application=app, guide_material=main_material(app.guide), e_licence_reference="DZZZ-1"
    )
    pledge_on_record(app)  # the tolerance app's record of the signed pledge (T1)


def _suspended(app, staff):
    services.application_suspend(
        application_id=app.pk,
        actor=staff,
        kind=SpecialProcedure.Kind.SITE_INSPECTION,
        reason="勘验",
    )


INTAKE_CASES = [
    # (action, POST data builder, expected state, rule)
    ("accept", lambda g, o: {"note": "材料齐全"}, State.ACCEPTED),
    (
        "transfer",
        lambda g, o: {"right_department": o.pk, "reason": "属公安部门职责"},
        State.TRANSFERRED,
    ),
    ("correct_on_spot", lambda g, o: {"corrections": "更正申请表日期"}, State.ACCEPTED),
    (
        "accept_tolerant",
        lambda g, o: {"missing_materials": [tolerable_material(g).pk], "pledge_signed": "on"},
        State.TOLERANT_ACCEPTED,
    ),
    (
        "reject",
        lambda g, o: {"ground": "conditions_not_met", "reasons": "不符合受理条件"},
        State.REJECTED,
    ),
    (
        "request_correction",
        lambda g, o: {
            "materials": [main_material(g).pk],
            f"reason_{main_material(g).pk}": "缺少签名",
            "deadline": add_working_days(timezone.localdate(), 5).isoformat(),
        },
        State.CORRECTION_REQUESTED,
    ),
]


@pytest.mark.parametrize(("name", "data", "target"), INTAKE_CASES, ids=[c[0] for c in INTAKE_CASES])
def test_intake_actions_perform_the_transition(
    client, guide, citizen, window_staff, other_department, name, data, target
):
    """A4 (five outcomes) and A5: each form calls its service; the timeline records it."""
    app = ApplicationFactory(guide=guide, applicant=citizen)
    if name == "accept_tolerant":
        _tolerant_ready(app)
    client.force_login(window_staff)
    response = client.post(action(app, name), data(guide, other_department))
    assert response.status_code == 302 and response["Location"] == detail(app)
    assert state_of(app) == target
    assert transitions(app)[-1] == (State.SUBMITTED, target)
    assert flash(response) and "error" not in [
        m.level_tag for m in get_messages(response.wsgi_request)
    ]


def test_immediate_item_is_decided_at_the_window(client, department, citizen, window_staff):
    """A6 即办件: accepted and decided in one step."""
    guide = guide_for(department, is_immediate=True)
    app = ApplicationFactory(guide=guide, applicant=citizen)
    client.force_login(window_staff)
    assert 'value="即办件办结"' in client.get(detail(app)).content.decode()
    client.post(action(app, "decide_immediately"), {"result_text": "当场办结"})
    assert state_of(app) == State.APPROVED
    assert (State.ACCEPTED, State.APPROVED) in transitions(app)


REVIEW_CASES = [
    # (action, start state, persona, data, expected state)
    ("start_review", State.ACCEPTED, "window_staff", {}, State.UNDER_REVIEW),
    (
        "suspend",
        State.UNDER_REVIEW,
        "window_staff",
        {"kind": SpecialProcedure.Kind.SITE_INSPECTION, "reason": "需现场勘验"},
        State.SUSPENDED,
    ),
    ("resume", State.SUSPENDED, "window_staff", {"note": "勘验完毕"}, State.UNDER_REVIEW),
    ("approve", State.UNDER_REVIEW, "approver", {"result_text": "准予许可"}, State.APPROVED),
    ("deny", State.UNDER_REVIEW, "approver", {"reasons": "经营场所不符合要求"}, State.DENIED),
    ("revoke", State.ACCEPTED, "approver", {"reason": "材料虚假"}, State.REVOKED),
]


@pytest.mark.parametrize(
    ("name", "start", "persona", "data", "target"), REVIEW_CASES, ids=[c[0] for c in REVIEW_CASES]
)
def test_review_actions_perform_the_transition(
    request, client, guide, citizen, window_staff, name, start, persona, data, target
):
    """A8 (special procedure pauses, resumes), A9 (denial with remedies), A4 (revocation)."""
    initial = State.UNDER_REVIEW if start == State.SUSPENDED else start
    app = accepted_application(guide=guide, applicant=citizen, state=initial)
    if start == State.SUSPENDED:
        _suspended(app, window_staff)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(action(app, name), data)
    assert response.status_code == 302
    assert state_of(app) == target, flash(response)
    assert transitions(app)[-1] == (start, target)


def test_denial_decision_carries_the_remedies(client, guide, citizen, approver, render_documents):
    """A9: the written decision names complaint, reconsideration and litigation."""
    app = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    client.force_login(approver)
    client.post(action(app, "deny"), {"reasons": "不符合条件"})
    event = TimelineEvent.objects.filter(application=app, to_state=State.DENIED).get()
    assert "行政复议" in event.payload["remedies"] and "行政诉讼" in event.payload["remedies"]
    assert "（生成中）" in client.get(detail(app)).content.decode()
    render_documents()
    body = client.get(detail(app)).content.decode()
    assert f"/applications/{app.pk}/documents/" in body


def test_archive_a_finished_application(client, guide, citizen, window_staff):
    """A12: every finished application is archived."""
    app = accepted_application(guide=guide, applicant=citizen, state=State.APPROVED)
    client.force_login(window_staff)
    assert 'value="归档"' in client.get(detail(app)).content.decode()
    client.post(action(app, "archive"))
    assert state_of(app) == State.ARCHIVED


# --- Refusals: the service's Chinese message, nothing changes -----------------------------


def test_forbidden_transition_shows_the_chinese_error_and_changes_nothing(
    client, submitted, approver
):
    """A forged or stale POST: 准予 on a submitted application is refused by the service."""
    before = TimelineEvent.objects.filter(application=submitted).count()
    client.force_login(approver)
    response = client.post(action(submitted, "approve"), {"result_text": "x"})
    assert response.status_code == 302
    assert flash(response) == ["办件当前状态为“已提交”，不能准予许可。"]
    assert state_of(submitted) == State.SUBMITTED
    assert TimelineEvent.objects.filter(application=submitted).count() == before


def test_second_staff_acting_on_a_decided_application_is_told(
    client, submitted, window_staff, approver
):
    """Two staff at once: the services lock the row, so the later one sees a clear message."""
    client.force_login(window_staff)
    client.post(action(submitted, "accept"))
    client.force_login(approver)  # still looking at the 已提交 page
    response = client.post(
        action(submitted, "reject"), {"ground": "conditions_not_met", "reasons": "不符合"}
    )
    assert flash(response)[-1] == "办件当前状态为“已受理”，不能不予受理。"
    assert state_of(submitted) == State.ACCEPTED


def test_staff_cannot_act_on_another_departments_application(client, submitted, other_dept_staff):
    client.force_login(other_dept_staff)
    assert client.post(action(submitted, "accept")).status_code == 404
    assert state_of(submitted) == State.SUBMITTED


def test_correction_refuses_material_not_in_the_guide(client, submitted, department, window_staff):
    """C7: only the guide's materials can be asked for; A5: each with a reason."""
    foreign = main_material(guide_for(department))
    client.force_login(window_staff)
    response = client.post(
        action(submitted, "request_correction"),
        {
            "materials": [foreign.pk],
            f"reason_{foreign.pk}": "需要",
            "deadline": add_working_days(timezone.localdate(), 5).isoformat(),
        },
    )
    assert response.status_code == 200
    messages = flash(response)
    assert any("不得要求指南以外的材料" in m for m in messages), messages
    assert not any("C7" in m for m in messages)  # staff read the rule, not its id
    assert state_of(submitted) == State.SUBMITTED
    assert not CorrectionRequest.objects.filter(application=submitted).exists()


def test_correction_requires_a_reason_for_every_material(client, submitted, window_staff):
    """A5: every item is told with its reason, at once."""
    material = main_material(submitted.guide)
    client.force_login(window_staff)
    response = client.post(
        action(submitted, "request_correction"),
        {
            "materials": [material.pk],
            "deadline": add_working_days(timezone.localdate(), 5).isoformat(),
        },
    )
    assert any("请写明每项材料需要补正的原因" in m for m in flash(response))
    assert state_of(submitted) == State.SUBMITTED


def test_tolerant_acceptance_needs_the_signed_pledge(client, submitted, window_staff):
    """T1 / A4(4): without the pledge the service refuses with its message."""
    _tolerant_ready(submitted)
    client.force_login(window_staff)
    response = client.post(
        action(submitted, "accept_tolerant"),
        {"missing_materials": [tolerable_material(submitted.guide).pk]},
    )
    assert flash(response) == ["申请人须签署容缺受理承诺书后方可容缺受理。"]
    assert state_of(submitted) == State.SUBMITTED


# --- Extension (A7, A7a) -------------------------------------------------------------------


def test_extension_is_requested_and_approved_by_the_approver_only(
    client, guide, citizen, window_staff, approver
):
    """A7: reasons required; only the head (approver role) approves; the due date moves."""
    app = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    due = app.due_date
    client.force_login(window_staff)
    client.post(action(app, "request_extension"), {"days": 5, "reason": "需补充核查"})
    extension = Extension.objects.get(application=app)
    assert extension.status == Extension.Status.PENDING
    assert TimelineEvent.objects.filter(
        application=app, kind=TimelineEvent.Kind.EXTENSION_REQUESTED
    ).exists()
    assert 'value="approve"' not in client.get(detail(app)).content.decode()

    response = client.post(
        action(app, "decide_extension"), {"extension_id": extension.pk, "decision": "approve"}
    )
    assert flash(response) == ["您没有执行此操作的权限。"]
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING

    client.force_login(approver)
    page = client.get(detail(app)).content.decode()
    assert "批准延期" in page
    who = window_staff.full_name or window_staff.username
    assert f"待审批：延长 5 个工作日。理由：需补充核查（{who} 申请）" in page
    client.post(
        action(app, "decide_extension"), {"extension_id": extension.pk, "decision": "approve"}
    )
    extension.refresh_from_db()
    app.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED
    assert app.due_date > due
    assert TimelineEvent.objects.filter(
        application=app, kind=TimelineEvent.Kind.EXTENSION_APPROVED
    ).exists()


def test_extension_can_be_refused(client, guide, citizen, window_staff, approver):
    app = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    extension = services.application_request_extension(
        application_id=app.pk, actor=window_staff, days=3, reason="核查"
    )
    client.force_login(approver)
    client.post(
        action(app, "decide_extension"), {"extension_id": extension.pk, "decision": "refuse"}
    )
    extension.refresh_from_db()
    assert extension.status == Extension.Status.REFUSED


# --- Walk-in and assisted applications (A13) ----------------------------------------------


def test_walk_in_creation_finds_the_applicant_and_is_idempotent(
    client, guide, citizen, window_staff
):
    """A13: found by exact phone (keyed hash); the same submission twice makes one application."""
    client.force_login(window_staff)
    query = f"?number={citizen.phone}&item={guide.item_id}&channel=assisted"
    page = client.get(WINDOW + query)
    assert page.status_code == 200
    assert "王小明" in page.content.decode()
    key = page.context["create_form"].initial["idempotency_key"]
    material = main_material(guide)
    first = client.post(
        WINDOW + query, {"idempotency_key": key, f"material_{material.pk}": pdf_upload()}
    )
    second = client.post(WINDOW + query, {"idempotency_key": key})
    app = Application.objects.get(idempotency_key=key)
    assert first["Location"] == second["Location"] == detail(app)
    assert Application.objects.filter(applicant=citizen).count() == 1
    assert app.state == State.SUBMITTED and app.channel == "assisted"
    assert app.assisted_by == window_staff
    assert app.materials.filter(guide_material=material).exists()


def test_walk_in_finds_by_id_number_and_refuses_unknown_numbers(
    client, guide, citizen, window_staff
):
    client.force_login(window_staff)
    found = client.get(WINDOW + f"?number={citizen.id_number}&item={guide.item_id}&channel=window")
    assert found.context["create_form"] is not None
    missing = client.get(WINDOW + f"?number=13900000000&item={guide.item_id}&channel=window")
    assert missing.context["create_form"] is None
    assert "未找到该号码" in missing.content.decode()


def test_walk_in_offers_only_the_staff_departments_items(
    client, guide, other_department, window_staff, other_dept_staff, supervisor
):
    other_guide = guide_for(other_department)
    client.force_login(window_staff)
    body = client.get(WINDOW).content.decode()
    assert guide.item.name in body and other_guide.item.name not in body
    client.force_login(supervisor)  # supervisors do not enter applications
    assert client.get(WINDOW).status_code == 403


# --- Electronic supervision (A15) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("supervisor", 200),
        ("system_admin", 200),
        ("window_staff", 403),
        ("approver", 403),
        ("hotline_operator", 403),
    ],
)
def test_supervision_page_access(db, request, client, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(SUPERVISION).status_code == status


def test_supervision_lists_overdue_and_soon_due_across_departments(
    client, frozen, guide, other_department, citizen, supervisor
):
    """A15: red for overdue, yellow for soon due, counts per department."""
    overdue = accepted_application(
        guide=guide, applicant=citizen, accepted_at=timezone.now() - datetime.timedelta(days=40)
    )
    other = accepted_application(
        guide=guide_for(other_department),
        applicant=citizen,
        accepted_at=timezone.now() - datetime.timedelta(days=40),
    )
    client.force_login(supervisor)
    body = client.get(SUPERVISION).content.decode()
    assert overdue.number in body and other.number in body
    assert "市市场监督管理局" in body and "市公安局" in body
    assert '<span class="gs-badge gs-red">1</span>' in body


def _overdue_cases(guide, citizen, n: int, start: int = 0) -> list[Application]:
    """``n`` running cases past their due date, each due a day later than the one before."""
    return [
        accepted_application(
            guide=guide,
            applicant=citizen,
            accepted_at=timezone.now() - datetime.timedelta(days=90 - start - i),
        )
        for i in range(n)
    ]


def _continue_link(body: str) -> str | None:
    found = re.search(r'href="(\?list=[^"]+)">继续往后', body)
    return SUPERVISION + html.unescape(found.group(1)) if found else None


def test_supervision_lists_go_on_page_by_page_a15(
    client, frozen, guide, citizen, supervisor, monkeypatch
):
    """A15: each list shows its first cases (earliest due first) with the departments'
    total, and 继续往后 reaches every other case of that list once, in order."""
    monkeypatch.setattr(admin_views, "SUPERVISION_PAGE", 2)
    cases = _overdue_cases(guide, citizen, 5)
    client.force_login(supervisor)

    first = client.get(SUPERVISION).content.decode()
    seen = [c.number for c in cases if c.number in first]
    url = _continue_link(first)
    assert seen == [c.number for c in cases[:2]]
    assert "各部门合计 5 件" in first and url is not None
    while url:
        body = client.get(url).content.decode()
        assert "已超期：继续往后的办件" in body and "回到电子监察" in body
        seen += [c.number for c in cases if c.number in body]
        url = _continue_link(body)

    assert seen == [c.number for c in cases]
    assert client.get(SUPERVISION, {"list": "bogus"}).status_code == 404
    assert client.get(SUPERVISION, {"list": "overdue", "cursor": "%%%"}).status_code == 404


def test_supervision_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, frozen, guide, citizen, supervisor, monkeypatch
):
    """Three overdue cases, then thirty (three pages): the overview and a list's next page
    run the same queries."""
    monkeypatch.setattr(admin_views, "SUPERVISION_PAGE", 10)
    _overdue_cases(guide, citizen, 3)
    client.force_login(supervisor)
    client.get(SUPERVISION)  # warm caches (calendar snapshot, session)
    with CaptureQueriesContext(connection) as three:
        assert client.get(SUPERVISION).status_code == 200
    with CaptureQueriesContext(connection) as three_listed:
        assert client.get(SUPERVISION, {"list": "overdue"}).status_code == 200
    _overdue_cases(guide, citizen, 27, start=3)

    with django_assert_max_num_queries(len(three)):
        body = client.get(SUPERVISION).content.decode()
    next_page = _continue_link(body)
    with django_assert_max_num_queries(len(three_listed)):
        more = client.get(next_page).content.decode()

    assert body.count('/change/">') == 10 and more.count('/change/">') == 10


# --- Links -----------------------------------------------------------------------------------


def test_console_is_linked_from_the_admin_index_and_changelist(client, window_staff, supervisor):
    client.force_login(window_staff)
    for url in ("/admin/", "/admin/applications/application/"):
        body = client.get(url).content.decode()
        assert reverse("admin:applications_application_queue") in body
        assert reverse("admin:applications_application_window_create") in body
        assert SUPERVISION not in body
    client.force_login(supervisor)
    assert SUPERVISION in client.get("/admin/").content.decode()


# --- Console selectors ----------------------------------------------------------------------


def test_applicant_lookup_is_exact_and_never_finds_staff(citizen, window_staff):
    """A13/A17: exact number through the keyed hash; partial numbers and staff are not found."""
    from apps.applications.console_selectors import applicant_find_by_number

    assert applicant_find_by_number(number=citizen.phone) == citizen
    assert applicant_find_by_number(number=f" {citizen.id_number.lower()} ") == citizen
    assert applicant_find_by_number(number=citizen.phone[:7]) is None
    window_staff.phone = "13800000001"
    window_staff.save()
    assert applicant_find_by_number(number="13800000001") is None


def test_intake_warning_levels(frozen, guide, citizen):
    """A4a: green with time left, yellow within 2 working days, red on and after the day."""
    from apps.applications.console_selectors import intake_warning

    today = timezone.localdate()
    app = ApplicationFactory(guide=guide, applicant=citizen)
    cases = [
        (5, "green", "受理期限剩5个工作日"),
        (2, "yellow", "受理期限剩2个工作日"),
        (0, "red", "今日到期"),
    ]
    for days, level, text in cases:
        app.intake_due_date = add_working_days(today, days)
        warning = intake_warning(app, today)
        assert (warning.level, warning.text) == (level, text)
    app.intake_due_date = add_working_days(today, -1)
    assert intake_warning(app, today).level == "red"
    app.state = State.ACCEPTED
    assert intake_warning(app, today) is None


def test_approver_opens_on_their_own_tabs_to_decide_and_to_review_a6_a7(
    client, guide, citizen, approver, window_staff
):
    """Issue #8: an approver's queue opens on 待决定 (under review), beside 待审查 (accepted,
    review not started); a window clerk, who does not decide, keeps the intake tabs."""
    reviewing = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    waiting = accepted_application(guide=guide, applicant=citizen)

    client.force_login(approver)
    body = client.get(QUEUE).content.decode()
    assert "待决定" in body and "待审查" in body
    assert reviewing.number in body and waiting.number not in body
    body = client.get(QUEUE + "?tab=to_review").content.decode()
    assert waiting.number in body and reviewing.number not in body

    client.force_login(window_staff)
    body = client.get(QUEUE).content.decode()
    assert "待决定" not in body and "新提交" in body


@pytest.mark.parametrize("tab", ["to_decide", "to_review"])
def test_approver_tabs_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, guide, citizen, approver, tab
):
    state = State.UNDER_REVIEW if tab == "to_decide" else State.ACCEPTED

    def make(n):
        for _ in range(n):
            accepted_application(guide=guide, applicant=citizen, state=state)

    make(3)
    client.force_login(approver)
    client.get(QUEUE + f"?tab={tab}")  # warm caches (calendar snapshot, session)
    with CaptureQueriesContext(connection) as three:
        assert client.get(QUEUE + f"?tab={tab}").status_code == 200
    make(12)
    with django_assert_max_num_queries(len(three)):
        response = client.get(QUEUE + f"?tab={tab}")
    assert response.content.decode().count('/change/">SQT') == 15
