"""The citizen's apply flow (issue 16: a fifth of the load mix): 在线申请, the draft, the draft
form, 提交申请 and the application page each run a fixed number of statements, whatever the
number of materials in the guide or of fields in its online form (C7, Q2).

The pages are walked as the load test walks them (``benchmarks/locustfile.py``): the form's
hidden fields posted back, 提交申请 from the draft form with ``action=submit``.
"""

from __future__ import annotations

import copy
import re
from functools import partial

from django.urls import reverse

from apps.applications.models import Application, TimelineEvent
from apps.applications.workflow import State
from apps.notifications.models import Notification
from tests.applications.factories import GuideMaterialFactory, guide_for
from tests.applications.form_factories import FORM, complete_answers, form_guide

_HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|idempotency_key)" value="([^"]+)"')

# Statements per page, session and user reads included (the citizen is signed in).
BUDGET = {"start": 6, "create": 14, "draft": 8, "submit": 14, "application": 7}
# With the online form: its answers read and saved, the 申请书 issued with its number.
FORM_BUDGET = {"start": 6, "create": 20, "draft": 10, "submit": 32, "application": 9}
WARM = dict.fromkeys(BUDGET, 60)


def _hidden(response) -> dict[str, str]:
    return dict(_HIDDEN.findall(response.content.decode()))


def _walk(assert_max, client, guide, budget: dict[str, int], answers: dict | None = None):
    """The five requests of the apply flow, each within its ``budget`` of statements;
    returns the statements each ran and the application."""
    counts: dict[str, int] = {}

    def request(name: str, method, *args):
        with assert_max(budget[name]) as captured:
            response = method(*args)
        counts[name] = len(captured)
        return response

    new_url = reverse("applications:new", args=[guide.item.code])
    page = request("start", client.get, new_url)
    assert page.status_code == 200
    start = request("create", client.post, new_url, _hidden(page))
    assert start.status_code == 302
    edit_url = start["Location"]
    draft = request("draft", client.get, edit_url)
    assert draft.status_code == 200
    data = {**_hidden(draft), **(answers or {}), "action": "submit"}
    submitted = request("submit", client.post, edit_url, data)
    application = Application.objects.get(pk=int(edit_url.strip("/").split("/")[-2]))
    assert submitted.status_code == 302, submitted.content.decode()[:2000]
    assert submitted["Location"] == reverse("applications:detail", args=[application.pk])
    detail = request("application", client.get, submitted["Location"])
    assert detail.status_code == 200
    return counts, application


def _many_materials(guide, count: int) -> None:
    for n in range(count):
        GuideMaterialFactory(guide=guide, name=f"补充材料{n}", electronic_formats="pdf,png")


def _wider_form(extra: int) -> dict:
    form = copy.deepcopy(FORM)
    form["sections"][0]["fields"].extend(
        {"key": f"note_{n}", "label": f"补充说明{n}", "type": "text"} for n in range(extra)
    )
    return form


def test_apply_flow_runs_the_same_statements_for_more_materials(
    client, department, citizen, django_assert_max_num_queries
):
    """C7: one slot per guide material, and no page reads per material. The guides allow
    submission while materials are missing (A5), so 提交申请 goes through without uploads."""
    client.force_login(citizen)
    walk = partial(_walk, django_assert_max_num_queries, client)
    walk(guide_for(department), WARM)  # the first submission reads the working-day calendar
    few, first = walk(guide_for(department), BUDGET)
    many_guide = guide_for(department)
    _many_materials(many_guide, 8)
    many, second = walk(many_guide, BUDGET)
    assert many == few
    for application in (first, second):
        application.refresh_from_db()
        assert application.state == State.SUBMITTED
        assert TimelineEvent.objects.filter(
            application=application, to_state=State.SUBMITTED
        ).exists()
        assert Notification.objects.filter(
            dedupe_key=f"application:{application.pk}:submitted"
        ).exists()


def test_apply_flow_with_a_form_runs_the_same_statements_for_more_fields(
    client, department, citizen, django_assert_max_num_queries
):
    """Q2: the online form is read, checked and issued as the 申请书 in a fixed number of
    statements, whatever the number of its fields."""
    client.force_login(citizen)
    answers = {
        "f_contact_phone": "13900000009",
        "f_business_address__province": "350000",
        "f_business_address__city": "350100",
        "f_business_address__district": "350102",
        "f_business_address__detail": "五四路100号",
        "f_shop_name": "榕城小馆",
        "f_declaration": "1",
    }
    walk = partial(_walk, django_assert_max_num_queries, client)
    walk(form_guide(department), WARM, answers)  # the working-day calendar read once
    few, first = walk(form_guide(department), FORM_BUDGET, answers)
    many, second = walk(form_guide(department, form=_wider_form(10)), FORM_BUDGET, answers)
    assert many == few
    for application in (first, second):
        assert application.answers.values["shop_name"] == complete_answers()["shop_name"]
        assert application.documents.filter(kind="application_form").exists()


def test_a_refused_submit_redraws_the_draft_with_its_slots(client, department, citizen):
    """A4: a guide that needs every material refuses 提交申请 while one is missing; the draft
    form comes back with each slot and the message, and nothing is submitted."""
    guide = guide_for(department)
    guide.incomplete_submission_allowed = False
    guide.save()
    client.force_login(citizen)
    new_url = reverse("applications:new", args=[guide.item.code])
    start = client.post(new_url, _hidden(client.get(new_url)))
    edit_url = start["Location"]
    response = client.post(edit_url, {**_hidden(client.get(edit_url)), "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "本事项须材料齐全方可提交" in html
    assert html.count('<input type="file" id="file_') == guide.materials.count()
    assert Application.objects.get(applicant=citizen).state == State.DRAFT
