"""一件事 completion (DOMAIN C8 "one submission … one result is returned", A10, A11, A16).

When the last member application is finished, the 一件事 is completed once: one combined
一件事办结通知书 from the lead department listing every member's result, one notice to the
applicant, and the bundle page shows 已办结 with the download.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.applications import services
from apps.applications.models import Application, BundleApplication, BundleOutcome
from apps.applications.services import closing
from apps.applications.services.bundle_completion import bundle_application_complete_if_done
from apps.applications.workflow import State
from apps.documents.models import DocumentKind, IssuedDocument
from apps.notifications.models import Notification
from tests.accounts.factories import StaffFactory
from tests.support.races import Rendezvous, race


def _submitted_group(bundle, citizen, *, state: State = State.SUBMITTED):
    """A submitted 一件事; its members moved to ``state`` as the services would leave them."""
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=bundle.pk)
    services.application_bundle_submit(bundle_application_id=group.pk, actor=citizen)
    if state != State.SUBMITTED:
        Application.objects.filter(bundle_application=group).update(state=state)
    ours, theirs = Application.objects.filter(bundle_application=group).order_by("pk")
    return group, ours, theirs


def _bundle_notices(group) -> int:
    return Notification.objects.filter(
        dedupe_key=f"bundle-done:{group.pk}", channel="inbox"
    ).count()


def _bundle_documents() -> int:
    return IssuedDocument.objects.filter(kind=DocumentKind.BUNDLE_RESULT).count()


def _pdf_text(document: IssuedDocument) -> str:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", document.pdf.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.sub(r"\s+", "", text)


# --- Service ------------------------------------------------------------------------------


def test_completed_only_after_the_last_member(bundle, citizen, approver, other_approver):
    """C8/A10: the first decision leaves the 一件事 open; the last one completes it once,
    with one notice from the lead department (A11) linking to the bundle page."""
    group, ours, theirs = _submitted_group(bundle, citizen, state=State.UNDER_REVIEW)
    services.application_approve(application_id=ours.pk, actor=approver)
    group.refresh_from_db()
    assert group.completed_at is None and group.outcome == "" and group.result_document is None
    assert _bundle_documents() == 0 and _bundle_notices(group) == 0

    services.application_deny(application_id=theirs.pk, actor=other_approver, reasons="不符合条件")
    group.refresh_from_db()
    assert group.completed_at is not None
    assert group.outcome == BundleOutcome.PARTLY_APPROVED
    document = group.result_document
    assert document.kind == DocumentKind.BUNDLE_RESULT
    assert document.department_id == bundle.lead_department_id
    assert document.reference == group.number and "一结" in document.number
    assert _bundle_documents() == 1 and _bundle_notices(group) == 1
    notice = Notification.objects.get(dedupe_key=f"bundle-done:{group.pk}", channel="inbox")
    assert notice.recipient_id == citizen.pk
    assert notice.link == reverse("applications:bundle", args=[group.pk])


def test_running_the_service_again_changes_nothing(bundle, citizen, approver, other_approver):
    """C8: completion is idempotent — one document and one notice however often it runs."""
    group, ours, theirs = _submitted_group(bundle, citizen, state=State.UNDER_REVIEW)
    services.application_approve(application_id=ours.pk, actor=approver)
    services.application_approve(application_id=theirs.pk, actor=other_approver)
    first = BundleApplication.objects.get(pk=group.pk)
    again = bundle_application_complete_if_done(bundle_application_id=group.pk, actor=approver)
    assert again.result_document_id == first.result_document_id
    assert again.completed_at == first.completed_at
    assert _bundle_documents() == 1 and _bundle_notices(group) == 1


def test_open_bundle_is_not_completed_by_a_direct_call(bundle, citizen, approver):
    group, ours, _theirs = _submitted_group(bundle, citizen, state=State.UNDER_REVIEW)
    services.application_approve(application_id=ours.pk, actor=approver)
    result = bundle_application_complete_if_done(bundle_application_id=group.pk, actor=approver)
    assert result.completed_at is None and _bundle_documents() == 0


def test_all_approved(bundle, citizen, approver, other_approver):
    group, ours, theirs = _submitted_group(bundle, citizen, state=State.UNDER_REVIEW)
    services.application_approve(application_id=ours.pk, actor=approver)
    services.application_approve(application_id=theirs.pk, actor=other_approver)
    group.refresh_from_db()
    assert group.outcome == BundleOutcome.ALL_APPROVED
    assert group.result_document.issued_by_id == other_approver.pk


def test_withdrawn_and_rejected_members_finish_it_none_approved(bundle, citizen, other_dept_staff):
    """C8: withdrawn and rejected members count as finished; nothing approved."""
    group, ours, theirs = _submitted_group(bundle, citizen)
    services.application_reject(
        application_id=theirs.pk,
        actor=other_dept_staff,
        ground="conditions_not_met",
        reasons="不符合受理条件",
    )
    group.refresh_from_db()
    assert group.completed_at is None
    services.application_withdraw(application_id=ours.pk, actor=citizen, reason="不再需要")
    group.refresh_from_db()
    assert group.outcome == BundleOutcome.NONE_APPROVED
    # The applicant's withdrawal finished it: the notice is the system's, not signed by them.
    assert group.result_document.issued_by_id is None
    assert _bundle_documents() == 1 and _bundle_notices(group) == 1


def test_combined_pdf_lists_every_member_with_its_result(
    bundle, citizen, approver, other_approver, render_documents
):
    """C8/A16: the one result names each member item, its outcome and its own decision's
    number (the decisions already issued are reused, not issued again)."""
    group, ours, theirs = _submitted_group(bundle, citizen, state=State.UNDER_REVIEW)
    services.application_approve(application_id=ours.pk, actor=approver)
    services.application_deny(application_id=theirs.pk, actor=other_approver, reasons="不符合条件")
    render_documents()
    group.refresh_from_db()
    text = _pdf_text(group.result_document)
    assert "一件事办结通知书" in text and group.number in text
    approval = ours.documents.get(kind=DocumentKind.APPROVAL_DECISION).document
    denial = theirs.documents.get(kind=DocumentKind.DENIAL_DECISION).document
    for member, decision, label in ((ours, approval, "准予许可"), (theirs, denial, "不予许可")):
        assert member.item.name.replace(" ", "") in text
        assert member.number in text
        assert decision.number in text
        assert label in text
    assert "部分准予" in text and bundle.lead_department.name in text


# --- Concurrency (real Postgres transactions) ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_last_two_members_decided_at_once_complete_it_once(
    bundle, citizen, approver, other_approver, monkeypatch
):
    """C8: the bundle row lock serialises the two last decisions; whichever commits second
    sees both members finished, so exactly one document and one notice are made."""
    group, ours, theirs = _submitted_group(bundle, citizen, state=State.UNDER_REVIEW)
    # Hold each decider after its member changed and before it commits until the other
    # has decided too, or is held at the bundle lock (every member lock takes the bundle
    # row first, C8), so the completion checks cannot both miss the other's decision.
    both_decided = Rendezvous(2)
    complete = closing.complete_bundle_of

    def complete_after_both(application, *, actor):
        both_decided.wait()
        complete(application, actor=actor)

    monkeypatch.setattr(closing, "complete_bundle_of", complete_after_both)
    results = race(
        lambda: services.application_approve(application_id=ours.pk, actor=approver),
        lambda: services.application_deny(
            application_id=theirs.pk, actor=other_approver, reasons="不符合条件"
        ),
    )
    assert all(isinstance(r, Application) for r in results), results
    group.refresh_from_db()
    assert group.completed_at is not None
    assert group.outcome == BundleOutcome.PARTLY_APPROVED
    assert _bundle_documents() == 1 and _bundle_notices(group) == 1


# --- Pages --------------------------------------------------------------------------------


@pytest.fixture
def completed(bundle, citizen, approver, other_approver, render_documents):
    group, ours, theirs = _submitted_group(bundle, citizen, state=State.UNDER_REVIEW)
    services.application_approve(application_id=ours.pk, actor=approver)
    services.application_approve(application_id=theirs.pk, actor=other_approver)
    render_documents()
    group.refresh_from_db()
    return group


def test_bundle_page_and_my_applications_show_the_result(client, completed, citizen):
    """A10: the applicant sees 已办结 and downloads the one result."""
    client.force_login(citizen)
    result_url = reverse("applications:bundle_result", args=[completed.pk])
    page = client.get(reverse("applications:bundle", args=[completed.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "已办结" in html and result_url in html and completed.result_document.number in html
    listing = client.get(reverse("applications:list")).content.decode()
    assert "已办结" in listing and result_url in listing
    response = client.get(result_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_open_bundle_page_shows_progress_without_result(client, bundle, citizen, approver):
    group, ours, _theirs = _submitted_group(bundle, citizen, state=State.UNDER_REVIEW)
    services.application_approve(application_id=ours.pk, actor=approver)
    client.force_login(citizen)
    html = client.get(reverse("applications:bundle", args=[group.pk])).content.decode()
    assert "办理中" in html and "app-bundle-done" not in html
    assert "已办结 1 个" in html  # the one overall progress across members (C8)
    result_url = reverse("applications:bundle_result", args=[group.pk])
    assert client.get(result_url).status_code == 404


def test_others_get_404(client, completed, other_citizen, other_department):
    """A17: someone else's 一件事 and its result do not exist for them."""
    outsider = StaffFactory(
        username="window3", role=Role.WINDOW_STAFF, departments=[_third_department()]
    )
    for user in (other_citizen, outsider):
        client.force_login(user)
        assert (
            client.get(reverse("applications:bundle_result", args=[completed.pk])).status_code
            == 404
        )
    client.force_login(other_citizen)
    assert client.get(reverse("applications:bundle", args=[completed.pk])).status_code == 404


def test_staff_of_a_member_department_may_download(client, completed, other_dept_staff):
    client.force_login(other_dept_staff)
    response = client.get(reverse("applications:bundle_result", args=[completed.pk]))
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(client, completed):
    response = client.get(reverse("applications:bundle_result", args=[completed.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def _third_department():
    from tests.accounts.factories import DepartmentFactory

    return DepartmentFactory(code="ZJJ", name="市住房和城乡建设局")
