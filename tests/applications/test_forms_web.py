"""在线填报 on the pages and the API: the draft's form, the check before submitting, the
merged 一件事 form, the staff console (answers, 受理 withheld, decision fields, key-field
search) and the QR address (DOMAIN A3, A4(1), A5, A10, C6, C8, Q2)."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.applications import services
from apps.applications.models import Application, ApplicationMaterial
from apps.applications.workflow import State
from apps.catalogue.models import Bundle, BundleStep
from apps.common.errors import ApplicationError
from apps.documents.models import DocumentKind
from tests.applications.factories import (
    accepted_application,
    main_material,
    pdf_upload,
    png_upload,
    tolerable_material,
)
from tests.applications.form_factories import (
    DECISION,
    FORM,
    complete_answers,
    form_guide,
)

API = "/api/v1/applications"


@pytest.fixture
def fguide(department):
    return form_guide(department)


def _draft(guide, user):
    return services.application_create_draft(actor=user, item_id=guide.item_id)


def _post_form(**extra) -> dict:
    return {
        "f_applicant_name": "任意",
        "f_contact_phone": "13900000009",
        "f_business_address__province": "350000",
        "f_business_address__city": "350100",
        "f_business_address__district": "350102",
        "f_business_address__detail": "五四路100号",
        "f_shop_name": "榕城小馆",
        "f_declaration": "1",
        **extra,
    }


def test_draft_page_shows_the_prefilled_form_and_no_box_for_the_form_material(
    client, fguide, citizen
):
    draft = _draft(fguide, citizen)
    client.force_login(citizen)
    html = client.get(reverse("applications:edit", args=[draft.pk])).content.decode()
    assert 'name="f_shop_name"' in html and "已从实名账户预填" in html
    assert f'value="{citizen.phone}"' in html
    assert f'name="file_{main_material(fguide).pk}"' not in html  # the form is that material
    assert f'name="file_{tolerable_material(fguide).pk}"' in html
    assert 'name="f_business_address__district"' in html and "鼓楼区" in html


def test_a_wrong_value_is_shown_at_its_field_and_the_typing_kept(client, fguide, citizen):
    draft = _draft(fguide, citizen)
    client.force_login(citizen)
    url = reverse("applications:edit", args=[draft.pk])
    response = client.post(url, {**_post_form(f_contact_phone="12345"), "action": "save"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="err-contact_phone"' in html and "手机号码" in html
    assert 'value="榕城小馆"' in html  # nothing typed is lost


def test_review_lists_what_is_missing_and_submits(client, fguide, citizen):
    draft = _draft(fguide, citizen)
    client.force_login(citizen)
    edit = reverse("applications:edit", args=[draft.pk])
    upload = {f"file_{tolerable_material(fguide).pk}": png_upload()}
    response = client.post(edit, {**_post_form(), "action": "save", **upload})
    assert response.status_code == 302
    html = client.get(edit).content.decode()
    assert "已上传（草稿，尚未提交）" in html and "已提交</span>" not in html
    response = client.post(edit, {**_post_form(f_shop_name=""), "action": "review"})
    review = reverse("applications:review", args=[draft.pk])
    assert response["Location"] == review
    html = client.get(review).content.decode()
    assert "尚缺以下内容" in html and "“店名”未填写" in html
    assert "一次性告知需补正的全部内容" in html and "仍然提交" in html
    assert "榕城小馆" not in html and "福建省福州市鼓楼区五四路100号" in html
    response = client.post(review, {"idempotency_key": "k-1"})
    assert response["Location"] == reverse("applications:detail", args=[draft.pk])
    app = Application.objects.get(pk=draft.pk)
    assert app.state == State.SUBMITTED
    assert app.documents.filter(kind=DocumentKind.APPLICATION_FORM).exists()
    detail = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert "食品经营许可申请书" in detail and "五四路100号" in detail


def test_review_refuses_where_the_guide_wants_everything(client, department, citizen):
    guide = form_guide(department, incomplete_allowed=False)
    draft = _draft(guide, citizen)
    client.force_login(citizen)
    html = client.get(reverse("applications:review", args=[draft.pk])).content.decode()
    assert "须材料齐全方可提交" in html and "仍然提交" not in html
    response = client.post(reverse("applications:review", args=[draft.pk]), {})
    assert response.status_code == 200
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT


def test_review_of_someone_else_is_404(client, fguide, citizen, other_citizen):
    draft = _draft(fguide, citizen)
    client.force_login(other_citizen)
    assert client.get(reverse("applications:review", args=[draft.pk])).status_code == 404


# --- API ------------------------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_form_read_and_save_with_field_errors(fguide, citizen, other_citizen):
    draft = _draft(fguide, citizen)
    url = f"{API}/{draft.pk}/form"
    r = _api(citizen).get(url)
    assert r.status_code == 200
    body = r.json()
    assert body["definition"]["title"] == "食品经营许可申请书" and body["guide_version"] == 1
    assert "shop_name" in body["missing_fields"] and body["complete"] is False
    assert _api(other_citizen).get(url).status_code == 404
    r = _api(citizen).put(url, {"answers": {"shop_name": "x" * 300}}, format="json")
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "invalid_answers" and error["message"] == "店名：不能超过200个字"
    assert error["fields"] == {"shop_name": "不能超过200个字"}
    r = _api(citizen).put(url, {"answers": complete_answers()}, format="json")
    assert r.status_code == 200 and r.json()["missing_fields"] == []
    assert [m["name"] for m in r.json()["missing_materials"]] == ["场所平面图"]
    r = _api(other_citizen).put(url, {"answers": complete_answers()}, format="json")
    assert r.status_code == 404


def test_api_staff_of_another_department_cannot_save_answers(fguide, citizen, other_dept_staff):
    draft = _draft(fguide, citizen)
    r = _api(other_dept_staff).put(
        f"{API}/{draft.pk}/form", {"answers": complete_answers()}, format="json"
    )
    assert r.status_code in (403, 404)


def test_api_approve_with_decision_fields(fguide, approver, window_staff):
    app = accepted_application(guide=fguide, state=State.UNDER_REVIEW)
    url = f"{API}/{app.pk}/approve"
    assert _api(window_staff).post(url, {"decision": DECISION}, format="json").status_code == 403
    r = _api(approver).post(url, {"decision": {"approved_items": "x"}}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_decision"
    assert "valid_from" in r.json()["error"]["fields"]
    r = _api(approver).post(url, {"decision": DECISION}, format="json")
    assert r.status_code == 200 and r.json()["state"] == State.APPROVED


# --- The citizen sees the decision as the decision ------------------------------------------


def test_applicant_page_labels_the_decision_fields_as_the_decision(
    client, fguide, citizen, approver
):
    app = accepted_application(guide=fguide, applicant=citizen, state=State.UNDER_REVIEW)
    services.application_approve(
        application_id=app.pk, actor=approver, result_text="请按时年检。", decision=DECISION
    )
    client.force_login(citizen)
    html = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "决定内容" in html and "热食类食品制售" in html and "2031-11-30" in html
    assert "办理说明" in html and "理由" not in html.split("决定内容")[1].split("救济途径")[0]


# --- Staff console --------------------------------------------------------------------------


def _submitted_with_form(guide, citizen, answers):
    draft = _draft(guide, citizen)
    services.application_save_answers(application_id=draft.pk, actor=citizen, answers=answers)
    return services.application_submit(application_id=draft.pk, actor=citizen)


def test_console_shows_answers_and_withholds_plain_acceptance(
    client, fguide, citizen, window_staff
):
    app = _submitted_with_form(fguide, citizen, {"declaration": True})
    client.force_login(window_staff)
    url = reverse("admin:applications_application_change", args=[app.pk])
    html = client.get(url).content.decode()
    assert "不能直接受理" in html and "食品经营许可申请书" in html
    assert reverse("admin:applications_application_action", args=[app.pk, "accept"]) not in html
    assert "一次性告知补正" in html
    complete = _submitted_with_form(fguide, citizen, complete_answers())
    html = client.get(
        reverse("admin:applications_application_change", args=[complete.pk])
    ).content.decode()
    assert "榕城小馆" in html and "福建省福州市鼓楼区五四路100号" in html
    assert reverse("admin:applications_application_action", args=[complete.pk, "accept"]) in html
    # A forged POST gets the service's own refusal, nothing changes.
    response = client.post(
        reverse("admin:applications_application_action", args=[app.pk, "accept"]), {}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED


def test_console_approve_form_asks_for_the_decision_fields(client, fguide, approver):
    app = accepted_application(guide=fguide, state=State.UNDER_REVIEW)
    client.force_login(approver)
    html = client.get(
        reverse("admin:applications_application_change", args=[app.pk])
    ).content.decode()
    assert 'name="decision_approved_items"' in html and 'name="decision_valid_to"' in html
    action = reverse("admin:applications_application_action", args=[app.pk, "approve"])
    data = {f"decision_{k}": v for k, v in DECISION.items()}
    assert client.post(action, data).status_code == 302
    assert Application.objects.get(pk=app.pk).state == State.APPROVED


def test_queue_search_by_key_fields_in_constant_queries(
    client, fguide, citizen, window_staff, django_assert_max_num_queries
):
    url = reverse("admin:applications_application_queue")
    client.force_login(window_staff)
    target = _submitted_with_form(fguide, citizen, complete_answers(shop_name="海鲜大排档"))

    def search(term: str) -> str:
        return client.get(url, {"tab": "new", "q": term}).content.decode()

    with django_assert_max_num_queries(25):
        html = search("海鲜")
    assert target.number in html
    for _ in range(5):
        _submitted_with_form(fguide, citizen, complete_answers(shop_name="海鲜酒楼"))
    with django_assert_max_num_queries(25):
        html = search("海鲜")
    assert html.count("海鲜") >= 1 and target.number in html
    assert target.number in search("13900000009")  # a phone is found by its keyed hash
    assert target.number not in search("榕城")


# --- 一件事: one form (C8) -------------------------------------------------------------------


@pytest.fixture
def form_bundle(department, other_department):
    first = form_guide(department)
    other = copy.deepcopy(FORM)
    other["title"] = "户外招牌设置备案表"
    other["fills_material"] = "户外招牌设置备案表"
    other["sections"][0]["fields"].insert(
        -1, {"key": "sign_text", "label": "招牌文字", "type": "text", "required": True}
    )
    second = form_guide(other_department, form=other)
    second.materials.filter(name="食品经营许可申请书").update(name="户外招牌设置备案表")
    bundle = Bundle.objects.create(
        code="YJS-KFD-T",
        name="开饭店一件事",
        target="both",
        lead_department=department,
        promised_time_limit_days=10,
        status=Bundle.Status.PUBLISHED,
    )
    BundleStep.objects.create(bundle=bundle, item=first.item, stage=1)
    BundleStep.objects.create(bundle=bundle, item=second.item, stage=2)
    return bundle


def test_bundle_asks_a_shared_field_once_and_a_shared_material_once_c8(
    client, form_bundle, citizen
):
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=form_bundle.pk)
    first, second = group.members.order_by("pk")
    client.force_login(citizen)
    url = reverse("applications:bundle", args=[group.pk])
    html = client.get(url).content.decode()
    assert html.count('name="f_shop_name"') == 1 and html.count('name="f_sign_text"') == 1
    assert html.count('name="f_declaration"') == 1
    # 场所平面图 is in both guides: one box, serving both items.
    plan = tolerable_material(first.guide)
    assert html.count(f'name="file_{plan.pk}"') == 1
    assert f'name="file_{tolerable_material(second.guide).pk}"' not in html
    assert "一次上传，用于" in html
    response = client.post(
        url,
        {**_post_form(f_sign_text="榕城小馆"), "action": "save", f"file_{plan.pk}": png_upload()},
    )
    assert response.status_code == 302
    for member in (first, second):
        assert Application.objects.get(pk=member.pk).answers.values["shop_name"] == "榕城小馆"
    assert "sign_text" not in Application.objects.get(pk=first.pk).answers.values
    uploads = ApplicationMaterial.objects.filter(application__in=[first, second])
    assert uploads.count() == 2 and uploads.filter(reused_from__isnull=False).count() == 1
    review = reverse("applications:bundle_review", args=[group.pk])
    assert (
        client.post(url, {**_post_form(f_sign_text="榕城小馆"), "action": "review"})["Location"]
        == review
    )
    html = client.get(review).content.decode()
    assert "所需材料和申请表内容已齐全" in html
    response = client.post(review, {})
    assert response["Location"] == url
    # C8 serial stages: the first stage goes to intake with its 申请书; the second waits for
    # it (its 申请书 is issued when it is released to intake).
    for member, state, forms in ((first, State.SUBMITTED, 1), (second, State.WAITING, 0)):
        app = Application.objects.get(pk=member.pk)
        assert app.state == state
        assert app.documents.filter(kind=DocumentKind.APPLICATION_FORM).count() == forms
    progress = client.get(url).content.decode()
    assert "总体进度" in progress and "承诺 <strong>10</strong> 个工作日内办结" in progress
    assert "第 2 阶段" in progress


def test_bundle_answers_are_checked_per_member_and_refused_whole(form_bundle, citizen):
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=form_bundle.pk)
    with pytest.raises(ApplicationError) as exc:
        services.application_bundle_save_answers(
            bundle_application_id=group.pk,
            actor=citizen,
            answers={"shop_name": "x" * 300, "unknown": "1"},
        )
    assert set(exc.value.extra) == {"shop_name", "unknown"}


def test_bundle_material_upload_is_refused_for_someone_else(form_bundle, citizen, other_citizen):
    group = services.application_bundle_create_drafts(actor=citizen, bundle_id=form_bundle.pk)
    first = group.members.order_by("pk").first()
    with pytest.raises(ApplicationError) as exc:
        services.application_bundle_attach_material(
            bundle_application_id=group.pk,
            actor=other_citizen,
            targets=[(first.pk, tolerable_material(first.guide).pk)],
            upload=pdf_upload(),
        )
    assert exc.value.status_code == 404


# --- QR code / verification address ---------------------------------------------------------


def test_documents_point_to_the_address_they_were_issued_on(client, settings, fguide, citizen):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["portal.test"]
    draft = _draft(fguide, citizen)
    client.force_login(citizen)
    services.application_save_answers(
        application_id=draft.pk, actor=citizen, answers=complete_answers()
    )
    client.post(
        reverse("applications:review", args=[draft.pk]),
        {"idempotency_key": "qr-1"},
        HTTP_HOST="portal.test:8123",
    )
    document = draft.documents.get(kind=DocumentKind.APPLICATION_FORM).document
    assert document.site_url == "http://portal.test:8123"
    assert document.verification_url.startswith("http://portal.test:8123/verify/")
    settings.SITE_URL = "https://zwfw.example.gov.cn"
    assert document.verification_url.startswith("http://portal.test:8123/")  # stored at issue
    other = _draft(fguide, citizen)
    services.application_save_answers(
        application_id=other.pk, actor=citizen, answers=complete_answers()
    )
    services.application_submit(application_id=other.pk, actor=citizen)
    later = other.documents.get(kind=DocumentKind.APPLICATION_FORM).document
    assert later.verification_url.startswith("https://zwfw.example.gov.cn/verify/")


def test_window_uploads_a_paper_form_for_the_form_material(fguide, citizen, window_staff):
    app = services.application_window_create(
        actor=window_staff,
        applicant_id=citizen.pk,
        item_id=fguide.item_id,
        idempotency_key="paper-1",
        materials=[(main_material(fguide).pk, pdf_upload())],
    )
    assert services.application_accept(application_id=app.pk, actor=window_staff).state == (
        State.ACCEPTED
    )
