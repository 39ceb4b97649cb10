"""A user's permissions, roles and departments are read once and kept in Redis (issue 16;
apps.accounts.access): a console page reads none of those rows, and every change to them
shows on the very next request."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from apps.accounts import access
from apps.accounts.access import user_access
from apps.accounts.backends import CachedPermissionsMixin
from apps.accounts.models import User
from apps.accounts.roles import Role, group_name
from apps.accounts.selectors import department_ids_for, user_has_role
from tests.accounts.factories import DepartmentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/applications/application/queue/"
SUPERVISION = "/admin/applications/application/supervision/"
ACCESS_TABLES = ("auth_permission", "auth_group", "accounts_user_departments")
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def _fresh(user) -> User:
    """The user as the next request loads it (nothing kept on the instance)."""
    return User.objects.get(pk=user.pk)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_a_console_page_reads_no_permission_role_or_department_rows(client, window_staff):
    client.force_login(window_staff)
    client.get(QUEUE)

    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE).status_code == 200

    read = " ".join(q["sql"] for q in captured.captured_queries)
    assert not [table for table in ACCESS_TABLES if f'"{table}"' in read]


@pytest.mark.parametrize(
    "persona",
    ["citizen", "company_agent", "window_staff", "approver", "hotline_operator", "supervisor"],
)
def test_the_cached_sets_are_django_s_own(request, persona):
    user = request.getfixturevalue(persona)
    user.user_permissions.add(_permission("accounts.view_department"))
    django_backend = ModelBackend()
    cached_backend = load_backend("apps.accounts.backends.PhonePasswordBackend")

    for _ in range(2):  # read from the rows, then from Redis
        assert cached_backend.get_user_permissions(_fresh(user)) == (
            django_backend.get_user_permissions(_fresh(user))
        )
        assert cached_backend.get_group_permissions(_fresh(user)) == (
            django_backend.get_group_permissions(_fresh(user))
        )
        assert user_access(_fresh(user)).role_names == set(
            user.groups.values_list("name", flat=True)
        )


def test_the_first_backend_asked_for_permissions_answers_from_the_cache():
    asked = [
        load_backend(path)
        for path in django_settings.AUTHENTICATION_BACKENDS
        if hasattr(load_backend(path), "has_perm")
    ]
    assert isinstance(asked[0], CachedPermissionsMixin)


def test_a_role_taken_away_shows_on_the_next_request(client, window_staff):
    client.force_login(window_staff)
    assert client.get(QUEUE).status_code == 200

    window_staff.groups.clear()

    assert client.get(QUEUE).status_code == 403


def test_a_member_removed_from_the_role_s_side_shows_on_the_next_request(client, window_staff):
    client.force_login(window_staff)
    assert client.get(QUEUE).status_code == 200

    Group.objects.get(name=group_name(Role.WINDOW_STAFF)).user_set.remove(window_staff)

    assert client.get(QUEUE).status_code == 403


def test_a_permission_revoked_from_a_role_shows_on_the_next_request(client, supervisor):
    client.force_login(supervisor)
    assert client.get(SUPERVISION).status_code == 200

    role = Group.objects.get(name=group_name(Role.SUPERVISOR))
    role.permissions.remove(_permission("applications.view_all_applications"))

    assert client.get(SUPERVISION).status_code == 403


def test_a_permission_granted_to_the_user_shows_on_the_next_request(client, window_staff):
    client.force_login(window_staff)
    assert client.get(SUPERVISION).status_code == 403

    window_staff.user_permissions.add(_permission("applications.view_all_applications"))

    assert client.get(SUPERVISION).status_code == 200


def test_a_deactivated_account_is_refused_on_its_next_request(client, window_staff):
    client.force_login(window_staff)
    assert client.get(QUEUE).status_code == 200

    window_staff.is_active = False
    window_staff.save(update_fields=["is_active"])

    assert client.get(QUEUE).status_code == 302  # signed out: to the login page


def test_a_removed_department_is_out_of_scope_at_once(department, other_department):
    staff = StaffFactory(role=Role.WINDOW_STAFF, departments=[department, other_department])
    assert department_ids_for(_fresh(staff)) == {department.pk, other_department.pk}

    staff.departments.remove(other_department)
    assert department_ids_for(_fresh(staff)) == {department.pk}

    department.staff.remove(staff)
    assert department_ids_for(_fresh(staff)) == set()

    other_department.staff.add(staff)
    assert department_ids_for(_fresh(staff)) == {other_department.pk}


def test_a_department_deleted_is_out_of_scope_at_once(department):
    gone = DepartmentFactory()
    staff = StaffFactory(role=Role.WINDOW_STAFF, departments=[department, gone])
    assert department_ids_for(_fresh(staff)) == {department.pk, gone.pk}

    gone.delete()

    assert department_ids_for(_fresh(staff)) == {department.pk}


def test_a_change_on_the_same_instance_is_seen_by_it(department, other_department):
    staff = StaffFactory(role=Role.WINDOW_STAFF, departments=[department])
    assert department_ids_for(staff) == {department.pk}

    staff.departments.add(other_department)

    assert department_ids_for(staff) == {department.pk, other_department.pk}


def test_a_renamed_role_is_no_longer_held(window_staff):
    assert user_has_role(_fresh(window_staff), Role.WINDOW_STAFF)

    role = Group.objects.get(name=group_name(Role.WINDOW_STAFF))
    role.name = "旧窗口角色"
    role.save()

    assert not user_has_role(_fresh(window_staff), Role.WINDOW_STAFF)


def test_a_copy_read_before_the_change_committed_is_not_used_after(
    window_staff, department, other_department, django_capture_on_commit_callbacks, monkeypatch
):
    """A request that read the rows just before another transaction committed may keep them
    under the tokens of that moment; the tokens drawn again at the commit retire that copy."""
    old = user_access(_fresh(window_staff))

    with django_capture_on_commit_callbacks(execute=True):
        window_staff.departments.add(other_department)
        # A concurrent request, reading the rows as they were before this commit, keeps them.
        with monkeypatch.context() as patched:
            patched.setattr(access, "_read", lambda user: old)
            user_access(_fresh(window_staff))
        assert department_ids_for(_fresh(window_staff)) == {department.pk}  # served until…

    # …the commit.
    assert department_ids_for(_fresh(window_staff)) == {department.pk, other_department.pk}


def test_the_rows_answer_when_redis_is_unreachable(window_staff, department):
    with override_settings(CACHES=DEAD_REDIS):
        cache.close()
        assert department_ids_for(_fresh(window_staff)) == {department.pk}
        window_staff.departments.clear()  # the new tokens cannot be kept: only logged
        assert department_ids_for(_fresh(window_staff)) == set()


def test_without_redis_each_request_reads_the_rows(window_staff, django_assert_num_queries):
    department_ids_for(_fresh(window_staff))
    fresh = _fresh(window_staff)
    with override_settings(ACCESS_CACHE_SECONDS=0), django_assert_num_queries(4):
        department_ids_for(fresh)  # roles, user and role permissions, departments


def test_superusers_keep_every_permission(db):
    superuser = StaffFactory(is_superuser=True)
    every = ModelBackend().get_all_permissions(_fresh(superuser))
    assert (
        load_backend("apps.accounts.backends.PhonePasswordBackend").get_all_permissions(
            _fresh(superuser)
        )
        == every
    )
    assert len(every) == Permission.objects.count()


def test_a_new_user_starts_from_its_rows(db):
    user = UserFactory(role=Role.CITIZEN)
    assert user_has_role(_fresh(user), Role.CITIZEN)


def test_permission_answers_kept_on_the_instance_follow_its_state(window_staff):
    user = _fresh(window_staff)
    assert user.has_perm("applications.view_application")
    assert not user.has_perm("applications.view_all_applications")

    user.is_active = False
    assert not user.has_perm("applications.view_application")
    user.is_active, user.is_superuser = True, True
    assert user.has_perm("applications.view_all_applications")
