"""Malformed requests answer 400/404, never 500 (issue 7).

A NUL byte in a path segment or a query parameter reached PostgreSQL, which refuses NUL in
text ("A string literal cannot contain NUL"), and a page number past bigint overflowed the
OFFSET: both answered 500. One middleware guards every path and query parameter; the
public list pager clamps the page number.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.applications.factories import ApplicationFactory, guide_for
from tests.catalogue.factories import PublishedBundleFactory, published_item

pytestmark = pytest.mark.django_db

BIG = "9" * 25  # past 2**63

NUL_IN_PATH = [
    "/items/a%00b/",
    "/items/a%00b/result-sample/",
    "/departments/a%00/",
    "/topics/x%00/",
    "/bundles/a%00/",
    "/verify/a%00b/",
    "/applications/new/a%00/",
    "/applications/new/bundle/a%00/",
    "/api/v1/catalogue/items/a%00/",
    "/api/v1/catalogue/bundles/a%00/",
]

NUL_IN_QUERY = [
    "/search/?q=a%00b",
    "/search/?q%00=x",
    "/services/person/?type=%00",
    "/types/licensing/?page=%00",
    "/api/v1/catalogue/items/?q=%00",
    "/api/v1/catalogue/items/?department=%00",
    "/api/v1/catalogue/items/?page_size=%00",
    "/api/v1/catalogue/topics/?kind=%00",
    "/api/v1/catalogue/bundles/?page=1%00",
]


@pytest.fixture
def catalogue(department):
    published_item("食品经营许可", keywords="食品")
    PublishedBundleFactory(lead_department=department)


def _client(user=None) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False  # a 500 is an answer to assert, not a crash
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", NUL_IN_PATH)
def test_nul_byte_in_a_path_segment_is_404(catalogue, url):
    response = _client().get(url)

    assert response.status_code == 404
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "not_found"
    else:
        assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize("url", NUL_IN_QUERY)
def test_nul_byte_in_a_query_parameter_is_400(catalogue, url):
    response = _client().get(url)

    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "bad_request"
    else:
        assert "无法处理这个请求" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        (None, "/api/v1/catalogue/items/?page=a%00"),
        ("citizen", "/api/v1/applications/?page=%00"),
        ("citizen", "/api/v1/notifications/?category=%00"),
        ("citizen", "/applications/?page=%00"),
        ("citizen", "/inbox/?page=%00"),
        ("window_staff", "/api/v1/applications/queue?bucket=%00"),
        ("window_staff", "/admin/applications/application/?q=%00"),
    ],
)
def test_nul_byte_is_refused_for_signed_in_lists_too(request, catalogue, persona, url):
    user = request.getfixturevalue(persona) if persona else None

    assert _client(user).get(url).status_code == 400


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        (None, f"/search/?q=食品&page={BIG}", 200),
        (None, f"/types/licensing/?page={BIG}", 200),
        (None, f"/services/person/?page={BIG}", 200),
        (None, f"/api/v1/catalogue/items/?page={BIG}", 404),
        (None, f"/api/v1/catalogue/bundles/?page={BIG}", 404),
        ("citizen", f"/api/v1/applications/?page={BIG}", 404),
        ("citizen", f"/applications/?page={BIG}", 200),
        ("window_staff", f"/api/v1/applications/queue?page={BIG}", 404),
    ],
)
def test_page_number_beyond_bigint_is_the_last_page_or_404(
    request, catalogue, department, citizen, persona, url, status
):
    """Web lists show their last page; API lists say the page does not exist."""
    user = request.getfixturevalue(persona) if persona else None
    ApplicationFactory(guide=guide_for(department), applicant=citizen)

    response = _client(user).get(url)

    assert response.status_code == status
    if status == 404:
        assert response.json()["error"]["code"] == "not_found"


def test_search_past_the_end_shows_the_last_page_of_results(catalogue):
    response = _client().get("/search/", {"q": "食品", "page": BIG})

    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert [item.name for item in response.context["page"]] == ["食品经营许可"]
