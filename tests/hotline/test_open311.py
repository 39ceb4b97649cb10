"""Open311 GeoReport v2 at /open311/v2/: every response checked field by field against the
specification, in JSON and in XML (issue #13; DOMAIN H4)."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from apps.hotline import services
from apps.hotline.models import Ticket
from apps.hotline.workflow import Channel, TicketState, TicketType
from tests.hotline.factories import call

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.content)  # noqa: S314


def jsn(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


@pytest.fixture
def api_key(system_admin):
    _key, raw = services.open311_key_create(actor=system_admin, name="FixMyCity")
    return raw


@pytest.fixture
def client():
    return Client()


def test_services_json_lists_leaf_categories_with_every_field(client, category):
    data = jsn(client.get(f"{BASE}/services.json"))
    assert data == [
        {
            "service_code": "CS-ZS",
            "service_name": "噪声扰民",
            "description": "",
            "metadata": True,
            "type": "realtime",
            "keywords": "",
            "group": "城市管理",
        }
    ]


def test_services_xml(client, category):
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    (service,) = root.findall("service")
    assert [child.tag for child in service] == SERVICE_FIELDS
    assert service.findtext("service_code") == "CS-ZS"
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"
    assert service.findtext("group") == "城市管理"


def test_service_definition_json_and_xml(client, category):
    data = jsn(client.get(f"{BASE}/services/CS-ZS.json"))
    assert data["service_code"] == "CS-ZS"
    assert [a["code"] for a in data["attributes"]] == ["request_type", "urgency", "district"]
    first = data["attributes"][0]
    assert list(first) == ATTRIBUTE_FIELDS
    assert first["variable"] is True and first["required"] is False
    assert first["datatype"] == "singlevaluelist" and first["order"] == 1
    assert {"key": "complaint", "name": "投诉"} in first["values"]

    root = xml(client.get(f"{BASE}/services/CS-ZS.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "CS-ZS"
    attribute = root.find("attributes/attribute")
    assert [c.tag for c in attribute] == ATTRIBUTE_FIELDS
    assert attribute.findtext("variable") == "true"
    value = attribute.find("values/value")
    assert [c.tag for c in value] == ["key", "name"]


def test_unknown_service_code_is_a_404_in_the_spec_error_format(client, category):
    response = client.get(f"{BASE}/services/NOPE.json")
    assert response.status_code == 404
    (err,) = jsn(response)
    assert list(err) == ["code", "description"] and err["code"] == 404
    root = xml(client.get(f"{BASE}/services/NOPE.xml"))
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert root.findtext("error/description")


def _post(client, key, fmt="json", **overrides):
    data = {
        "api_key": key,
        "service_code": "CS-ZS",
        "lat": "26.074508",
        "long": "119.296494",
        "address_string": "鼓楼区五四路100号",
        "description": "路口工地夜间施工噪声很大。",
        "first_name": "明",
        "last_name": "王",
        "phone": "13911112222",
        "attribute[request_type]": "complaint",
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_post_request_creates_a_ticket_json(client, api_key, category):
    response = _post(client, api_key)
    assert response.status_code == 201
    (body,) = jsn(response)
    assert list(body) == ["service_request_id", "service_notice", "account_id"]
    ticket = Ticket.objects.get(number=body["service_request_id"])
    assert ticket.channel == Channel.OPEN311
    assert ticket.ticket_type == TicketType.COMPLAINT
    assert ticket.district == "鼓楼区"  # recognised from the address
    assert ticket.caller_phone == "13911112222" and ticket.caller_name == "王明"
    assert str(ticket.latitude) == "26.074508"
    assert body["account_id"] is None


def test_post_request_xml(client, api_key, category):
    root = xml(_post(client, api_key, fmt="xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    assert Ticket.objects.filter(number=request.findtext("service_request_id")).exists()


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"api_key": "wrong"}, 403),
        ({"api_key": None}, 403),
        ({"service_code": "NOPE"}, 404),
        ({"service_code": None}, 400),
        ({"lat": None, "long": None, "address_string": None}, 400),
        ({"lat": "abc"}, 400),
        ({"description": ""}, 400),
        ({"attribute[request_type]": "rumour"}, 400),
        ({"attribute[colour]": "red"}, 400),
        ({"phone": "12ab"}, 400),
        ({"description": "a\x00b"}, 400),
    ],
)
def test_bad_posts_are_refused_in_the_spec_format_and_change_nothing(
    client, api_key, category, overrides, status
):
    """Bad input: a bad api_key, unknown service_code, missing location … (issue #13)."""
    for fmt in ("json", "xml"):
        response = _post(client, api_key, fmt=fmt, **overrides)
        assert response.status_code == status
        if fmt == "json":
            (err,) = jsn(response)
            assert err["code"] == status and err["description"]
        else:
            assert xml(response).findtext("error/code") == str(status)
    assert not Ticket.objects.exists()


def test_revoked_key_is_refused(client, system_admin, category):
    key, raw = services.open311_key_create(actor=system_admin, name="old")
    services.open311_key_revoke(key_id=key.pk, actor=system_admin)
    assert _post(client, raw).status_code == 403


def _ticket(operator, category, **overrides):
    return services.ticket_take_call(actor=operator, data=call(category, **overrides))


def test_get_requests_fields_json(client, operator, category, department):
    ticket = _ticket(operator, category)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)
    ticket.refresh_from_db()
    (row,) = jsn(client.get(f"{BASE}/requests.json"))
    assert list(row) == REQUEST_FIELDS
    assert row["service_request_id"] == ticket.number
    assert row["status"] == "open"
    assert row["service_code"] == "CS-ZS" and row["service_name"] == "噪声扰民"
    assert row["agency_responsible"] == department.name
    assert row["requested_datetime"].endswith("+08:00")
    assert row["expected_datetime"] is not None
    assert row["address"] == "鼓楼区鼓楼区五四路100号"
    assert row["lat"] is None and row["long"] is None
    # Nobody's phone or name is in a public read.
    assert "13912345678" not in json.dumps(row, ensure_ascii=False)


def test_get_requests_xml_and_single_request(client, operator, category):
    ticket = _ticket(operator, category)
    root = xml(client.get(f"{BASE}/requests.xml"))
    request = root.find("request")
    assert [c.tag for c in request] == REQUEST_FIELDS
    assert request.findtext("status") == "open"
    single = xml(client.get(f"{BASE}/requests/{ticket.number}.xml"))
    assert single.findtext("request/service_request_id") == ticket.number
    (row,) = jsn(client.get(f"{BASE}/requests/{ticket.number}.json"))
    assert row["service_request_id"] == ticket.number
    assert client.get(f"{BASE}/requests/000.json").status_code == 404


def test_get_requests_filters(client, operator, category, other_category):
    open_one = _ticket(operator, category)
    closed = _ticket(operator, other_category, caller_phone="13700000009", address="别处")
    services.ticket_transfer(ticket_id=closed.pk, actor=operator, target="122")

    def ids(query):
        return [r["service_request_id"] for r in jsn(client.get(f"{BASE}/requests.json?{query}"))]

    assert ids("status=open") == [open_one.number]
    assert ids("status=closed") == [closed.number]
    assert set(ids("status=open,closed")) == {open_one.number, closed.number}
    assert ids("service_code=JT-TC") == [closed.number]
    assert ids(f"service_request_id={open_one.number}&status=closed") == [open_one.number]
    assert ids("start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z") == []
    assert client.get(f"{BASE}/requests.json?start_date=yesterday").status_code == 400
    assert client.get(f"{BASE}/requests.json?status=pending").status_code == 400


def test_closed_request_status_and_notes(client, operator, category, handler):
    ticket = _ticket(operator, category)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)
    services.ticket_sign(ticket_id=ticket.pk, actor=handler)
    services.ticket_reply(ticket_id=ticket.pk, actor=handler, text="已责令停工。")
    services.ticket_close(ticket_id=ticket.pk, actor=operator)
    (row,) = jsn(client.get(f"{BASE}/requests/{ticket.number}.json"))
    assert row["status"] == "closed" and row["status_notes"] == "已责令停工。"
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.CLOSED


def test_reports_and_anonymous_tickets_are_not_public(client, operator, category):
    _ticket(operator, category, ticket_type=TicketType.REPORT)
    _ticket(operator, category, is_anonymous=True, caller_phone="13700000002")
    assert jsn(client.get(f"{BASE}/requests.json")) == []


def test_tokens(client, api_key, category):
    number = jsn(_post(client, api_key))[0]["service_request_id"]
    token = Ticket.objects.get(number=number).open311_token
    assert jsn(client.get(f"{BASE}/tokens/{token}.json")) == [
        {"service_request_id": number, "token": token}
    ]
    root = xml(client.get(f"{BASE}/tokens/{token}.xml"))
    assert [c.tag for c in root.find("request")] == ["service_request_id", "token"]
    assert client.get(f"{BASE}/tokens/nope.json").status_code == 404


def test_nul_bytes_and_wrong_jurisdiction(client, category):
    # A NUL in the path is no resource (the common middleware answers 404); in a query
    # parameter it is a bad request.
    assert client.get(f"{BASE}/services/CS%00.json").status_code == 404
    assert client.get(f"{BASE}/requests/1%00.json").status_code == 404
    assert client.get(f"{BASE}/requests.json?service_code=a%00").status_code == 400
    assert client.get(f"{BASE}/services.json?jurisdiction_id=elsewhere").status_code == 404


@pytest.mark.parametrize("value", ["1" * 40, "1e400", "NaN", "-Infinity", "91"])
def test_absurd_coordinates_are_a_400_not_a_500(client, api_key, category, value):
    response = _post(client, api_key, lat=value, address_string=None)
    assert response.status_code == 400
    assert jsn(response)[0]["code"] == 400
