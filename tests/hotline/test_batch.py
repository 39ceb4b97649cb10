"""Tickets in batches (POST /api/v1/hotline/tickets/batch/, issue 16): channel aggregators
post many requests at once. Each item keeps one ticket's intake rules (DOMAIN H4, H5, H9),
the batch is all or nothing, each caller is sent the number once, and a retried batch id
stores nothing twice."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.hotline import messaging, services
from apps.hotline.models import CallerMessage, Ticket, TicketBatch, TicketEvent
from apps.hotline.services.numbering import ticket_number
from tests.accounts.factories import StaffFactory
from tests.hotline.factories import call

pytestmark = pytest.mark.django_db

URL = "/api/v1/hotline/tickets/batch/"


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _item(category, n: int = 0, **overrides) -> dict:
    return {
        "ticket_type": "complaint",
        "category_id": category.pk,
        "content": "夜间施工噪声扰民。",
        "caller_phone": f"139{n:08d}",
        "district": "鼓楼区",
        "address": f"五四路{n}号",
        **overrides,
    }


def _post(user, items, **body):
    return _client(user).post(URL, {"items": items, **body}, format="json")


def test_an_operator_takes_a_batch_h4_h5(operator, category, django_capture_on_commit_callbacks):
    """H4: each request becomes a numbered ticket with its timeline row and history; H5:
    each caller is sent the number once, queued after commit."""
    items = [_item(category, n) for n in range(3)]
    with (
        mock.patch.object(messaging.deliver_caller_message, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _post(operator, items)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["count"] == 3 and body["replayed"] is False
    tickets = Ticket.objects.order_by("pk")
    assert [t["number"] for t in body["tickets"]] == [t.number for t in tickets]
    for ticket in tickets:
        assert ticket.number == ticket_number(ticket.created_at, ticket.pk)
        assert ticket.operator == operator and ticket.channel == "phone"
        assert ticket.history.get().number == ticket.number
        assert ticket.events.get().kind == TicketEvent.Kind.CREATED
        assert ticket.caller_phone_hash
    messages = CallerMessage.objects.order_by("pk")
    assert [m.ticket_id for m in messages] == [t.pk for t in tickets]
    assert tickets[0].number in messages[0].text
    assert sorted(c.args[0] for c in delay.call_args_list) == [m.pk for m in messages]


def test_only_the_single_endpoint_s_accounts_may_post(operator, citizen, category):
    """H4: the centre takes calls; a channel account needs the channel permission for
    WeChat and app items; nobody else is let in, and nothing is saved."""
    assert _post(citizen, [_item(category)]).status_code == 403
    assert _client().post(URL, {"items": [_item(category)]}, format="json").status_code == 403
    gateway = StaffFactory(username="wechat-gw", role=Role.HOTLINE_OPERATOR)
    gateway.groups.clear()
    wechat = [_item(category, 1, channel="wechat"), _item(category, 2, channel="app")]
    assert _post(gateway, wechat).status_code == 403
    gateway.user_permissions.add(Permission.objects.get(codename="submit_via_channel"))
    gateway = type(gateway).objects.get(pk=gateway.pk)
    assert _post(gateway, [*wechat, _item(category, 3)]).status_code == 403  # phone: centre
    response = _post(gateway, wechat)
    assert response.status_code == 201
    assert list(Ticket.objects.order_by("pk").values_list("channel", flat=True)) == [
        "wechat",
        "app",
    ]
    assert not Ticket.objects.filter(operator__isnull=False).exists()


@pytest.mark.parametrize(
    ("bad", "code", "field"),
    [
        ({"category_id": 99999}, "unknown_category", "category_id"),
        ({"caller_phone": "12-ab"}, "invalid_phone", "caller_phone"),
        ({"district": "火星区"}, "unknown_district", "district"),
        ({"caller_phone": ""}, "phone_required", "caller_phone"),
    ],
)
def test_one_bad_item_saves_nothing_and_is_named(operator, category, bad, code, field):
    """H4 routing and caller rules per item; the batch is all or nothing and the error
    names the item (from 0)."""
    items = [_item(category, 0), _item(category, 1), _item(category, 2, **bad)]
    response = _post(operator, items)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["fields"] == {"index": 2, "field": field}
    assert error["message"].startswith("第3条：")
    assert not Ticket.objects.exists()
    assert not CallerMessage.objects.exists()
    assert not TicketEvent.objects.exists()


def test_malformed_items_name_the_item_and_field(operator, category):
    response = _post(operator, [_item(category), _item(category, 1, ticket_type="nonsense")])
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["items"]["1"]["ticket_type"]
    too_many = [_item(category, n) for n in range(201)]
    assert _post(operator, too_many).status_code == 400
    assert not Ticket.objects.exists()


def test_duplicates_are_flagged_as_one_at_a_time_would_h9(operator, category, other_category):
    """H9 并单: a request from a caller with an open ticket points at that ticket; two
    requests of the batch about the same place point at the first; the others at none."""
    open_one = services.ticket_take_call(
        actor=operator, data=call(category, caller_phone="13900000007", address="别处1号")
    )
    items = [
        _item(category, 7),  # the open ticket's caller
        _item(other_category, 8, address="八一七路1号"),
        _item(other_category, 9, address="八一七路1号"),  # same place as the item before
        _item(category, 10),
    ]
    response = _post(operator, items)
    assert response.status_code == 201
    ids = [t["id"] for t in response.json()["tickets"]]
    flagged = dict(Ticket.objects.filter(pk__in=ids).values_list("pk", "possible_duplicate_of"))
    assert [flagged[pk] for pk in ids] == [open_one.pk, None, ids[1], None]
    events = TicketEvent.objects.filter(kind=TicketEvent.Kind.DUPLICATE_FLAGGED)
    assert sorted(events.values_list("ticket_id", flat=True)) == [ids[0], ids[2]]


def test_a_retried_batch_is_not_stored_twice(operator, category):
    """The aggregator posts the batch again under its batch id: the tickets stored the
    first time come back (same numbers), no ticket and no SMS twice; the same id with
    other items is refused."""
    items = [_item(category, n) for n in range(2)]
    first = _post(operator, items, batch_id="wx-20261130-0001")
    again = _post(operator, items, batch_id="wx-20261130-0001")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["tickets"] == first.json()["tickets"]
    assert Ticket.objects.count() == 2 and CallerMessage.objects.count() == 2
    assert TicketBatch.objects.get().item_ids == [t["id"] for t in first.json()["tickets"]]
    other = _post(operator, [_item(category, 5)], batch_id="wx-20261130-0001")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "batch_id_reused"
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize("size", [5, 50])
def test_a_batch_costs_the_same_queries_whatever_its_size(
    operator, category, django_assert_max_num_queries, size
):
    client = APIClient()
    client.force_login(operator)
    client.get(reverse("api-hotline-tickets"))  # the staff session clock started
    items = [_item(category, n % 7) for n in range(size)]  # duplicates among them
    with django_assert_max_num_queries(17):
        response = client.post(URL, {"items": items, "batch_id": f"q{size}"}, format="json")
    assert response.status_code == 201
    assert Ticket.objects.count() == size


def test_one_ticket_costs_a_bounded_number_of_queries(
    operator, category, django_assert_max_num_queries
):
    """The single path: numbered at insert, duplicates in one query, the answer from the
    row in hand."""
    client = APIClient()
    client.force_login(operator)
    client.get(reverse("api-hotline-tickets"))
    services.ticket_take_call(actor=operator, data=call(category, caller_phone="13900000000"))
    with django_assert_max_num_queries(14):
        response = client.post(reverse("api-hotline-tickets"), _item(category), format="json")
    assert response.status_code == 201
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert response.json()["number"] == ticket.number == ticket.history.get().number
    assert response.json()["possible_duplicate_of"] == ticket.possible_duplicate_of_id
    assert ticket.possible_duplicate_of_id is not None
    assert response.json()["caller_phone"] == "13900000000"
