"""Rate limits on registration, catalogue search and anonymous API reads and writes (issue 16,
hostile input), counted in the real Redis cache.

Each test comes from its own address (the counters outlive a test in Redis) and sets its own
low rate; the suite's settings keep the limits far above what the other tests send."""

from __future__ import annotations

import secrets

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.common.ratelimit import hit, parse_rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def address() -> str:
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


@pytest.fixture
def api_rates(settings):
    def set_rates(read: str = "100000/min", write: str = "100000/min") -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon_read": read, "anon_write": write},
        }

    return set_rates


def _registration(n: int) -> dict[str, str]:
    return {
        "full_name": "刘注册",
        "id_number": "",  # incomplete on purpose: every attempt is refused by the form
        "phone": f"1391234{n:04d}",
        "password1": "Portal#2026",
        "password2": "Portal#2026",
        "privacy_consent": "on",
    }


def test_registration_is_refused_past_the_rate_with_a_chinese_page(client, settings, address):
    settings.REGISTER_RATE = "3/day"
    url = reverse("accounts:register")
    for n in range(3):
        response = client.post(url, _registration(n), REMOTE_ADDR=address)
        assert response.status_code == 200  # the form with its errors

    response = client.post(url, _registration(9), REMOTE_ADDR=address)

    assert response.status_code == 429
    body = response.content.decode()
    assert "请求过于频繁，请稍后再试" in body
    assert "分钟后再试" in body
    assert int(response["Retry-After"]) > 0
    # Reading the form is not counted, and another address is not affected.
    assert client.get(url, REMOTE_ADDR=address).status_code == 200
    assert client.post(url, _registration(10), REMOTE_ADDR=address + "0").status_code == 200
    assert not User.objects.filter(full_name="刘注册").exists()


def test_company_registration_shares_the_registration_limit(client, settings, address):
    settings.REGISTER_RATE = "1/day"
    client.post(reverse("accounts:register"), _registration(1), REMOTE_ADDR=address)

    response = client.post(reverse("accounts:register_company"), {}, REMOTE_ADDR=address)

    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode()


def test_catalogue_search_is_refused_past_the_rate(client, settings, address):
    settings.SEARCH_RATE = "3/day"
    url = reverse("catalogue:search")
    for _ in range(3):
        assert client.get(url, {"q": "食品"}, REMOTE_ADDR=address).status_code == 200

    response = client.get(url, {"q": "食品"}, REMOTE_ADDR=address)

    assert response.status_code == 429
    assert "请求过于频繁，请稍后再试" in response.content.decode()


def test_a_signed_in_searcher_is_counted_by_account_not_address(
    client, settings, citizen, other_citizen, address
):
    settings.SEARCH_RATE = "2/day"
    url = reverse("catalogue:search")
    client.force_login(citizen)
    for _ in range(2):
        assert client.get(url, {"q": "社保"}, REMOTE_ADDR=address).status_code == 200
    assert client.get(url, {"q": "社保"}, REMOTE_ADDR=address).status_code == 429

    client.force_login(other_citizen)  # the same hall's address, another person
    assert client.get(url, {"q": "社保"}, REMOTE_ADDR=address).status_code == 200


def test_anonymous_api_reads_get_429_in_the_api_error_shape(client, api_rates, address):
    api_rates(read="3/day")
    url = reverse("catalogue-api:item-list")
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR=address).status_code == 200

    response = client.get(url, REMOTE_ADDR=address)

    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert "请求" in error["message"], error["message"]  # Chinese, for people
    assert int(response["Retry-After"]) > 0


def test_anonymous_api_writes_are_counted_apart_from_reads(client, api_rates, address):
    api_rates(read="100/day", write="2/day")
    url = reverse("api-hall-take", args=[999999])  # no such hall: 404 until the limit
    for _ in range(2):
        response = client.post(url, {}, content_type="application/json", REMOTE_ADDR=address)
        assert response.status_code == 404

    response = client.post(url, {}, content_type="application/json", REMOTE_ADDR=address)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert client.get(reverse("catalogue-api:item-list"), REMOTE_ADDR=address).status_code == 200


def test_signed_in_api_clients_are_not_throttled_as_anonymous(client, api_rates, citizen, address):
    api_rates(read="1/day")
    client.force_login(citizen)
    for _ in range(3):
        response = client.get(reverse("api-application-list"), REMOTE_ADDR=address)
        assert response.status_code == 200


def test_the_openapi_schema_documents_429(client):
    """Clients (and the contract test) may expect a 429 on every throttled operation."""
    schema = client.get("/api/schema/?format=json").json()
    for path, method in (
        ("/api/v1/catalogue/items/", "get"),
        ("/api/v1/halls/{id}/tickets", "post"),
    ):
        responses = schema["paths"][path][method]["responses"]
        assert "429" in responses, (path, method)
    assert parse_rate("30/min") == (30, 60)


def test_hit_counts_within_one_window(address):
    assert hit(scope="t", key=address, rate="2/day")[0]
    assert hit(scope="t", key=address, rate="2/day")[0]
    allowed, wait = hit(scope="t", key=address, rate="2/day")
    assert not allowed and 0 < wait <= 86400
