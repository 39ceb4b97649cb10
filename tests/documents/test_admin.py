"""Admin: read-only register, revoke action through document_revoke."""

from __future__ import annotations

from django.urls import reverse

from apps.documents.workflow import DocumentStatus

CHANGELIST = "admin:documents_issueddocument_changelist"


def test_changelist_and_detail_are_read_only(client, system_admin, issue, login):
    document = issue()
    login(system_admin)
    response = client.get(reverse(CHANGELIST), {"kind": "acceptance_notice", "status": "valid"})
    assert response.status_code == 200
    assert document.number in response.content.decode()
    assert client.get(reverse("admin:documents_issueddocument_add")).status_code == 403
    detail = client.get(reverse("admin:documents_issueddocument_change", args=[document.pk]))
    assert detail.status_code == 200
    assert document.verification_token not in detail.content.decode()
    pdf = client.get(reverse("admin:documents_issueddocument_pdf", args=[document.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_revoke_action_asks_for_a_reason_then_revokes(client, system_admin, issue, login):
    document = issue()
    login(system_admin)
    url = reverse(CHANGELIST)
    data = {"action": "revoke_documents", "_selected_action": [document.pk]}
    form = client.post(url, data)
    assert form.status_code == 200
    assert "撤销原因" in form.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.VALID

    done = client.post(url, {**data, "apply": "1", "reason": "出具部门错误"})
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.REVOKED
    assert document.revoked_by == system_admin
    assert document.revoke_reason == "出具部门错误"


def test_revoke_action_is_hidden_without_permission(client, supervisor, issue, login):
    issue()
    supervisor.is_staff = True
    supervisor.save()
    login(supervisor)
    response = client.get(reverse(CHANGELIST))
    # Either no access at all, or access without the revoke action.
    assert response.status_code == 403 or "revoke_documents" not in response.content.decode()
