"""Roles are groups with real permissions, created by migrations (issue #2)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from apps.accounts.roles import Role, group_name


@pytest.mark.django_db
def test_every_role_exists_as_a_group_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {group_name(role) for role in Role} <= names


@pytest.mark.django_db
def test_staff_roles_carry_permissions_and_public_roles_none_in_admin():
    approver = Group.objects.get(name=group_name(Role.DEPARTMENT_APPROVER))
    assert approver.permissions.filter(codename="view_full_personal_data").exists()
    window = Group.objects.get(name=group_name(Role.WINDOW_STAFF))
    assert not window.permissions.filter(codename="view_full_personal_data").exists()
    assert (
        not Group.objects.get(name=group_name(Role.CITIZEN))
        .permissions.filter(content_type__app_label="accounts")
        .exists()
    )


@pytest.mark.django_db(transaction=True)
def test_roles_are_there_in_a_transactional_test_too(citizen):
    assert citizen.groups.filter(name=group_name(Role.CITIZEN)).exists()


@pytest.mark.django_db(transaction=True)
def test_holidays_are_there_in_a_transactional_test_too():
    import datetime

    from apps.workdays.calendar import is_workday

    assert not is_workday(datetime.date(2025, 10, 1))  # National Day
    assert is_workday(datetime.date(2025, 9, 28))  # make-up Sunday
