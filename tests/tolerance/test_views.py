"""The applicant's and the window's pages (T1–T3): one service per POST, refusals shown."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.applications import services as app_services
from apps.applications.workflow import State
from apps.tolerance import services
from apps.tolerance.models import MaterialSupply, Pledge, Supplement
from apps.tolerance.workflow import SupplyState
from tests.applications.factories import (
    GuideMaterialFactory,
    guide_for,
    pdf_upload,
    png_upload,
    tolerable_material,
)
from tests.tolerance.helpers import accept, incomplete_application, sign, submit, supply


def _detail(app):
    return reverse("applications:detail", args=[app.pk])


def _console(app):
    return reverse("admin:applications_application_change", args=[app.pk])


def test_t1_applicant_reads_and_signs_the_pledge(login, submitted, citizen):
    client = login(citizen)
    page = client.get(_detail(submitted)).content.decode()
    assert "容缺受理承诺书" in page and "受理之日起 3 个工作日内补齐" in page
    digest = services.pledge_digest(
        services.pledge_text(submitted, services.pledge_materials(submitted))
    )
    url = reverse("tolerance:pledge_sign", args=[submitted.pk])
    response = client.post(url, {"text_sha256": digest, "signer_name": submitted.applicant_name})
    assert response.status_code == 302 and not Pledge.objects.exists()  # not confirmed
    response = client.post(
        url,
        {"text_sha256": digest, "signer_name": submitted.applicant_name, "confirmed": "on"},
        REMOTE_ADDR="198.51.100.4",
        follow=True,
    )
    assert "已签署" in response.content.decode()
    assert Pledge.objects.get().ip_address == "198.51.100.4"


def test_t1_supplements_panel_states_and_upload_slot(login, submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    client = login(citizen)
    page = client.get(_detail(app)).content.decode()
    assert "场所平面图" in page and "待补齐" in page and 'name="file"' in page
    assert "clock-" in page  # the working days left, coloured like the main clock
    response = client.post(
        reverse("tolerance:supplement_upload", args=[app.pk]),
        {"guide_material": tolerable_material(app.guide).pk, "file": png_upload()},
        follow=True,
    )
    page = response.content.decode()
    assert "已提交待核验" in page
    assert supply(app).state == SupplyState.SUBMITTED


def test_t1_refused_upload_shows_its_reason_and_changes_nothing(
    login, submitted, citizen, window_staff
):
    app = accept(submitted, citizen, window_staff)
    client = login(citizen)
    response = client.post(
        reverse("tolerance:supplement_upload", args=[app.pk]),
        {"guide_material": 999999, "file": png_upload()},
        follow=True,
    )
    assert "不是本申请的容缺材料" in response.content.decode()
    assert not Supplement.objects.exists()


def test_t1_window_accepts_on_a_paper_pledge(login, submitted, window_staff):
    client = login(window_staff)
    page = client.get(_console(submitted)).content.decode()
    assert "纸质承诺书" in page
    response = client.post(
        reverse("tolerance:staff_accept", args=[submitted.pk]),
        {
            "missing": [tolerable_material(submitted.guide).pk],
            "signer_name": submitted.applicant_name,
            "scan": pdf_upload("承诺书扫描.pdf"),
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.TOLERANT_ACCEPTED
    assert Pledge.objects.get().witnessed_by == window_staff


@pytest.mark.parametrize("signed_online", [False, True], ids=["paper", "online"])
def test_t1_console_offers_tolerant_acceptance_once(
    login, submitted, citizen, window_staff, signed_online
):
    """T1 / A4(4): the application page has one 容缺受理 button, the tolerance panel's (which
    records the pledge, paper or online); the generic action form's is not shown beside it."""
    if signed_online:
        sign(submitted, citizen)
    page = login(window_staff).get(_console(submitted)).content.decode()
    buttons = re.findall(r'<input type="submit" value="容缺受理"|>容缺受理</button>', page)
    assert buttons == [">容缺受理</button>"]
    assert 'id="action-accept_tolerant"' not in page
    assert 'id="action-request_correction"' in page  # the other intake steps stay


def test_t1_window_checks_each_supplement(login, submitted, citizen, window_staff, approver):
    app = accept(submitted, citizen, window_staff)
    app_services.application_start_review(application_id=app.pk, actor=window_staff)
    app_services.application_approve(application_id=app.pk, actor=approver)
    first = submit(app, citizen)
    client = login(window_staff)
    page = client.get(_console(app)).content.decode()
    assert "结果待容缺材料补齐后发放" in page and "核验通过" in page
    client.post(reverse("tolerance:supplement_reject", args=[first.pk]), {"reason": ""})
    assert Supplement.objects.get(pk=first.pk).result == Supplement.Result.PENDING
    client.post(reverse("tolerance:supplement_reject", args=[first.pk]), {"reason": "模糊"})
    assert supply(app).state == SupplyState.REJECTED
    second = submit(app, citizen)
    citizen_page = login(citizen).get(_detail(app)).content.decode()
    assert "结果待容缺材料补齐后发放" in citizen_page
    client = login(window_staff)
    client.post(reverse("tolerance:supplement_accept", args=[second.pk]))
    assert supply(app).state == SupplyState.ACCEPTED
    citizen_page = login(citizen).get(_detail(app)).content.decode()
    assert "结果待容缺材料补齐后发放" not in citizen_page and "已补齐" in citizen_page


def test_t1_other_department_cannot_check(
    login, submitted, citizen, window_staff, other_dept_staff
):
    app = accept(submitted, citizen, window_staff)
    supplement = submit(app, citizen)
    login(other_dept_staff).post(reverse("tolerance:supplement_accept", args=[supplement.pk]))
    assert Supplement.objects.get(pk=supplement.pk).result == Supplement.Result.PENDING


def _tolerant_case(department, citizen, window_staff, tolerable: int):
    guide = guide_for(department)
    for n in range(tolerable - 1):
        GuideMaterialFactory(
            guide=guide, name=f"附加材料{n}", importance="tolerable", supplement_days=5
        )
    app = incomplete_application(guide, citizen)
    sign(app, citizen)
    ids = [m.pk for m in guide.materials.filter(importance="tolerable")]
    services.tolerant_accept(application_id=app.pk, actor=window_staff, missing_material_ids=ids)
    assert MaterialSupply.objects.filter(application=app).count() == tolerable
    return app


def _queries(client, url) -> int:
    client.get(url)  # warm caches (calendar snapshot, session)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_panels_run_a_constant_number_of_queries(login, department, citizen, window_staff):
    """One tolerated material or five: the applicant's and the window's pages cost the same."""
    one = _tolerant_case(department, citizen, window_staff, 1)
    five = _tolerant_case(department, citizen, window_staff, 5)
    client = login(citizen)
    assert _queries(client, _detail(one)) == _queries(client, _detail(five))
    client = login(window_staff)
    assert _queries(client, _console(one)) == _queries(client, _console(five))


@pytest.mark.parametrize("persona", ["window_staff", "citizen"])
def test_figures_only_for_supervisors(login, supervisor, persona, request):
    response = login(supervisor).get(reverse("tolerance:figures_json"))
    assert response.status_code == 200 and "rows" in response.json()
    user = request.getfixturevalue(persona)
    response = login(user).get(reverse("tolerance:figures_json"))
    assert response.status_code in (302, 403)


def test_t1_no_pledge_offered_nor_guide_list_read_where_the_guide_tolerates_nothing(
    login, guide, citizen
):
    """T1: only a tolerable material may be pledged. Under a guide that lists none, the
    submitted case's page offers no pledge, and it does not read the guide's materials to
    find that out (issue 16: the page read them on every case waiting for intake)."""
    app = incomplete_application(guide, citizen)
    guide.materials.filter(importance="tolerable").update(importance="main")  # missing, main
    client = login(citizen)
    client.get(_detail(app))  # the session and the calendar read once
    with CaptureQueriesContext(connection) as captured:
        page = client.get(_detail(app)).content.decode()
    assert "容缺受理承诺书" not in page
    assert not [q for q in captured if q["sql"].startswith('SELECT "catalogue_guidematerial"')]
