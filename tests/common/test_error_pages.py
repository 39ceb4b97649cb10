"""Errors are JSON under /api/ in every case and the Chinese error page on the web (issue 7).

DEBUG is off here (test settings), as in production.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.common.conftest import call_in_thread, closed_port

pytestmark = pytest.mark.django_db


def _client(cls=APIClient, **kwargs):
    client = cls(**kwargs)
    client.raise_request_exception = False
    return client


def _assert_api_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]


def test_debug_is_off(settings):
    assert settings.DEBUG is False


def test_unknown_api_path_is_json_404(citizen):
    _assert_api_error(_client().get("/api/v1/no-such-thing"), 404, "not_found")
    signed_in = _client()
    signed_in.force_login(citizen)
    _assert_api_error(signed_in.post("/api/v1/applications/1/no-such-action"), 404, "not_found")


def test_uncaught_error_in_an_api_view_is_json_500(monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("apps.catalogue.api.views.topic_list", broken)

    response = _client().get("/api/v1/catalogue/topics/")

    _assert_api_error(response, 500, "server_error")
    assert "a bug" not in response.content.decode()
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records), "still logged"


def test_uncaught_error_on_a_page_is_the_chinese_500_page(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("apps.catalogue.views.sel.bundle_public_list", broken)

    response = _client(Client).get("/bundles/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "系统暂时无法处理您的请求" in response.content.decode()


def test_database_down_is_json_503_on_the_api_and_the_chinese_page_on_the_web(database_at):
    """Another thread, whose new connection finds nothing listening, asks both sides."""
    database_at(closed_port())

    done, api = call_in_thread(lambda: _client().get("/api/v1/catalogue/items/"), join_timeout=30)
    assert done
    _assert_api_error(api, 503, "service_unavailable")
    assert api["Retry-After"]

    done, page = call_in_thread(lambda: _client(Client).get("/search/?q=食品"), join_timeout=30)
    assert done
    assert page.status_code == 503
    assert "系统暂时无法处理您的请求" in page.content.decode()


def test_web_404_and_400_are_chinese_pages():
    not_found = _client(Client).get("/no-such-page/")
    bad = _client(Client).get("/search/?q=%00")

    assert not_found.status_code == 404 and "页面不存在" in not_found.content.decode()
    assert bad.status_code == 400 and "无法处理这个请求" in bad.content.decode()


def test_web_csrf_refusal_is_a_chinese_page():
    response = _client(Client, enforce_csrf_checks=True).post("/accessibility", {"next": "/"})

    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_api_refusals_keep_the_one_error_shape(citizen):
    """Anonymous is refused in the JSON shape (denied persona); the citizen gets the list."""
    _assert_api_error(_client().get("/api/v1/applications/"), 403, "not_authenticated")
    signed_in = _client()
    signed_in.force_login(citizen)
    assert signed_in.get("/api/v1/applications/").status_code == 200
