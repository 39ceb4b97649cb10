"""Public pages (DOMAIN R1, R2, R5): the window rating by token, the counter tablet, the
public results (upheld appeals excluded) and a window's staff badges."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from apps.reviews import services
from apps.reviews.models import Review
from tests.accounts.factories import DepartmentFactory, StaffFactory, UserFactory
from tests.reviews.factories import item_for, review, window_for


def test_window_token_page_rates_without_login(client, department, window_staff):
    window = window_for(department)
    event = services.window_event_open(actor=window_staff, window=window, department=department)
    url = reverse("reviews:token_rate", args=[services.event_token(event)])
    page = client.get(url)
    assert page.status_code == 200 and window_staff.full_name in page.content.decode()
    done = client.post(url, {"level": "very_satisfied"})
    assert done.status_code == 200 and "感谢您的评价" in done.content.decode()
    assert Review.objects.get().channel == "window"
    assert client.get(url).status_code == 410
    assert client.post(url, {"level": "satisfied"}).status_code == 410
    assert Review.objects.count() == 1


def test_expired_and_forged_tokens_answer_gone(client, department, window_staff):
    window = window_for(department)
    event = services.window_event_open(actor=window_staff, window=window, department=department)
    url = reverse("reviews:token_rate", args=[services.event_token(event)])
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get(url).status_code == 410
    assert client.get(reverse("reviews:token_rate", args=["forged"])).status_code == 410


def test_counter_tablet_shows_the_latest_open_visit(client, department, window_staff):
    window = window_for(department)
    url = reverse("reviews:counter", args=[services.counter_key(window)])
    assert "工作人员办理完成后" in client.get(url).content.decode()
    event = services.window_event_open(actor=window_staff, window=window, department=department)
    page = client.get(url).content.decode()
    assert reverse("reviews:token_rate", args=[services.event_token(event)])[:20] in page
    assert client.get(reverse("reviews:counter", args=["1.forged"])).status_code == 404


def test_public_results_exclude_upheld_appeals(client, department, approver, supervisor):
    """R2: results are public; an upheld appeal's review does not count."""
    for _n in range(3):
        review(department, UserFactory(), "very_satisfied")
    bad = review(department, UserFactory(), "very_dissatisfied", anonymous=True)
    month = bad.day.strftime("%Y-%m")
    url = reverse("reviews:results") + f"?month={month}"
    assert "75.0%" in client.get(url).content.decode()
    appeal = services.appeal_file(review_id=bad.pk, actor=approver, ground="malicious", reason="x")
    services.appeal_decide(appeal_id=appeal.pk, actor=supervisor, upheld=True, note="属实")
    page = client.get(url).content.decode()
    assert "100.0%" in page and "75.0%" not in page


def test_public_results_query_count_is_constant(db, client, django_assert_max_num_queries):
    url = reverse("reviews:results")
    department = DepartmentFactory()
    review(department, UserFactory(), item=item_for(department))
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _n in range(6):
        other = DepartmentFactory()
        review(other, UserFactory(), "dissatisfied", item=item_for(other))
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_bad_month_parameter_falls_back(db, client):
    assert client.get(reverse("reviews:results") + "?month=2025-13").status_code == 200
    assert client.get(reverse("reviews:results") + "?month=1999-01").status_code == 200
    assert client.get(reverse("reviews:results") + "?month=x\x00").status_code == 400


def test_public_results_name_the_month_in_the_page_language(db, client):
    """The month picker and the heading read 2025年3月 on the Chinese page and March 2025
    on the English one (the date format is translated, issue #17)."""
    today = timezone.localdate()
    chinese = client.get(reverse("reviews:results")).content.decode()
    assert f"{today.year}年{today.month}月" in chinese
    # The middleware switches to English for the /en/ request; leaving the block switches back.
    with translation.override("en"):
        english = client.get(reverse("reviews:results")).content.decode()
    assert today.strftime("%B %Y") in english
    assert f"{today.year}年{today.month}月" not in english


def test_window_page_shows_staff_badges(client, department, django_assert_max_num_queries):
    """R5: name, post, window number and rating of the staff who serve there."""
    window = window_for(department, number="07")
    staff = [StaffFactory(departments=[department], role="window_staff") for _n in range(2)]
    for person in staff:
        review(department, UserFactory(), "very_satisfied", window=window, staff=person)
    url = reverse("reviews:window", args=[window.pk])
    with django_assert_max_num_queries(20) as few:
        page = client.get(url).content.decode()
    for person in staff:
        assert person.full_name in page
    assert "07号窗口" in page and "窗口工作人员" in page and "满意率 100.0%" in page
    for _n in range(3):
        person = StaffFactory(departments=[department], role="window_staff")
        review(department, UserFactory(), "satisfied", window=window, staff=person)
    with django_assert_max_num_queries(len(few)):
        client.get(url)
