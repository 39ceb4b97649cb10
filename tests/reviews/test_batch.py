"""Reviews in batches (POST /api/v1/reviews/batch/, issue 16): hall evaluator devices and
the provincial platform post many ratings at once. Each item keeps the single path's rules
(DOMAIN R1, R3, R7), the batch is all or nothing, the rollups come out as the single path
leaves them, and a retried batch id stores nothing twice."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.accounts.access import user_access
from apps.common.errors import ApplicationError
from apps.notifications.models import Notification
from apps.reviews import services
from apps.reviews.models import (
    RectificationCase,
    Review,
    ReviewBatch,
    ReviewDayRollup,
    ReviewMonthRollup,
    ReviewStaffRollup,
    ServiceEvent,
)
from apps.reviews.services import batch
from apps.reviews.services._base import department_handlers
from tests.accounts.factories import StaffFactory
from tests.reviews.factories import event_for, item_for, window_for
from tests.support.races import Rendezvous, race

URL = "/api/v1/reviews/batch/"
BAD = {"level": "very_dissatisfied", "tags": ["attitude"], "text": "窗口人员态度冷淡，解释不清。"}


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _signed_in(user) -> APIClient:
    """A real session (as the devices have), its staff clock already started: what one
    request reads is the session, the user, the permissions and the work itself."""
    client = APIClient()
    client.force_login(user)
    client.get("/api/v1/reviews/tags/")
    return client


def _item(event, **overrides) -> dict:
    return {"event": event.pk, "channel": "self_service", "level": "satisfied", **overrides}


def _events(department, n, **kwargs) -> list[ServiceEvent]:
    return [event_for(department, **kwargs) for _ in range(n)]


def _post(user, items, **body):
    return _client(user).post(URL, {"items": items, **body}, format="json")


def _rollups() -> dict:
    return {
        model.__name__: sorted(
            tuple(v for k, v in row.items() if k != "id") for row in model.objects.values()
        )
        for model in (ReviewDayRollup, ReviewMonthRollup, ReviewStaffRollup)
    }


def test_a_device_account_records_a_batch_r1(department, hotline_operator):
    """R1: the recording account (reviews.record_review) rates for unnamed people: every
    event is rated once, anonymously, with its channel; the answer lists them in order."""
    events = _events(department, 3)
    items = [_item(events[0]), _item(events[1], level="very_satisfied"), _item(events[2], **BAD)]
    response = _post(hotline_operator, items)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["count"] == 3 and body["replayed"] is False
    assert [r["event"] for r in body["reviews"]] == [e.pk for e in events]
    assert [r["is_bad"] for r in body["reviews"]] == [False, False, True]
    reviews = Review.objects.order_by("pk")
    assert all(r.reviewer_id is None and r.anonymous for r in reviews)
    assert list(reviews.last().tags.values_list("code", flat=True)) == ["attitude"]
    assert not ServiceEvent.objects.filter(reviewed_at__isnull=True).exists()


def test_nobody_without_the_endpoint_s_permission_posts_a_batch(department, citizen):
    """The single endpoint's permissions: nobody signed in is refused; a citizen may rate
    only their own services (R1: someone else's is not revealed)."""
    mine, theirs = event_for(department, subject=citizen), event_for(department)
    assert _client().post(URL, {"items": [_item(mine)]}, format="json").status_code == 403
    response = _post(citizen, [_item(mine), _item(theirs)])
    assert response.status_code == 404
    assert response.json()["error"]["fields"] == {"index": 1, "field": "event"}
    assert not Review.objects.exists()
    assert _post(citizen, [_item(mine)]).status_code == 201


@pytest.mark.parametrize(
    ("bad_item", "code", "field"),
    [
        (
            {"level": "dissatisfied", "tags": [], "text": "说明不清楚的情况"},
            "tags_required",
            "tags",
        ),
        ({"level": "dissatisfied", "tags": ["attitude"], "text": "差"}, "text_required", "text"),
        (
            {"tags": ["no-such-tag"], "level": "very_dissatisfied", "text": "态度很差很差"},
            "tags_required",
            "tags",
        ),
    ],
)
def test_a_rule_broken_by_one_item_saves_nothing_r7(
    department, hotline_operator, bad_item, code, field
):
    """R7: a bad review needs its reasons and text; the batch is all or nothing, and the
    error names the item (from 0) and the field."""
    events = _events(department, 3)
    items = [_item(events[0]), _item(events[1], **bad_item), _item(events[2])]
    response = _post(hotline_operator, items)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error["fields"] == {"index": 1, "field": field}
    assert error["message"].startswith("第2条：")
    assert not Review.objects.exists()
    assert not ServiceEvent.objects.filter(reviewed_at__isnull=False).exists()
    assert not ReviewDayRollup.objects.exists()


def test_malformed_items_name_the_item_and_field(department, hotline_operator):
    event = event_for(department)
    response = _post(hotline_operator, [_item(event), _item(event, level="great")])
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["items"]["1"]["level"]
    assert _post(hotline_operator, []).status_code == 400
    assert not Review.objects.exists()


def test_one_review_per_event_in_and_across_batches_r1(department, hotline_operator):
    """R1 一事一评: an event rated before, or twice in the batch, refuses the batch."""
    events = _events(department, 2)
    twice = _post(hotline_operator, [_item(events[0]), _item(events[1]), _item(events[0])])
    assert twice.status_code == 400
    assert twice.json()["error"]["code"] == "already_reviewed"
    assert twice.json()["error"]["fields"] == {"index": 2, "field": "event"}
    assert _post(hotline_operator, [_item(events[0])]).status_code == 201
    again = _post(hotline_operator, [_item(events[1]), _item(events[0])])
    assert again.json()["error"]["fields"] == {"index": 1, "field": "event"}
    assert Review.objects.count() == 1


def test_the_per_source_limit_counts_the_batch_items_r1(settings, department, hotline_operator):
    """R1: the device's daily limit counts what it sent before and the batch's earlier
    items, as item-by-item posting would."""
    settings.REVIEWS_PER_SOURCE_PER_DAY = 3
    events = _events(department, 4)
    assert _post(hotline_operator, [_item(events[0])]).status_code == 201
    response = _post(hotline_operator, [_item(e) for e in events[1:]])
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "rate_limited"
    assert response.json()["error"]["fields"]["index"] == 2
    assert Review.objects.count() == 1


def test_the_per_target_limit_counts_the_batch_items_r1(settings, department, hotline_operator):
    """R1: a staff member cannot be flooded through a batch either."""
    settings.REVIEWS_PER_TARGET_PER_HOUR = 2
    staff = StaffFactory(departments=[department])
    events = _events(department, 3, staff=staff)
    response = _post(hotline_operator, [_item(e) for e in events])
    assert response.json()["error"]["fields"]["index"] == 2
    assert response.json()["error"]["code"] == "rate_limited"
    assert _post(hotline_operator, [_item(e) for e in events[:2]]).status_code == 201


def test_rollups_equal_the_single_path_s_r2_r6(department, hotline_operator):
    """R2, R6: the same ratings given one by one and as a batch leave the same counts."""
    item, window = item_for(department), window_for(department)
    staff = StaffFactory(departments=[department])
    levels = [
        "satisfied",
        "satisfied",
        "very_satisfied",
        "very_dissatisfied",
        "basically_satisfied",
    ]

    def ratings(events):
        return [
            _item(
                e,
                level=level,
                **(
                    {k: v for k, v in BAD.items() if k != "level"}
                    if level == "very_dissatisfied"
                    else {}
                ),
            )
            for e, level in zip(events, levels, strict=True)
        ]

    one_by_one = _events(department, 5, item=item, window=window, staff=staff)
    for body in ratings(one_by_one):
        assert (
            _client(hotline_operator).post("/api/v1/reviews/", body, format="json").status_code
            == 201
        )
    single = _rollups()
    batched = _events(department, 5, item=item, window=window, staff=staff)
    assert _post(hotline_operator, ratings(batched)).status_code == 201
    doubled = _rollups()
    for name, rows in single.items():
        expected = sorted((*row[:-1], row[-1] * 2) for row in rows)
        assert doubled[name] == expected, name


def test_real_name_bad_reviews_open_cases_and_tell_handlers_once_each_r3(
    department, citizen, window_staff, django_capture_on_commit_callbacks
):
    """R3: each real-name bad review of a batch opens its case, and the department's
    handlers are told once per case."""
    events = _events(department, 3, subject=citizen)
    items = [_item(events[0], **BAD), _item(events[1]), _item(events[2], **BAD)]
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(citizen, items).status_code == 201
    cases = RectificationCase.objects.all()
    assert cases.count() == 2
    handlers = list(department_handlers(department.pk))
    assert window_staff in handlers
    for case in cases:
        told = Notification.objects.filter(dedupe_key__startswith=f"review-case:{case.pk}:opened:")
        assert sorted(told.values_list("recipient_id", flat=True)) == sorted(u.pk for u in handlers)


def test_a_retried_batch_is_not_stored_twice(department, hotline_operator):
    """A client that never saw the answer posts the batch again under its batch id: the
    reviews stored the first time come back, nothing more is stored; the same id with
    other items is refused."""
    events = _events(department, 2)
    items = [_item(e) for e in events]
    first = _post(hotline_operator, items, batch_id="hall-7-0001")
    again = _post(hotline_operator, items, batch_id="hall-7-0001")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["reviews"] == first.json()["reviews"]
    assert Review.objects.count() == 2 and ReviewBatch.objects.count() == 1
    other = _post(hotline_operator, [_item(event_for(department))], batch_id="hall-7-0001")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "batch_id_reused"
    assert Review.objects.count() == 2


def test_a_refused_batch_leaves_its_id_free(department, hotline_operator):
    events = _events(department, 2)
    refused = _post(hotline_operator, [_item(events[0]), _item(events[0])], batch_id="b-1")
    assert refused.status_code == 400
    assert _post(hotline_operator, [_item(e) for e in events], batch_id="b-1").status_code == 201


@pytest.mark.parametrize("size", [5, 50])
def test_a_batch_costs_the_same_queries_whatever_its_size(
    settings, department, hotline_operator, django_assert_max_num_queries, size
):
    """Bulk writes: the number of statements does not grow with the batch (bad reviews
    included, recorded anonymously, so no case; one daily-quota lock for the batch's day)."""
    settings.REVIEWS_PER_SOURCE_PER_DAY = 1000
    events = _events(department, size)
    items = [_item(e, **(BAD if n % 5 == 4 else {})) for n, e in enumerate(events)]
    client = _signed_in(hotline_operator)
    user_access(hotline_operator)  # kept in Redis, as after the operator's first request
    with django_assert_max_num_queries(20):
        response = client.post(URL, {"items": items, "batch_id": f"q-{size}"}, format="json")
    assert response.status_code == 201
    assert Review.objects.count() == size


def test_one_review_costs_a_bounded_number_of_queries(
    department, hotline_operator, django_assert_max_num_queries
):
    """The single path: the event read once (locked), tags and case from the row in hand;
    the daily quota counted under its lock (one statement)."""
    event = event_for(department)
    client = _signed_in(hotline_operator)
    user_access(hotline_operator)  # kept in Redis, as after the operator's first request
    with django_assert_max_num_queries(16):
        response = client.post("/api/v1/reviews/", _item(event, **BAD), format="json")
    assert response.status_code == 201
    assert response.json()["tags"] == ["attitude"] and response.json()["case_state"] is None


def test_the_service_takes_the_batch_as_the_api_does(department, hotline_operator):
    events = _events(department, 2)
    result = services.review_submit_batch(
        actor=hotline_operator,
        items=[
            services.ReviewItem(event_id=e.pk, channel="hotline", level="satisfied") for e in events
        ],
    )
    assert [r.event_id for r in result.reviews] == [e.pk for e in events]


@pytest.mark.django_db(transaction=True)
def test_two_batches_from_one_source_at_once_keep_its_daily_limit_r1(
    settings, department, hotline_operator, monkeypatch
):
    """R1 ballot stuffing: with three reviews a day left for a device, two batches of two
    from it at the same moment store one batch and refuse the other, never four reviews.
    Each batch, having counted the day's reviews, waits for the other to have counted too
    (or to be held at the quota's lock), so without the lock both would count none."""
    settings.REVIEWS_PER_SOURCE_PER_DAY = 3
    settings.REVIEWS_PER_TARGET_PER_HOUR = 100
    events = _events(department, 4)
    both_counted = Rendezvous(2)
    count = batch._per_day

    def count_then_meet(reviews, days):
        counted = count(reviews, days)
        both_counted.wait()
        return counted

    monkeypatch.setattr(batch, "_per_day", count_then_meet)
    results = race(
        *(
            lambda pair=pair: services.review_submit_batch(
                actor=hotline_operator,
                source="10.0.0.9",
                items=[
                    services.ReviewItem(event_id=e.pk, channel="hotline", level="satisfied")
                    for e in pair
                ],
            )
            for pair in (events[:2], events[2:])
        )
    )
    assert Review.objects.count() == 2
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and refused[0].code == "rate_limited", results


@pytest.mark.django_db(transaction=True)
def test_two_batches_rating_one_window_at_once_keep_its_hourly_limit_r1(
    settings, department, hotline_operator, monkeypatch
):
    """R1 ballot stuffing against one window through the exchange: with two reviews left in
    the window's hour, two batches of two reviews of it from two sources at the same moment
    store one batch and refuse the other, never four reviews. Each batch, having counted
    the window's hour, waits for the other to have counted too (or to be held at the
    window's lock)."""
    settings.REVIEWS_PER_SOURCE_PER_DAY = 100
    settings.REVIEWS_PER_TARGET_PER_HOUR = 2
    window = window_for(department)
    events = _events(department, 4, window=window)
    both_counted = Rendezvous(2)
    count = batch._recent_by_target

    def count_then_meet(targets, times):
        counted = count(targets, times)
        both_counted.wait()
        return counted

    monkeypatch.setattr(batch, "_recent_by_target", count_then_meet)
    results = race(
        *(
            lambda pair=pair, source=source: services.review_submit_batch(
                actor=hotline_operator,
                source=source,
                items=[
                    services.ReviewItem(event_id=e.pk, channel="hotline", level="satisfied")
                    for e in pair
                ],
            )
            for pair, source in ((events[:2], "10.0.0.8"), (events[2:], "10.0.0.9"))
        )
    )
    assert Review.objects.count() == 2
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and refused[0].code == "rate_limited", results
