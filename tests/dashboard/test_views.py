"""The supervisors' dashboard (DOMAIN R6): who sees it, where supervisors land after
login, every panel's JSON at a constant number of queries, the drill-down behind the
figures, and the exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from apps.dashboard import views as dashboard_views
from apps.dashboard.panels import PANEL_MODULES, panels_for
from tests.accounts.factories import DepartmentFactory, StaffFactory, UserFactory
from tests.conftest import DEFAULT_PASSWORD
from tests.reviews.factories import item_for, review, window_for

HOME = "/dashboard/"


def test_supervisors_see_the_dashboard_others_do_not(
    client, supervisor, window_staff, citizen, approver
):
    assert client.get(HOME).status_code == 302  # signed out: to the staff login
    for denied in (citizen, window_staff, approver):
        client.force_login(denied)
        assert client.get(HOME).status_code == 403
    client.force_login(supervisor)
    page = client.get(HOME)
    assert page.status_code == 200
    text = page.content.decode()
    assert "vendor/echarts/echarts.min.js" in text and "满意度趋势" in text


def test_a_supervisor_lands_on_the_dashboard_after_login(client, supervisor, window_staff):
    response = client.post(
        "/admin/login/",
        {"username": supervisor.username, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302 and response.url == reverse("dashboard:home")
    client.logout()
    response = client.post(
        "/admin/login/",
        {"username": window_staff.username, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302 and response.url == "/admin/"


def test_a_supervisor_asking_for_a_page_gets_that_page(client, supervisor):
    target = "/admin/reviews/appeal/"
    response = client.post(
        "/admin/login/",
        {"username": supervisor.username, "password": DEFAULT_PASSWORD, "next": target},
    )
    assert response.url == target


def _data(size: int) -> None:
    for n in range(size):
        department = DepartmentFactory()
        staff = StaffFactory(departments=[department])
        window = window_for(department, number=f"{n + 1:02d}")
        for level in ("very_satisfied", "satisfied", "dissatisfied"):
            review(
                department,
                UserFactory(),
                level,
                item=item_for(department),
                window=window,
                staff=staff,
            )


def _panel_keys() -> list[str]:
    return [
        "reviews-trend",
        "reviews-levels",
        "reviews-channels",
        "reviews-departments",
        "reviews-items",
        "reviews-windows",
        "reviews-staff",
        "reviews-rectification",
        "reviews-anomalies",
        "applications-timeliness",
        "hotline-topics",
        "hotline-departments",
        "policies-fulfilment",
        "assistant-questions",
        "tolerance-supplies",
        "halls-queues",
        "halls-hard-cases",
        "pledges-verification",
    ]


def test_every_registered_panel_is_tested(supervisor):
    assert sorted(p.key for p in panels_for(supervisor)) == sorted(_panel_keys())
    assert PANEL_MODULES[0] == "apps.dashboard.panels.reviews"


@pytest.mark.parametrize("key", _panel_keys())
def test_panel_json_has_summary_table_and_constant_queries(
    client, supervisor, key, django_assert_max_num_queries
):
    client.force_login(supervisor)
    url = reverse("dashboard:panel", args=[key])
    _data(1)
    with django_assert_max_num_queries(20) as few:
        data = client.get(url).json()
    assert data["summary"] and data["table"]["columns"]
    _data(5)
    with django_assert_max_num_queries(len(few)):
        data = client.get(url).json()
    if data["chart"]:
        assert len(data["chart"]["series"][0]["data"]) == len(data["chart"]["categories"])


def test_dashboard_page_query_count_is_constant(client, supervisor, django_assert_max_num_queries):
    client.force_login(supervisor)
    _data(1)
    with django_assert_max_num_queries(20) as few:
        client.get(HOME)
    _data(4)
    with django_assert_max_num_queries(len(few)):
        client.get(HOME)


def test_panel_hidden_without_its_permission(client, department):
    auditor = StaffFactory()
    auditor.user_permissions.add(
        Permission.objects.get(codename="view_dashboard", content_type__app_label="dashboard")
    )
    client.force_login(auditor)
    assert client.get(reverse("dashboard:panel", args=["reviews-trend"])).status_code == 200
    url = reverse("dashboard:panel", args=["applications-timeliness"])
    assert client.get(url).status_code == 404


def test_unknown_panel_is_404(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("dashboard:panel", args=["nope"])).status_code == 404


def test_bad_parameters_fall_back(client, supervisor):
    client.force_login(supervisor)
    url = reverse("dashboard:panel", args=["reviews-trend"])
    for query in ("?start=2025-13&end=x", "?department=abc", "?start=1999-01", "?end=2101-01"):
        assert client.get(url + query).status_code == 200
    assert client.get(url + "?end=%00").status_code == 400  # NUL: refused by the middleware


def test_trend_figures_match_the_reviews(client, supervisor, department, citizen):
    for level in ("very_satisfied", "very_satisfied", "satisfied", "very_dissatisfied"):
        review(department, UserFactory(), level)
    client.force_login(supervisor)
    data = client.get(reverse("dashboard:panel", args=["reviews-trend"])).json()
    assert "共4条评价，满意率75.0%，差评1条" in data["summary"]
    last = data["table"]["rows"][-1]
    assert last[1] == 4 and last[2] == "75.0%"
    assert last[0]["href"].startswith(reverse("dashboard:reviews"))


def test_drill_down_lists_the_reviews_behind_a_figure(client, supervisor, department):
    other = DepartmentFactory()
    mine = review(department, UserFactory(), "dissatisfied", anonymous=True)
    review(department, UserFactory(), "very_satisfied")
    review(other, UserFactory(), "dissatisfied")
    client.force_login(supervisor)
    page = client.get(
        reverse("dashboard:reviews") + f"?department={department.pk}&bad=1"
    ).content.decode()
    assert mine.text in page and "匿名评价人" in page
    assert page.count("db-level-dissatisfied") == 1


def test_drill_down_pages_by_key(client, supervisor, department, monkeypatch):
    for _n in range(5):
        review(department, UserFactory(), "satisfied")
    client.force_login(supervisor)
    monkeypatch.setattr(dashboard_views, "DRILL_PAGE", 2)
    first = client.get(reverse("dashboard:reviews"))
    assert first.context["next_url"]
    second = client.get(reverse("dashboard:reviews") + first.context["next_url"])
    third = client.get(reverse("dashboard:reviews") + second.context["next_url"])
    seen = [row["review"].pk for r in (first, second, third) for row in r.context["rows"]]
    assert len(seen) == len(set(seen)) == 5 and not third.context["next_url"]


def test_drill_down_is_for_dashboard_readers(client, window_staff):
    client.force_login(window_staff)
    assert client.get(reverse("dashboard:reviews")).status_code == 403


def test_csv_and_excel_export(client, supervisor, department):
    review(department, UserFactory(), "satisfied")
    client.force_login(supervisor)
    response = client.get(reverse("dashboard:export", args=["reviews-departments", "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["部门", "评价数", "满意率"]
    assert rows[2][0] == department.name
    response = client.get(reverse("dashboard:export", args=["reviews-departments", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "部门" and sheet["A3"].value == department.name


def test_export_quotes_formula_like_text(client, supervisor):
    department = DepartmentFactory(name="=HYPERLINK(1)")
    review(department, UserFactory(), "satisfied")
    client.force_login(supervisor)
    response = client.get(reverse("dashboard:export", args=["reviews-departments", "csv"]))
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def test_export_needs_its_permission(client, department):
    viewer = StaffFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_dashboard", content_type__app_label="dashboard")
    )
    client.force_login(viewer)
    url = reverse("dashboard:export", args=["reviews-trend", "csv"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("dashboard:report")).status_code == 403


def test_cached_panel_frames_follow_the_reader_and_the_filter(client, supervisor, department):
    """The panels' frames and month choices are cached (issue 16) per panel set, filter,
    export right and language: a viewer without the export right or another filter never
    gets a frame drawn for someone else."""
    client.force_login(supervisor)
    text = client.get(HOME).content.decode()
    assert "导出CSV" in text and "panels/reviews-trend/export.csv?start=" in text
    viewer = StaffFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_dashboard", content_type__app_label="dashboard")
    )
    client.force_login(viewer)
    text = client.get(HOME).content.decode()
    assert 'id="panel-reviews-trend"' in text and "导出CSV" not in text
    client.force_login(supervisor)
    text = client.get(HOME, {"start": "2026-01", "end": "2026-03"}).content.decode()
    assert "panels/reviews-trend/?start=2026-01&amp;end=2026-03" in text
    assert '<option value="2026-01" selected>' in text
    assert '<option value="2026-03" selected>' in text


def test_every_chart_has_a_table_view(client, supervisor):
    client.force_login(supervisor)
    text = client.get(HOME).content.decode()
    assert text.count('class="db-chart"') == text.count("表格视图") == len(_panel_keys())


def test_window_and_staff_rankings(client, supervisor, department):
    window = window_for(department, number="09")
    staff = StaffFactory(departments=[department], full_name="慢吞吞")
    for n in range(12):
        review(
            department,
            UserFactory(),
            "dissatisfied" if n < 6 else "satisfied",
            window=window,
            staff=staff,
        )
    client.force_login(supervisor)
    windows = client.get(reverse("dashboard:panel", args=["reviews-windows"])).json()
    assert "09号窗口" in windows["summary"] and "50.0%" in windows["summary"]
    people = client.get(reverse("dashboard:panel", args=["reviews-staff"])).json()
    assert people["table"]["rows"][0][0]["text"] == "慢吞吞"
