"""Department scoping used by every app (CONVENTIONS: permission scoping lives in selectors)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import Department, ServiceWindow, User
from apps.accounts.roles import Role
from apps.accounts.selectors import department_ids_for, scope_by_department, user_has_role
from tests.accounts.factories import DepartmentFactory, ServiceCenterFactory, StaffFactory


def test_staff_see_their_own_departments(window_staff, department, other_department):
    assert department_ids_for(window_staff) == {department.pk}


def test_staff_in_two_departments_see_both(db, department, other_department):
    staff = StaffFactory(role=Role.WINDOW_STAFF, departments=[department, other_department])

    assert department_ids_for(staff) == {department.pk, other_department.pk}


def test_supervisor_system_admin_and_superuser_are_unrestricted(db, supervisor, system_admin):
    superuser = StaffFactory(is_superuser=True)

    assert department_ids_for(supervisor) is None
    assert department_ids_for(system_admin) is None
    assert department_ids_for(superuser) is None


def test_public_users_and_anonymous_see_no_department_records(citizen, company_agent):
    assert department_ids_for(citizen) == set()
    assert department_ids_for(company_agent) == set()
    assert department_ids_for(AnonymousUser()) == set()


def test_staff_without_department_see_nothing(hotline_operator):
    assert department_ids_for(hotline_operator) == set()


def test_inactive_supervisor_is_not_unrestricted(supervisor):
    supervisor.is_active = False

    assert department_ids_for(supervisor) == set()


def test_user_has_role(citizen, window_staff, supervisor):
    assert user_has_role(citizen, Role.CITIZEN)
    assert not user_has_role(citizen, Role.WINDOW_STAFF)
    assert user_has_role(window_staff, Role.WINDOW_STAFF)
    assert user_has_role(supervisor, "supervisor")
    assert not user_has_role(AnonymousUser(), Role.CITIZEN)
    assert not user_has_role(None, Role.CITIZEN)


def test_scope_through_a_to_many_relation_never_repeats_rows(
    window_staff, other_dept_staff, supervisor, citizen
):
    center = ServiceCenterFactory()
    own = window_staff.departments.get()
    other = other_dept_staff.departments.get()
    # ServiceWindow.departments is to-many: a window of both departments appears once.
    w_own = ServiceWindow.objects.create(center=center, number="1", name="A")
    w_own.departments.add(own)
    w_both = ServiceWindow.objects.create(center=center, number="2", name="B")
    w_both.departments.add(own, other)
    w_other = ServiceWindow.objects.create(center=center, number="3", name="C")
    w_other.departments.add(other)
    qs = ServiceWindow.objects.order_by("number")

    assert list(scope_by_department(qs, window_staff, field="departments")) == [w_own, w_both]
    assert list(scope_by_department(qs, other_dept_staff, field="departments")) == [
        w_both,
        w_other,
    ]
    assert list(scope_by_department(qs, supervisor, field="departments")) == [
        w_own,
        w_both,
        w_other,
    ]
    assert list(scope_by_department(qs, citizen, field="departments")) == []
    both = StaffFactory(role=Role.WINDOW_STAFF, departments=[own, other])
    assert list(scope_by_department(qs, both, field="departments")) == [w_own, w_both, w_other]
    center.departments.add(own)
    assert list(scope_by_department(qs, other_dept_staff, field="center__departments")) == []
    assert scope_by_department(qs, window_staff, field="center__departments").count() == 3


def test_scope_with_a_foreign_key_and_a_related_path(window_staff, department):
    child_own = DepartmentFactory(parent=department)
    DepartmentFactory(parent=DepartmentFactory())

    assert list(scope_by_department(Department.objects.all(), window_staff, field="parent")) == [
        child_own
    ]
    staff_rows = scope_by_department(
        User.objects.filter(kind=User.Kind.STAFF), window_staff, field="departments"
    )
    assert list(staff_rows) == [window_staff]
