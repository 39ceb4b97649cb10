"""City scale (issue 16): the scale-data generator, the capped work-queue count and the
applicant's list without a subquery inside its OR."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.applications import scale_data
from apps.applications.models import Application, TimelineEvent
from apps.applications.scale_data import HEAVY_CITIZEN_APPLICATIONS, generate_scale_data
from apps.applications.selectors import application_list_for_applicant, supervision_overview
from apps.catalogue.models import ServiceItem
from apps.common.pagination import CappedPaginator
from tests.applications.factories import ApplicationFactory, guide_for

pytestmark = pytest.mark.django_db

QUEUE = "/admin/applications/application/queue/"


def test_generator_fills_states_timelines_and_grows_without_duplicates():
    generate_scale_data(400)
    generate_scale_data(600)  # adds the difference only

    scale = Application.objects.filter(number__startswith="SC")
    assert scale.count() == 600
    states = set(scale.values_list("state", flat=True))
    assert {"draft", "submitted", "accepted", "under_review", "approved", "archived"} <= states
    events = TimelineEvent.objects.filter(application__in=scale).count()
    assert 3 * 600 <= events <= 4 * 600
    heavy = scale.filter(applicant__username="scale-heavy")
    assert heavy.count() == HEAVY_CITIZEN_APPLICATIONS
    assert heavy.filter(company__isnull=False).count() == HEAVY_CITIZEN_APPLICATIONS // 2
    # A running clock is red exactly when overdue, as the supervision pass leaves it.
    running = scale.filter(state__in=["accepted", "under_review"])
    today = timezone.localdate()
    assert running.exists()
    assert all((a.warning_level == "red") == (a.due_date < today) for a in running)


@pytest.mark.django_db(transaction=True)
def test_generator_writes_chunks_in_parallel_without_gaps_or_duplicates(monkeypatch):
    """``workers=2`` (ten million rows on a busy machine): every number once, every
    application with its timeline, as the one-connection run writes them."""
    monkeypatch.setattr(scale_data, "CHUNK", 100)
    generate_scale_data(450, workers=2)

    scale = Application.objects.filter(number__startswith="SC")
    numbers = sorted(scale.values_list("number", flat=True))
    assert numbers == [f"SC{g:010d}" for g in range(1, 451)]
    events = TimelineEvent.objects.filter(application__in=scale).count()
    assert 3 * 450 <= events <= 4 * 450
    assert not scale.filter(timeline__isnull=True).exists()


def test_generated_items_are_found_by_the_load_tests_searches(client):
    """The Locust mix searches 规模 and 规模事项 (``benchmarks/load.py``): the generated items
    carry their search columns, so those searches measure a page of results, not the empty
    page; a database generated before that gets them on the next run."""
    generate_scale_data(100)
    assert "找到 100 个" in client.get("/search/", {"q": "规模"}).content.decode()
    ServiceItem.objects.filter(code__startswith="SCALE-").update(search_text="", name_words="")
    generate_scale_data(100)
    assert "找到 100 个" in client.get("/search/", {"q": "规模事项"}).content.decode()


def test_generator_command_refuses_without_confirmation():
    with pytest.raises(CommandError):
        call_command("generate_scale_data", "10")


def test_queue_count_stops_at_the_cap(client, window_staff, department, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    guide = guide_for(department)
    for _ in range(3):
        ApplicationFactory(guide=guide)
    client.force_login(window_staff)

    response = client.get(QUEUE, {"tab": "all"})

    assert response.status_code == 200
    assert "超过 2 件" in response.content.decode()


def test_queue_count_is_exact_under_the_cap(client, window_staff, department):
    guide = guide_for(department)
    for _ in range(3):
        ApplicationFactory(guide=guide)
    client.force_login(window_staff)
    assert "共 3 件" in client.get(QUEUE, {"tab": "all"}).content.decode()


def test_queue_count_reads_the_list_alone(client, window_staff, department):
    """The queue's count reads the tab's ids (an index range), not the joined columns or
    the warning level its rows show."""
    guide = guide_for(department)
    for _ in range(3):
        ApplicationFactory(guide=guide)
    client.force_login(window_staff)
    with CaptureQueriesContext(connection) as captured:
        assert "共 3 件" in client.get(QUEUE, {"tab": "all"}).content.decode()

    sqls = [q["sql"] for q in captured.captured_queries]
    (count,) = [sql for sql in sqls if "COUNT(*)" in sql and "applications_application" in sql]
    assert "JOIN" not in count and "CASE" not in count


def test_api_queue_count_is_capped(client, window_staff, department, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    guide = guide_for(department)
    for _ in range(3):
        ApplicationFactory(guide=guide)
    client.force_login(window_staff)
    body = client.get("/api/v1/applications/queue", {"bucket": "new"}).json()
    assert body["count"] == 2 and len(body["results"]) == 2  # the list stops at the cap


def test_applicant_list_has_no_subquery_inside_its_or(company_agent, citizen, company, guide):
    """A1: the company's applications are the agent's too; the companies are given as
    values, so Postgres ORs two index lookups instead of scanning the table."""
    own = ApplicationFactory(guide=guide, applicant=company_agent)
    theirs = ApplicationFactory(guide=guide, applicant=citizen, company=company)
    ApplicationFactory(guide=guide, applicant=citizen)

    with CaptureQueriesContext(connection) as captured:
        found = set(application_list_for_applicant(user=company_agent).values_list("pk", flat=True))

    assert found == {own.pk, theirs.pk}
    listing = captured.captured_queries[-1]["sql"]
    assert "SELECT" not in listing.split("WHERE", 1)[1]


@pytest.fixture
def guide(department):
    return guide_for(department)


def test_api_queue_continues_past_the_cap_by_cursor(client, window_staff, department, monkeypatch):
    """Deep reading: past the counted pages the queue goes on by keyset cursor, every case
    once, in the queue's order, until the end."""
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    guide = guide_for(department)
    for _ in range(5):
        ApplicationFactory(guide=guide)
    client.force_login(window_staff)
    expected = list(
        Application.objects.filter(department=department, state="submitted")
        .order_by("intake_due_date", "id")
        .values_list("number", flat=True)
    )

    body = client.get("/api/v1/applications/queue", {"bucket": "new"}).json()
    seen = [row["number"] for row in body["results"]]
    while body["next_cursor"]:
        body = client.get(
            "/api/v1/applications/queue", {"bucket": "new", "cursor": body["next_cursor"]}
        ).json()
        assert body["count"] == 2  # the count stays capped; the rows go on
        seen += [row["number"] for row in body["results"]]

    assert seen == expected and len(seen) == 5


def test_api_queue_refuses_a_bad_cursor_with_a_structured_error(client, window_staff):
    client.force_login(window_staff)
    response = client.get("/api/v1/applications/queue", {"bucket": "new", "cursor": "%%%"})
    assert response.status_code == 404
    assert response.json()["error"]["message"]


def test_queue_page_links_on_past_the_cap(client, window_staff, department, monkeypatch):
    """The staff queue's last counted page links to 继续往后, a keyset page of the rest."""
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    guide = guide_for(department)
    apps = [ApplicationFactory(guide=guide) for _ in range(4)]
    client.force_login(window_staff)

    first = client.get(QUEUE, {"tab": "all"})
    html = first.content.decode()
    assert "继续往后" in html
    cursor = first.context["next_cursor"]
    rest = client.get(QUEUE, {"tab": "all", "cursor": cursor}).content.decode()

    newest_first = sorted(apps, key=lambda a: (a.submitted_at, a.pk), reverse=True)
    assert all(a.number in html for a in newest_first[:2])
    assert all(a.number in rest and a.number not in html for a in newest_first[2:])
    assert client.get(QUEUE, {"tab": "all", "cursor": "garbage"}).status_code == 404


def test_a15_supervision_lists_are_read_in_their_order_from_an_index(guide, supervisor):
    """电子监察's overdue and due-soon lists (across departments, due date then id) are an
    index range in that order (``app_open_due_idx``): a page reads its first rows, never
    every running case of the earliest day and a sort (ten million applications: 27,000
    running cases share a due date)."""
    ApplicationFactory(guide=guide)
    overview = supervision_overview(user=supervisor)
    for key in ("overdue", "due_soon"):
        sql, params = overview[key][:200].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: force the choice
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_incremental_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Sort" not in plan, plan
        assert "Index Scan using app_open_due_idx" in plan, plan
