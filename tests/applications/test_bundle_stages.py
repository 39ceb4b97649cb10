"""Serial 一件事 stages (DOMAIN C8): a later stage's members wait until every member of the
earlier stage is approved, then go to intake by themselves; members of one stage run in
parallel; an earlier member not approved ends the later stages, and the applicant is told."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.applications import hooks, selectors, services
from apps.applications.console_selectors import console_queue
from apps.applications.models import Application, TimelineEvent
from apps.applications.services import bundle_release, submission
from apps.applications.workflow import State
from apps.catalogue.models import Bundle, BundleStep
from apps.notifications.models import Notification
from tests.applications.factories import guide_for
from tests.support.races import Rendezvous, race


@pytest.fixture
def serial_bundle(department, other_department):
    """Stage 1: one item of ``department`` and one of ``other_department`` in parallel;
    stage 2: a second item of ``department``."""
    bundle = Bundle.objects.create(
        code="YJS-SERIAL",
        name="我要开药店",
        target="both",
        lead_department=department,
        promised_time_limit_days=30,
        status=Bundle.Status.PUBLISHED,
    )
    for department_, stage in ((department, 1), (other_department, 1), (department, 2)):
        BundleStep.objects.create(bundle=bundle, item=guide_for(department_).item, stage=stage)
    return bundle


def _submit(bundle, citizen):
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=bundle.pk)
    services.application_bundle_submit(bundle_application_id=group.pk, actor=citizen)
    first, second, later = Application.objects.filter(bundle_application=group).order_by(
        "bundle_stage", "pk"
    )
    return group, first, second, later


def _under_review(*members):
    """Accepted and under review, as intake and the start of review would leave them."""
    Application.objects.filter(pk__in=[m.pk for m in members]).update(state=State.UNDER_REVIEW)


def _new_queue(user):
    return list(selectors.application_queue_for_staff(user=user))


def test_registered_as_a_case_closed_listener():
    names = hooks.registered()["case_closed_listeners"]
    assert "apps.applications.services.bundle_release.on_member_closed" in names


def test_later_stage_waits_then_goes_to_intake_when_the_first_is_approved_C8(
    serial_bundle, citizen, window_staff, approver, other_approver
):
    """C8 serial: the second stage is not in any queue until both first-stage members are
    approved; then it is submitted by itself and its intake clock starts."""
    _group, first, second, later = _submit(serial_bundle, citizen)
    assert (first.state, second.state, later.state) == (
        State.SUBMITTED,
        State.SUBMITTED,
        State.WAITING,
    )
    assert later.submitted_at is None and later.intake_due_date is None
    assert [a.pk for a in _new_queue(window_staff)] == [first.pk]  # not ready for intake
    assert later.pk not in {a.pk for a in console_queue(user=window_staff, tab="all")}

    _under_review(first, second)
    services.application_approve(application_id=first.pk, actor=approver)
    later.refresh_from_db()
    assert later.state == State.WAITING  # the other first-stage member still runs

    services.application_approve(application_id=second.pk, actor=other_approver)
    later.refresh_from_db()
    assert later.state == State.SUBMITTED and later.intake_due_date is not None
    assert [a.pk for a in _new_queue(window_staff)] == [later.pk]
    released = TimelineEvent.objects.get(application=later, to_state=State.SUBMITTED)
    assert released.from_state == State.WAITING and "自动提交受理" in released.reason


def test_members_of_one_stage_run_in_parallel_C8(
    serial_bundle, citizen, window_staff, other_dept_staff
):
    """C8 parallel: both first-stage members reach their departments at the same time."""
    _group, first, second, _later = _submit(serial_bundle, citizen)
    assert [a.pk for a in _new_queue(window_staff)] == [first.pk]
    assert [a.pk for a in _new_queue(other_dept_staff)] == [second.pk]


def test_resubmitting_does_not_release_the_waiting_stage_C8(serial_bundle, citizen):
    group, _first, _second, later = _submit(serial_bundle, citizen)
    services.application_bundle_submit(bundle_application_id=group.pk, actor=citizen)
    later.refresh_from_db()
    assert later.state == State.WAITING


def test_denial_in_the_first_stage_ends_the_later_stages_C8(
    client, serial_bundle, citizen, approver, other_approver
):
    """C8: a first-stage member denied → the second stage cannot proceed: it is ended, the
    applicant is told in Chinese, and once the first stage is decided the 一件事 completes."""
    group, first, second, later = _submit(serial_bundle, citizen)
    _under_review(first, second)
    services.application_deny(application_id=second.pk, actor=other_approver, reasons="不符合条件")
    later.refresh_from_db()
    assert later.state == State.WITHDRAWN and later.submitted_at is None
    ended = TimelineEvent.objects.get(application=later, to_state=State.WITHDRAWN)
    assert ended.actor is None and "无法继续办理" in ended.reason
    notice = Notification.objects.get(dedupe_key=f"bundle-stopped:{group.pk}", channel="inbox")
    assert notice.recipient == citizen
    assert "无法继续办理" in notice.body and later.item.name in notice.body
    assert Notification.objects.filter(dedupe_key=f"bundle-stopped:{group.pk}").count() == 2

    client.force_login(citizen)
    html = client.get(reverse("applications:bundle", args=[group.pk])).content.decode()
    assert "本阶段无法继续办理" in html and "后续阶段的事项无法继续办理" in html

    services.application_approve(application_id=first.pk, actor=approver)
    group.refresh_from_db()
    assert group.completed_at is not None and group.outcome == "partly_approved"


def test_applicant_can_withdraw_a_waiting_member_C8(serial_bundle, citizen):
    _group, _first, _second, later = _submit(serial_bundle, citizen)
    services.application_withdraw(application_id=later.pk, actor=citizen)
    later.refresh_from_db()
    assert later.state == State.WITHDRAWN


def test_bundle_page_shows_each_stage_and_which_waits_C8(client, serial_bundle, citizen):
    group, *_members = _submit(serial_bundle, citizen)
    client.force_login(citizen)
    html = client.get(reverse("applications:bundle", args=[group.pk])).content.decode()
    assert "第 1 阶段" in html and "第 2 阶段" in html
    assert "等待前一阶段办结" in html and "待前序阶段办结" in html
    assert "bundle-stage-waiting" in html and "bundle-stage-running" in html


def _group_of(stages: int, department, other_department, citizen):
    bundle = Bundle.objects.create(
        code=f"YJS-Q{stages}",
        name=f"一件事{stages}",
        target="both",
        lead_department=department,
        promised_time_limit_days=60,
        status=Bundle.Status.PUBLISHED,
    )
    for stage in range(1, stages + 1):
        for department_ in (department, other_department):
            BundleStep.objects.create(bundle=bundle, item=guide_for(department_).item, stage=stage)
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=bundle.pk)
    services.application_bundle_submit(bundle_application_id=group.pk, actor=citizen)
    return group


def test_bundle_page_queries_do_not_grow_with_members_C8(
    client, django_assert_max_num_queries, department, other_department, citizen
):
    """The bundle page reads a constant number of queries, however many stages and members."""
    small = _group_of(1, department, other_department, citizen)
    big = _group_of(3, department, other_department, citizen)
    client.force_login(citizen)
    small_url = reverse("applications:bundle", args=[small.pk])
    client.get(small_url)  # warm the per-process caches (calendar, site settings)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(small_url).status_code == 200
    with django_assert_max_num_queries(len(captured)):
        html = client.get(reverse("applications:bundle", args=[big.pk])).content.decode()
    assert html.count("bundle-stage-waiting") == 2


# --- Concurrency (real Postgres transactions) ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_waiting_member_withdrawn_while_the_earlier_stage_is_decided_both_finish_C8(
    serial_bundle, citizen, approver, other_approver, monkeypatch
):
    """C8: the last first-stage member is approved (which releases the waiting member, under
    the bundle lock) at the moment the applicant withdraws that waiting member. Both take
    the bundle row before a member row, so one waits for the other instead of Postgres
    aborting one as a deadlock: both finish, and the withdrawal, coming second, stands."""
    _group, first, second, later = _submit(serial_bundle, citizen)
    _under_review(first, second)
    services.application_approve(application_id=first.pk, actor=approver)
    releasing = threading.Event()  # the approval holds the bundle lock, about to release
    # The approval, holding the bundle lock, meets the withdrawal holding the member's row
    # (without the fix), or goes on once the withdrawal is held at a lock (with it).
    meeting = Rendezvous(2)
    release = bundle_release._release

    def release_once_the_withdrawal_runs(application_id, *, stage):
        releasing.set()
        meeting.wait()
        release(application_id, stage=stage)

    close = submission.close_case

    def close_signalling(application, **kwargs):
        meeting.wait()
        return close(application, **kwargs)

    monkeypatch.setattr(bundle_release, "_release", release_once_the_withdrawal_runs)
    monkeypatch.setattr(submission, "close_case", close_signalling)

    def withdraw():
        releasing.wait(timeout=10)
        return services.application_withdraw(application_id=later.pk, actor=citizen)

    results = race(
        lambda: services.application_approve(application_id=second.pk, actor=other_approver),
        withdraw,
    )
    assert all(isinstance(r, Application) for r in results), results
    second.refresh_from_db()
    later.refresh_from_db()
    assert second.state == State.APPROVED
    assert later.state == State.WITHDRAWN
    assert [e.to_state for e in TimelineEvent.objects.filter(application=later).order_by("pk")][
        -2:
    ] == [State.SUBMITTED, State.WITHDRAWN]  # released first, then withdrawn
