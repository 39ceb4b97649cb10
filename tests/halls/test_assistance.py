"""帮办代办 (DOMAIN A13): the staff member on duty at a 帮办代办 window records who helped,
why, and the applicant's signed authorisation; the applicant sees it on their application."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.models import ServiceWindow
from apps.accounts.roles import Role
from apps.applications import hooks as application_hooks
from apps.applications import services as application_services
from apps.applications.models import Channel
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.halls import services
from apps.halls.models import Assistance
from apps.halls.workflow import AssistanceReason, WindowKind
from tests.accounts.factories import StaffFactory
from tests.applications.factories import guide_for, main_material, pdf_upload, png_upload
from tests.halls.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def helper(setup, department, hall_manager):
    """林帮办, on duty today at window 4, the hall's 帮办代办（绿色通道）window."""
    person = StaffFactory(
        username="helper", full_name="林帮办", role=Role.WINDOW_STAFF, departments=[department]
    )
    group = services.group_create(
        actor=hall_manager, hall=setup.hall, name="帮办代办", letter="G", kind=WindowKind.ASSISTED
    )
    window = ServiceWindow.objects.create(center=setup.center, number="4", name="帮办代办")
    window.departments.add(department)
    services.window_place(actor=hall_manager, window=window, group=group)
    services.shift_add(
        actor=hall_manager,
        window=window,
        staff=person,
        day=TODAY,
        starts=datetime.time(8, 30),
        ends=datetime.time(17, 30),
    )
    return person


@pytest.fixture
def guide(department):
    return guide_for(department)


@pytest.fixture
def assisted(setup, helper, citizen, guide):
    """An application 林帮办 made for the citizen at the window."""
    return application_services.application_window_create(
        actor=helper,
        applicant_id=citizen.pk,
        item_id=guide.item_id,
        idempotency_key="a13-1",
        channel=Channel.ASSISTED,
        materials=[(main_material(guide).pk, pdf_upload())],
    )


def _record(actor, application, **kwargs):
    values = {"reason": AssistanceReason.ELDERLY, "authorisation": pdf_upload("授权委托书.pdf")}
    values.update(kwargs)
    return services.assistance_record(actor=actor, application_id=application.pk, **values)


def test_the_panels_are_registered():
    registered = application_hooks.registered()
    assert "apps.halls.integrations.assistance_applicant_panel" in registered["applicant_panels"]
    assert "apps.halls.integrations.assistance_staff_panel" in registered["staff_panels"]


def test_assistance_recorded_with_who_where_why_and_the_authorisation_A13(
    assisted, helper, private_files
):
    assistance = _record(helper, assisted)
    assert assistance.staff == helper and assistance.window.number == "4"
    assert assistance.reason == AssistanceReason.ELDERLY
    assert assistance.authorisation_type == "application/pdf"
    assert len(assistance.authorisation_sha256) == 64
    assert assistance.authorisation.name.startswith(f"halls/{assisted.pk}/")
    assert (private_files / assistance.authorisation.name).exists()
    assert assistance.history.first().history_user == helper  # who and when


def test_applicant_sees_who_helped_and_why_and_the_authorisation_A13(
    client, assisted, helper, citizen, other_citizen
):
    _record(helper, assisted, reason=AssistanceReason.OTHER, note="行动不便，家属不在身边")
    client.force_login(citizen)
    html = client.get(reverse("applications:detail", args=[assisted.pk])).content.decode()
    assert "本件由市民服务中心 4 号窗口的 林帮办 帮办" in html
    assert "行动不便，家属不在身边" in html
    url = reverse("halls:assistance_authorisation", args=[assisted.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404


def test_recorded_once_only_A13(assisted, helper):
    _record(helper, assisted)
    with pytest.raises(ApplicationError) as refused:
        _record(helper, assisted)
    assert "不能重复登记" in refused.value.message
    assert Assistance.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reason": AssistanceReason.OTHER, "note": " "}, "请说明具体原因"),
        ({"reason": "tired"}, "请选择帮办代办原因"),
        ({"authorisation": None}, "授权委托书扫描件"),
        (
            {"authorisation": SimpleUploadedFile("签字.pdf", b"not a scan at all")},
            "PDF、JPG 或 PNG",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_kept_A13(
    assisted, helper, private_files, kwargs, message
):
    with pytest.raises(ApplicationError) as refused:
        _record(helper, assisted, **kwargs)
    assert message in refused.value.message
    assert not Assistance.objects.exists()
    assert not (private_files / "halls").exists()


def test_a_png_scan_is_accepted_A13(assisted, helper):
    assert _record(helper, assisted, authorisation=png_upload("签字.png")).authorisation_type == (
        "image/png"
    )


def test_only_staff_on_duty_at_an_assisted_window_record_it_A13(
    setup, assisted, window_staff, citizen
):
    """林帮办's colleague at the comprehensive window is not at a 帮办代办 window; the
    applicant cannot record it either."""
    for actor in (window_staff, citizen):
        with pytest.raises(PermissionDeniedError):
            _record(actor, assisted)
    assert not Assistance.objects.exists()


def test_only_for_an_application_made_at_the_window_by_the_helper_A13(
    setup, helper, citizen, window_staff, guide
):
    walk_in = application_services.application_window_create(
        actor=window_staff,
        applicant_id=citizen.pk,
        item_id=guide.item_id,
        idempotency_key="a13-2",
        materials=[(main_material(guide).pk, pdf_upload())],
    )
    with pytest.raises(PermissionDeniedError) as refused:
        _record(helper, walk_in)
    assert "本人在窗口代为申请" in refused.value.message


def test_staff_page_offers_the_form_then_shows_the_record_and_the_admin_lists_it_A13(
    client, assisted, helper, hall_manager
):
    client.force_login(helper)
    page = reverse("admin:applications_application_change", args=[assisted.pk])
    html = client.get(page).content.decode()
    assert "登记帮办代办" in html
    response = client.post(
        reverse("halls:assistance_record", args=[assisted.pk]),
        {"reason": AssistanceReason.DISABLED, "authorisation": pdf_upload("授权委托书.pdf")},
    )
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "本件由市民服务中心 4 号窗口的 林帮办 帮办" in html and "残疾人" in html
    client.force_login(hall_manager)
    listing = client.get(reverse("admin:halls_assistance_changelist")).content.decode()
    assert assisted.number in listing and "王**" in listing and "王小明" not in listing


def test_bad_form_on_the_staff_page_says_what_is_missing_A13(client, assisted, helper):
    client.force_login(helper)
    response = client.post(
        reverse("halls:assistance_record", args=[assisted.pk]), {"reason": "elderly"}, follow=True
    )
    assert response.status_code == 200
    assert "请选择帮办原因并上传授权委托书扫描件" in response.content.decode()
    assert not Assistance.objects.exists()
