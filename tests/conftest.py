"""Shared fixtures: named personas for permission matrices (see CONVENTIONS.md)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from apps.accounts.roles import Role
from apps.catalogue.public_cache import public_catalogue_changed
from apps.halls.selectors import served_items_changed
from govservice.celery import app as celery_app
from tests.accounts.factories import (
    CompanyFactory,
    DepartmentFactory,
    StaffFactory,
    UserFactory,
)

DEFAULT_PASSWORD = "Portal#2026"


@pytest.fixture
def department(db):
    return DepartmentFactory(code="SCJGJ", name="市市场监督管理局")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="GAJ", name="市公安局")


@pytest.fixture
def citizen(db):
    return UserFactory(full_name="王小明", role=Role.CITIZEN)


@pytest.fixture
def other_citizen(db):
    return UserFactory(full_name="赵小红", role=Role.CITIZEN)


@pytest.fixture
def company(db):
    return CompanyFactory(name="榕城示范科技有限公司")


@pytest.fixture
def company_agent(db, company):
    from apps.accounts.models import User

    agent = UserFactory(full_name="钱经办", kind=User.Kind.COMPANY_AGENT, role=Role.COMPANY_AGENT)
    agent.companies.add(company)
    return agent


@pytest.fixture
def window_staff(db, department):
    return StaffFactory(
        username="window1", full_name="孙窗口", role=Role.WINDOW_STAFF, departments=[department]
    )


@pytest.fixture
def other_dept_staff(db, other_department):
    return StaffFactory(
        username="window2",
        full_name="周窗口",
        role=Role.WINDOW_STAFF,
        departments=[other_department],
    )


@pytest.fixture
def approver(db, department):
    return StaffFactory(
        username="approver1",
        full_name="吴科长",
        role=Role.DEPARTMENT_APPROVER,
        departments=[department],
    )


@pytest.fixture
def other_approver(db, other_department):
    return StaffFactory(
        username="approver2",
        full_name="郑科长",
        role=Role.DEPARTMENT_APPROVER,
        departments=[other_department],
    )


@pytest.fixture
def login(client):
    """``login(user)`` signs ``client`` in as ``user`` (no password round trip) and returns it."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def hotline_operator(db):
    return StaffFactory(username="hotline1", full_name="郑话务", role=Role.HOTLINE_OPERATOR)


@pytest.fixture
def supervisor(db):
    return StaffFactory(username="supervisor1", full_name="冯督查", role=Role.SUPERVISOR)


@pytest.fixture
def system_admin(db):
    return StaffFactory(
        username="sysadmin", full_name="陈管理", role=Role.SYSTEM_ADMIN, is_superuser=True
    )


@pytest.fixture(scope="session")
def _seed_snapshot(django_db_setup, django_db_blocker):
    """What the data migrations seeded: roles (group → permissions), the holiday calendar and
    the bad-review reasons (the default synonym list is put back from its source,
    apps.catalogue.search.defaults)."""
    from django.contrib.auth.models import Group

    from apps.reviews.models import ReviewTag
    from apps.workdays.models import CalendarDay, CalendarYear

    with django_db_blocker.unblock():
        roles = {
            group.name: [
                (p.content_type.app_label, p.codename)
                for p in group.permissions.select_related("content_type")
            ]
            for group in Group.objects.prefetch_related("permissions")
        }
        return {
            "roles": roles,
            "days": list(CalendarDay.objects.all()),
            "years": list(CalendarYear.objects.all()),
            "review_tags": list(ReviewTag.objects.all()),
        }


def _restore_roles(roles: dict[str, list[tuple[str, str]]]) -> None:
    from django.contrib.auth.models import Group, Permission

    permissions = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type")
    }
    for name, perms in roles.items():
        group = Group.objects.create(name=name)
        group.permissions.add(*(permissions[key] for key in perms))


@pytest.fixture(autouse=True)
def _publishing_resumes():
    """A test that made a publish fail leaves no publishing pause to the next test
    (govservice.celery.PortalCelery)."""
    yield
    celery_app.resume_publishing()


@pytest.fixture(autouse=True)
def _fresh_public_catalogue_cache():
    """Each test's database starts from the migrations: no home page fragment cached by an
    earlier test (whose rows were rolled back without a signal) may be served to it."""
    public_catalogue_changed()
    served_items_changed()  # the halls' served items (apps.halls.selectors), likewise


@pytest.fixture(scope="session", autouse=True)
def _fresh_cache_per_run():
    """Each run's test database numbers its people from 1 again, while Redis keeps what an
    earlier run cached under those numbers (the header's unread counts,
    apps.notifications.badge; sessions): a run starts from an empty cache (the test Redis
    database). Within a run the numbers never repeat (sequences are not rolled back)."""
    cache.clear()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


def _restore_seed(snapshot: dict) -> None:
    from django.contrib.auth.models import Group

    from apps.catalogue.models import SynonymGroup
    from apps.catalogue.services.synonyms import synonym_defaults_install
    from apps.hotline.defaults import seed_default_time_limits
    from apps.hotline.models import TimeLimit
    from apps.reviews.models import ReviewTag
    from apps.workdays.calendar import default_store
    from apps.workdays.models import CalendarDay, CalendarYear

    if not Group.objects.exists():
        _restore_roles(snapshot["roles"])
    if not CalendarYear.objects.exists():
        CalendarYear.objects.bulk_create(snapshot["years"])
        CalendarDay.objects.bulk_create(snapshot["days"])
    if not ReviewTag.objects.exists():
        ReviewTag.objects.bulk_create(snapshot["review_tags"])
    default_store.invalidate()
    if not SynonymGroup.objects.exists():
        synonym_defaults_install()
    if not TimeLimit.objects.exists():
        seed_default_time_limits(TimeLimit)


_SNAPSHOT: dict = {}


@pytest.fixture(autouse=True)
def _restore_seed_after_flush(request):
    """Transactional tests end with a flush that empties every table, including the rows the
    data migrations seeded; put them back so the next test sees real roles and real
    holidays, as a migrated database has. Done before a transactional test (in case one ran
    before the snapshot was taken) and after it (``pytest_runtest_teardown`` below): under
    pytest-xdist a worker runs files in turn, so a plain test may follow a transactional one."""
    if not _is_transactional(request.node):
        return
    _SNAPSHOT.update(request.getfixturevalue("_seed_snapshot"))
    request.getfixturevalue("transactional_db")
    _restore_seed(_SNAPSHOT)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush (its fixtures are torn down by now), put the
    seeded rows back at once (not after the last test: the test database is gone by then)."""
    result = yield
    if _SNAPSHOT and nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _restore_seed(_SNAPSHOT)
    return result


@pytest.fixture
def render_documents(db):
    """Do now what the document worker does after commit: render every PDF still pending.

    Non-transactional tests never commit, so ``on_commit`` never queues the render; call
    this where a test reads a PDF. Returns how many were rendered."""
    from apps.documents.services import document_render_pending

    def run() -> int:
        return document_render_pending(limit=100_000)

    return run
