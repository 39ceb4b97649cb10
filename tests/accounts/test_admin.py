"""Back-office screens: masked personal numbers and the audited reveal (DOMAIN A17)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.models import PersonalDataAccess, ServiceWindow, User
from tests.accounts.factories import DepartmentFactory, ServiceCenterFactory


@pytest.fixture
def subject(db):
    return User.objects.create_user(
        full_name="王小明", phone="13812345678", id_number="11010519491231002X"
    )


def _change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def _reveal_url(user):
    return reverse("admin:accounts_user_reveal", args=[user.pk])


def _assert_no_clear_numbers(body: str) -> None:
    assert "13812345678" not in body
    assert "11010519491231002X" not in body


def test_user_list_shows_numbers_masked_a17(client, system_admin, subject):
    client.force_login(system_admin)

    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()

    assert "138****5678" in body
    assert "110105********002X" in body
    _assert_no_clear_numbers(body)


def test_user_change_form_never_contains_the_clear_numbers_a17(client, system_admin, subject):
    client.force_login(system_admin)

    response = client.get(_change_url(subject))

    body = response.content.decode()
    assert response.status_code == 200
    assert "138****5678" in body
    assert "查看完整信息" in body
    assert 'name="new_phone"' in body
    _assert_no_clear_numbers(body)


def _change_post_data(user, **overrides):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "kind": user.kind,
        "email": "",
        "is_active": "on",
        "new_phone": "",
        "new_id_number": "",
    }
    data.update(overrides)
    return data


def test_admin_can_type_a_new_phone_and_it_is_stored_and_shown_masked(
    client, system_admin, subject
):
    client.force_login(system_admin)

    response = client.post(
        _change_url(subject), _change_post_data(subject, new_phone="13566667777")
    )

    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.phone == "13566667777"
    assert subject.id_number == "11010519491231002X"  # blank input keeps the stored value
    body = client.get(_change_url(subject)).content.decode()
    assert "135****7777" in body
    assert "13566667777" not in body


def test_admin_new_id_number_is_validated_a1(client, system_admin, subject):
    client.force_login(system_admin)

    response = client.post(
        _change_url(subject), _change_post_data(subject, new_id_number="110105194912310021")
    )

    assert response.status_code == 200
    assert "第18位" in response.content.decode()
    subject.refresh_from_db()
    assert subject.id_number == "11010519491231002X"


def test_admin_refuses_a_phone_of_another_account_a2(client, system_admin, subject, citizen):
    client.force_login(system_admin)

    response = client.post(
        _change_url(subject), _change_post_data(subject, new_phone=citizen.phone)
    )

    assert response.status_code == 200
    assert "该手机号已注册" in response.content.decode()
    subject.refresh_from_db()
    assert subject.phone == "13812345678"


def test_admin_adds_a_staff_account_with_a_phone(client, system_admin, department):
    client.force_login(system_admin)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "window9",
            "full_name": "新窗口",
            "kind": User.Kind.STAFF,
            "new_phone": "13711112222",
            "new_id_number": "",
            "usable_password": "true",
            "password1": "Xk#83kd!qp",
            "password2": "Xk#83kd!qp",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="window9")
    assert user.phone == "13711112222"
    assert user.check_password("Xk#83kd!qp")


def test_admin_search_finds_a_user_by_exact_phone_via_hash(client, system_admin, subject, citizen):
    client.force_login(system_admin)

    response = client.get(reverse("admin:accounts_user_changelist"), {"q": "138 1234 5678"})

    assert list(response.context["cl"].result_list) == [subject]


def test_reveal_shows_the_full_number_once_and_records_it_a17(client, approver, subject):
    client.force_login(approver)
    assert client.get(_reveal_url(subject)).status_code == 200

    response = client.post(
        _reveal_url(subject), {"field": "id_number", "purpose": "办件 2026-0001 核验身份"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "11010519491231002X" in body
    assert "no-store" in response["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert (access.viewer, access.subject, access.field) == (approver, subject, "id_number")
    # Reloading the form does not show it again.
    _assert_no_clear_numbers(client.get(_reveal_url(subject)).content.decode())


def test_reveal_without_purpose_shows_nothing_and_records_nothing_a17(client, approver, subject):
    client.force_login(approver)

    response = client.post(_reveal_url(subject), {"field": "phone", "purpose": ""})

    assert response.status_code == 200
    _assert_no_clear_numbers(response.content.decode())
    assert not PersonalDataAccess.objects.exists()


def test_reveal_is_refused_without_the_permission_a17(client, supervisor, window_staff, subject):
    for user in (supervisor, window_staff):
        client.force_login(user)
        response = client.post(_reveal_url(subject), {"field": "phone", "purpose": "核验身份"})
        assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_supervisor_sees_user_masked_without_reveal_button_a17(client, supervisor, subject):
    client.force_login(supervisor)

    body = client.get(_change_url(subject)).content.decode()

    assert "138****5678" in body
    assert "查看完整信息" not in body
    _assert_no_clear_numbers(body)


def test_supervisor_reads_the_access_trail_but_cannot_change_it_a17(
    client, supervisor, approver, subject
):
    PersonalDataAccess.objects.create(
        viewer=approver, subject=subject, field="phone", purpose="回访核实"
    )
    client.force_login(supervisor)

    response = client.get(reverse("admin:accounts_personaldataaccess_changelist"))

    assert response.status_code == 200
    assert "回访核实" in response.content.decode()
    assert client.get(reverse("admin:accounts_personaldataaccess_add")).status_code == 403
    access = PersonalDataAccess.objects.get()
    delete_url = reverse("admin:accounts_personaldataaccess_delete", args=[access.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert PersonalDataAccess.objects.exists()


def test_window_staff_cannot_read_the_access_trail(client, window_staff):
    client.force_login(window_staff)

    response = client.get(reverse("admin:accounts_personaldataaccess_changelist"))

    assert response.status_code == 403


def test_department_list_filters_by_level_and_searches_code(client, system_admin):
    DepartmentFactory(code="SCJGJ", name="市市场监督管理局")
    DepartmentFactory(code="GL-MZ", name="鼓楼区民政局", level="county")
    client.force_login(system_admin)
    url = reverse("admin:accounts_department_changelist")

    by_level = client.get(url, {"level__exact": "county"}).context["cl"].result_list
    by_code = client.get(url, {"q": "SCJGJ"}).context["cl"].result_list

    assert [d.code for d in by_level] == ["GL-MZ"]
    assert [d.code for d in by_code] == ["SCJGJ"]


def test_department_history_is_shown(client, system_admin, department):
    department.name = "市场监督管理局（新）"
    department.save()
    client.force_login(system_admin)

    response = client.get(reverse("admin:accounts_department_history", args=[department.pk]))

    assert response.status_code == 200
    assert department.history.count() == 2


def test_service_center_page_edits_its_windows_inline(client, system_admin):
    center = ServiceCenterFactory()
    ServiceWindow.objects.create(center=center, number="01", name="综合受理窗口")
    client.force_login(system_admin)

    response = client.get(reverse("admin:accounts_servicecenter_change", args=[center.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "综合受理窗口" in body
    assert "windows-TOTAL_FORMS" in body
