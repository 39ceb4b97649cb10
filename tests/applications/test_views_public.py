"""The applicant's web pages (issue #4): start, draft, 我的办件, detail, correction, 一件事.

Views call the services; these tests prove the pages wire them up as the rules say
(A1, A3, A5, A9, A10, A15, C5, C7, C8) and that another person's application is a 404.
"""

from __future__ import annotations

import datetime
import re
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.models import Application, ApplicationMaterial, TimelineEvent
from apps.applications.workflow import State
from apps.catalogue.models import GuideMaterial, ServiceGuide
from tests.applications.factories import (
    ApplicationFactory,
    GuideMaterialFactory,
    accepted_application,
    guide_for,
    main_material,
    pdf_upload,
    png_upload,
    tolerable_material,
)


def _new_url(guide) -> str:
    return reverse("applications:new", args=[guide.item.code])


def _edit_url(app) -> str:
    return reverse("applications:edit", args=[app.pk])


def _detail_url(app) -> str:
    return reverse("applications:detail", args=[app.pk])


def _draft(guide, user, **kwargs) -> Application:
    return services.application_create_draft(actor=user, item_id=guide.item_id, **kwargs)


def _submitted(guide, user) -> Application:
    app = _draft(guide, user)
    services.application_attach_material(
        application_id=app.pk,
        actor=user,
        guide_material_id=main_material(guide).pk,
        upload=pdf_upload(),
    )
    return services.application_submit(application_id=app.pk, actor=user)


def _files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Who may open the pages -----------------------------------------------------------------


def test_pages_need_login(client, guide):
    response = client.get(_new_url(guide))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_are_sent_to_the_admin(client, guide, citizen, window_staff):
    app = _draft(guide, citizen)
    client.force_login(window_staff)
    for url in (
        reverse("applications:list"),
        _new_url(guide),
        _edit_url(app),
        _detail_url(app),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url


def test_other_persons_application_is_404_not_403(client, guide, citizen, other_citizen):
    """A17: someone else's application does not even exist for you."""
    draft = _draft(guide, citizen)
    submitted = _submitted(guide, citizen)
    client.force_login(other_citizen)
    assert client.get(_edit_url(draft)).status_code == 404
    assert client.get(_detail_url(submitted)).status_code == 404
    assert client.post(_detail_url(submitted), {"action": "withdraw"}).status_code == 404
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED


# --- Start (C5, A1) --------------------------------------------------------------------------


def test_start_creates_a_draft_under_the_published_guide_once(client, guide, citizen):
    """C5: the draft keeps the published version; a double click makes one draft."""
    client.force_login(citizen)
    page = client.get(_new_url(guide))
    assert page.status_code == 200
    html = page.content.decode()
    assert "食品经营许可申请书" in html and "场所平面图" in html
    key = uuid.uuid4().hex
    first = client.post(_new_url(guide), {"idempotency_key": key})
    second = client.post(_new_url(guide), {"idempotency_key": key})
    app = Application.objects.get(applicant=citizen)
    assert first["Location"] == second["Location"] == _edit_url(app)
    assert app.state == State.DRAFT and app.guide_id == guide.pk


def test_start_key_of_another_person_is_refused(client, guide, citizen, other_citizen):
    client.force_login(citizen)
    client.post(_new_url(guide), {"idempotency_key": "shared-key"})
    client.force_login(other_citizen)
    response = client.post(_new_url(guide), {"idempotency_key": "shared-key"})
    assert response.status_code == 200 and "该提交标识已被使用" in response.content.decode()
    assert not Application.objects.filter(applicant=other_citizen).exists()


def test_start_is_404_without_a_published_guide(client, department, citizen):
    """C5: unpublished content is never a basis for an application."""
    guide = guide_for(department)
    ServiceGuide.objects.filter(pk=guide.pk).update(status=ServiceGuide.Status.DRAFT)
    client.force_login(citizen)
    assert client.get(_new_url(guide)).status_code == 404
    response = client.post(_new_url(guide), {"idempotency_key": "k1"})
    assert response.status_code == 404 and not Application.objects.exists()


def test_company_agent_chooses_the_applying_company(client, guide, company_agent, company):
    """A1: a legal person applies through its agent; the draft belongs to the company."""
    client.force_login(company_agent)
    page = client.get(_new_url(guide)).content.decode()
    assert company.name in page and 'type="radio"' in page
    response = client.post(_new_url(guide), {"idempotency_key": "k-co", "company": company.pk})
    app = Application.objects.get(applicant=company_agent)
    assert response["Location"] == _edit_url(app) and app.company_id == company.pk
    html = client.get(_edit_url(app)).content.decode()
    assert company.name in html and company.credit_code in html


# --- Draft (C7, A3) --------------------------------------------------------------------------


def test_draft_page_asks_only_for_the_guide_materials(client, guide, citizen):
    """C7: one slot per guide material, nothing else; the ID number is masked (A17)."""
    app = _draft(guide, citizen)
    client.force_login(citizen)
    html = client.get(_edit_url(app)).content.decode()
    slots = re.findall(r'<input type="file" id="file_(\d+)"', html)
    assert sorted(int(s) for s in slots) == sorted(guide.materials.values_list("pk", flat=True))
    # Named by the material; drawn as a Chinese 选择文件 button, not the browser's words.
    assert 'aria-label="食品经营许可申请书"' in html
    picker = f'<label for="file_{main_material(guide).pk}" class="file-label">'
    assert picker in html and "选择文件" in html.split(picker)[1].split("</label>")[0]
    assert "可容缺" in html and "PDF" in html and "1 MB" in html
    assert citizen.masked_id_number in html and citizen.id_number not in html
    assert 'name="idempotency_key"' in html
    assert "保存草稿" in html and "下一步：核对并提交" in html


def test_upload_is_checked_by_content_and_a_refusal_changes_nothing(
    client, guide, citizen, private_files
):
    """A PNG named .pdf for a pdf-only material is refused in Chinese; no row, no file."""
    app = _draft(guide, citizen)
    client.force_login(citizen)
    fake = png_upload(name="申请书.pdf")
    response = client.post(
        _edit_url(app), {"action": "save", f"file_{main_material(guide).pk}": fake}
    )
    assert response.status_code == 400
    assert "文件内容不是本材料接受的格式" in response.content.decode()
    assert not ApplicationMaterial.objects.exists() and _files(private_files) == []
    assert Application.objects.get(pk=app.pk).state == State.DRAFT


def test_save_draft_keeps_the_upload_and_resumes_later(client, guide, citizen):
    app = _draft(guide, citizen)
    client.force_login(citizen)
    response = client.post(
        _edit_url(app), {"action": "save", f"file_{main_material(guide).pk}": pdf_upload()}
    )
    assert response.status_code == 302 and response["Location"] == _edit_url(app)
    material = ApplicationMaterial.objects.get(application=app)
    assert material.original_filename == "申请书.pdf"
    assert Application.objects.get(pk=app.pk).state == State.DRAFT
    listing = client.get(reverse("applications:list")).content.decode()
    assert _edit_url(app) in listing and "继续填写" in listing
    page = client.get(_edit_url(app)).content.decode()
    assert reverse("applications:material", args=[app.pk, material.pk]) in page


def test_double_submit_with_the_same_key_gives_one_submission(client, guide, citizen):
    """A double click or a browser retry never submits twice."""
    app = _draft(guide, citizen)
    client.force_login(citizen)
    data = {"action": "submit", "idempotency_key": "same-key-1"}
    first = client.post(_edit_url(app), {**data, f"file_{main_material(guide).pk}": pdf_upload()})
    second = client.post(_edit_url(app), {**data, f"file_{main_material(guide).pk}": pdf_upload()})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == _detail_url(app)
    assert Application.objects.filter(applicant=citizen).count() == 1
    app.refresh_from_db()
    assert app.state == State.SUBMITTED and app.idempotency_key == "same-key-1"
    assert ApplicationMaterial.objects.filter(application=app).count() == 1
    submits = TimelineEvent.objects.filter(application=app, to_state=State.SUBMITTED)
    assert submits.count() == 1


def test_reuse_a_material_already_submitted(client, department, citizen):
    """A3: a material submitted before is offered again instead of a new upload."""
    first_guide, second_guide = guide_for(department), guide_for(department)
    earlier = _submitted(first_guide, citizen)
    source = ApplicationMaterial.objects.get(application=earlier)
    app = _draft(second_guide, citizen)
    client.force_login(citizen)
    slot = main_material(second_guide).pk
    html = client.get(_edit_url(app)).content.decode()
    assert f'name="reuse_{slot}"' in html and earlier.number in html
    response = client.post(_edit_url(app), {"action": "save", f"reuse_{slot}": source.pk})
    assert response.status_code == 302
    reused = ApplicationMaterial.objects.get(application=app)
    assert reused.reused_from_id == source.pk and reused.file.name == source.file.name


def test_e_licence_instead_of_an_upload(client, guide, citizen):
    """A3/A16: where the guide allows it, an e-licence number replaces the upload."""
    licence = GuideMaterialFactory(
        guide=guide,
        name="营业执照",
        reuse=GuideMaterial.Reuse.E_LICENCE,
        e_licence_type="营业执照",
        importance=GuideMaterial.Importance.TOLERABLE,
        supplement_days=3,
    )
    main = guide.materials.filter(importance=GuideMaterial.Importance.MAIN).get()
    app = _draft(guide, citizen)
    client.force_login(citizen)
    html = client.get(_edit_url(app)).content.decode()
    assert f'name="licence_{licence.pk}"' in html
    assert f'name="licence_{main.pk}"' not in html
    client.post(_edit_url(app), {"action": "save", f"licence_{licence.pk}": "DZZZ-2026-001"})
    assert ApplicationMaterial.objects.get(application=app).e_licence_reference == "DZZZ-2026-001"


# --- 我的办件 (A10, A15, C8) ------------------------------------------------------------------


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("applications:list")).status_code == 200
    return len(ctx.captured_queries)


def test_my_applications_runs_a_constant_number_of_queries(
    client, guide, citizen, django_assert_max_num_queries
):
    client.force_login(citizen)
    for _ in range(2):
        ApplicationFactory(guide=guide, applicant=citizen)
    few = _list_queries(client)
    for _ in range(18):
        ApplicationFactory(guide=guide_for(guide.item.competent_department), applicant=citizen)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("applications:list"))
    assert response.content.decode().count("<tr") == 1 + 20


def test_my_applications_shows_clock_colours_and_needs_action(client, guide, citizen):
    """A15 green/yellow/red days left; a correction request is marked as needing action."""
    long_ago = timezone.now() - datetime.timedelta(days=60)
    overdue = accepted_application(guide=guide, applicant=citizen, accepted_at=long_ago)
    on_time = accepted_application(guide=guide, applicant=citizen)
    needs = ApplicationFactory(guide=guide, applicant=citizen, state=State.CORRECTION_REQUESTED)
    client.force_login(citizen)
    html = client.get(reverse("applications:list")).content.decode()
    assert overdue.number in html and "clock-red" in html and "已超期" in html
    assert on_time.number in html and "clock-green" in html and "剩余" in html
    assert "需补正" in html and f"{_detail_url(needs)}#correction" in html
    assert "已受理" in html and "待补正" in html


# --- Detail (A10, A5, A9) --------------------------------------------------------------------


def test_detail_shows_every_step_with_dates(client, guide, citizen, window_staff, render_documents):
    """A10: the timeline, the acceptance notice with its verification link, days left."""
    app = _submitted(guide, citizen)
    services.application_accept(application_id=app.pk, actor=window_staff)
    client.force_login(citizen)
    assert "生成中" in client.get(_detail_url(app)).content.decode()
    render_documents()
    response = client.get(_detail_url(app))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("创建申请", "上传材料", "已提交", "已受理", "出具文书"):
        assert label in html, label
    document = app.documents.get().document
    assert reverse("applications:document", args=[app.pk, document.pk]) in html
    assert reverse("documents:verify", args=[document.verification_token]) in html
    assert "受理通知书" in html and "剩余" in html and "办结期限" in html
    assert "下载" in html


def test_answering_the_correction_request(client, guide, citizen, window_staff):
    """A5: the listed materials with reasons and the deadline; re-upload slots for exactly
    those materials; 提交补正 sends the application back to intake."""
    app = _submitted(guide, citizen)
    deadline = timezone.localdate() + datetime.timedelta(days=15)
    main = main_material(guide)
    services.application_request_correction(
        application_id=app.pk, actor=window_staff, deadline=deadline, items=[(main.pk, "缺少签字")]
    )
    client.force_login(citizen)
    html = client.get(_detail_url(app)).content.decode()
    assert "缺少签字" in html and deadline.strftime("%Y-%m-%d") in html and "提交补正" in html
    assert f'name="file_{main.pk}"' in html
    assert f'name="file_{tolerable_material(guide).pk}"' not in html  # C7: only those

    nothing = client.post(_detail_url(app), {"action": "correction"})
    assert nothing.status_code == 400 and "请上传补正后的材料" in nothing.content.decode()
    assert Application.objects.get(pk=app.pk).state == State.CORRECTION_REQUESTED

    answered = client.post(
        _detail_url(app), {"action": "correction", f"file_{main.pk}": pdf_upload("补正.pdf")}
    )
    assert answered.status_code == 302
    app.refresh_from_db()
    assert app.state == State.SUBMITTED
    assert app.corrections.get().answered_at is not None
    assert ApplicationMaterial.objects.filter(application=app, guide_material=main).count() == 2
    page = client.get(_detail_url(app)).content.decode()
    assert page.count("（已被新上传的文件替换）") == 1  # the old file kept, marked replaced
    assert "补正.pdf" in page


def test_denial_shows_reasons_and_remedies(client, guide, citizen, approver):
    """A9: the decision, its reasons and the remedies."""
    app = accepted_application(guide=guide, applicant=citizen)
    services.application_deny(application_id=app.pk, actor=approver, reasons="场所不符合要求")
    client.force_login(citizen)
    html = client.get(_detail_url(app)).content.decode()
    assert "不予许可" in html and "场所不符合要求" in html
    assert "行政复议" in html and "行政诉讼" in html
    assert "撤回申请" not in html


def test_withdraw_while_allowed(client, guide, citizen):
    app = _submitted(guide, citizen)
    client.force_login(citizen)
    assert "撤回申请" in client.get(_detail_url(app)).content.decode()
    response = client.post(_detail_url(app), {"action": "withdraw", "reason": "不再需要"})
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).state == State.WITHDRAWN


# --- 一件事 (C8) -----------------------------------------------------------------------------


def test_bundle_one_submission_creates_and_submits_every_member(client, bundle, citizen):
    """C8: one page with every member's slots, one 提交申请, each member in its intake."""
    client.force_login(citizen)
    start = reverse("applications:bundle_new", args=[bundle.code])
    assert client.get(start).status_code == 200
    response = client.post(start, {"idempotency_key": "b1"})
    members = list(Application.objects.filter(applicant=citizen).order_by("pk"))
    assert (
        len(members) == 2 and members[0].bundle_application_id == members[1].bundle_application_id
    )
    page_url = reverse("applications:bundle", args=[members[0].bundle_application_id])
    assert response["Location"] == page_url
    html = client.get(page_url).content.decode()
    # The members need the same two materials: one box each, serving both members (C8).
    first, second = members
    for gm in first.guide.materials.all():
        assert f'name="file_{gm.pk}"' in html
    for gm in second.guide.materials.all():
        assert f'name="file_{gm.pk}"' not in html
    files = {
        f"file_{main_material(first.guide).pk}": pdf_upload(),
        f"file_{tolerable_material(first.guide).pk}": png_upload(),
    }
    response = client.post(page_url, {"action": "submit", **files})
    assert response.status_code == 302 and response["Location"] == page_url
    assert {a.state for a in Application.objects.filter(applicant=citizen)} == {State.SUBMITTED}
    uploads = ApplicationMaterial.objects.filter(application__in=members)
    assert uploads.count() == 4 and uploads.filter(reused_from__isnull=False).count() == 2
    listing = client.get(reverse("applications:list")).content.decode()
    assert "一件事：我要开餐馆" in listing


def test_bundle_page_of_another_person_is_404(client, bundle, citizen, other_citizen):
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=bundle.pk)
    client.force_login(other_citizen)
    assert client.get(reverse("applications:bundle", args=[group.pk])).status_code == 404


def test_bundle_member_is_not_submitted_alone(client, bundle, citizen):
    """C8: a member's own draft page sends the applicant to the 一件事 page."""
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=bundle.pk)
    member = group.members.first()
    client.force_login(citizen)
    response = client.post(_edit_url(member), {"action": "submit", "idempotency_key": "m1"})
    assert response["Location"] == reverse("applications:bundle", args=[group.pk])
    assert Application.objects.get(pk=member.pk).state == State.DRAFT


def test_my_applications_is_paged_by_twenty(client, guide, citizen):
    """A10: every application stays reachable; a page never grows with the total."""
    client.force_login(citizen)
    for _ in range(25):
        ApplicationFactory(guide=guide, applicant=citizen)

    first = client.get(reverse("applications:list")).content.decode()
    second = client.get(reverse("applications:list") + "?page=2").content.decode()

    assert first.count("<tr") == 1 + 20 and "第 1 / 2 页" in first and "下一页" in first
    assert second.count("<tr") == 1 + 5 and "上一页" in second
