"""Dashboards and reports read from a replica when one is configured (issue 16).

The replica here is the same test database under a second alias, as
``REPLICA_DATABASE_URL`` pointing at the primary would give: what the test checks is which
connection each query goes through, and that the figures read there are right.
"""

from __future__ import annotations

import copy
import datetime

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.applications.models import Application
from apps.common.compiled import CompiledRead
from apps.common.replica import REPLICA, ReplicaRouter, replica_configured, replica_reads
from tests.applications.factories import accepted_application, guide_for

COMMITTED = pytest.mark.django_db(transaction=True)  # the second connection sees the rows
TABLE = Application._meta.db_table


@pytest.fixture
def replica():
    """A second connection to the primary's (test) database under the ``replica`` alias,
    as ``REPLICA_DATABASE_URL`` would configure it, removed after the test."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, REPLICA)
    connections[REPLICA] = wrapper
    yield wrapper
    wrapper.close()
    del connections[REPLICA]


@pytest.fixture
def overdue(department):
    """One case whose clock ran out 30 days ago (A15 red)."""
    return accepted_application(
        guide=guide_for(department), accepted_at=timezone.now() - datetime.timedelta(days=90)
    )


def _queries(connection) -> CaptureQueriesContext:
    return CaptureQueriesContext(connection)


def _reads_applications(captured: CaptureQueriesContext) -> int:
    return sum(TABLE in q["sql"] for q in captured.captured_queries)


@COMMITTED
def test_dashboard_panel_reads_the_replica_not_the_primary(replica, overdue, supervisor, client):
    client.force_login(supervisor)
    url = reverse("dashboard:panel", args=["applications-timeliness"])
    with _queries(connections["default"]) as primary, _queries(replica) as secondary:
        response = client.get(url)

    assert response.status_code == 200
    assert "已超期1件" in response.json()["summary"]
    assert _reads_applications(secondary) >= 1
    assert _reads_applications(primary) == 0  # session and permissions only


@COMMITTED
def test_supervision_overview_api_reads_the_replica(replica, overdue, supervisor, client):
    client.force_login(supervisor)
    with _queries(connections["default"]) as primary, _queries(replica) as secondary:
        response = client.get("/api/v1/applications/supervision")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["overdue"]] == [overdue.pk]
    assert _reads_applications(secondary) >= 1 and _reads_applications(primary) == 0


@COMMITTED
def test_everything_else_stays_on_the_primary(replica, overdue, citizen, client):
    client.force_login(overdue.applicant)
    with _queries(replica) as secondary:
        assert client.get(reverse("applications:list")).status_code == 200
    assert secondary.captured_queries == []


@COMMITTED
def test_writes_inside_replica_reads_go_to_the_primary(replica, department):
    @replica_reads
    def rename() -> str:
        department.name = "改名后的部门"
        department.save()
        return type(department).objects.get(pk=department.pk).name  # read: replica

    with _queries(connections["default"]) as primary:
        assert rename() == "改名后的部门"
    assert any("UPDATE" in q["sql"] for q in primary.captured_queries)


@pytest.mark.django_db
def test_without_a_replica_the_reads_stay_on_default(overdue, supervisor, client):
    assert not replica_configured()
    client.force_login(supervisor)
    response = client.get(reverse("dashboard:panel", args=["applications-timeliness"]))
    assert response.status_code == 200 and "已超期1件" in response.json()["summary"]


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "applications") is False
    assert router.allow_migrate("default", "applications") is None


@COMMITTED
def test_a_compiled_read_follows_the_router_to_the_replica_and_back(replica, overdue):
    """A read compiled once per process (the staff application page's) is compiled per
    database too: inside ``replica_reads`` it reads the replica, outside the primary."""
    read = CompiledRead(Application, lambda *, pk: Application.objects.filter(pk=pk))
    on_the_replica = replica_reads(read.fetch)
    for _ in range(2):
        with _queries(connections["default"]) as primary, _queries(replica) as secondary:
            (on_replica,) = on_the_replica(pk=overdue.pk)
            (on_primary,) = read.fetch(pk=overdue.pk)
        assert on_replica._state.db == REPLICA and on_primary._state.db == "default"
        assert _reads_applications(secondary) == 1 and _reads_applications(primary) == 1
