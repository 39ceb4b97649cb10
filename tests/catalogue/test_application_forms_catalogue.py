"""The online form as part of the guide version (C5): checked on save and publish, copied
into the next revision, carried by the import/export, edited in the admin with a live
preview, and printed as a blank form and sample on the item page."""

from __future__ import annotations

import copy
import json

import pytest
from django.urls import reverse

from apps.catalogue import services
from apps.catalogue.models import ServiceGuide
from apps.catalogue.transfer import catalogue_export, catalogue_import
from apps.catalogue.transfer.csv_format import catalogue_export_csv, csv_to_data
from apps.common.errors import ApplicationError
from tests.catalogue.factories import PublishedGuideFactory, ServiceGuideFactory, ServiceItemFactory

FORM = {
    "title": "申请材料1",
    "fills_material": "申请材料1",
    "sections": [
        {
            "title": "申请人",
            "fields": [
                {
                    "key": "shop_name",
                    "label": "店名",
                    "type": "text",
                    "required": True,
                    "sample": "榕城小馆",
                },
                {
                    "key": "declaration",
                    "label": "声明",
                    "type": "declaration",
                    "required": True,
                    "text": "所填属实",
                },
            ],
        }
    ],
}
RESULT = [{"key": "valid_to", "label": "有效期至", "type": "date", "required": True}]


@pytest.fixture
def item(department):
    return ServiceItemFactory(competent_department=department, name="食品经营许可")


def test_c5_next_revision_carries_the_form_and_result_template(approver, item):
    PublishedGuideFactory(item=item, application_form=FORM, result_fields=RESULT)
    draft = services.guide_create_draft(actor=approver, item=item)
    assert draft.application_form == FORM and draft.result_fields == RESULT
    assert draft.incomplete_submission_allowed is True


def test_a_bad_form_is_refused_on_save_and_on_publish(approver, item):
    draft = ServiceGuideFactory(item=item)
    bad = copy.deepcopy(FORM)
    bad["sections"][0]["fields"][0]["type"] = "colour"
    with pytest.raises(ApplicationError) as exc:
        services.guide_update(actor=approver, guide=draft, data={"application_form": bad})
    assert any("取值应为以下之一" in p for p in exc.value.extra["problems"])
    wrong_material = {**FORM, "fills_material": "不存在的材料"}
    services.guide_update(actor=approver, guide=draft, data={"application_form": wrong_material})
    with pytest.raises(ApplicationError) as exc:
        services.guide_publish(actor=approver, guide=draft)
    assert any("不是本指南列明的申请材料" in p for p in exc.value.extra["problems"])
    services.guide_update(actor=approver, guide=draft, data={"application_form": FORM})
    assert services.guide_publish(actor=approver, guide=draft).status == (
        ServiceGuide.Status.PUBLISHED
    )


def test_import_export_carry_the_form(item):
    PublishedGuideFactory(item=item, application_form=FORM, result_fields=RESULT)
    exported = catalogue_export()
    guide = next(i for i in exported["items"] if i["code"] == item.code)["guide"]
    assert guide["application_form"] == FORM and guide["result_fields"] == RESULT
    data, _lines, errors = csv_to_data(catalogue_export_csv())
    assert errors == []
    row = next(i for i in data["items"] if i["code"] == item.code)
    assert row["guide"]["application_form"] == FORM


def test_import_refuses_a_bad_form_with_its_place(department, item):
    PublishedGuideFactory(item=item)
    exported = catalogue_export()
    record = next(i for i in exported["items"] if i["code"] == item.code)
    record["guide"]["application_form"] = {"title": "x", "sections": []}
    report = catalogue_import({"items": [record]})
    assert not report.ok
    assert any("申请表.sections" in e and item.code in e for e in report.errors)


def test_item_page_offers_the_blank_form_and_sample(client, item):
    PublishedGuideFactory(item=item, application_form=FORM)
    html = client.get(reverse("catalogue:item", args=[item.code])).content.decode()
    blank = reverse("catalogue:form_printable", args=[item.code, "blank"])
    sample = reverse("catalogue:form_printable", args=[item.code, "sample"])
    assert blank in html and sample in html and "在线填写" in html
    for url in (blank, sample):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response).startswith(b"%PDF")
    assert client.get(reverse("catalogue:form_printable", args=[item.code, "x"])).status_code == 404


def test_blank_form_of_an_item_without_a_form_is_404(client, item):
    PublishedGuideFactory(item=item)
    url = reverse("catalogue:form_printable", args=[item.code, "blank"])
    assert client.get(url).status_code == 404


def test_region_children_json(client, db):
    body = client.get(reverse("catalogue:region_children", args=["350100"])).json()
    assert {"code": "350102", "name": "鼓楼区"} in body["regions"]
    assert len(client.get(reverse("catalogue:regions")).json()["regions"]) >= 31
    assert client.get(reverse("catalogue:region_children", args=["999999"])).status_code == 404


def test_admin_live_preview_draws_the_citizens_form(client, approver, citizen):
    url = reverse("admin:catalogue_serviceguide_form_preview")
    client.force_login(approver)
    html = client.post(url, {"application_form": json.dumps(FORM)}).content.decode()
    assert 'name="f_shop_name"' in html and "所填属实" in html
    html = client.post(url, {"application_form": "{"}).content.decode()
    assert "不是有效的JSON" in html
    html = client.post(
        url, {"application_form": json.dumps({"title": "x", "sections": [{"title": "s"}]})}
    ).content.decode()
    assert "缺少“fields”" in html
    html = client.post(url, {"result_fields": json.dumps(RESULT)}).content.decode()
    assert 'name="f_valid_to"' in html
    client.force_login(citizen)
    assert client.post(url, {"application_form": json.dumps(FORM)}).status_code == 302


def test_admin_guide_page_shows_the_form_editor(client, approver, item):
    draft = ServiceGuideFactory(item=item, application_form=FORM)
    client.force_login(approver)
    html = client.get(
        reverse("admin:catalogue_serviceguide_change", args=[draft.pk])
    ).content.decode()
    assert 'id="id_application_form"' in html and "form-preview" in html
    assert 'id="id_result_fields"' in html and 'id="id_incomplete_submission_allowed"' in html
